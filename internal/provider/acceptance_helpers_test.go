package provider

// Helpers shared by the acceptance tests: the provider factories, the fake
// API, error matching, and the runner for the few tests that need a real
// CLI process (tools/cliharness). The fixture itself (testFixture and its
// ids) is in provider_test.go.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
	"github.com/circleci-access/terraform-provider-circleci/tools/cliharness"
)

const (
	collabPath    = "/api/v2/me/collaborations"
	rateLimitBody = `{"message":"Rate limit exceeded."}`
)

// testAccProtoV6ProviderFactories serves the provider in-process to the CLI
// that terraform-plugin-testing drives (TF_ACC_TERRAFORM_PATH).
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"circleci": scanning(NewProtocol6WithError("test")),
}

// testAccPreCheck fails, rather than lets terraform-plugin-testing download
// a CLI, when the test command did not provide one.
func testAccPreCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		t.Fatal("TF_ACC_TERRAFORM_PATH must name the tofu or terraform binary to test with; run `make test` or `make testacc`, which build it")
	}
}

// newTestServer starts the fake CircleCI API with the acceptance fixture on
// loopback, closed when the test ends.
func newTestServer(t *testing.T) *fakeapi.Server {
	t.Helper()
	return newFixtureServer(t, testFixture())
}

// newFixtureServer starts the fake CircleCI API with fx (a test's own
// variation of the fixture) on loopback, closed when the test ends.
func newFixtureServer(t testing.TB, fx *fakeapi.Fixture) *fakeapi.Server {
	t.Helper()
	s := fakeapi.New(fx)
	t.Cleanup(s.Close)
	return s
}

// providerConfig is a provider block for the fake, plus extra attributes.
func providerConfig(s *fakeapi.Server, extra ...string) string {
	return fmt.Sprintf(`
provider "circleci" {
  api_token = %q
  host      = %q
  %s
}
`, testToken, s.URL(), strings.Join(extra, "\n  "))
}

// expectError matches a CLI error that contains each part in order. The CLI
// wraps long lines, so a space in a part matches any run of whitespace.
func expectError(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		quoted[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, `.*`))
}

// clearProviderEnv unsets every variable the provider reads, so a test sees
// only what it sets.
func clearProviderEnv(t *testing.T) {
	for _, e := range []string{EnvToken, EnvTokenAlt, EnvHost, EnvHostAlt, EnvAppHost, EnvOrgID, EnvMaxRetries, EnvRequestTimeout, EnvMaxConcurrency} {
		t.Setenv(e, "")
	}
}

func orgCountCheck(n int) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(orgsAddr, tfjsonpath.New("organizations"), knownvalue.ListSizeExact(n))
}

// errorCapture records the step's error instead of failing the test, so a
// case can assert what the error does NOT say; ExpectError only matches.
type errorCapture struct{ err error }

func (c *errorCapture) check(err error) error {
	c.err = err
	return nil
}

// assertError checks a captured CLI error: each of want in order, none of not.
func assertError(t *testing.T, err error, want, not []string) {
	t.Helper()
	if err == nil {
		t.Fatalf("the step succeeded; want an error matching %q", want)
	}
	if re := expectError(want...); !re.MatchString(err.Error()) {
		t.Errorf("error does not match %s:\n%s", re, err)
	}
	flat := strings.Join(strings.Fields(err.Error()), " ")
	for _, n := range not {
		if strings.Contains(flat, n) {
			t.Errorf("error must not contain %q:\n%s", n, err)
		}
	}
}

// checkFunc is a state check that runs f: for assertions on the fake at a
// point inside a step.
type checkFunc func() error

func (f checkFunc) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f()
}

// rolePage is a role-grants page body with the given members of the
// fixture's standalone organization and next_page_token (raw JSON).
func rolePage(next string, grants ...fakeapi.RoleGrant) string {
	var items []string
	for _, g := range grants {
		items = append(items, fmt.Sprintf(`{"user_id":%q,"username":%q,"email":%q,"role":%q}`, g.UserID, g.Username, g.Email, g.Role))
	}
	return `{"items":[` + strings.Join(items, ",") + `],"next_page_token":` + next + `}`
}

// cliCommandTimeout bounds each CLI or script run of the CLI runner.
const cliCommandTimeout = 3 * time.Minute

// cliProviderBinary is the provider built once per test binary.
var cliProviderBinary struct {
	once sync.Once
	path string
	err  error
}

// cliRunner runs a real CLI process on the provider built from this module,
// installed through dev_overrides (tools/cliharness), for what
// terraform-plugin-testing cannot drive: a shell script, a signal, the
// warnings of check blocks.
type cliRunner struct {
	t       *testing.T
	root    string // the module root
	cli     string // TF_ACC_TERRAFORM_PATH
	cliConf string
	extra   []string // environment added to every command, e.g. the fake API
}

