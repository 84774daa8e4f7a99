// Package cliharness runs the provider, freshly built from this module,
// through a real OpenTofu or Terraform CLI: a CLI configuration with
// dev_overrides (no init, no registry), an environment cleared of the
// caller's TF_* and CIRCLE* variables, and the CLI under test. It is the one
// place that knows how: the example tests, the interrupt test, `make bench`
// and (through cmd/devoverrides) the shell scripts all use it.
//
// It is test support: the provider itself never imports it (.golangci.yml).
package cliharness

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Source is the provider's short source address, as in every example's
// required_providers block; each CLI adds its own default registry host.
const Source = "circleci-access/circleci"

// BinaryName is the provider executable's name in the plugin directory.
const BinaryName = "terraform-provider-circleci"

// EnvCLI names the CLI under test (terraform-plugin-testing's variable).
const EnvCLI = "TF_ACC_TERRAFORM_PATH"

// CLIConfig is the CLI configuration that takes the provider from
// pluginDir, under its Source and any other sources given (a test may stand
// the provider in for another one that the machine cannot download).
func CLIConfig(pluginDir string, otherSources ...string) string {
	var b strings.Builder
	b.WriteString("provider_installation {\n  dev_overrides {\n")
	for _, src := range append([]string{Source}, otherSources...) {
		fmt.Fprintf(&b, "    %q = %q\n", src, pluginDir)
	}
	b.WriteString("  }\n  direct {}\n}\n")
	return b.String()
}

// WriteCLIConfig writes CLIConfig(pluginDir, otherSources...) to
// dir/cli.tfrc and returns its path.
func WriteCLIConfig(dir, pluginDir string, otherSources ...string) (string, error) {
	p := filepath.Join(dir, "cli.tfrc")
	return p, os.WriteFile(p, []byte(CLIConfig(pluginDir, otherSources...)), 0o600)
}

// ModuleRoot is the directory of this module's go.mod, found from the
// working directory upwards.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && //nolint:gosec // G304: go.mod of an enclosing directory
			strings.Contains(string(data), "module github.com/circleci-access/terraform-provider-circleci\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("cliharness: not inside the terraform-provider-circleci module")
		}
		dir = parent
	}
}

// BuildProvider builds the provider from the module at root into out.
func BuildProvider(ctx context.Context, root, out string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, ".") //nolint:gosec // G204: out is the caller's build path
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %w\n%s", err, b)
	}
	return nil
}

// Setup builds the provider into dir/plugins and writes dir/cli.tfrc
// pointing at it; it returns the CLI configuration's path.
func Setup(ctx context.Context, root, dir string) (string, error) {
	plugins := filepath.Join(dir, "plugins")
	if err := os.MkdirAll(plugins, 0o750); err != nil {
		return "", err
	}
	if err := BuildProvider(ctx, root, filepath.Join(plugins, BinaryName)); err != nil {
		return "", err
	}
	return WriteCLIConfig(dir, plugins)
}

// IsCLIVariable reports whether an environment variable changes what the CLI
// does (TF_*, CHECKPOINT_DISABLE). The shell scripts unset these too.
func IsCLIVariable(name string) bool {
	return strings.HasPrefix(name, "TF_") || name == "CHECKPOINT_DISABLE"
}

// CLIEnv is the fixed part of every run's environment: our CLI
// configuration, no checkpoint calls, no interactive hints.
func CLIEnv(cliConfig string) []string {
	return []string{"TF_CLI_CONFIG_FILE=" + cliConfig, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1"}
}

// Env is environ without any CLI variable or CIRCLE* variable (the test
// command sets several), plus CLIEnv(cliConfig), plus extra. With
// TF_DATA_DIR unset, the CLI keeps its data in the working directory.
func Env(environ []string, cliConfig string, extra ...string) []string {
	var env []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if IsCLIVariable(name) || strings.HasPrefix(name, "CIRCLE") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, CLIEnv(cliConfig)...)
	return append(env, extra...)
}
