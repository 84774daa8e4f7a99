package provider

// Tests of examples/: every example runs against the fake CircleCI API with
// the demo fixture, through the CLI under test (TF_ACC_TERRAFORM_PATH).
// Examples that plain acceptance steps can drive use them (ConfigDirectory,
// the provider in-process); the CLI runner (acceptance_helpers_test.go) is
// kept for what they cannot show: the CI assertion's shell script, the
// warnings of check blocks, and a state with for_each string keys. Formatting is `make generate`'s job (CI fails on
// a diff).

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
	"github.com/circleci-access/terraform-provider-circleci/tools/cliharness"
)

// examplesTested is every folder under examples/ with .tf files, and the
// test that runs it; TestExamples_allTested fails when one is missing.
var examplesTested = map[string]string{
	"provider":                            "TestAccExamples_snippets",
	"data-sources/circleci_organizations": "TestAccExamples_snippets",
	"data-sources/circleci_org_members":   "TestAccExamples_snippets",
	"demo":                                "TestAccExamples_demo",
	"policy-check":                        "TestAccExamples_policyCheck, TestAccExamples_policyCheckWarns",
	"members-into-iac":                    "TestAccExamples_membersIntoIaC",
	"ci-assertion":                        "TestAccExamples_ciAssertion",
}

func examplesDir(rel string) string {
	return filepath.Join("..", "..", "examples", filepath.FromSlash(rel))
}

func TestExamples_allTested(t *testing.T) {
	base := examplesDir("")
	var untested []string
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
			if _, ok := examplesTested[filepath.ToSlash(rel)]; !ok {
				untested = append(untested, filepath.ToSlash(rel))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(untested)
	if len(untested) > 0 {
		t.Errorf("examples without a test (add one, and the folder to examplesTested): %v", untested)
	}
	for rel := range examplesTested {
		if _, err := os.Stat(examplesDir(rel)); err != nil {
			t.Errorf("examplesTested lists %s: %v", rel, err)
		}
	}
}

// demoOrganization is the demo fixture's first standalone organization, its
// role grants, and its admins' logins (three: the job examples' policies
// allow two).
func demoOrganization(t *testing.T, fx *fakeapi.Fixture) (string, []fakeapi.RoleGrant, []string) {
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
		if len(admins) != 3 {
			t.Fatalf("the demo organization must have 3 admins for these tests, has %d: %v", len(admins), admins)
		}
		return *c.ID, grants, admins
	}
	t.Fatal("the demo fixture has no standalone organization")
	return "", nil, nil
}

// useDemoFake configures the in-process provider from the environment, as
// the examples' empty provider blocks expect, for a fake API serving the demo
// fixture, and lets the examples' required_providers source
// (circleci-access/circleci) name the provider under test. Not parallel:
// it sets environment variables.
func useDemoFake(t *testing.T) (orgID string, grants []fakeapi.RoleGrant, admins []string) {
	t.Helper()
	fx := fakeapi.DemoFixture()
	orgID, grants, admins = demoOrganization(t, fx)
	s := fakeapi.New(fx)
	t.Cleanup(s.Close)
	clearProviderEnv(t)
	t.Setenv(EnvToken, fx.Token)
	t.Setenv(EnvHost, s.URL())
	t.Setenv(EnvOrgID, orgID)
	namespace, _, _ := strings.Cut(cliharness.Source, "/")
	t.Setenv(resource.EnvTfAccProviderNamespace, namespace)
	return orgID, grants, admins
}

