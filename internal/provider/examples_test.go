package provider

// Tests of examples/: every folder is fmt-clean and valid, and the three job
// examples do what their READMEs say when run through the real CLI
// (TF_ACC_TERRAFORM_PATH) against the fake CircleCI API.
//
// The CLI gets the provider from a `go build` of this module through a
// dev_overrides CLI configuration, as scripts/demo.sh does: no init, no
// registry. Examples are copied into t.TempDir() before anything runs, so
// nothing is written into the repository.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// examplesCommandTimeout bounds each CLI or script run.
const examplesCommandTimeout = 3 * time.Minute

// examplesProviderBinary is the provider built once per test binary; each
// test writes it into its own t.TempDir().
var examplesProviderBinary struct {
	once sync.Once
	data []byte
	err  error
}

// examplesRepoRoot is the module root, where examples/ lives.
func examplesRepoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found at %s: %v", root, err)
	}
	return root
}

// examplesCLIPath is the CLI under test. Like testAccPreCheck, it fails
// (rather than skips) when TF_ACC is set without a CLI.
func examplesCLIPath(t *testing.T) string {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 and TF_ACC_TERRAFORM_PATH (make test / make testacc)")
	}
	testAccPreCheck(t)
	return os.Getenv("TF_ACC_TERRAFORM_PATH")
}

// examplesHarness runs the CLI on copies of the examples, with the freshly
// built provider installed through dev_overrides.
type examplesHarness struct {
	t       *testing.T
	root    string
	cli     string
	cliConf string
	extra   []string // environment added to every command, e.g. the fake API
}

func newExamplesHarness(t *testing.T) *examplesHarness {
	t.Helper()
	h := &examplesHarness{t: t, root: examplesRepoRoot(t), cli: examplesCLIPath(t)}

	examplesProviderBinary.once.Do(func() {
		dir, err := os.MkdirTemp("", "examples-provider-")
		if err != nil {
			examplesProviderBinary.err = err
			return
		}
		defer func() { _ = os.RemoveAll(dir) }()
		bin := filepath.Join(dir, "terraform-provider-circleci")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		// `go test` puts its own go command first on PATH.
		cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, ".") //nolint:gosec // G204: bin is our temporary directory
		cmd.Dir = h.root
		if out, err := cmd.CombinedOutput(); err != nil {
			examplesProviderBinary.err = fmt.Errorf("go build: %w\n%s", err, out)
			return
		}
		examplesProviderBinary.data, examplesProviderBinary.err = os.ReadFile(bin) //nolint:gosec // G304: our own build output
	})
	if examplesProviderBinary.err != nil {
		t.Fatalf("building the provider: %v", examplesProviderBinary.err)
	}

	plugins := t.TempDir()
	//nolint:gosec // G306: the CLI must be able to execute the provider
	if err := os.WriteFile(filepath.Join(plugins, "terraform-provider-circleci"), examplesProviderBinary.data, 0o755); err != nil {
		t.Fatal(err)
	}
	h.cliConf = filepath.Join(t.TempDir(), "cli.tfrc")
	conf := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", registryPath, plugins)
	if err := os.WriteFile(h.cliConf, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	return h
}

// useFake points every later command at a fake CircleCI API serving fx, with
// orgID as the provider's default organization (CIRCLECI_ORG_ID).
func (h *examplesHarness) useFake(fx *fakeapi.Fixture, orgID string) {
	s := fakeapi.New(fx)
	h.t.Cleanup(s.Close)
	h.extra = append(h.extra,
		EnvToken+"="+fx.Token,
		EnvHost+"="+s.URL(),
		EnvOrgID+"="+orgID,
	)
}

// env is the commands' environment: the test process's, without any
// TF_*/CIRCLE* variable (the test command sets several), plus ours. With
// TF_DATA_DIR unset, the CLI's data directory is the .terraform folder of
// the temporary copy it runs in.
func (h *examplesHarness) env(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "CIRCLE") || name == "CHECKPOINT_DISABLE" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env,
		"TF_CLI_CONFIG_FILE="+h.cliConf,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
	)
	env = append(env, h.extra...)
	return append(env, extra...)
}

type examplesResult struct {
	exitCode int
	stdout   string
	stderr   string
}

// output is stdout and stderr with every run of whitespace made one space,
// because the CLI wraps diagnostics at a fixed width.
func (r examplesResult) output() string {
	return strings.Join(strings.Fields(r.stdout+"\n"+r.stderr), " ")
}

