package provider

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// guardrailViolation is one entry of the guardrails module's violations
// output, and of its OPA twin's.
type guardrailViolation struct {
	Rule        string `json:"rule"`
	SubjectKind string `json:"subject_kind"`
	SubjectID   string `json:"subject_id"`
	SubjectName string `json:"subject_name"`
	Detail      string `json:"detail"`
}

func (v guardrailViolation) String() string {
	return fmt.Sprintf("%s: %s %s (%s): %s", v.Rule, v.SubjectKind, v.SubjectName, v.SubjectID, v.Detail)
}

// guardrailsRoot writes a root module calling examples/modules/guardrails
// (by its absolute path) with inputs (HCL attribute lines) and enforce, and
// installs the module (`get`: dev_overrides stand for the provider, so no
// init). It returns the directory.
func guardrailsRoot(t *testing.T, r *cliRunner, enforce bool, inputs map[string]any) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(r.root, "examples", "modules", "guardrails")
	names := slices.Sorted(maps.Keys(inputs))
	var lines strings.Builder
	for _, name := range names {
		// A JSON value is an HCL expression: objects take "key": value.
		b, err := json.Marshal(inputs[name])
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&lines, "  %s = %s\n", name, b)
	}
	hcl := fmt.Sprintf(`module "guardrails" {
  source  = %q
  enforce = %t
%s
}

output "violations" {
  value = module.guardrails.violations
}

output "ok" {
  value = module.guardrails.ok
}
`, src, enforce, lines.String())
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(hcl), 0o600); err != nil {
		t.Fatal(err)
	}
	if res := r.tf(dir, "get", "-no-color"); res.exitCode != 0 {
		t.Fatalf("get failed\n%s", res)
	}
	return dir
}

