package provider

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// showOutputs runs `show -json` in dir and returns the root module's outputs.
func (r *cliRunner) showOutputs(dir string) map[string]json.RawMessage {
	r.t.Helper()
	show := r.tf(dir, "show", "-json", "-no-color")
	if show.exitCode != 0 {
		r.t.Fatalf("show -json failed\n%s", show)
	}
	var state struct {
		Values struct {
			Outputs map[string]struct {
				Value json.RawMessage `json:"value"`
			} `json:"outputs"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(show.stdout), &state); err != nil {
		r.t.Fatalf("decoding show -json: %v\n%s", err, show.stdout)
	}
	out := map[string]json.RawMessage{}
	for k, v := range state.Values.Outputs {
		out[k] = v.Value
	}
	return out
}

// examples/context-policy on the demo organization: both checks pass, the
// output maps each context to who may use it, and the ignored page token of
// monorepo-settings is a warning; then each check catches its violation.
func TestAccExamples_contextPolicy(t *testing.T) {
	t.Run("demo organization passes", func(t *testing.T) {
		h := newDemoRunner(t)
		dir := h.copyExample("context-policy")
		res := h.tf(dir, "apply", "-auto-approve", "-input=false", "-no-color")
		if res.exitCode != 0 {
			t.Fatalf("apply failed\n%s", res)
		}
		if strings.Contains(res.output(), "Check block assertion failed") {
			t.Errorf("a check failed on the compliant demo organization\n%s", res)
		}
		res.assertContains(t, "Warning: Incomplete Variable Names of Context monorepo-settings", "only the first 100 variable names")
		var users map[string][]string
		if err := json.Unmarshal(h.showOutputs(dir)["context_users"], &users); err != nil {
			t.Fatal(err)
		}
		want := map[string][]string{
			"aws-production":    {"TNguyen", "lgarcia", "zoe-park"},
			"gcp-staging":       {"dmueller", "hlee", "mchen", "oolsen"},
			"monorepo-settings": {"dmueller", "hlee", "mchen", "oolsen"},
			"npm-publish":       {"*"},
			"slack-notify":      {"*"},
		}
		if !reflect.DeepEqual(users, want) {
			t.Errorf("context_users = %v, want %v", users, want)
		}
	})

	t.Run("an open cloud credential and a wrongly restricted context warn", func(t *testing.T) {
		h := newCLIRunner(t)
		fx := fakeapi.DemoFixture()
		orgID, _, _ := demoOrganization(t, fx)
		for i, c := range fx.Contexts[orgID] {
			if c.Name == "gcp-staging" {
				fx.Contexts[orgID][i].Restrictions = nil // open to all members
			}
		}
		h.useFake(fx, orgID)
		dir := h.copyExample("context-policy")
		res := h.tf(dir, "apply", "-auto-approve", "-input=false", "-no-color", "-var=protected_group=platform-team")
		if res.exitCode != 0 {
			t.Fatalf("apply failed; a failed check must only warn\n%s", res)
		}
		res.assertContains(t,
			"Contexts holding cloud credentials are open to all members: gcp-staging.",
			"Context aws-production must be restricted to exactly the group platform-team; it is restricted to: release-managers.",
		)
	})
}

// examples/access-policy on the demo organization: the check catches the
// contributors and the viewer who administer payments-api only through the
// release-managers group, and says how.
func TestAccExamples_accessPolicy(t *testing.T) {
	h := newDemoRunner(t)
	dir := h.copyExample("access-policy")
	res := h.tf(dir, "apply", "-auto-approve", "-input=false", "-no-color")
	if res.exitCode != 0 {
		t.Fatalf("apply failed; a failed check must only warn\n%s", res)
	}
	const via = "circleci/a8d449aa-dbf3-4d64-9eb9-0982ba339340/0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6 via group:release-managers"
	res.assertContains(t, "Warning: Check block assertion failed",
		"Admins not on the allowlist: TNguyen ("+via+"); lgarcia ("+via+"); zoe-park ("+via+").")
	out := h.showOutputs(dir)
	var admins []string
	if err := json.Unmarshal(out["admin_logins"], &admins); err != nil {
		t.Fatal(err)
	}
	if want := []string{"jdoe", "lgarcia", "mchen", "RKowalski", "TNguyen", "zoe-park"}; !reflect.DeepEqual(admins, want) {
		t.Errorf("admin_logins = %v, want %v", admins, want)
	}
	var users map[string][]string
	if err := json.Unmarshal(out["context_users"], &users); err != nil {
		t.Fatal(err)
	}
	if want := []string{"jdoe", "lgarcia", "mchen", "RKowalski", "TNguyen", "zoe-park"}; !reflect.DeepEqual(users["aws-production"], want) {
		t.Errorf("context_users[aws-production] = %v, want %v", users["aws-production"], want)
	}
	if len(users["npm-publish"]) != 22 { // 25 members less gRossi and YukiTanaka (viewers everywhere) and sec-audit-bot (a viewer at most)
		t.Errorf("context_users[npm-publish] has %d logins: %v", len(users["npm-publish"]), users["npm-publish"])
	}

	// With the group-granted admins allowed, the check passes.
	res = h.tf(dir, "apply", "-auto-approve", "-input=false", "-no-color",
		`-var=admin_allowlist=["jdoe","mchen","RKowalski","lgarcia","TNguyen","zoe-park"]`)
	if res.exitCode != 0 || strings.Contains(res.output(), "Check block assertion failed") {
		t.Errorf("the check failed with every admin allowed\n%s", res)
	}
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
