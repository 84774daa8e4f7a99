package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
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
func guardrailsRoot(t *testing.T, r *cliRunner, enforce bool, inputs string) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(r.root, "examples", "modules", "guardrails")
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
`, src, enforce, inputs)
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

func TestAccExamples_guardrailsDebug(t *testing.T) {
	r := newCLIRunner(t)
	r.useFake(testFixture(), testOrgID)
	dir := guardrailsRoot(t, r, false, `
  max_admins = 0
  admin_allowlist_ids = []
  protected_contexts = { "aws-prod" = { allowed_groups = [], forbid_ssh = true, max_readers = 0 }, "nope" = {} }
  forbid_schedules_as_admin = true
  require_context_group_restriction = true
  require_sso = true
  forbid_api_inline_config = true
  max_project_secret_readers = 0
`)
	res, _, vs := guardrailsPlan(t, r, dir)
	t.Log(res)
	for _, v := range vs {
		t.Logf("%#v", v)
	}
}
