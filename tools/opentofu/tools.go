//go:build tools

// Package tools pins the OpenTofu CLI that the acceptance tests and the demo build.
package tools

import _ "github.com/opentofu/opentofu/cmd/tofu"
