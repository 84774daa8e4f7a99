// Package circleci is the provider's CircleCI API client. It owns HTTP,
// authentication, retries, pagination, size limits and error decoding, and
// knows nothing of Terraform: the provider maps its results and errors into
// models and diagnostics.
package circleci