func (r examplesResult) String() string {
	return fmt.Sprintf("exit status %d\n--- stdout:\n%s\n--- stderr:\n%s", r.exitCode, r.stdout, r.stderr)
}

// run runs name with args in dir; only a failure to start or a timeout
// fails the test, the exit status is the caller's to check.
func (h *examplesHarness) run(dir string, extraEnv []string, name string, args ...string) examplesResult {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), examplesCommandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...) //nolint:gosec // G204: the CLI under test, or an example's script
	cmd.Dir = dir
	cmd.Env = h.env(extraEnv...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := examplesResult{stdout: stdout.String(), stderr: stderr.String()}
	var exitErr *exec.ExitError
	switch {
	case ctx.Err() != nil:
		h.t.Fatalf("%s %s: timed out after %s\n%s", filepath.Base(name), strings.Join(args, " "), examplesCommandTimeout, res)
	case errors.As(err, &exitErr):
		res.exitCode = exitErr.ExitCode()
	case err != nil:
		h.t.Fatalf("%s %s: %v", filepath.Base(name), strings.Join(args, " "), err)
	}
	return res
}

// tf runs the CLI in dir.
func (h *examplesHarness) tf(dir string, args ...string) examplesResult {
	h.t.Helper()
	return h.run(dir, nil, h.cli, append([]string{"-chdir=" + dir}, args...)...)
}

// copyExample copies the files of examples/<rel> (not its subfolders) into a
// new temporary directory, keeping their modes, and returns it.
func (h *examplesHarness) copyExample(rel string) string {
	h.t.Helper()
	src := filepath.Join(h.root, "examples", filepath.FromSlash(rel))
	dst := h.t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		examplesCopyFile(h.t, filepath.Join(src, e.Name()), filepath.Join(dst, e.Name()))
	}
	return dst
}

func examplesCopyFile(t *testing.T, src, dst string) {
	t.Helper()
	info, err := os.Stat(src)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(src) //nolint:gosec // G304: a file of examples/
	if err != nil {
		t.Fatal(err)
	}
	//nolint:gosec // G703: dst is in a t.TempDir(); the example's mode is kept (check-admins.sh is executable)
	if err := os.WriteFile(dst, data, info.Mode().Perm()); err != nil {
		t.Fatal(err)
	}
}

// examplesFolders lists every folder under examples/ that holds .tf files,
// as slash-separated paths relative to examples/.
func examplesFolders(t *testing.T, root string) []string {
	t.Helper()
	base := filepath.Join(root, "examples")
	seen := map[string]bool{}
	err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && p != base {
			return filepath.SkipDir // .terraform from a local run
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".tf") {
			rel, err := filepath.Rel(base, filepath.Dir(p))
			if err != nil {
				return err
			}
			seen[filepath.ToSlash(rel)] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	folders := make([]string, 0, len(seen))
	for f := range seen {
		folders = append(folders, f)
	}
	sort.Strings(folders)
	return folders
}

var examplesRequiredProvidersRE = regexp.MustCompile(`(?m)^\s*required_providers\s*\{`)

// examplesDeclaresProvider reports whether a .tf file in dir has required_providers.
func examplesDeclaresProvider(t *testing.T, dir string) bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f) //nolint:gosec // G304: a file of an example's copy
		if err != nil {
			t.Fatal(err)
		}
		if examplesRequiredProvidersRE.Match(data) {
			return true
		}
	}
	return false
}

// examplesDemoOrganization is the fixture's first standalone organization (the one
// the demo uses), its role grants, and its admins' logins.
func examplesDemoOrganization(t *testing.T, fx *fakeapi.Fixture) (string, []fakeapi.RoleGrant, []string) {
	t.Helper()
	for _, c := range fx.Collaborations {
		if c.VCSType != "circleci" || c.ID == nil {
			continue
		}
		grants := fx.Members[*c.ID]
		var admins []string
		for _, g := range grants {
			if g.Role == "org-admin" {
				admins = append(admins, g.Username)
			}
		}
		return *c.ID, grants, admins
	}
	t.Fatal("the demo fixture has no standalone organization")
	return "", nil, nil
}

