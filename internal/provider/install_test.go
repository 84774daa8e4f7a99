package provider

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/circleci-access/terraform-provider-circleci/tools/cliharness"
)

// installConfig is what a user writes after `make install`: the short
// source address and a version constraint, as with the Registry.
const installConfig = `terraform {
  required_providers {
    circleci = {
      source  = "circleci-access/circleci"
      version = "~> 0.1.0"
    }
  }
}

provider "circleci" {}

data "circleci_me" "me" {}

output "me" {
  value = data.circleci_me.me.login
}
`

// changelogVersion is the newest version heading of CHANGELOG.md, the
// version `make install` installs as.
func changelogVersion(t *testing.T, root string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "CHANGELOG.md")) //nolint:gosec // G304: this repository's changelog
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^## \[([0-9][^\]]*)\]`).FindStringSubmatch(string(b))
	if m == nil {
		t.Fatal("CHANGELOG.md has no version heading such as ## [0.1.0]")
	}
	return m[1]
}

// The install path of the README: `make install` (scripts/install.sh) puts
// the provider into a filesystem mirror, and `init` installs it from there
// under the CHANGELOG's version, then `plan` runs it against the fake API.
// No dev_overrides: the mirror's layout, the version and the lock file are
// what a user gets. Once with the explicit filesystem_mirror configuration
// the script prints (another directory), once with Terraform's implied
// mirror ~/.terraform.d/plugins and no CLI configuration at all.
func TestAccInstall_filesystemMirror(t *testing.T) {
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skip("acceptance test: set TF_ACC=1 and TF_ACC_TERRAFORM_PATH (make test / make testacc)")
	}
	testAccPreCheck(t)
	root, err := cliharness.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	version := changelogVersion(t, root)
	cli := os.Getenv(cliharness.EnvCLI)
	fx := testFixture()
	s := newFixtureServer(t, fx)
	platform := runtime.GOOS + "_" + runtime.GOARCH

	cases := []struct {
		name string
		// mirror is where install.sh puts the provider, relative to home
		// ("" for its default); explicit uses its printed CLI configuration.
		mirror   string
		explicit bool
	}{
		{name: "explicit filesystem_mirror", mirror: "mirror", explicit: true},
		{name: "implied ~/.terraform.d/plugins"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			empty := filepath.Join(home, "empty.tfrc")
			if err := os.WriteFile(empty, []byte("# no provider_installation: the implied mirrors and direct\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			r := &cliRunner{t: t, root: root, cli: cli, cliConf: empty,
				extra: []string{"HOME=" + home, EnvToken + "=" + fx.Token, EnvHost + "=" + s.URL()}}

			args := []string{filepath.Join(root, "scripts", "install.sh"), "--print-cli-config"}
			if tc.mirror != "" {
				args = append(args, "--mirror", filepath.Join(home, tc.mirror))
			}
			// Another HOME, but Go's caches as they are: the build reuses them.
			inst := r.run(root, append([]string{"VERSION="}, goCacheEnv(t)...), "bash", args...)
			if inst.exitCode != 0 {
				t.Fatalf("install.sh failed\n%s", inst)
			}
			mirror := filepath.Join(home, ".terraform.d", "plugins")
			if tc.mirror != "" {
				mirror = filepath.Join(home, tc.mirror)
			}
			for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
				bin := filepath.Join(mirror, host, "circleci-access", "circleci", version, platform, "terraform-provider-circleci_v"+version)
				if _, err := os.Stat(bin); err != nil {
					t.Errorf("install.sh did not install %s: %v", bin, err)
				}
			}
			if tc.explicit {
				if !strings.Contains(inst.stdout, "filesystem_mirror") || !strings.Contains(inst.stdout, mirror) {
					t.Fatalf("install.sh printed no filesystem_mirror configuration for %s\n%s", mirror, inst)
				}
				conf := filepath.Join(home, "mirror.tfrc")
				if err := os.WriteFile(conf, []byte(inst.stdout), 0o600); err != nil {
					t.Fatal(err)
				}
				r.cliConf = conf
			}

			dir := filepath.Join(home, "work")
			if err := os.MkdirAll(dir, 0o750); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(installConfig), 0o600); err != nil {
				t.Fatal(err)
			}
			initRes := r.tf(dir, "init", "-input=false", "-no-color")
			if initRes.exitCode != 0 {
				t.Fatalf("init from the mirror failed\n%s", initRes)
			}
			initRes.assertContains(t, "Installing circleci-access/circleci v"+version, "Installed circleci-access/circleci v"+version)
			lock, err := os.ReadFile(filepath.Join(dir, ".terraform.lock.hcl")) //nolint:gosec // G304: the test's own directory
			if err != nil || !strings.Contains(string(lock), `version     = "`+version+`"`) {
				t.Errorf("the lock file does not record version %s (%v):\n%s", version, err, lock)
			}

			plan := r.tf(dir, "plan", "-input=false", "-no-color")
			if plan.exitCode != 0 {
				t.Fatalf("plan with the installed provider failed\n%s", plan)
			}
			plan.assertContains(t, `me = "`+fx.Me.Login+`"`)
			ver := r.tf(dir, "version")
			ver.assertContains(t, "circleci-access/circleci v"+version)
		})
	}
}

// goCacheEnv is Go's build and module cache settings as they are now, for a
// command that runs with another HOME.
func goCacheEnv(t *testing.T) []string {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), "go", "env", "GOCACHE", "GOMODCACHE", "GOPATH").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 3 {
		t.Fatalf("go env printed %q", out)
	}
	return []string{"GOCACHE=" + lines[0], "GOMODCACHE=" + lines[1], "GOPATH=" + lines[2]}
}

// The README's install section names the version make install installs.
func TestReadme_installVersion(t *testing.T) {
	root, err := cliharness.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	version := changelogVersion(t, root)
	b, err := os.ReadFile(filepath.Join(root, "README.md")) //nolint:gosec // G304: this repository's README
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"the first\nversion is **" + version + "**", "circleci-access/circleci/" + version + "/"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("README.md does not say %q (CHANGELOG.md's newest version is %s)", want, version)
		}
	}
}
