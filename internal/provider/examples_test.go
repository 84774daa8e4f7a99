package provider

// Tests of examples/: every example runs against the fake CircleCI API with
// the demo fixture, through the CLI under test (TF_ACC_TERRAFORM_PATH).
// Examples that plain acceptance steps can drive use them (ConfigDirectory,
// the provider in-process); the CLI runner (acceptance_helpers_test.go) is
// kept for what they cannot show: the CI assertion's shell script, the
// warnings of check blocks, and a state with for_each string keys.
// Formatting is `make generate`'s job (CI fails on a diff).

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
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

// examplesTested is every folder under examples/ with .tf files that no test
// names by its folder, and the test that runs it; TestExamples_allTested
// fails when one is missing. (The data sources' examples are named by their
// snippet tests: they need no line here.)
var examplesTested = map[string]string{
	"provider":                 "TestAccExamples_snippets, TestAccExamples_providerAsPasted",
	"demo":                     "TestAccExamples_demo",
	"policy-check":             "TestAccExamples_policyCheck, TestAccExamples_policyCheckWarns",
	"policy-as-code":           "TestAccExamples_policyAsCode",
	"beside-official-provider": "TestAccExamples_besideOfficialProvider",
	"members-into-iac":         "TestAccExamples_membersIntoIaC",
	"ci-assertion":             "TestAccExamples_ciAssertion",
	"context-policy":           "TestAccExamples_contextPolicy",
	"access-policy":            "TestAccExamples_accessPolicy",
	"break-glass":              "TestAccExamples_breakGlass",
	"credentials-policy":       "TestAccExamples_credentialsPolicy",
	"settings-policy":          "TestAccExamples_settingsPolicy",
	"modules/guardrails":       "TestAccExamples_guardrails",
	"guardrails":               "TestAccExamples_guardrailsExample",
}

func examplesDir(rel string) string {
	return filepath.Join("..", "..", "examples", filepath.FromSlash(rel))
}