// newExamplesDemoHarness is a harness on the fake API with the demo fixture, whose
// default organization has exactly three admins (the job examples' policies
// allow two).
func newExamplesDemoHarness(t *testing.T) (*examplesHarness, []fakeapi.RoleGrant, []string) {
	t.Helper()
	h := newExamplesHarness(t)
	fx := fakeapi.DemoFixture()
	orgID, grants, admins := examplesDemoOrganization(t, fx)
	if len(admins) != 3 {
		t.Fatalf("the demo organization must have 3 admins for these tests, has %d: %v", len(admins), admins)
	}
	h.useFake(fx, orgID)
	return h, grants, admins
}

func examplesAssertContains(t *testing.T, res examplesResult, wants ...string) {
	t.Helper()
	out := res.output()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("output does not contain %q\n%s", w, res)
		}
	}
}

// Every folder under examples/ is formatted and valid. A folder without
// required_providers (examples/data-sources/*) is a snippet shown next to the
// provider page's example, so it is validated together with
// examples/provider/provider.tf.
func TestAccExamples_fmtAndValidate(t *testing.T) {
	h := newExamplesHarness(t)
	folders := examplesFolders(t, h.root)
	for _, want := range []string{"demo", "provider", "data-sources/circleci_organizations",
		"data-sources/circleci_org_members", "policy-check", "members-into-iac", "ci-assertion",
		"data-sources/circleci_me", "data-sources/circleci_organization", "data-sources/circleci_org_member", "break-glass"} {
		if !examplesContainsString(folders, want) {
			t.Errorf("examples/%s: missing (found %v)", want, folders)
		}
	}
	for _, folder := range folders {
		t.Run(folder, func(t *testing.T) {
			h := *h
			h.t = t
			src := filepath.Join(h.root, "examples", filepath.FromSlash(folder))
			if res := h.tf(src, "fmt", "-check", "-recursive", "-diff", "-no-color"); res.exitCode != 0 {
				t.Errorf("examples/%s is not formatted; run `make fmt`\n%s", folder, res)
			}

			dir := h.copyExample(folder)
			if !examplesDeclaresProvider(t, dir) {
				examplesCopyFile(t, filepath.Join(h.root, "examples", "provider", "provider.tf"), filepath.Join(dir, "provider_example.tf"))
			}
			res := h.tf(dir, "validate", "-no-color")
			if res.exitCode != 0 || !strings.Contains(res.stdout, "The configuration is valid") {
				t.Errorf("examples/%s: validate failed\n%s", folder, res)
			}
		})
	}
}

func examplesContainsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// examples/policy-check: the check blocks warn without stopping the apply,
// the precondition stops the plan, and nothing fires when the organization
// meets the policy.
func TestAccExamples_policyCheck(t *testing.T) {
	h, _, admins := newExamplesDemoHarness(t)

	t.Run("check blocks warn", func(t *testing.T) {
		dir := h.copyExample("policy-check")
		res := h.tf(dir, "apply", "-auto-approve", "-input=false", "-no-color", "-var=enforce_allowlist=false")
		if res.exitCode != 0 {
			t.Fatalf("apply failed; a failed check must only warn\n%s", res)
		}
		examplesAssertContains(t, res,
			"Warning: Check block assertion failed",
			"Too many CircleCI admins: 3 (jdoe, mchen, RKowalski); the policy allows at most 2.",
			"CircleCI admins not on the allowlist: RKowalski.",
		)
		if n := strings.Count(res.output(), "Check block assertion failed"); n != 2 {
			t.Errorf("want 2 failed checks, got %d\n%s", n, res)
		}
	})

	t.Run("precondition fails the plan", func(t *testing.T) {
		dir := h.copyExample("policy-check")
		res := h.tf(dir, "plan", "-input=false", "-no-color")
		if res.exitCode == 0 {
			t.Fatalf("plan succeeded; the precondition must stop it while RKowalski is an admin\n%s", res)
		}
		examplesAssertContains(t, res,
			"Resource precondition failed",
			"Unexpected CircleCI admin(s): RKowalski.",
		)
	})

	t.Run("compliant organization passes", func(t *testing.T) {
		dir := h.copyExample("policy-check")
		allow, err := json.Marshal(admins)
		if err != nil {
			t.Fatal(err)
		}
		res := h.tf(dir, "apply", "-auto-approve", "-input=false", "-no-color",
			"-var=max_admins=3", "-var=admin_allowlist="+string(allow))
		if res.exitCode != 0 {
			t.Fatalf("apply failed\n%s", res)
		}
		if strings.Contains(res.output(), "Check block assertion failed") {
			t.Errorf("a check failed for an organization that meets the policy\n%s", res)
		}
	})
}

