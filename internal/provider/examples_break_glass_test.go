package provider

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// examples/break-glass on the demo fixture's standalone organization (named
// by its slug): the check passes when the break-glass account is an admin
// and every member is allowed, and warns, naming who, when either fails.
func TestAccExamples_breakGlass(t *testing.T) {
	h := newExamplesHarness(t)
	fx := fakeapi.DemoFixture()
	orgID, grants, admins := examplesDemoOrganization(t, fx)
	h.useFake(fx, "")
	slug := ""
	for _, c := range fx.Collaborations {
		if c.ID != nil && *c.ID == orgID {
			slug = c.Slug
		}
	}
	logins := make([]string, 0, len(grants))
	for _, g := range grants {
		logins = append(logins, g.Username)
	}
	allow := func(ls []string) string {
		b, err := json.Marshal(ls)
		if err != nil {
			t.Fatal(err)
		}
		return "-var=member_allowlist=" + string(b)
	}
	apply := func(t *testing.T, breakGlass string, allowlist []string) examplesResult {
		t.Helper()
		dir := h.copyExample("break-glass")
		res := h.tf(dir, "apply", "-auto-approve", "-input=false", "-no-color",
			"-var=organization_slug="+slug, "-var=break_glass_login="+breakGlass, allow(allowlist))
		if res.exitCode != 0 {
			t.Fatalf("apply failed; a failed check must only warn\n%s", res)
		}
		return res
	}

	t.Run("compliant organization passes", func(t *testing.T) {
		// The lookup ignores case; the allowlist too, in lower case.
		lower := make([]string, len(logins))
		for i, l := range logins {
			lower[i] = strings.ToLower(l)
		}
		res := apply(t, strings.ToUpper(admins[0]), lower)
		if strings.Contains(res.output(), "Check block assertion failed") {
			t.Errorf("a check failed for an organization that meets the policy\n%s", res)
		}
		examplesAssertContains(t, res, `organization_id = "`+orgID+`"`, `break_glass_role = "admin"`)
	})

	t.Run("break-glass not an admin, and members outside the allowlist", func(t *testing.T) {
		var allowlist []string
		for _, l := range logins {
			if l != "RKowalski" && l != "ci-deploy" {
				allowlist = append(allowlist, l)
			}
		}
		res := apply(t, "zoe-park", allowlist)
		examplesAssertContains(t, res,
			"Warning: Check block assertion failed",
			"The break-glass account zoe-park is a contributor of "+slug+", not an admin.",
			"Members of "+slug+" outside the allowlist: RKowalski, ci-deploy.",
		)
		if n := strings.Count(res.output(), "Check block assertion failed"); n != 2 {
			t.Errorf("want 2 failed assertions, got %d\n%s", n, res)
		}
	})

	t.Run("break-glass account gone", func(t *testing.T) {
		res := apply(t, "break-glass", logins)
		examplesAssertContains(t, res, "The break-glass account break-glass is not a member of "+slug+".")
		if n := strings.Count(res.output(), "Check block assertion failed"); n != 1 {
			t.Errorf("want 1 failed assertion, got %d\n%s", n, res)
		}
	})
}
