package provider

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// The OPA twin of the guardrails module fails closed: on a plan whose data
// sources hold every null the provider uses for "not known" (admin_ids,
// groups, API tokens, schedules and definitions outside not_applicable, the
// settings) and variable names not all read, every rule that reads one
// reports it as a violation, and the violations are sorted by rule, subject
// kind, subject id, then detail. (The provider gives these nulls only on
// organizations where other reads of the module fail, so only the twin is
// run on them; the module's same branches are exercised for types by every
// plan.) An acceptance test only because it needs OPA_PATH.
func TestAccExamples_guardrailsRegoUnknown(t *testing.T) {
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skip("acceptance test: set TF_ACC=1 and TF_ACC_TERRAFORM_PATH (make test / make testacc)")
	}
	opa := os.Getenv("OPA_PATH")
	if opa == "" {
		t.Fatal("OPA_PATH must name the opa binary; run `make test` or `make testacc`, which build it")
	}
	r := newCLIRunner(t)
	data := func(typ string, values map[string]any) map[string]any {
		return map[string]any{"address": "module.guardrails.data." + typ + ".this", "mode": "data", "type": typ, "name": "this", "values": values}
	}
	plan := map[string]any{"prior_state": map[string]any{"values": map[string]any{"root_module": map[string]any{
		"child_modules": []any{map[string]any{"address": "module.guardrails", "resources": []any{
			data("circleci_org_access", map[string]any{
				"organization_id": "org-1", "admin_ids": nil, "context_group_restriction_required": nil,
				"users": []any{map[string]any{"id": "u-1", "login": "ann", "org_role": "admin"}},
			}),
			data("circleci_organization", map[string]any{"name": "acme"}),
			data("circleci_org_settings", map[string]any{"sso_enforced": nil, "enable_unversioned_config": nil}),
			data("circleci_groups", map[string]any{"groups": nil}),
			data("circleci_contexts", map[string]any{"contexts": []any{map[string]any{"id": "c-1", "name": "prod", "group_ids": []string{"g-1"}}}}),
			data("circleci_secret_exposure", map[string]any{"secrets": []any{
				map[string]any{"kind": "context", "id": "c-1", "name": "prod", "variable_names": []string{}, "variable_names_complete": false,
					"exposed_to_forks": true, "reader_ids": []string{}, "ssh_reader_ids": []string{}, "ssh_reader_logins": []string{}},
				map[string]any{"kind": "project", "id": "p-1", "name": "api", "variable_names": []string{}, "variable_names_complete": false,
					"exposed_to_forks": false, "reader_ids": []string{"u-1"}, "ssh_reader_ids": []string{}, "ssh_reader_logins": []string{}},
			}}),
			data("circleci_project_credentials", map[string]any{"projects": []any{
				map[string]any{"id": "p-1", "name": "api", "api_tokens": nil, "not_applicable": []string{}},
			}}),
			data("circleci_pipeline_triggers", map[string]any{"projects": []any{
				map[string]any{"id": "p-1", "name": "api", "schedules": nil, "definitions": nil, "not_applicable": []string{}},
			}}),
		}}},
	}}}}
	b, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	planFile := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(planFile, b, 0o600); err != nil {
		t.Fatal(err)
	}
	inputs := guardrailsCompliantInputs()
	inputs["protected_contexts"] = map[string]any{"prod": map[string]any{"allowed_groups": []string{"release-managers"}}}
	got, allow := guardrailsRego(t, r, opa, planFile, inputs)

	org := func(rule, detail string) guardrailViolation {
		return guardrailViolation{rule, "organization", "org-1", "acme", detail}
	}
	namesNotRead := "its variable names were not all read (variable_names_complete = false): it may hold anything"
	want := []guardrailViolation{
		org("admin_allowlist_ids", "circleci_org_access gave no admin_ids: the admins are not known"),
		{"forbid_all_scope_tokens", "project", "p-1", "api", "its API tokens were not read: whether one has the all scope is not known"},
		org("forbid_api_inline_config", "enable_unversioned_config was not read: not known"),
		{"forbid_fork_secrets", "context", "c-1", "prod", "forked pull requests receive it, and its variable names were not all read"},
		{"forbid_schedules_as_admin", "project", "p-1", "api", "its legacy schedules were not read: whom they run as is not known"},
		{"forbid_schedules_as_admin", "project", "p-1", "api", "its pipeline definitions were not read: whom their schedule triggers run as is not known"},
		org("max_admins", "circleci_org_access gave no admin_ids: the number of admins is not known"),
		{"max_project_secret_readers", "project", "p-1", "api", namesNotRead},
		{"protected_contexts", "context", "c-1", "prod", namesNotRead},
		{"protected_contexts", "context", "c-1", "prod", "restricted to the group g-1, whose name is not known: circleci_groups listed no groups (null)"},
		org("require_context_group_restriction", "is_context_group_restriction_required was not read: not known"),
		org("require_sso", "whether SAML single sign-on is enforced was not read: not known"),
	}
	key := func(v guardrailViolation) string {
		return strings.Join([]string{v.Rule, v.SubjectKind, v.SubjectID, v.Detail}, " ")
	}
	slices.SortFunc(want, func(a, b guardrailViolation) int { return strings.Compare(key(a), key(b)) })
	if allow || !slices.Equal(got, want) {
		t.Errorf("allow = %v, violations:\n%s\nwant:\n%s", allow, joinViolations(got), joinViolations(want))
	}
}