// examples/members-into-iac: one terraform_data per member, keyed by login,
// with the member's login, role and email as input.
func TestAccExamples_membersIntoIaC(t *testing.T) {
	h, grants, _ := newExamplesDemoHarness(t)
	dir := h.copyExample("members-into-iac")

	res := h.tf(dir, "apply", "-auto-approve", "-input=false", "-no-color")
	if res.exitCode != 0 {
		t.Fatalf("apply failed\n%s", res)
	}
	examplesAssertContains(t, res, fmt.Sprintf("Apply complete! Resources: %d added, 0 changed, 0 destroyed.", len(grants)))

	show := h.tf(dir, "show", "-json", "-no-color")
	if show.exitCode != 0 {
		t.Fatalf("show -json failed\n%s", show)
	}
	var state struct {
		Values struct {
			Outputs map[string]struct {
				Value json.RawMessage `json:"value"`
			} `json:"outputs"`
			RootModule struct {
				Resources []struct {
					Address string `json:"address"`
					Type    string `json:"type"`
					Name    string `json:"name"`
					Index   string `json:"index"`
					Values  struct {
						Input map[string]*string `json:"input"`
					} `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(show.stdout), &state); err != nil {
		t.Fatalf("decoding show -json: %v\n%s", err, show.stdout)
	}

	got := map[string]map[string]*string{}
	for _, r := range state.Values.RootModule.Resources {
		if r.Type == "terraform_data" && r.Name == "member" {
			got[r.Index] = r.Values.Input
		}
	}
	if len(got) != len(grants) {
		t.Errorf("want %d terraform_data.member resources (one per member), got %d", len(grants), len(got))
	}
	for _, g := range grants {
		in, ok := got[g.Username]
		if !ok {
			t.Errorf("no terraform_data.member[%q]", g.Username)
			continue
		}
		wantEmail := "<null>"
		if g.Email != "" {
			wantEmail = g.Email
		}
		checks := []struct{ attr, want string }{
			{"login", g.Username}, {"role", NormalizeRole(g.Role)}, {"email", wantEmail},
		}
		for _, c := range checks {
			gotV := "<null>"
			if v := in[c.attr]; v != nil {
				gotV = *v
			}
			if gotV != c.want {
				t.Errorf("terraform_data.member[%q].input.%s = %q, want %q", g.Username, c.attr, gotV, c.want)
			}
		}
	}
	if out := strings.TrimSpace(string(state.Values.Outputs["member_count"].Value)); out != fmt.Sprint(len(grants)) {
		t.Errorf("output member_count = %s, want %d", out, len(grants))
	}
}

// examples/ci-assertion: check-admins.sh exits 1 with a message when the
// organization has more than MAX_ADMINS admins, and 0 otherwise.
func TestAccExamples_ciAssertion(t *testing.T) {
	h, _, _ := newExamplesDemoHarness(t)

	tests := []struct {
		maxAdmins string
		wantExit  int
		want      string
	}{
		{"2", 1, "check-admins: FAIL: the CircleCI organization has 3 admins; at most 2 are allowed (MAX_ADMINS)."},
		{"3", 0, "check-admins: OK: 3 admin(s); at most 3 are allowed."},
		{"10", 0, "check-admins: OK: 3 admin(s); at most 10 are allowed."},
		{"two", 2, "check-admins: MAX_ADMINS must be a whole number, not 'two'"},
	}
	for _, tc := range tests {
		t.Run("MAX_ADMINS="+tc.maxAdmins, func(t *testing.T) {
			h := *h
			h.t = t
			dir := h.copyExample("ci-assertion")
			// dev_overrides replace init, which would try to reach the registry.
			res := h.run(dir, []string{"TF_CLI=" + h.cli, "MAX_ADMINS=" + tc.maxAdmins, "SKIP_INIT=1"},
				filepath.Join(dir, "check-admins.sh"))
			if res.exitCode != tc.wantExit {
				t.Errorf("exit status %d, want %d\n%s", res.exitCode, tc.wantExit, res)
			}
			examplesAssertContains(t, res, tc.want)
		})
	}
}