func readExample(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(examplesDir(rel), filepath.Base(rel)+".tf"))
	if os.IsNotExist(err) {
		b, err = os.ReadFile(filepath.Join(examplesDir(rel), "data-source.tf"))
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The provider page's example and the data-source snippets shown next to
// it, applied together. The snippets' placeholder organization id becomes
// the fake's.
func TestAccExamples_snippets(t *testing.T) {
	orgID, _, admins := useDemoFake(t)
	provider := readExample(t, "provider")
	vars := config.Variables{"circleci_token": config.StringVariable("unused: the aliased provider is not used")}
	snippet := func(rel string) string {
		return provider + strings.ReplaceAll(readExample(t, rel), "3f1c7b4e-0d2a-4c5e-9b8f-1a2b3c4d5e6f", orgID)
	}
	sort.Strings(admins)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:          snippet("data-sources/circleci_organizations"),
			ConfigVariables: vars,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("standalone_organization_ids", knownvalue.ListPartial(map[int]knownvalue.Check{0: knownvalue.NotNull()})),
			},
		}, {
			Config:          snippet("data-sources/circleci_org_members"),
			ConfigVariables: vars,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("admin_count", knownvalue.Int64Exact(3)),
				statecheck.ExpectKnownOutputValue("admins", knownvalue.ListSizeExact(3)),
				statecheck.ExpectKnownOutputValue("admin_names", knownvalue.MapSizeExact(3)),
			},
		}},
	})
}

// examples/demo (`make demo`) applies and shows the organization.
func TestAccExamples_demo(t *testing.T) {
	orgID, grants, _ := useDemoFake(t)
	resource.Test(t, resource.TestCase{
		PreCheck: func() { testAccPreCheck(t) },
		Steps: []resource.TestStep{{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, // at the step: the example has a provider block
			ConfigDirectory:          config.StaticDirectory(examplesDir("demo")),
			ConfigVariables:          config.Variables{"organization_id": config.StringVariable(orgID)},
			ConfigStateChecks: []statecheck.StateCheck{
				// A header line, then one line per member.
				statecheck.ExpectKnownOutputValue("member_table", knownvalue.StringRegexp(
					regexp.MustCompile(fmt.Sprintf(`^LOGIN +ROLE +EMAIL(\n[^\n]+){%d}$`, len(grants))))),
			},
		}},
	})
}

// examples/policy-check: the precondition stops the plan while an admin is
// not on the allowlist, and nothing stops an organization that meets the
// policy.
func TestAccExamples_policyCheck(t *testing.T) {
	_, _, admins := useDemoFake(t)
	allow := make([]config.Variable, len(admins))
	for i, a := range admins {
		allow[i] = config.StringVariable(a)
	}
	resource.Test(t, resource.TestCase{
		PreCheck: func() { testAccPreCheck(t) },
		Steps: []resource.TestStep{{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, // at the step: the example has a provider block
			ConfigDirectory:          config.StaticDirectory(examplesDir("policy-check")),
			ExpectError:              expectError("Resource precondition failed", "Unexpected CircleCI admin(s): RKowalski."),
		}, {
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, // at the step: the example has a provider block
			ConfigDirectory:          config.StaticDirectory(examplesDir("policy-check")),
			ConfigVariables:          config.Variables{"max_admins": config.IntegerVariable(3), "admin_allowlist": config.SetVariable(allow...)},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("admin_count", knownvalue.Int64Exact(3)),
				statecheck.ExpectKnownValue("terraform_data.admin_policy", tfjsonpath.New("input"), knownvalue.ListSizeExact(3)),
			},
		}},
	})
}

// examples/policy-check: failed check blocks warn, with their messages, and
// do not stop the apply (terraform-plugin-testing does not show warnings:
// this one runs the CLI itself).
func TestAccExamples_policyCheckWarns(t *testing.T) {
	r := newCLIRunner(t)
	fx := fakeapi.DemoFixture()
	orgID, _, _ := demoOrganization(t, fx)
	r.useFake(fx, orgID)
	dir := r.copyExample("policy-check")
	res := r.tf(dir, "apply", "-auto-approve", "-input=false", "-no-color", "-var=enforce_allowlist=false")
	if res.exitCode != 0 {
		t.Fatalf("apply failed; a failed check must only warn\n%s", res)
	}
	res.assertContains(t,
		"Warning: Check block assertion failed",
		"Too many CircleCI admins: 3 (jdoe, mchen, RKowalski); the policy allows at most 2.",
		"CircleCI admins not on the allowlist: RKowalski.",
	)
	if n := strings.Count(res.output(), "Check block assertion failed"); n != 2 {
		t.Errorf("want 2 failed checks, got %d\n%s", n, res)
	}
}