// guardrailsPlan plans dir (warn mode) and returns the saved plan's JSON
// path and the module's violations as the plan holds them.
func guardrailsPlan(t *testing.T, r *cliRunner, dir string) (cliResult, string, []guardrailViolation) {
	t.Helper()
	res := r.tf(dir, "plan", "-input=false", "-no-color", "-out=plan.tfplan")
	if res.exitCode != 0 {
		t.Fatalf("plan failed; in warn mode a broken rule must only warn\n%s", res)
	}
	show := r.tf(dir, "show", "-json", "plan.tfplan")
	if show.exitCode != 0 {
		t.Fatalf("show -json failed\n%s", show)
	}
	p := filepath.Join(dir, "plan.json")
	if err := os.WriteFile(p, []byte(show.stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	var plan struct {
		PlannedValues struct {
			Outputs map[string]struct {
				Value json.RawMessage `json:"value"`
			} `json:"outputs"`
		} `json:"planned_values"`
	}
	if err := json.Unmarshal([]byte(show.stdout), &plan); err != nil {
		t.Fatalf("decoding show -json: %v", err)
	}
	var vs []guardrailViolation
	if err := json.Unmarshal(plan.PlannedValues.Outputs["violations"].Value, &vs); err != nil {
		t.Fatalf("decoding output violations: %v\n%s", err, show.stdout)
	}
	return res, p, vs
}

// Users of the acceptance fixture (provider_test.go, access_fixture_test.go).
const (
	userZoe   = "6b0e0000-0000-4000-8000-00000000000a"
	userBob   = "6b0e0000-0000-4000-8000-00000000000b"
	userAlice = "6b0e0000-0000-4000-8000-00000000000c"
	userCarol = "6b0e0000-0000-4000-8000-00000000000d"
	userDave  = "6b0e0000-0000-4000-8000-00000000000e"
	userBob1  = "6b0e0000-0000-4000-8000-000000000001"
	userBob2  = "6b0e0000-0000-4000-8000-000000000002"
	userGone  = "6b0e0000-0000-4000-8000-0000000000ff" // no longer in the organization
)

// guardrailsCompliantFixture is the acceptance fixture changed so that it
// keeps every rule of guardrailsCompliantInputs: no project passes secrets
// to forks, aws-prod's project (api) disables SSH, no all-scope token, the
// weekly schedule runs as a contributor, contexts need a group restriction.
// (SSO is enforced and unversioned configuration off in the fixture.)
func guardrailsCompliantFixture() *fakeapi.Fixture {
	fx := testFixture()
	api := fx.ProjectSettings[testProjectAPI]
	api.BuildForkPRs, api.DisableSSH = false, true
	fx.ProjectSettings[testProjectAPI] = api
	creds := fx.ProjectCredentials[testProjectAPI]
	creds.APITokens[0].Scope = "view-builds"
	fx.ProjectCredentials[testProjectAPI] = creds
	trig := fx.ProjectTriggers[testProjectWeb]
	trig.Schedules[0].Actor = fakeapi.User{ID: userBob, Login: "Bob", Name: "Bob B"}
	fx.ProjectTriggers[testProjectWeb] = trig
	settings := fakeapi.DefaultOrgSettings()
	settings["is_context_group_restriction_required"] = true
	fx.OrgSettings = map[string]map[string]bool{testOrgID: settings}
	return fx
}

// guardrailsCompliantInputs turns every rule on, at limits the compliant
// fixture keeps: 5 admins (alice, Bob, carol, dave, zoe: carol and Bob
// administer api), aws-prod restricted to release-managers with 5 readers,
// at most 6 readers of a project's variables (api and web have 6).
func guardrailsCompliantInputs() map[string]any {
	return map[string]any{
		"max_admins":          5,
		"admin_allowlist_ids": []string{userAlice, userBob, userCarol, userDave, userZoe},
		"protected_contexts": map[string]any{
			"aws-prod": map[string]any{"allowed_groups": []string{"release-managers"}, "forbid_ssh": true, "max_readers": 5},
		},
		"forbid_fork_secrets":               true,
		"forbid_all_scope_tokens":           true,
		"forbid_schedules_as_admin":         true,
		"require_context_group_restriction": true,
		"require_sso":                       true,
		"forbid_api_inline_config":          true,
		"max_project_secret_readers":        6,
	}
}

// guardrailsOnly is the one rule of guardrailsCompliantInputs, every other
// off (the two on by default set to false).
func guardrailsOnly(rule string) map[string]any {
	in := map[string]any{"forbid_fork_secrets": false, "forbid_all_scope_tokens": false}
	in[rule] = guardrailsCompliantInputs()[rule]
	return in
}

// guardrailsRego evaluates policy/circleci_guardrails.rego on the plan,
// with inputs as its data (the module's input names), and returns its
// violations and decision.
func guardrailsRego(t *testing.T, r *cliRunner, opa, plan string, inputs map[string]any) ([]guardrailViolation, bool) {
	t.Helper()
	b, err := json.Marshal(map[string]any{"circleci_guardrails_settings": inputs})
	if err != nil {
		t.Fatal(err)
	}
	dataFile := filepath.Join(t.TempDir(), "guardrails.json")
	if err := os.WriteFile(dataFile, b, 0o600); err != nil {
		t.Fatal(err)
	}
	policy := filepath.Join(r.root, "examples", "policy-as-code", "policy", "circleci_guardrails.rego")
	res := r.run(filepath.Dir(plan), nil, opa, "eval", "--format", "json", "-d", policy, "-d", dataFile, "-i", plan,
		`{"violations": data.circleci_guardrails.violations, "allow": data.circleci_guardrails.allow}`)
	if res.exitCode != 0 {
		t.Fatalf("opa eval failed\n%s", res)
	}
	var out struct {
		Result []struct {
			Expressions []struct {
				Value struct {
					Violations []guardrailViolation `json:"violations"`
					Allow      bool                 `json:"allow"`
				} `json:"value"`
			} `json:"expressions"`
		} `json:"result"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &out); err != nil || len(out.Result) != 1 || len(out.Result[0].Expressions) != 1 {
		t.Fatalf("unexpected opa output (%v):\n%s", err, res.stdout)
	}
	v := out.Result[0].Expressions[0].Value
	return v.Violations, v.Allow
}

// Each rule of examples/modules/guardrails passes on compliant data and
// fails on data that breaks it (with only that rule on), in warn mode (the
// plan succeeds, each broken rule a check warning) and in enforce mode (the
// plan fails, naming every violation); and the OPA twin
// (examples/policy-as-code/policy/circleci_guardrails.rego), given the same
// settings, finds the same violations, in the same order, on the same plan.
func TestAccExamples_guardrails(t *testing.T) {
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skip("acceptance test: set TF_ACC=1 and TF_ACC_TERRAFORM_PATH (make test / make testacc)")
	}
	opa := os.Getenv("OPA_PATH")
	if opa == "" {
		t.Fatal("OPA_PATH must name the opa binary; run `make test` or `make testacc`, which build it")
	}
	org := func(rule, detail string) guardrailViolation {
		return guardrailViolation{rule, "organization", testOrgID, "acme-std", detail}
	}
	awsProd := func(detail string) guardrailViolation {
		return guardrailViolation{"protected_contexts", "context", testContextAWSProd, "aws-prod", detail}
	}
	tests := []struct {
		name   string
		inputs map[string]any
		fx     func(fx *fakeapi.Fixture) // changes to the compliant fixture
		want   []guardrailViolation
	}{
		{name: "every rule on, compliant data", inputs: guardrailsCompliantInputs()},
		{name: "every rule off, violating data", inputs: map[string]any{"forbid_fork_secrets": false, "forbid_all_scope_tokens": nil},
			fx: func(fx *fakeapi.Fixture) { *fx = *testFixture() }},
		{name: "max_admins", inputs: guardrailsOnly("max_admins"),
			fx:   func(fx *fakeapi.Fixture) { fx.Members[testOrgID][6].Role = "org-admin" }, // bob (…0001)
			want: []guardrailViolation{org("max_admins", "6 admins (alice, bob, Bob, carol, dave, zoe); at most 5 allowed")}},
		{name: "admin_allowlist_ids", inputs: guardrailsOnly("admin_allowlist_ids"),
			fx:   func(fx *fakeapi.Fixture) { fx.Members[testOrgID][6].Role = "org-admin" },
			want: []guardrailViolation{{"admin_allowlist_ids", "user", userBob1, "bob", "an org admin not on admin_allowlist_ids"}}},
		{name: "protected_contexts: groups", inputs: guardrailsOnly("protected_contexts"),
			fx: func(fx *fakeapi.Fixture) {
				c := &fx.Contexts[testOrgID][0]
				c.Restrictions = append(c.Restrictions, fakeapi.Restriction{ID: "e0000000-0000-4000-8000-0000000000f1", Type: "group", Value: testGroupPlatform})
			},
			want: []guardrailViolation{awsProd("restricted to the group platform, which allowed_groups does not list")}},
		{name: "protected_contexts: All members", inputs: guardrailsOnly("protected_contexts"),
			fx: func(fx *fakeapi.Fixture) {
				c := &fx.Contexts[testOrgID][0]
				c.Restrictions = append(c.Restrictions, fakeapi.Restriction{ID: "e0000000-0000-4000-8000-0000000000f2", Type: "group", Value: testOrgID})
			},
			// Everyone who is at least a contributor on api now reads it.
			want: []guardrailViolation{
				awsProd("6 readers; at most 5 allowed"),
				awsProd("restricted to the group All members, which allowed_groups does not list"),
			}},
		{name: "protected_contexts: forbid_ssh", inputs: guardrailsOnly("protected_contexts"),
			fx: func(fx *fakeapi.Fixture) {
				api := fx.ProjectSettings[testProjectAPI]
				api.DisableSSH = false
				fx.ProjectSettings[testProjectAPI] = api
			},
			want: []guardrailViolation{awsProd("5 people can read it in an SSH rerun: alice, Bob, carol, dave, zoe")}},
		{name: "protected_contexts: max_readers", inputs: guardrailsOnly("protected_contexts"),
			fx: func(fx *fakeapi.Fixture) { // bob (…0002), an org contributor, joins release-managers
				g := &fx.Groups[testOrgID][0]
				g.Members = append(g.Members, fakeapi.GroupMember{UserID: userBob2, Username: "bob", Email: "bob2@example.com"})
			},
			want: []guardrailViolation{awsProd("6 readers; at most 5 allowed")}},
		{name: "protected_contexts: missing", inputs: guardrailsOnly("protected_contexts"),
			fx:   func(fx *fakeapi.Fixture) { fx.Contexts[testOrgID][0].Name = "aws-production" },
			want: []guardrailViolation{{"protected_contexts", "context", "", "aws-prod", "no context has this name: a protected context must exist"}}},
		{name: "protected_contexts: variable names not all read", inputs: guardrailsOnly("protected_contexts"),
			fx: func(fx *fakeapi.Fixture) {
				c := &fx.Contexts[testOrgID][0]
				for i := range 150 {
					c.EnvVars = append(c.EnvVars, fakeapi.EnvVar{Variable: fmt.Sprintf("AWS_%03d", i), TruncatedValue: truncatedValueCanary})
				}
				c.IgnorePageToken = true
			},
			want: []guardrailViolation{awsProd("its variable names were not all read (variable_names_complete = false): it may hold anything")}},
		{name: "forbid_fork_secrets", inputs: guardrailsOnly("forbid_fork_secrets"),
			fx: func(fx *fakeapi.Fixture) {
				api := fx.ProjectSettings[testProjectAPI]
				api.BuildForkPRs = true
				fx.ProjectSettings[testProjectAPI] = api
			},
			// Every context api may use that holds a variable (or may: big),
			// and api's own; not the empty contexts, nor staging (web only).
			want: []guardrailViolation{
				{"forbid_fork_secrets", "context", testContextAWSProd, "aws-prod", "forked pull requests receive its 2 variable(s)"},
				{"forbid_fork_secrets", "context", testContextShared, "shared", "forked pull requests receive its 1 variable(s)"},
				{"forbid_fork_secrets", "context", testContextAllMembers, "gcp-all", "forked pull requests receive its 1 variable(s)"},
				{"forbid_fork_secrets", "context", testContextBig, "big", "forked pull requests receive it, and its variable names were not all read"},
				{"forbid_fork_secrets", "project", testProjectAPI, "api", "forked pull requests receive its 2 variable(s)"},
			}},
		{name: "forbid_all_scope_tokens", inputs: guardrailsOnly("forbid_all_scope_tokens"),
			fx:   func(fx *fakeapi.Fixture) { fx.ProjectCredentials[testProjectAPI].APITokens[0].Scope = "all" },
			want: []guardrailViolation{{"forbid_all_scope_tokens", "project", testProjectAPI, "api", "holds the API token a1b2c3d4e5 with the all (Admin) scope"}}},
		{name: "forbid_schedules_as_admin", inputs: guardrailsOnly("forbid_schedules_as_admin"),
			fx: func(fx *fakeapi.Fixture) {
				fx.ProjectTriggers[testProjectWeb].Schedules[0].Actor = fakeapi.User{ID: userAlice, Login: "alice", Name: "Alice A"}
				def := &fx.ProjectTriggers[testProjectAPI].Definitions[0]
				def.Triggers[2].AttributionActorID = userGone
				def.Triggers = append(def.Triggers, fakeapi.Trigger{ID: "f0000000-0000-4000-8000-0000000000f4", EventName: "hourly", Provider: "schedule", Cron: "0 * * * *"})
			},
			want: []guardrailViolation{
				{"forbid_schedules_as_admin", "schedule", testScheduleWeek, "weekly", "runs as the org admin alice (" + userAlice + ")"},
				{"forbid_schedules_as_admin", "trigger", testTriggerCron, "build", "runs as " + userGone + ", who is not a member of the organization"},
				{"forbid_schedules_as_admin", "trigger", "f0000000-0000-4000-8000-0000000000f4", "build", "runs as an actor CircleCI does not name"},
			}},
		{name: "require_context_group_restriction", inputs: guardrailsOnly("require_context_group_restriction"),
			fx: func(fx *fakeapi.Fixture) { fx.OrgSettings = nil },
			want: []guardrailViolation{org("require_context_group_restriction",
				"is_context_group_restriction_required is off: a context without a group restriction is usable by every org admin")}},
		{name: "require_sso", inputs: guardrailsOnly("require_sso"),
			fx:   func(fx *fakeapi.Fixture) { fx.SSOEnforced[testOrgID] = false },
			want: []guardrailViolation{org("require_sso", "SAML single sign-on is not enforced")}},
		{name: "forbid_api_inline_config", inputs: guardrailsOnly("forbid_api_inline_config"),
			fx: func(fx *fakeapi.Fixture) { fx.OrgSettings[testOrgID]["enable_unversioned_config"] = true },
			want: []guardrailViolation{org("forbid_api_inline_config",
				"enable_unversioned_config is on: an API trigger may bring its own configuration, run with the project's secrets")}},
		{name: "max_project_secret_readers", inputs: guardrailsOnly("max_project_secret_readers"),
			fx: func(fx *fakeapi.Fixture) { // carol, an org viewer, becomes a contributor of web
				p := &fx.Projects[testOrgID][1]
				p.UserGrants = append(p.UserGrants, fakeapi.RoleGrant{UserID: userCarol, Username: "carol", Role: "project-contributor"})
			},
			want: []guardrailViolation{{"max_project_secret_readers", "project", testProjectWeb, "web",
				"7 people can run a pipeline that receives its variables; at most 6 allowed"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newCLIRunner(t)
			fx := guardrailsCompliantFixture()
			if tc.fx != nil {
				tc.fx(fx)
			}
			r.useFake(fx, testOrgID)

			// warn
			res, plan, got := guardrailsPlan(t, r, guardrailsRoot(t, r, false, tc.inputs))
			if !slices.Equal(got, tc.want) {
				t.Errorf("violations:\n%s\nwant:\n%s", joinViolations(got), joinViolations(tc.want))
			}
			warned := map[string]bool{}
			for _, v := range tc.want {
				warned[v.Rule] = true
				res.assertContains(t, v.Detail)
			}
			for rule := range warned {
				res.assertContains(t, "CircleCI guardrail "+rule+" broken:")
			}
			if n := strings.Count(res.output(), "Check block assertion failed"); n != len(warned) {
				t.Errorf("%d failed checks, want %d (one per broken rule)\n%s", n, len(warned), res)
			}

			// the OPA twin, on the same plan
			rego, allow := guardrailsRego(t, r, opa, plan, tc.inputs)
			if !slices.Equal(rego, tc.want) || allow != (len(tc.want) == 0) {
				t.Errorf("OPA: allow = %v, violations:\n%s\nwant:\n%s", allow, joinViolations(rego), joinViolations(tc.want))
			}

			// enforce
			res = r.tf(guardrailsRoot(t, r, true, tc.inputs), "plan", "-input=false", "-no-color")
			if len(tc.want) == 0 {
				if res.exitCode != 0 {
					t.Fatalf("enforce: the plan failed on a compliant organization\n%s", res)
				}
				return
			}
			if res.exitCode == 0 {
				t.Fatalf("enforce: the plan succeeded with broken rules\n%s", res)
			}
			res.assertContains(t, "CircleCI guardrails broken (enforce = true):")
			for _, v := range tc.want {
				res.assertContains(t, "- "+v.String())
			}
			if strings.Contains(res.output(), "Check block assertion failed") {
				t.Errorf("enforce: the check blocks warned as well\n%s", res)
			}
		})
	}
}

func joinViolations(vs []guardrailViolation) string {
	lines := make([]string, len(vs))
	for i, v := range vs {
		lines[i] = "  " + v.String()
	}
	return strings.Join(lines, "\n")
}

// guardrailsWorkingDir is a new directory holding a copy of the guardrails
// module at modules/guardrails.
func guardrailsWorkingDir(t *testing.T) string {
	t.Helper()
	base := t.TempDir()
	src := examplesDir("modules/guardrails")
	dst := filepath.Join(base, "modules", "guardrails")
	if err := os.MkdirAll(dst, 0o750); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name())) //nolint:gosec // G304: a file of examples/
		if err != nil {
			t.Fatal(err)
		}
		//nolint:gosec // G703: dst is a t.TempDir(); the names are the module's files
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return base
}

// copyExampleWithModules copies examples/<rel> into <tmp>/<rel's base name>
// and the guardrails module into <tmp>/modules/guardrails, the layout of
// examples/, so that the example's ../modules/guardrails resolves; installs
// the module (get) and returns the example's copy.
func copyExampleWithModules(t *testing.T, r *cliRunner, rel string) string {
	t.Helper()
	src := r.copyExample(rel)
	base := guardrailsWorkingDir(t)
	dir := filepath.Join(base, filepath.Base(rel))
	if err := os.Rename(src, dir); err != nil {
		t.Fatal(err)
	}
	if res := r.tf(dir, "get", "-no-color"); res.exitCode != 0 {
		t.Fatalf("get failed\n%s", res)
	}
	return dir
}

// demoOutputs is the root module's outputs after an apply, raw JSON by name.
func demoOutputs(t *testing.T, r *cliRunner, dir string) map[string]json.RawMessage {
	t.Helper()
	res := r.tf(dir, "output", "-json")
	if res.exitCode != 0 {
		t.Fatalf("output -json failed\n%s", res)
	}
	var outs map[string]struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &outs); err != nil {
		t.Fatalf("decoding output -json: %v\n%s", err, res.stdout)
	}
	values := make(map[string]json.RawMessage, len(outs))
	for k, o := range outs {
		values[k] = o.Value
	}
	return values
}

// examples/guardrails on the demo data: the plan reads each page once, warns
// once per broken rule and goes on; with enforce = true it fails; and the OPA twin, with the
// settings the example ships (policy/circleci_guardrails.json, loaded with
// the rest of policy/ as its README says), finds the same violations. A plan
// without the module's data sources is denied, never allowed.
func TestAccExamples_guardrailsExample(t *testing.T) {
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skip("acceptance test: set TF_ACC=1 and TF_ACC_TERRAFORM_PATH (make test / make testacc)")
	}
	opa := os.Getenv("OPA_PATH")
	if opa == "" {
		t.Fatal("OPA_PATH must name the opa binary; run `make test` or `make testacc`, which build it")
	}
	r := newCLIRunner(t)
	fx := fakeapi.DemoFixture()
	orgID, _, _ := demoOrganization(t, fx)
	s := r.useFake(fx, orgID)
	dir := copyExampleWithModules(t, r, "guardrails")
	policy := filepath.Join(r.root, "examples", "policy-as-code", "policy")
	eval := func(t *testing.T, plan string) ([]guardrailViolation, bool, []string) {
		t.Helper()
		res := r.run(dir, nil, opa, "eval", "--format", "json", "-d", policy, "-i", plan,
			`{"violations": data.circleci_guardrails.violations, "allow": data.circleci_guardrails.allow, "deny": data.circleci_guardrails.deny}`)
		if res.exitCode != 0 {
			t.Fatalf("opa eval failed\n%s", res)
		}
		var out struct {
			Result []struct {
				Expressions []struct {
					Value struct {
						Violations []guardrailViolation `json:"violations"`
						Allow      bool                 `json:"allow"`
						Deny       []string             `json:"deny"`
					} `json:"value"`
				} `json:"expressions"`
			} `json:"result"`
		}
		if err := json.Unmarshal([]byte(res.stdout), &out); err != nil || len(out.Result) != 1 || len(out.Result[0].Expressions) != 1 {
			t.Fatalf("unexpected opa output (%v):\n%s", err, res.stdout)
		}
		v := out.Result[0].Expressions[0].Value
		return v.Violations, v.Allow, v.Deny
	}

	res, plan, got := guardrailsPlan(t, r, dir)
	// One sweep: the module's eight data sources share every listing, so
	// the plan asks for no page twice.
	seen := map[string]int{}
	for _, req := range s.Requests() {
		seen[req.Method+" "+req.Path+"?"+req.RawQuery]++
	}
	if len(seen) == 0 {
		t.Error("the plan made no request to the fake API")
	}
	for req, n := range seen {
		if n > 1 {
			t.Errorf("%s requested %d times in one plan, want once", req, n)
		}
	}
	rules := map[string]int{}
	for _, v := range got {
		rules[v.Rule]++
	}
	want := map[string]int{"forbid_all_scope_tokens": 1, "forbid_fork_secrets": 5, "forbid_schedules_as_admin": 1, "max_admins": 1, "protected_contexts": 1}
	if !maps.Equal(rules, want) {
		t.Errorf("violations by rule = %v, want %v\n%s", rules, want, joinViolations(got))
	}
	if n := strings.Count(res.output(), "Check block assertion failed"); n != len(want) {
		t.Errorf("%d failed checks, want %d\n%s", n, len(want), res)
	}
	res.assertContains(t, "CircleCI guardrail max_admins broken: organization acme-platform (")

	rego, allow, deny := eval(t, plan)
	if !slices.Equal(rego, got) || allow || len(deny) != len(got) {
		t.Errorf("OPA: allow = %v, %d denials, violations:\n%s\nwant (the module's):\n%s", allow, len(deny), joinViolations(rego), joinViolations(got))
	}

	empty := filepath.Join(t.TempDir(), "empty-plan.json")
	if err := os.WriteFile(empty, []byte(`{"prior_state": {"values": {"root_module": {}}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, allow, deny := eval(t, empty); allow || !slices.Contains(deny, "the plan has no circleci_secret_exposure data source to evaluate") {
		t.Errorf("OPA on a plan without data sources: allow = %v, deny = %q; want a denial", allow, deny)
	}

	res = r.tf(dir, "plan", "-input=false", "-no-color", "-var=enforce=true")
	if res.exitCode == 0 {
		t.Fatalf("enforce: the plan succeeded with broken rules\n%s", res)
	}
	res.assertContains(t, "CircleCI guardrails broken (enforce = true):", "- "+got[0].String())
}
