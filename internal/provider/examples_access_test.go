package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// planOutputs plans dir (plan only: no state) with args, saving the plan,
// and returns the plan's result and its planned output values.
func (r *cliRunner) planOutputs(dir string, args ...string) (cliResult, map[string]json.RawMessage) {
	r.t.Helper()
	res := r.tf(dir, append([]string{"plan", "-input=false", "-no-color", "-out=plan.tfplan"}, args...)...)
	if res.exitCode != 0 {
		return res, nil
	}
	show := r.tf(dir, "show", "-json", "-no-color", "plan.tfplan")
	if show.exitCode != 0 {
		r.t.Fatalf("show -json failed\n%s", show)
	}
	var plan struct {
		PlannedValues struct {
			Outputs map[string]struct {
				Value json.RawMessage `json:"value"`
			} `json:"outputs"`
		} `json:"planned_values"`
	}
	if err := json.Unmarshal([]byte(show.stdout), &plan); err != nil {
		r.t.Fatalf("decoding show -json: %v\n%s", err, show.stdout)
	}
	out := map[string]json.RawMessage{}
	for k, v := range plan.PlannedValues.Outputs {
		out[k] = v.Value
	}
	if states, _ := filepath.Glob(filepath.Join(dir, "*.tfstate*")); len(states) > 0 {
		r.t.Errorf("plan left state: %v", states)
	}
	return res, out
}

// adversarialFixture is the demo fixture with what broke the examples on
// real data: aws-production limited to two groups (one() behind && made
// Terraform exit 1), and monorepo-settings (more than 100 variable names,
// of which CircleCI gives the first 100) open to all members with a cloud
// credential as its 120th name. Mixed-case logins (RKowalski, TNguyen) are
// the demo's own.
func adversarialFixture(t *testing.T) (*fakeapi.Fixture, string) {
	t.Helper()
	fx := fakeapi.DemoFixture()
	orgID, _, _ := demoOrganization(t, fx)
	var security string
	for _, g := range fx.Groups[orgID] {
		if g.Name == "Security" {
			security = g.ID
		}
	}
	changed := 0
	for i, c := range fx.Contexts[orgID] {
		switch c.Name {
		case "aws-production":
			fx.Contexts[orgID][i].Restrictions = append(c.Restrictions, fakeapi.Restriction{
				ID: "e7e7e7e7-0000-4000-8000-000000000001", Type: "group", Value: security})
			changed++
		case "monorepo-settings":
			if len(c.EnvVars) < 120 || !c.IgnorePageToken {
				t.Fatalf("monorepo-settings must have 120 variables past an ignored page token, has %d", len(c.EnvVars))
			}
			fx.Contexts[orgID][i].EnvVars[119].Variable = "AWS_SECRET_ACCESS_KEY"
			fx.Contexts[orgID][i].Restrictions = []fakeapi.Restriction{{ID: "e7e7e7e7-0000-4000-8000-000000000002", Type: "group", Value: orgID}}
			changed++
		}
	}
	if security == "" || changed != 2 {
		t.Fatalf("the demo fixture must have the group Security and the contexts aws-production and monorepo-settings")
	}
	return fx, orgID
}