// exampleTested reports whether a test runs the example folder rel: it is in
// examplesTested, or a test of this package names it ("data-sources/circleci_widgets"
// in readExample, "widgets-policy" in copyExample), which needs no line there.
func exampleTested(t *testing.T, rel string) bool {
	t.Helper()
	if _, ok := examplesTested[rel]; ok {
		return true
	}
	tests, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range tests {
		b, err := os.ReadFile(f) //nolint:gosec // G304: a file of this package
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), `"`+rel+`"`) {
			return true
		}
	}
	return false
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
			rel = filepath.ToSlash(rel)
			if !exampleTested(t, rel) {
				untested = append(untested, rel)
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

// guideInclude is a file a guide template includes: {{ tffile "…" }} or
// {{ codefile "lang" "…" }}.
var guideInclude = regexp.MustCompile(`\{\{-?\s*(?:tffile|codefile\s+"[^"]*")\s+"([^"]+)"\s*-?\}\}`)

// Every HCL block of a guide is an example file that a test runs: no guide
// template writes HCL inline, and each file it includes lies in a folder of
// examplesTested.
func TestExamples_guidesTested(t *testing.T) {
	templates, err := filepath.Glob(filepath.Join("..", "..", "templates", "guides", "*.md.tmpl"))
	if err != nil || len(templates) == 0 {
		t.Fatalf("no guide templates found (%v)", err)
	}
	for _, tmpl := range templates {
		b, err := os.ReadFile(tmpl) //nolint:gosec // G304: a file of templates/
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		name := filepath.Base(tmpl)
		for _, fence := range []string{"```terraform", "```hcl", "```tf"} {
			if strings.Contains(text, fence) {
				t.Errorf("%s has an inline %s block: include an example file with {{ tffile }} instead", name, fence)
			}
		}
		includes := guideInclude.FindAllStringSubmatch(text, -1)
		if len(includes) == 0 {
			t.Errorf("%s includes no example file", name)
		}
		for _, m := range includes {
			rel, ok := strings.CutPrefix(m[1], "examples/")
			if !ok {
				t.Errorf("%s includes %s, which is not under examples/", name, m[1])
				continue
			}
			if _, err := os.Stat(examplesDir(rel)); err != nil {
				t.Errorf("%s includes %s: %v", name, m[1], err)
			}
			if dir := strings.SplitN(path.Dir(rel), "/", 2)[0]; !exampleTested(t, dir) && !exampleTested(t, path.Dir(rel)) {
				t.Errorf("%s includes %s, whose folder no test runs (examplesTested)", name, m[1])
			}
		}
	}
}

// allMembersRestriction opens a context to all members: the "All members"
// group restriction, whose value is the organization's id. (A context with
// no group restriction is for org admins only.)
func allMembersRestriction(orgID string) []fakeapi.Restriction {
	name := "All members"
	return []fakeapi.Restriction{{ID: "e7e7e7e7-0000-4000-8000-0000000000a1", Type: "group", Value: orgID, Name: &name}}
}

// demoOrganization is the demo fixture's first standalone organization, its
// role grants, and its admins' logins (four: three org-admins and
// sec-audit-bot, whose org-security-auditor role the provider does not
// recognise and so counts as admin; the job examples' policies allow two).
func demoOrganization(t *testing.T, fx *fakeapi.Fixture) (string, []fakeapi.RoleGrant, []string) {
	t.Helper()
	for _, c := range fx.Collaborations {
		if c.VCSType != "circleci" || c.ID == nil {
			continue
		}
		grants := fx.Members[*c.ID]
		var admins []string
		for _, g := range grants {
			if roleRank(NormalizeRole(g.Role)) == rankAdmin {
				admins = append(admins, g.Username)
			}
		}
		if len(admins) != 4 {
			t.Fatalf("the demo organization must have 4 admins for these tests, has %d: %v", len(admins), admins)
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
	s := newFixtureServer(t, fx)
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
	b, err := os.ReadFile(filepath.Join(examplesDir(rel), filepath.Base(rel)+".tf")) //nolint:gosec // G304: a file of examples/
	if os.IsNotExist(err) {
		b, err = os.ReadFile(filepath.Join(examplesDir(rel), "data-source.tf")) //nolint:gosec // G304: a file of examples/
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
				// Three org-admins and sec-audit-bot, whose unrecognised role counts as admin.
				statecheck.ExpectKnownOutputValue("admin_count", knownvalue.Int64Exact(4)),
				statecheck.ExpectKnownOutputValue("admins", knownvalue.ListSizeExact(4)),
				statecheck.ExpectKnownOutputValue("admin_names", knownvalue.MapSizeExact(4)),
			},
		}, {
			Config:          snippet("data-sources/circleci_groups"),
			ConfigVariables: vars,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("group_ids", knownvalue.MapPartial(map[string]knownvalue.Check{"release-managers": knownvalue.NotNull()})),
				statecheck.ExpectKnownOutputValue("group_members", knownvalue.MapPartial(map[string]knownvalue.Check{"release-managers": knownvalue.NotNull()})),
			},
		}, {
			Config:          snippet("data-sources/circleci_contexts"),
			ConfigVariables: vars,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("contexts_with_incomplete_variable_names", stringList("monorepo-settings")),
				statecheck.ExpectKnownOutputValue("prod_restricted_to_groups", knownvalue.ListSizeExact(1)),
			},
		}, {
			Config:          snippet("data-sources/circleci_projects"),
			ConfigVariables: vars,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("project_slugs", knownvalue.MapPartial(map[string]knownvalue.Check{
					"payments-api": knownvalue.StringExact("circleci/a8d449aa-dbf3-4d64-9eb9-0982ba339340/0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6"),
				})),
			},
		}, {
			Config:          snippet("data-sources/circleci_project_members"),
			ConfigVariables: vars,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("project_admin_groups", stringList("release-managers")),
			},
		}, {
			Config:          snippet("data-sources/circleci_org_access"),
			ConfigVariables: vars,
			ConfigStateChecks: []statecheck.StateCheck{
				// Org admins, sec-audit-bot (an unrecognised role) and the payments-api admins through release-managers.
				statecheck.ExpectKnownOutputValue("admin_ids", knownvalue.ListSizeExact(7)),
				statecheck.ExpectKnownOutputValueAtPath("project_admins", tfjsonpath.New("0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6"), knownvalue.ListSizeExact(7)),
				// slack-notify has no group restriction: org admins only (and sec-audit-bot, counted as one).
				statecheck.ExpectKnownOutputValueAtPath("context_users", tfjsonpath.New("b13d7c8e-ef00-4ec1-b293-806f5e4d3c37").AtMapKey("admins_only"), knownvalue.Bool(true)),
				statecheck.ExpectKnownOutputValueAtPath("context_users", tfjsonpath.New("b13d7c8e-ef00-4ec1-b293-806f5e4d3c37").AtMapKey("users"), knownvalue.ListSizeExact(4)),
				// aws-production has an expression restriction.
				statecheck.ExpectKnownOutputValueAtPath("context_users", tfjsonpath.New("8e0a4f5b-bc7d-4b9e-8f60-5d4c3b2a1f04").AtMapKey("conditional"), knownvalue.Bool(true)),
				statecheck.ExpectKnownOutputValue("context_reasons", knownvalue.MapPartial(map[string]knownvalue.Check{})),
			},
		}},
	})
}