// examples/members-into-iac: one terraform_data per member, keyed by login,
// with the member's login, role and email as input. (The CLI runner, because
// terraform-plugin-testing cannot read a state with for_each string keys:
// "unexpected index type (string) ... for_each is not supported".)
func TestAccExamples_membersIntoIaC(t *testing.T) {
	r := newCLIRunner(t)
	fx := fakeapi.DemoFixture()
	orgID, grants, _ := demoOrganization(t, fx)
	r.useFake(fx, orgID)
	dir := r.copyExample("members-into-iac")

	res := r.tf(dir, "apply", "-auto-approve", "-input=false", "-no-color")
	if res.exitCode != 0 {
		t.Fatalf("apply failed\n%s", res)
	}
	res.assertContains(t, fmt.Sprintf("Apply complete! Resources: %d added, 0 changed, 0 destroyed.", len(grants)))

	show := r.tf(dir, "show", "-json", "-no-color")
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
					Type   string `json:"type"`
					Name   string `json:"name"`
					Index  string `json:"index"`
					Values struct {
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
	str := func(p *string) string {
		if p == nil {
			return "<null>"
		}
		return *p
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
		for attr, want := range map[string]string{"login": g.Username, "role": NormalizeRole(g.Role), "email": wantEmail} {
			if v := str(in[attr]); v != want {
				t.Errorf("terraform_data.member[%q].input.%s = %q, want %q", g.Username, attr, v, want)
			}
		}
	}
	if out := strings.TrimSpace(string(state.Values.Outputs["member_count"].Value)); out != fmt.Sprint(len(grants)) {
		t.Errorf("output member_count = %s, want %d", out, len(grants))
	}
}

// examples/ci-assertion: check-admins.sh exits 1 with a message when the
// organization has more than MAX_ADMINS admins, 0 otherwise, and 2 when it
// cannot count.
func TestAccExamples_ciAssertion(t *testing.T) {
	r := newCLIRunner(t)
	fx := fakeapi.DemoFixture()
	orgID, _, _ := demoOrganization(t, fx)
	r.useFake(fx, orgID)
	tests := []struct {
		maxAdmins string
		wantExit  int
		want      string
	}{
		{"2", 1, "check-admins: FAIL: the CircleCI organization has 3 admins; at most 2 are allowed (MAX_ADMINS)."},
		{"3", 0, "check-admins: OK: 3 admin(s); at most 3 are allowed."},
		{"two", 2, "check-admins: MAX_ADMINS must be a whole number, not 'two'"},
	}
	for _, tc := range tests {
		t.Run("MAX_ADMINS="+tc.maxAdmins, func(t *testing.T) {
			r := *r
			r.t = t
			dir := r.copyExample("ci-assertion")
			// dev_overrides replace init, which would try to reach the registry.
			res := r.run(dir, []string{"TF_CLI=" + r.cli, "MAX_ADMINS=" + tc.maxAdmins, "SKIP_INIT=1"}, filepath.Join(dir, "check-admins.sh"))
			if res.exitCode != tc.wantExit {
				t.Errorf("exit status %d, want %d\n%s", res.exitCode, tc.wantExit, res)
			}
			res.assertContains(t, tc.want)
		})
	}
}

// The CLI harness installs the provider under the address main.go serves.
func TestExamples_harnessSource(t *testing.T) {
	if cliharness.Source != registryPath {
		t.Errorf("tools/cliharness.Source = %q, the provider serves %q", cliharness.Source, registryPath)
	}
}
