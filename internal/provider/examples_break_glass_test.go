package provider

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// examples/break-glass on the demo fixture's standalone organization (named
// by its slug), plan only: the check passes when the break-glass account
// (by id) is an admin and every member's id is allowed, and warns, naming
// who by login and id, when either fails.
func TestAccExamples_breakGlass(t *testing.T) {
	h := newCLIRunner(t)
	fx := fakeapi.DemoFixture()
	orgID, grants, admins := demoOrganization(t, fx)
	h.useFake(fx, "")
	slug := ""
	for _, c := range fx.Collaborations {
		if c.ID != nil && *c.ID == orgID {
			slug = c.Slug
		}
	}
	id := map[string]string{}
	ids := make([]string, 0, len(grants))
	for _, g := range grants {
		id[g.Username] = g.UserID
		ids = append(ids, g.UserID)
	}
	allow := func(ls []string) string {
		b, err := json.Marshal(ls)
		if err != nil {
			t.Fatal(err)
		}
		return "-var=member_allowlist=" + string(b)
	}
	plan := func(t *testing.T, breakGlass string, allowlist []string) cliResult {
		t.Helper()
		dir := h.copyExample("break-glass")
		res, _ := h.planOutputs(dir, "-var=organization_slug="+slug, "-var=break_glass_id="+breakGlass, allow(allowlist))
		if res.exitCode != 0 {
			t.Fatalf("plan failed; a failed check must only warn\n%s", res)
		}
		return res
	}

	t.Run("compliant organization passes", func(t *testing.T) {
		// UUIDs are compared without case.
		upper := make([]string, len(ids))
		for i, l := range ids {
			upper[i] = strings.ToUpper(l)
		}
		res := plan(t, strings.ToUpper(id[admins[0]]), upper)
		if strings.Contains(res.output(), "Check block assertion failed") {
			t.Errorf("a check failed for an organization that meets the policy\n%s", res)
		}
		res.assertContains(t, `organization_id = "`+orgID+`"`, `break_glass_role = "admin"`)
	})

	t.Run("break-glass not an admin, and members outside the allowlist", func(t *testing.T) {
		var allowlist []string
		for l, i := range id {
			if l != "RKowalski" && l != "ci-deploy" {
				allowlist = append(allowlist, i)
			}
		}
		res := plan(t, id["zoe-park"], allowlist)
		res.assertContains(t,
			"Warning: Check block assertion failed",
			"The break-glass account zoe-park ("+id["zoe-park"]+") is a contributor of "+slug+", not an admin.",
			"Members of "+slug+" outside the allowlist: ci-deploy ("+id["ci-deploy"]+"), RKowalski ("+id["RKowalski"]+").", // sorted like the members: by lower-cased login
		)
		if n := strings.Count(res.output(), "Check block assertion failed"); n != 2 {
			t.Errorf("want 2 failed assertions, got %d\n%s", n, res)
		}
	})

	t.Run("break-glass account gone", func(t *testing.T) {
		const gone = "0b0b0b0b-0000-4000-8000-000000000000"
		res := plan(t, gone, ids)
		res.assertContains(t, "The break-glass account "+gone+" is not a member of "+slug+".")
		if n := strings.Count(res.output(), "Check block assertion failed"); n != 1 {
			t.Errorf("want 1 failed assertion, got %d\n%s", n, res)
		}
	})
}

// The circleci_me, circleci_organization and circleci_org_member snippets,
// applied with the provider page's example on the demo fixture: their
// placeholder slug, id and logins become the fake's.
func TestAccExamples_lookupSnippets(t *testing.T) {
	orgID, _, _ := useDemoFake(t)
	const slug = "circleci/Ve0xaECeuiI5JBhI5VlM52" // the demo's standalone organization
	provider := readExample(t, "provider")
	vars := config.Variables{"circleci_token": config.StringVariable("unused: the aliased provider is not used")}
	snippet := func(rel string) string {
		return provider + strings.NewReplacer("3f1c7b4e-0d2a-4c5e-9b8f-1a2b3c4d5e6f", orgID, "circleci/AcmeStd", slug,
			`"audit-bot"`, `"jdoe"`, `"break-glass"`, `"mchen"`).Replace(readExample(t, rel))
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:          snippet("data-sources/circleci_me"),
			ConfigVariables: vars,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.circleci_me.current", tfjsonpath.New("login"), knownvalue.StringExact("jdoe")),
			},
		}, {
			Config:          snippet("data-sources/circleci_organization"),
			ConfigVariables: vars,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("acme", knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id": knownvalue.StringExact(orgID), "name": knownvalue.StringExact("acme-platform"), "vcs_type": knownvalue.StringExact("circleci")})),
				statecheck.ExpectKnownValue("data.circleci_organization.by_id", tfjsonpath.New("slug"), knownvalue.StringExact(slug)),
			},
		}, {
			Config:          snippet("data-sources/circleci_org_member"),
			ConfigVariables: vars,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.circleci_org_member.break_glass", tfjsonpath.New("role"), knownvalue.StringExact("admin")),
				statecheck.ExpectKnownValue("data.circleci_org_member.contractor", tfjsonpath.New("found"), knownvalue.Bool(false)),
			},
		}},
	})
}