// examples/demo (`make demo`) applies and shows the organization. (The CLI
// runner: the demo calls the guardrails module, and terraform-plugin-testing
// reads no state with a module in it: "Modules are not supported".)
func TestAccExamples_demo(t *testing.T) {
	r := newCLIRunner(t)
	fx := fakeapi.DemoFixture()
	orgID, grants, _ := demoOrganization(t, fx)
	r.useFake(fx, orgID)
	dir := copyExampleWithModules(t, r, "demo")
	if res := r.tf(dir, "apply", "-auto-approve", "-input=false", "-no-color", "-var=organization_id="+orgID); res.exitCode != 0 {
		t.Fatalf("apply failed\n%s", res)
	}
	outputs := demoOutputs(t, r, dir)
	for name, re := range map[string]*regexp.Regexp{
		// A header line, then one line per member.
		"member_table": regexp.MustCompile(fmt.Sprintf(`^LOGIN +ROLE +EMAIL(\n[^\n]+){%d}$`, len(grants))),
		// One line per context: slack-notify has no group restriction (admins only),
		// aws-production an expression (conditional), and each names its editors.
		"context_table": regexp.MustCompile(
			`(?s)^CONTEXT +GROUPS +CONDITIONAL +USERS +EDITORS\n.*aws-production +restricted +yes .*\n.*slack-notify +admins only +no `),
		// One line per secret: web-frontend passes its variables to forks,
		// payments-api allows SSH reruns, and web-frontend's nightly
		// schedule runs as an org admin (mchen).
		"exposure_table": regexp.MustCompile(
			`(?s)^SECRET +READERS +EDITORS +SSH +FORKS +SCHEDULE ACTORS\ncontext:aws-production +\d+ +\d+ +[1-9]\d* +no .*\nproject:payments-api +\d+ +\d+ +[1-9]\d* +no +.*schedule-trigger deploy as system\nproject:web-frontend +\d+ +\d+ +0 +yes +schedule nightly-e2e as mchen, schedule weekly-deps as system$`),
		// The module's violations: the all-scope token, the fork-exposed
		// secrets, the admin's schedule, too many admins (sec-audit-bot's
		// unrecognised role counts as admin), SSH on aws-production, no SSO.
		"guardrail_violations": regexp.MustCompile(
			`(?s)^RULE +SUBJECT +DETAIL\nforbid_all_scope_tokens +project:payments-api +holds the API token 9c1f0e7a2b .*\nforbid_fork_secrets +project:web-frontend .*\nforbid_schedules_as_admin +schedule:nightly-e2e +runs as the org admin mchen .*\nmax_admins +organization:acme-platform +7 admins .*\nprotected_contexts +context:aws-production +\d+ people can read it in an SSH rerun.*\nrequire_sso +organization:acme-platform +SAML single sign-on is not enforced$`),
	} {
		var v string
		if err := json.Unmarshal(outputs[name], &v); err != nil {
			t.Errorf("output %s: %v", name, err)
			continue
		}
		if !re.MatchString(v) {
			t.Errorf("output %s does not match %s:\n%s", name, re, v)
		}
	}
}