func newCLIRunner(t *testing.T) *cliRunner {
	t.Helper()
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skip("acceptance test: set TF_ACC=1 and TF_ACC_TERRAFORM_PATH (make test / make testacc)")
	}
	testAccPreCheck(t)
	root, err := cliharness.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	cliProviderBinary.once.Do(func() {
		dir, err := os.MkdirTemp("", "cli-provider-") // outlives the test that built it
		if err != nil {
			cliProviderBinary.err = err
			return
		}
		cliProviderBinary.path = filepath.Join(dir, cliharness.BinaryName)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cliProviderBinary.err = cliharness.BuildProvider(ctx, root, cliProviderBinary.path)
	})
	if cliProviderBinary.err != nil {
		t.Fatalf("building the provider: %v", cliProviderBinary.err)
	}
	cliConf, err := cliharness.WriteCLIConfig(t.TempDir(), filepath.Dir(cliProviderBinary.path))
	if err != nil {
		t.Fatal(err)
	}
	return &cliRunner{t: t, root: root, cli: os.Getenv(cliharness.EnvCLI), cliConf: cliConf}
}

// standIn makes the provider under test also answer for source, a provider
// this machine cannot download (the CLI never configures an unused one).
func (r *cliRunner) standIn(source string) {
	r.t.Helper()
	conf, err := cliharness.WriteCLIConfig(filepath.Dir(r.cliConf), filepath.Dir(cliProviderBinary.path), source)
	if err != nil {
		r.t.Fatal(err)
	}
	r.cliConf = conf
}

// useFake points every later command at a fake CircleCI API serving fx,
// with orgID as the provider's default organization (CIRCLECI_ORG_ID).
func (r *cliRunner) useFake(fx *fakeapi.Fixture, orgID string) *fakeapi.Server {
	s := fakeapi.New(fx)
	r.t.Cleanup(s.Close)
	r.extra = append(r.extra, EnvToken+"="+fx.Token, EnvHost+"="+s.URL(), EnvOrgID+"="+orgID)
	return s
}

type cliResult struct {
	exitCode       int
	stdout, stderr string
}

// output is stdout and stderr with every run of whitespace made one space,
// because the CLI wraps diagnostics at a fixed width.
func (r cliResult) output() string { return strings.Join(strings.Fields(r.stdout+"\n"+r.stderr), " ") }

func (r cliResult) String() string {
	return fmt.Sprintf("exit status %d\n--- stdout:\n%s\n--- stderr:\n%s", r.exitCode, r.stdout, r.stderr)
}

func (r cliResult) assertContains(t *testing.T, wants ...string) {
	t.Helper()
	out := r.output()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("output does not contain %q\n%s", w, r)
		}
	}
}

// command is name with args in dir, in the runner's environment plus env.
func (r *cliRunner) command(ctx context.Context, dir string, env []string, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...) //nolint:gosec // G204: the CLI under test, or an example's script
	cmd.Dir = dir
	cmd.Env = cliharness.Env(os.Environ(), r.cliConf, append(append([]string(nil), r.extra...), env...)...)
	return cmd
}

// run runs name with args in dir; only a failure to start or a timeout
// fails the test, the exit status is the caller's to check.
func (r *cliRunner) run(dir string, env []string, name string, args ...string) cliResult {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cliCommandTimeout)
	defer cancel()
	cmd := r.command(ctx, dir, env, name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := cliResult{stdout: stdout.String(), stderr: stderr.String()}
	var exitErr *exec.ExitError
	switch {
	case ctx.Err() != nil:
		r.t.Fatalf("%s %s: timed out after %s\n%s", filepath.Base(name), strings.Join(args, " "), cliCommandTimeout, res)
	case errors.As(err, &exitErr):
		res.exitCode = exitErr.ExitCode()
	case err != nil:
		r.t.Fatalf("%s %s: %v", filepath.Base(name), strings.Join(args, " "), err)
	}
	return res
}

// tf runs the CLI in dir.
func (r *cliRunner) tf(dir string, args ...string) cliResult {
	r.t.Helper()
	return r.run(dir, nil, r.cli, append([]string{"-chdir=" + dir}, args...)...)
}

// copyExample copies the files of examples/<rel> (not its subfolders) into
// a new temporary directory, keeping their modes, and returns it.
func (r *cliRunner) copyExample(rel string) string {
	r.t.Helper()
	src := filepath.Join(r.root, "examples", filepath.FromSlash(rel))
	dst := r.t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		r.t.Fatal(err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			r.t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name())) //nolint:gosec // G304: a file of examples/
		if err != nil {
			r.t.Fatal(err)
		}
		//nolint:gosec // G703: dst is a t.TempDir(); the example's mode is kept (scripts are executable)
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, info.Mode().Perm()); err != nil {
			r.t.Fatal(err)
		}
	}
	return dst
}
