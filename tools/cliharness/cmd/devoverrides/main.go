// Command devoverrides prepares a shell for running the freshly built
// provider through a real CLI (scripts/dev-overrides.sh evals its output):
// it builds the provider into WORK/plugins, writes WORK/cli.tfrc with
// cliharness's dev_overrides configuration, and prints the shell commands
// that point the CLI at it and unset every other TF_* variable.
//
//	eval "$(go run ./tools/cliharness/cmd/devoverrides WORK)"
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/circleci-access/terraform-provider-circleci/tools/cliharness"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: devoverrides WORK")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "devoverrides:", err)
		os.Exit(1)
	}
}

func run(work string) error {
	work, err := filepath.Abs(work)
	if err != nil {
		return err
	}
	root, err := cliharness.ModuleRoot()
	if err != nil {
		return err
	}
	cliConfig, err := cliharness.Setup(context.Background(), root, work)
	if err != nil {
		return err
	}
	var unset []string
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); cliharness.IsCLIVariable(name) && !strings.HasPrefix(name, "TF_VAR_") {
			unset = append(unset, name)
		}
	}
	sort.Strings(unset)
	if len(unset) > 0 {
		fmt.Println("unset " + strings.Join(unset, " "))
	}
	var exports []string
	for _, kv := range cliharness.CLIEnv(cliConfig) {
		name, value, _ := strings.Cut(kv, "=")
		exports = append(exports, name+"='"+strings.ReplaceAll(value, "'", `'\''`)+"'")
	}
	fmt.Println("export " + strings.Join(exports, " "))
	return nil
}