// demoAdminIDs is the ids of the demo organization's admins, by login.
func demoAdminIDs(grants []fakeapi.RoleGrant) map[string]string {
	ids := map[string]string{}
	for _, g := range grants {
		if roleRank(NormalizeRole(g.Role)) == rankAdmin { // sec-audit-bot's unrecognised role too
			ids[g.Username] = g.UserID
		}
	}
	return ids
}

// examples/policy-check: the postcondition stops the plan while an admin is
// not on the allowlist (by user id), and nothing stops an organization that
// meets the policy, with ids compared without case.
func TestAccExamples_policyCheck(t *testing.T) {
	_, grants, admins := useDemoFake(t)
	ids := demoAdminIDs(grants)
	allow := make([]config.Variable, len(admins))
	for i, a := range admins {
		allow[i] = config.StringVariable(strings.ToUpper(ids[a]))
	}
	resource.Test(t, resource.TestCase{
		PreCheck: func() { testAccPreCheck(t) },
		Steps: []resource.TestStep{{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, // at the step: the example has a provider block
			ConfigDirectory:          config.StaticDirectory(examplesDir("policy-check")),
			ConfigVariables:          config.Variables{"admin_allowlist": config.SetVariable(config.StringVariable(ids["jdoe"]), config.StringVariable(ids["mchen"]))},
			ExpectError: expectError("Resource postcondition failed", "Unexpected CircleCI admin(s): RKowalski ("+ids["RKowalski"]+"), "+
				"sec-audit-bot ("+ids["sec-audit-bot"]+")."),
		}, {
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			ConfigDirectory:          config.StaticDirectory(examplesDir("policy-check")),
			ConfigVariables:          config.Variables{"max_admins": config.IntegerVariable(4), "admin_allowlist": config.SetVariable(allow...)},
			// Data sources scoped in check blocks are read again at every
			// apply, so a plan is never empty.
			ExpectNonEmptyPlan: true,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("admin_count", knownvalue.Int64Exact(4)),
			},
		}},
	})
}

