package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

func TestOrganizationToModel(t *testing.T) {
	got := organizationToModel(&circleci.Organization{ID: "i", Name: "acme", Slug: "gh/acme", VCSType: "github"})
	want := OrganizationDataSourceModel{ID: types.StringValue("i"), Name: types.StringValue("acme"),
		Slug: types.StringValue("gh/acme"), VCSType: types.StringValue("github")}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

const orgAddr = "data.circleci_organization.test"

// testOrgSlug is the slug of testOrgID in the acceptance fixture.
const testOrgSlug = "circleci/Xy12AbCd"

func orgConfig(s *fakeapi.Server, args string) string {
	return providerConfig(s) + fmt.Sprintf("data \"circleci_organization\" \"test\" {\n%s\n}\n", args)
}

func orgChecks(id, name, slug, vcs string) []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(orgAddr, tfjsonpath.New("id"), knownvalue.StringExact(id)),
		statecheck.ExpectKnownValue(orgAddr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
		statecheck.ExpectKnownValue(orgAddr, tfjsonpath.New("slug"), knownvalue.StringExact(slug)),
		statecheck.ExpectKnownValue(orgAddr, tfjsonpath.New("vcs_type"), knownvalue.StringExact(vcs)),
	}
}

func TestAccOrganizationDataSource_lookups(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// A standalone organization by slug: the slug goes out path-escaped.
				Config:            orgConfig(s, fmt.Sprintf("slug = %q", testOrgSlug)),
				ConfigStateChecks: orgChecks(testOrgID, "acme-std", testOrgSlug, "circleci"),
			},
			{
				Config:            orgConfig(s, fmt.Sprintf("id = %q", testGitHubOrgID)),
				ConfigStateChecks: orgChecks(testGitHubOrgID, "acme", "gh/acme", "github"),
			},
			{
				// Matched as CircleCI matches it; the state holds CircleCI's own slug.
				Config:            orgConfig(s, `slug = "github/ACME"`),
				ConfigStateChecks: orgChecks(testGitHubOrgID, "acme", "gh/acme", "github"),
			},
		},
	})
	if s.RequestCount(fakeapi.OrganizationRequestPath(testOrgSlug)) == 0 {
		t.Error("the slug was never requested as one escaped path segment")
	}
}

func TestAccOrganizationDataSource_notFound(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: orgConfig(s, `slug = "gh/nobody"`),
			ExpectError: expectError("CircleCI Organization Not Found", "404", `"gh/nobody" does not exist, or the token cannot see it`,
				"circleci_organizations", fakeapi.MsgOrgNotFoundV2),
		}},
	})
	if n := s.RequestCount(fakeapi.OrganizationRequestPath("gh/nobody")); n != 1 {
		t.Errorf("a 404 must not be retried: requests = %d, want 1", n)
	}
}

// Argument errors are attribute errors at plan time, before any request.
func TestAccOrganizationDataSource_invalidArguments(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      orgConfig(s, fmt.Sprintf("id = %q\nslug = %q", testOrgID, testOrgSlug)),
				ExpectError: expectError("Invalid Attribute Combination", `with data.circleci_organization.test`, `id = "`+testOrgID, "[id,slug]", "not both"),
			},
			{
				Config:      orgConfig(s, ""),
				ExpectError: expectError("Missing Attribute Configuration", `with data.circleci_organization.test`, "[id,slug]", "not both"),
			},
			{
				Config:      orgConfig(s, `id = "acme"`),
				ExpectError: expectError("Invalid UUID", `with data.circleci_organization.test`, `id = "acme"`, "not a name or slug"),
			},
			{
				Config:      orgConfig(s, `slug = "acme"`),
				ExpectError: expectError("Invalid Organization Slug", `with data.circleci_organization.test`, `slug = "acme"`, "gh/acme"),
			},
		},
	})
	if n := s.RequestCount(""); n != 0 {
		t.Errorf("invalid arguments must fail before any request; the fake saw %d", n)
	}
}