// examples/context-policy on the demo organization: both checks pass, the
// outputs map each context to who may use it by CircleCI's rules (org
// admins included), and the ignored page token of monorepo-settings is a
// warning; then, on the adversarial data, each check catches its violation
// through both CLIs, and a failed read fails the plan.
func TestAccExamples_contextPolicy(t *testing.T) {
	t.Run("demo organization passes", func(t *testing.T) {
		h := newDemoRunner(t)
		dir := h.copyExample("context-policy")
		res, out := h.planOutputs(dir)
		if res.exitCode != 0 {
			t.Fatalf("plan failed\n%s", res)
		}
		if strings.Contains(res.output(), "Check block assertion failed") {
			t.Errorf("a check failed on the compliant demo organization\n%s", res)
		}
		res.assertContains(t, "Warning: Incomplete Variable Names of Context monorepo-settings", "only the first 100 variable names")
		var users map[string][]string
		if err := json.Unmarshal(out["context_users"], &users); err != nil {
			t.Fatalf("context_users: %v\n%s", err, res)
		}
		// Org admins included, and sec-audit-bot, whose unrecognised role counts as admin.
		if want := []string{"jdoe", "lgarcia", "mchen", "RKowalski", "sec-audit-bot", "TNguyen", "zoe-park"}; !reflect.DeepEqual(users["aws-production"], want) {
			t.Errorf("context_users[aws-production] = %v, want %v (org admins included)", users["aws-production"], want)
		}
		var ids map[string][]string
		if err := json.Unmarshal(out["context_user_ids"], &ids); err != nil {
			t.Fatal(err)
		}
		if len(ids["aws-production"]) != 7 || len(ids["npm-publish"]) != len(users["npm-publish"]) || len(ids["npm-publish"]) == 0 {
			t.Errorf("context_user_ids = %v, want as many ids as context_users has logins (%v)", ids, users)
		}
	})

	// Who can change aws-production's secrets (the edit rule): org admins,
	// sec-audit-bot (counted as admin), and the org contributors of
	// release-managers; not lgarcia, an org viewer in it.
	t.Run("who can change a protected context's secrets", func(t *testing.T) {
		h := newDemoRunner(t)
		fx := fakeapi.DemoFixture()
		_, grants, _ := demoOrganization(t, fx)
		id := map[string]string{}
		login := map[string]string{}
		for _, g := range grants {
			id[g.Username], login[g.UserID] = g.UserID, g.Username
		}
		dir := h.copyExample("context-policy")
		res, out := h.planOutputs(dir)
		var editors []string
		if err := json.Unmarshal(out["protected_context_editor_ids"], &editors); err != nil {
			t.Fatalf("protected_context_editor_ids: %v\n%s", err, res)
		}
		for _, must := range []string{"jdoe", "mchen", "RKowalski", "sec-audit-bot"} {
			if !slices.Contains(editors, id[must]) {
				t.Errorf("%s (an admin) is not among the editors %v", must, editors)
			}
		}
		if slices.Contains(editors, id["lgarcia"]) {
			t.Errorf("lgarcia, an org viewer, is among the editors %v", editors)
		}
		res, _ = h.planOutputs(dir, fmt.Sprintf(`-var=protected_context_editor_ids=[%q]`, strings.ToUpper(id["jdoe"])))
		if res.exitCode != 0 {
			t.Fatalf("plan failed; a failed check must only warn\n%s", res)
		}
		var others []string
		for _, e := range editors {
			if e != id["jdoe"] {
				others = append(others, login[e]+" ("+e+")")
			}
		}
		sort.Strings(others)
		res.assertContains(t, "People not on the allowlist can change the variables of context aws-production: "+strings.Join(others, ", ")+".")
		res, _ = h.planOutputs(dir, "-var=protected_context_editor_ids=[\""+strings.Join(editors, "\",\"")+"\"]")
		if res.exitCode != 0 || strings.Contains(res.output(), "can change the variables") {
			t.Errorf("the check failed with every editor allowed\n%s", res)
		}
	})

	t.Run("adversarial data: every check fails, and plan still exits 0", func(t *testing.T) {
		h := newCLIRunner(t)
		fx, orgID := adversarialFixture(t)
		for i, c := range fx.Contexts[orgID] {
			if c.Name == "gcp-staging" {
				fx.Contexts[orgID][i].Restrictions = allMembersRestriction(orgID)
			}
		}
		h.useFake(fx, orgID)
		dir := h.copyExample("context-policy")
		res, _ := h.planOutputs(dir)
		if res.exitCode != 0 {
			t.Fatalf("plan failed; a failed check must only warn (no expression may error where Terraform does not short-circuit)\n%s", res)
		}
		res.assertContains(t,
			"Contexts holding cloud credentials are open to all members: gcp-staging.",
			"Contexts open to all members whose variable names were not all read (a credential could be among the rest): monorepo-settings.",
			"Context aws-production must be restricted to exactly the group release-managers; it is restricted to: release-managers, Security.",
		)
		if strings.Contains(res.output(), "AWS_SECRET_ACCESS_KEY") {
			t.Errorf("the 120th variable name was read, or printed\n%s", res)
		}
	})

	t.Run("another group: the restriction check names it", func(t *testing.T) {
		h := newDemoRunner(t)
		dir := h.copyExample("context-policy")
		res, _ := h.planOutputs(dir, "-var=protected_group=platform-team")
		if res.exitCode != 0 {
			t.Fatalf("plan failed; a failed check must only warn\n%s", res)
		}
		res.assertContains(t, "Context aws-production must be restricted to exactly the group platform-team; it is restricted to: release-managers.")
	})

	t.Run("CircleCI fails: plan fails", func(t *testing.T) {
		h := newCLIRunner(t)
		fx := fakeapi.DemoFixture()
		orgID, _, _ := demoOrganization(t, fx)
		s := h.useFake(fx, orgID)
		s.Inject(fakeapi.Fault{Path: fakeapi.PathContexts, Times: -1, Status: http.StatusForbidden, Body: `{"message":"Permission denied."}`})
		dir := h.copyExample("context-policy")
		res, _ := h.planOutputs(dir)
		if res.exitCode != 1 {
			t.Fatalf("exit %d, want 1: a policy must not pass on contexts it could not read\n%s", res.exitCode, res)
		}
		res.assertContains(t, "CircleCI Denied Access to Contexts")
	})
}