// examples/policy-check: failed check blocks warn, with their messages, and
// do not stop the plan (terraform-plugin-testing does not show warnings:
// this one runs the CLI itself). Regression: "set enforce_allowlist = false
// to keep only the warning" still exited 1 when CircleCI could not be read,
// because the postcondition's data source read it outside a check block.
func TestAccExamples_policyCheckWarns(t *testing.T) {
	fx := fakeapi.DemoFixture()
	orgID, grants, _ := demoOrganization(t, fx)
	ids := demoAdminIDs(grants)
	allow := fmt.Sprintf(`-var=admin_allowlist=[%q,%q]`, ids["jdoe"], strings.ToUpper(ids["mchen"]))

	t.Run("warn only", func(t *testing.T) {
		r := newCLIRunner(t)
		r.useFake(fx, orgID)
		dir := r.copyExample("policy-check")
		res := r.tf(dir, "plan", "-input=false", "-no-color", "-var=enforce_allowlist=false", allow)
		if res.exitCode != 0 {
			t.Fatalf("plan failed; a failed check must only warn\n%s", res)
		}
		res.assertContains(t,
			"Warning: Check block assertion failed",
			fmt.Sprintf("Too many CircleCI admins: 4 (jdoe (%s), mchen (%s), RKowalski (%s), sec-audit-bot (%s)); the policy allows at most 2.",
				ids["jdoe"], ids["mchen"], ids["RKowalski"], ids["sec-audit-bot"]),
			fmt.Sprintf("CircleCI admins not on the allowlist: RKowalski (%s), sec-audit-bot (%s).", ids["RKowalski"], ids["sec-audit-bot"]),
		)
		if n := strings.Count(res.output(), "Check block assertion failed"); n != 2 {
			t.Errorf("want 2 failed checks, got %d\n%s", n, res)
		}
		if states, _ := filepath.Glob(filepath.Join(dir, "*.tfstate*")); len(states) > 0 {
			t.Errorf("plan left state: %v", states)
		}
	})

	// CircleCI answers 500 to the members listing, without retries.
	failing := func(t *testing.T) (*cliRunner, string) {
		r := newCLIRunner(t)
		s := r.useFake(fx, orgID)
		s.Inject(fakeapi.Fault{Path: fakeapi.RoleGrantsPath(orgID), Times: -1, Status: http.StatusInternalServerError, Body: `{"message":"Internal server error."}`})
		r.extra = append(r.extra, EnvMaxRetries+"=0")
		return r, r.copyExample("policy-check")
	}
	t.Run("warn only, CircleCI down: exit 0", func(t *testing.T) {
		r, dir := failing(t)
		res := r.tf(dir, "plan", "-input=false", "-no-color", "-var=enforce_allowlist=false", allow)
		if res.exitCode != 0 {
			t.Fatalf("with enforce_allowlist = false, a failed read must only warn\n%s", res)
		}
		res.assertContains(t, "Warning: ", "CircleCI Server Error")
	})
	// A GitHub organization: CircleCI does not list its members (403).
	githubOrg := ""
	for _, c := range fx.Collaborations {
		if c.VCSType == "github" && c.ID != nil {
			githubOrg = *c.ID
		}
	}
	t.Run("warn only, GitHub organization: exit 0", func(t *testing.T) {
		r := newCLIRunner(t)
		r.useFake(fx, githubOrg)
		dir := r.copyExample("policy-check")
		res := r.tf(dir, "plan", "-input=false", "-no-color", "-var=enforce_allowlist=false", allow)
		if res.exitCode != 0 {
			t.Fatalf("with enforce_allowlist = false, an unreadable organization must only warn\n%s", res)
		}
		res.assertContains(t, "Warning: ", "CircleCI Denied Access to Organization Members", "GitHub")
	})
	t.Run("enforce, GitHub organization: exit 1", func(t *testing.T) {
		r := newCLIRunner(t)
		r.useFake(fx, githubOrg)
		dir := r.copyExample("policy-check")
		if res := r.tf(dir, "plan", "-input=false", "-no-color", allow); res.exitCode != 1 {
			t.Fatalf("exit %d, want 1: members CircleCI does not list cannot pass a policy\n%s", res.exitCode, res)
		}
	})
	t.Run("enforce, CircleCI down: exit 1", func(t *testing.T) {
		r, dir := failing(t)
		res := r.tf(dir, "plan", "-input=false", "-no-color", allow)
		if res.exitCode != 1 {
			t.Fatalf("with enforce_allowlist = true, a failed read must fail the plan: exit %d\n%s", res.exitCode, res)
		}
		res.assertContains(t, "CircleCI Server Error")
	})
}

