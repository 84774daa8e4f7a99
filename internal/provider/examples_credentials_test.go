package provider

import (
	"strings"
	"testing"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// examples/credentials-policy warns on an organization that breaks each rule,
// and is silent on one that keeps both.
func TestAccExamples_credentialsPolicy(t *testing.T) {
	const bob, gone = "6b0e0000-0000-4000-8000-00000000000b", "6b0e0000-0000-4000-8000-0000000000ff"
	run := func(t *testing.T, fx *fakeapi.Fixture) cliResult {
		t.Helper()
		h := newCLIRunner(t)
		h.useFake(fx, testOrgID)
		dir := h.copyExample("credentials-policy")
		res := h.tf(dir, "apply", "-auto-approve", "-input=false", "-no-color")
		if res.exitCode != 0 {
			t.Fatalf("apply failed; a broken rule must only warn\n%s", res)
		}
		return res
	}
	t.Run("an all-scope token and a schedule run as an admin", func(t *testing.T) {
		res := run(t, testFixture())
		res.assertContains(t, "Check block assertion failed",
			"Projects hold API tokens with the all (Admin) scope: "+testSlugAPI+" token a1b2c3d4e5.",
			"Schedules run as organization admins: "+testSlugWeb+" schedule weekly (user 6b0e0000-0000-4000-8000-00000000000c).",
		)
		if strings.Contains(res.output(), "not members of the organization") {
			t.Errorf("every actor is a member, yet the check warns\n%s", res)
		}
		if strings.Contains(res.output(), apiTokenCanary) {
			t.Errorf("the output holds the API token\n%s", res)
		}
	})
	t.Run("a scheduled trigger runs as a departed user", func(t *testing.T) {
		fx := testFixture()
		trig := fx.ProjectTriggers[testProjectAPI]
		trig.Definitions[0].Triggers[2].AttributionActorID = gone
		fx.ProjectTriggers[testProjectAPI] = trig
		res := run(t, fx)
		res.assertContains(t, "Schedules run as users who are not members of the organization: "+
			testSlugAPI+" build trigger "+testTriggerCron+" (user "+gone+").")
	})
	t.Run("both rules kept: no warning", func(t *testing.T) {
		fx := testFixture()
		creds := fx.ProjectCredentials[testProjectAPI]
		creds.APITokens[0].Scope = "view-builds"
		fx.ProjectCredentials[testProjectAPI] = creds
		trig := fx.ProjectTriggers[testProjectWeb]
		trig.Schedules[0].Actor = fakeapi.User{ID: bob, Login: "Bob", Name: "Bob B"}
		fx.ProjectTriggers[testProjectWeb] = trig
		res := run(t, fx)
		if strings.Contains(res.output(), "Check block assertion failed") {
			t.Fatalf("want a silent apply on a compliant organization\n%s", res)
		}
		res.assertContains(t, testSlugWeb+" schedule weekly", bob)
	})
}