// examples/access-policy on the demo organization: the check catches the
// contributors and the viewer who administer payments-api only through the
// release-managers group, names them by login and id, and says how; the
// allowlist holds ids, compared without case, and passes with every admin.
func TestAccExamples_accessPolicy(t *testing.T) {
	h := newCLIRunner(t)
	fx := fakeapi.DemoFixture()
	orgID, grants, _ := demoOrganization(t, fx)
	h.useFake(fx, orgID)
	id := map[string]string{}
	for _, g := range grants {
		id[g.Username] = g.UserID
	}
	dir := h.copyExample("access-policy")
	allow := fmt.Sprintf(`-var=admin_allowlist=[%q,%q,%q]`, id["jdoe"], strings.ToUpper(id["mchen"]), id["RKowalski"])
	res, out := h.planOutputs(dir, allow)
	if res.exitCode != 0 {
		t.Fatalf("plan failed; a failed check must only warn\n%s", res)
	}
	const via = "circleci/a8d449aa-dbf3-4d64-9eb9-0982ba339340/0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6 via group:release-managers"
	unexpected := []string{"lgarcia", "TNguyen", "zoe-park", "sec-audit-bot"}
	sort.Slice(unexpected, func(i, j int) bool { return id[unexpected[i]] < id[unexpected[j]] })
	var parts []string
	for _, l := range unexpected {
		how := via
		if l == "sec-audit-bot" {
			how = "org role org-security-auditor, which the provider does not recognise and counts as admin"
		}
		parts = append(parts, l+" ("+id[l]+": "+how+")")
	}
	res.assertContains(t, "Warning: Check block assertion failed", "Admins not on the allowlist: "+strings.Join(parts, "; ")+".")
	var admins []string
	if err := json.Unmarshal(out["admin_logins"], &admins); err != nil {
		t.Fatal(err)
	}
	if want := []string{"jdoe", "lgarcia", "mchen", "RKowalski", "sec-audit-bot", "TNguyen", "zoe-park"}; !reflect.DeepEqual(admins, want) {
		t.Errorf("admin_logins = %v, want %v", admins, want)
	}
	var adminIDs []string
	if err := json.Unmarshal(out["admin_ids"], &adminIDs); err != nil {
		t.Fatal(err)
	}
	var wantIDs []string
	for _, l := range admins {
		wantIDs = append(wantIDs, id[l])
	}
	sort.Strings(wantIDs)
	if !reflect.DeepEqual(adminIDs, wantIDs) {
		t.Errorf("admin_ids = %v, want %v", adminIDs, wantIDs)
	}
	var users map[string][]string
	if err := json.Unmarshal(out["context_users"], &users); err != nil {
		t.Fatal(err)
	}
	if want := []string{"jdoe", "lgarcia", "mchen", "RKowalski", "sec-audit-bot", "TNguyen", "zoe-park"}; !reflect.DeepEqual(users["aws-production"], want) {
		t.Errorf("context_users[aws-production] = %v, want %v", users["aws-production"], want)
	}

	// With the group-granted admins allowed too, the check passes.
	var all []string
	for _, l := range admins {
		all = append(all, fmt.Sprintf("%q", id[l]))
	}
	res, _ = h.planOutputs(dir, "-var=admin_allowlist=["+strings.Join(all, ",")+"]")
	if res.exitCode != 0 || strings.Contains(res.output(), "Check block assertion failed") {
		t.Errorf("the check failed with every admin allowed\n%s", res)
	}

	// Who administers payments-api by any route, in one expression: the org
	// admins (sec-audit-bot counted as one) and release-managers' members
	// through the group's grant; and why each person may use each context.
	payments := "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6"
	res, out = h.planOutputs(dir, "-var=protected_project_id="+payments, "-var=max_project_admins=3")
	if res.exitCode != 0 {
		t.Fatalf("plan failed; a failed check must only warn\n%s", res)
	}
	res.assertContains(t, "Project payments-api has 7 admins by any route (jdoe, lgarcia, mchen, RKowalski, sec-audit-bot, TNguyen, zoe-park); the policy allows at most 3.")
	var reasons map[string]map[string][]string
	if err := json.Unmarshal(out["context_reasons"], &reasons); err != nil {
		t.Fatal(err)
	}
	if got := reasons[id["jdoe"]]["aws-production"]; !reflect.DeepEqual(got, []string{"org-admin"}) {
		t.Errorf("jdoe's reasons for aws-production: %v, want [org-admin]", got)
	}
	if got := reasons[id["lgarcia"]]["aws-production"]; !reflect.DeepEqual(got, []string{"group:release-managers", "project:payments-api"}) {
		t.Errorf("lgarcia's reasons for aws-production: %v", got)
	}
	res, _ = h.planOutputs(dir, "-var=protected_project_id="+payments, "-var=max_project_admins=7")
	if strings.Contains(res.output(), "admins by any route") {
		t.Errorf("the project check failed with 7 allowed\n%s", res)
	}
	res, _ = h.planOutputs(dir, "-var=protected_project_id=00000000-0000-4000-8000-000000000000")
	res.assertContains(t, "Project 00000000-0000-4000-8000-000000000000 is not a project of the organization.")

	// The adversarial data (a context limited to two groups, a context past
	// 100 variable names opened to all members) change nothing about admins.
	a := newCLIRunner(t)
	afx, aorg := adversarialFixture(t)
	a.useFake(afx, aorg)
	res, _ = a.planOutputs(a.copyExample("access-policy"), allow)
	if res.exitCode != 0 {
		t.Fatalf("plan failed on the adversarial data\n%s", res)
	}
	res.assertContains(t, "Admins not on the allowlist: "+strings.Join(parts, "; ")+".")
}

// newDemoRunner is a CLI runner on the fake API with the demo fixture and its
// standalone organization as the default.
func newDemoRunner(t *testing.T) *cliRunner {
	t.Helper()
	r := newCLIRunner(t)
	fx := fakeapi.DemoFixture()
	orgID, _, _ := demoOrganization(t, fx)
	r.useFake(fx, orgID)
	return r
}
