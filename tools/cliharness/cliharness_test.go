package cliharness

import (
	"slices"
	"strings"
	"testing"
)

func TestEnv(t *testing.T) {
	got := Env([]string{"PATH=/bin", "TF_LOG=trace", "TF_VAR_x=1", "CIRCLECI_TOKEN=secret", "CHECKPOINT_DISABLE=", "HOME=/h"},
		"/tmp/cli.tfrc", "CIRCLECI_HOST=http://127.0.0.1:1")
	want := []string{"PATH=/bin", "HOME=/h", "TF_CLI_CONFIG_FILE=/tmp/cli.tfrc", "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		"CIRCLECI_HOST=http://127.0.0.1:1"}
	if !slices.Equal(got, want) {
		t.Errorf("Env =\n%q\nwant\n%q", got, want)
	}
}

func TestCLIConfig(t *testing.T) {
	got := CLIConfig(`/tmp/a "b"`, "other/circleci")
	for _, w := range []string{"dev_overrides {", `"circleci-access/circleci" = "/tmp/a \"b\""`, `"other/circleci" = "/tmp/a \"b\""`, "direct {}"} {
		if !strings.Contains(got, w) {
			t.Errorf("CLIConfig lacks %q:\n%s", w, got)
		}
	}
}