// examples/members-into-iac: one terraform_data per member keyed by user id,
// with login, role and lower-cased email; the admins' GitHub logins
// (vcs_login) keyed by id. (The CLI runner, because terraform-plugin-testing
// cannot read a state with for_each string keys: "unexpected index type
// (string) ... for_each is not supported".)
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
	show := r.tf(dir, "show", "-json", "-no-color")
	if show.exitCode != 0 {
		t.Fatalf("show -json failed\n%s", show)
	}
	var state struct {
		Values struct {
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
	got := map[string]map[string]map[string]*string{} // resource name -> key -> input
	for _, r := range state.Values.RootModule.Resources {
		if r.Type == "terraform_data" {
			if got[r.Name] == nil {
				got[r.Name] = map[string]map[string]*string{}
			}
			got[r.Name][r.Index] = r.Values.Input
		}
	}
	str := func(p *string) string {
		if p == nil {
			return "<null>"
		}
		return *p
	}
	vcsLogin := map[string]string{}
	for _, u := range fx.Users {
		vcsLogin[u.ID] = u.Login
	}
	vcsLogin[fx.Me.ID] = fx.Me.Login
	wantGitHub := 0
	for _, g := range grants {
		in, ok := got["member"][g.UserID]
		if !ok {
			t.Errorf("no terraform_data.member[%q] (%s)", g.UserID, g.Username)
			continue
		}
		wantEmail := "<null>"
		if g.Email != "" {
			wantEmail = strings.ToLower(g.Email)
		}
		for attr, want := range map[string]string{"login": g.Username, "role": NormalizeRole(g.Role), "email": wantEmail} {
			if v := str(in[attr]); v != want {
				t.Errorf("terraform_data.member[%q].input.%s = %q, want %q", g.UserID, attr, v, want)
			}
		}
		if g.Role == "org-admin" && vcsLogin[g.UserID] != "" {
			wantGitHub++
			if v := str(got["github_team_membership"][g.UserID]["username"]); v != vcsLogin[g.UserID] {
				t.Errorf("terraform_data.github_team_membership[%q].input.username = %q, want the GitHub login %q", g.UserID, v, vcsLogin[g.UserID])
			}
		}
	}
	if len(got["member"]) != len(grants) || len(got["github_team_membership"]) != wantGitHub || wantGitHub == 0 {
		t.Errorf("%d members and %d GitHub memberships, want %d and %d (> 0)", len(got["member"]), len(got["github_team_membership"]), len(grants), wantGitHub)
	}
}

// examples/ci-assertion: check-admins.sh plans only (no state is written)
// and exits 1 when the organization has more than MAX_ADMINS admins, 0
// otherwise, and 2 when it cannot count. Regression: it grepped the
// postcondition's message to tell a violation from a read failure; it now
// decides by plan's -detailed-exitcode alone (a script that greps nothing).
func TestAccExamples_ciAssertion(t *testing.T) {
	r := newCLIRunner(t)
	fx := fakeapi.DemoFixture()
	orgID, _, _ := demoOrganization(t, fx)
	r.useFake(fx, orgID)
	script, err := os.ReadFile(filepath.Join(r.root, "examples", "ci-assertion", "check-admins.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(script), "grep") {
		t.Error("check-admins.sh greps: it must decide by exit codes, never by message text")
	}
	tests := []struct {
		name, maxAdmins string
		env             []string
		wantExit        int
		want            []string
	}{
		// Four admins: three org-admins and sec-audit-bot, whose unrecognised role counts as admin.
		{"over the limit", "3", nil, 1, []string{"terraform_data.too_many_admins[0] will be created", "admin_count = 4",
			"check-admins: FAIL: the CircleCI organization has more than 3 admins (MAX_ADMINS)"}},
		{"within the limit", "4", nil, 0, []string{"check-admins: OK: at most 4 admin(s)."}},
		{"not a number", "two", nil, 2, []string{"check-admins: MAX_ADMINS must be a whole number, not 'two'"}},
		{"unreadable", "3", []string{EnvToken + "=not-the-token"}, 2, []string{"CircleCI Rejected the API Token", "failed with exit status 1", "could not be counted"}},
		{"unreadable, and over the limit if it could be read", "0", []string{EnvToken + "=not-the-token"}, 2, []string{"CircleCI Rejected the API Token", "could not be counted"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := *r
			r.t = t
			dir := r.copyExample("ci-assertion")
			// dev_overrides replace init, which would try to reach the registry.
			env := append([]string{"TF_CLI=" + r.cli, "MAX_ADMINS=" + tc.maxAdmins, "SKIP_INIT=1"}, tc.env...)
			res := r.run(dir, env, filepath.Join(dir, "check-admins.sh"))
			if res.exitCode != tc.wantExit {
				t.Errorf("exit status %d, want %d\n%s", res.exitCode, tc.wantExit, res)
			}
			res.assertContains(t, tc.want...)
			if states, _ := filepath.Glob(filepath.Join(dir, "*.tfstate*")); len(states) > 0 {
				t.Errorf("the CI assertion left state on the runner: %v", states)
			}
		})
	}
}

// examples/policy-as-code: plan, show -json, then OPA's decision on it:
// the allowlist in policy/data.json lacks one admin (deny, with the reason),
// and an allowlist with every admin, in another case, allows.
func TestAccExamples_policyAsCode(t *testing.T) {
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skip("acceptance test: set TF_ACC=1 and TF_ACC_TERRAFORM_PATH (make test / make testacc)")
	}
	opa := os.Getenv("OPA_PATH")
	if opa == "" {
		t.Fatal("OPA_PATH must name the opa binary; run `make test` or `make testacc`, which build it")
	}

	// planJSON plans the example on the fake serving fx and returns the path
	// of the saved plan's JSON.
	planJSON := func(t *testing.T, r *cliRunner, fx *fakeapi.Fixture, orgID string) string {
		t.Helper()
		r.useFake(fx, orgID)
		dir := r.copyExample("policy-as-code")
		if res := r.tf(dir, "plan", "-input=false", "-no-color", "-out=plan.tfplan"); res.exitCode != 0 {
			t.Fatalf("plan failed\n%s", res)
		}
		show := r.tf(dir, "show", "-json", "plan.tfplan")
		if show.exitCode != 0 {
			t.Fatalf("show -json failed\n%s", show)
		}
		p := filepath.Join(dir, "plan.json")
		if err := os.WriteFile(p, []byte(show.stdout), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// decide evaluates the package (e.g. "admins") of the policies and data
	// files on the plan's JSON.
	decide := func(t *testing.T, r *cliRunner, plan, pkg string, data ...string) (allow bool, deny []string) {
		t.Helper()
		args := []string{"eval", "--format", "json", "-i", plan}
		for _, d := range data {
			args = append(args, "-d", d)
		}
		res := r.run(filepath.Dir(plan), nil, opa, append(args, "data.circleci."+pkg)...)
		if res.exitCode != 0 {
			t.Fatalf("opa eval failed\n%s", res)
		}
		var out struct {
			Result []struct {
				Expressions []struct {
					Value struct {
						Allow bool     `json:"allow"`
						Deny  []string `json:"deny"`
					} `json:"value"`
				} `json:"expressions"`
			} `json:"result"`
		}
		if err := json.Unmarshal([]byte(res.stdout), &out); err != nil || len(out.Result) != 1 || len(out.Result[0].Expressions) != 1 {
			t.Fatalf("unexpected opa output (%v):\n%s", err, res.stdout)
		}
		v := out.Result[0].Expressions[0].Value
		return v.Allow, v.Deny
	}

	r := newCLIRunner(t)
	policy := filepath.Join(r.root, "examples", "policy-as-code", "policy")
	fx := fakeapi.DemoFixture()
	orgID, grants, admins := demoOrganization(t, fx)
	plan := planJSON(t, r, fx, orgID)

	t.Run("admins", func(t *testing.T) {
		allow, deny := decide(t, r, plan, "admins", policy)
		if want := []string{"RKowalski (f7a4f3c3-badb-4fad-b09b-64e285d9c7e9) is a CircleCI organization admin but not on the admin allowlist"}; allow || !slices.Equal(deny, want) {
			t.Errorf("with policy/data.json: allow = %v, deny = %q; want false, %q", allow, deny, want)
		}

		everyone := filepath.Join(t.TempDir(), "everyone.json")
		ids := demoAdminIDs(grants)
		list, err := json.Marshal(map[string]any{"circleci": map[string]any{"admin_allowlist": []string{ids[admins[0]], strings.ToUpper(ids[admins[1]]), ids[admins[2]]}}})
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(everyone, list, 0o600); err != nil {
			t.Fatal(err)
		}
		if allow, deny := decide(t, r, plan, "admins", filepath.Join(policy, "circleci_admins.rego"), everyone); !allow || len(deny) != 0 {
			t.Errorf("with every admin allowed: allow = %v, deny = %q; want true and no reason", allow, deny)
		}
	})

	t.Run("contexts", func(t *testing.T) {
		// The demo's open contexts (npm-publish, slack-notify) hold no cloud credential.
		if allow, deny := decide(t, r, plan, "contexts", policy); !allow || len(deny) != 0 {
			t.Errorf("on the demo organization: allow = %v, deny = %q; want true and no reason", allow, deny)
		}

		// gcp-staging (a GCP key) and monorepo-settings (names past the first
		// 100 not read) opened to all members.
		r := newCLIRunner(t)
		fx := fakeapi.DemoFixture()
		orgID, _, _ := demoOrganization(t, fx)
		opened := 0
		for i, c := range fx.Contexts[orgID] {
			if c.Name == "gcp-staging" || c.Name == "monorepo-settings" {
				fx.Contexts[orgID][i].Restrictions = allMembersRestriction(orgID) // open to all members
				opened++
			}
		}
		if opened != 2 {
			t.Fatalf("the demo fixture must have the contexts gcp-staging and monorepo-settings, has %d of them", opened)
		}
		allow, deny := decide(t, r, planJSON(t, r, fx, orgID), "contexts", policy)
		want := []string{
			"context gcp-staging holds the cloud credential GCP_SERVICE_ACCOUNT_KEY and is open to all members",
			"context monorepo-settings is open to all members and its variable names were not all read",
		}
		if allow || !slices.Equal(deny, want) {
			t.Errorf("with gcp-staging and monorepo-settings open: allow = %v, deny = %q; want false, %q", allow, deny, want)
		}
	})

	// The Rego policy and its HCL twin (examples/context-policy,
	// TestAccExamples_contextPolicy) deny the same context on the
	// adversarial data: open to all members, with a credential past the
	// names CircleCI gave.
	t.Run("contexts, adversarial data", func(t *testing.T) {
		r := newCLIRunner(t)
		fx, orgID := adversarialFixture(t)
		allow, deny := decide(t, r, planJSON(t, r, fx, orgID), "contexts", policy)
		want := []string{"context monorepo-settings is open to all members and its variable names were not all read"}
		if allow || !slices.Equal(deny, want) {
			t.Errorf("allow = %v, deny = %q; want false, %q", allow, deny, want)
		}
	})
}

// The CLI harness installs the provider under the address main.go serves.
func TestExamples_harnessSource(t *testing.T) {
	if cliharness.Source != registryPath {
		t.Errorf("tools/cliharness.Source = %q, the provider serves %q", cliharness.Source, registryPath)
	}
}

// examples/beside-official-provider: under the local name circleci-access,
// with provider = on the data source, this provider reads the members while
// the official provider holds the name "circleci". (The official provider
// cannot be downloaded here; the provider under test stands in for it, and
// the CLI never starts it, as nothing uses it.)
func TestAccExamples_besideOfficialProvider(t *testing.T) {
	r := newCLIRunner(t)
	r.standIn("CircleCI-Public/circleci")
	fx := fakeapi.DemoFixture()
	orgID, _, admins := demoOrganization(t, fx)
	r.useFake(fx, "")
	slug := ""
	for _, c := range fx.Collaborations {
		if c.ID != nil && *c.ID == orgID {
			slug = c.Slug
		}
	}
	dir := r.copyExample("beside-official-provider")
	// The stand-in answers for both sources, so only the text can show that
	// every data source names this provider.
	b, err := os.ReadFile(filepath.Join(dir, "main.tf")) //nolint:gosec // G304: the test's copy of the example
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile(`(?m)^data "circleci_[a-z_]+" "[^"]+" \{\n  provider += circleci-access\n`).FindAllString(string(b), -1)
	if all := strings.Count(string(b), "\ndata \"circleci_"); len(blocks) != all || all < 2 {
		t.Errorf("%d of the example's %d circleci_* data sources start with provider = circleci-access", len(blocks), all)
	}
	res, out := r.planOutputs(dir, "-var=organization_slug="+slug)
	if res.exitCode != 0 {
		t.Fatalf("plan failed\n%s", res)
	}
	var got []string
	if err := json.Unmarshal(out["admins"], &got); err != nil {
		t.Fatalf("output admins: %v\n%s", err, res)
	}
	sort.Strings(got)
	sort.Strings(admins)
	if !slices.Equal(got, admins) {
		t.Errorf("admins = %q, want %q", got, admins)
	}
}
