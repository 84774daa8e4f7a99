// Package validators holds the provider's custom attribute validators. Each
// skips null and unknown values and never echoes a value it rejects.
package validators
