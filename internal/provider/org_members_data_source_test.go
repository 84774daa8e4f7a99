package provider

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

const membersAddr = "data.circleci_org_members.test"

func membersConfig(s *fakeapi.Server, args string) string {
	return providerConfig(s) + fmt.Sprintf("data \"circleci_org_members\" \"test\" {\n%s\n}\n", args)
}

func TestAccOrgMembersDataSource_all(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: membersConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)),
			ConfigStateChecks: []statecheck.StateCheck{
				// Sorted by lower-cased login, then id; roles normalised; an
				// unknown role kept as given; empty emails null.
				statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("members"), fixtureMembers()),
				statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("logins"), stringList("alice", "bob", "bob", "Bob", "carol", "dave", "zoe")),
				statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("member_count"), knownvalue.Int64Exact(7)),
				// alice and zoe, and dave, whose role the provider does not recognise (assumed admin).
				statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("admin_count"), knownvalue.Int64Exact(3)),
				statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("unrecognized_roles"), stringList("org-security-auditor")),
				statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("organization_id"), knownvalue.StringExact(testOrgID)),
				statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("role"), knownvalue.Null()),
			},
		}},
	})
	// 7 members in pages of 3: each read walks 3 pages, with encoded tokens.
	if n := s.RequestCount(circleci.OrgRoleGrantsPath(testOrgID)); n == 0 || n%3 != 0 {
		t.Errorf("role-grants requests = %d, want a multiple of 3 (three pages per read)", n)
	}
}

func TestAccOrgMembersDataSource_roleFilter(t *testing.T) {
	s := newTestServer(t)
	org := fmt.Sprintf("organization_id = %q\n", testOrgID)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// dave's unrecognised role is assumed admin: an admin allowlist must see him.
				Config: membersConfig(s, org+`role = "admin"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("logins"), stringList("alice", "dave", "zoe")),
					statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("member_count"), knownvalue.Int64Exact(3)),
					statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("admin_count"), knownvalue.Int64Exact(3)),
				},
			},
			{
				// admin_count counts the whole organization, whatever role says.
				Config: membersConfig(s, org+`role = "contributor"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("logins"), stringList("bob", "Bob")),
					statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("member_count"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("admin_count"), knownvalue.Int64Exact(3)),
				},
			},
			{
				Config: membersConfig(s, org+`role = "viewer"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("logins"), stringList("bob", "carol")),
					statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("role"), knownvalue.StringExact("viewer")),
				},
			},
		},
	})
}

// An organization always has an admin: a listing with no member, or none
// with CircleCI's org-admin role (only a spelling the provider does not know),
// is an error, never admin_count = 0 passing an "at most N admins" check.
func TestAccOrgMembersDataSource_noAdminIsAnError(t *testing.T) {
	fx := testFixture()
	fx.Members[testOrgID] = []fakeapi.RoleGrant{
		{UserID: "6b0e0000-0000-4000-8000-00000000000a", Username: "zoe", Role: "org_admin"},
		{UserID: "6b0e0000-0000-4000-8000-00000000000c", Username: "alice", Role: "organization-admin"},
	}
	s := newFixtureServer(t, fx)
	check := `
check "few_admins" {
  assert {
    condition     = data.circleci_org_members.test.admin_count <= 3
    error_message = "too many admins"
  }
}
`
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      membersConfig(s, fmt.Sprintf("organization_id = %q", testEmptyOrgID)),
			ExpectError: expectError("Member Listing Was Not Understood", testEmptyOrgID, "listed no member at all", "at least one admin"),
		}, {
			Config:      membersConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)) + check,
			ExpectError: expectError("Member Listing Was Not Understood", "role-grants", "none is org-admin", "at least one admin"),
		}},
	})
}

func TestAccOrgMembersDataSource_providerDefaultOrganization(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)) + `data "circleci_org_members" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("organization_id"), knownvalue.StringExact(testOrgID)),
				statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("member_count"), knownvalue.Int64Exact(7)),
			},
		}, {
			// The data source's own argument wins over the provider's default.
			Config: providerConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)) +
				fmt.Sprintf(`data "circleci_org_members" "test" { organization_id = %q }`, testEmptyOrgID),
			// (that organization lists no member, which no organization can have: the error names it)
			ExpectError: expectError("Member Listing Was Not Understood", testEmptyOrgID),
		}},
	})
}

// Not parallel: t.Setenv.
func TestAccOrgMembersDataSource_organizationFromEnv(t *testing.T) {
	s := newTestServer(t)
	t.Setenv(EnvOrgID, testOrgID)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: membersConfig(s, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("organization_id"), knownvalue.StringExact(testOrgID)),
				statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("member_count"), knownvalue.Int64Exact(7)),
			},
		}},
	})
}

func TestAccOrgMembersDataSource_missingOrganization(t *testing.T) {
	s := newTestServer(t)
	t.Setenv(EnvOrgID, "")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      membersConfig(s, ""),
			ExpectError: expectError(`Missing Organization ID`, `organization_id`, `provider block`, `CIRCLECI_ORG_ID`),
		}},
	})
	if n := s.RequestCount(""); n != 0 {
		t.Errorf("requests = %d, want 0", n)
	}
}

func TestAccOrgMembersDataSource_invalidArguments(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// A slug or name instead of the UUID.
				Config:      membersConfig(s, `organization_id = "gh/acme"`),
				ExpectError: expectError(`Invalid UUID`, `organization_id`, `3f1c7b4e-0d2a-4c5e-9b8f-1a2b3c4d5e6f`, `not a name or slug`, `data source circleci_organizations lists the organizations`),
			},
			{
				// Any role string is accepted (a newer CircleCI role can be filtered on), but not an empty one.
				Config:      membersConfig(s, fmt.Sprintf("organization_id = %q\nrole = \"\"", testOrgID)),
				ExpectError: expectError(`role`, `length must be at least 1`),
			},
			{
				Config:      providerConfig(s, `organization_id = "acme"`) + `data "circleci_org_members" "test" {}`,
				ExpectError: expectError(`Invalid UUID`, `organization_id`),
			},
		},
	})
	if n := s.RequestCount(""); n != 0 {
		t.Errorf("invalid arguments must fail before any request; the fake saw %d", n)
	}
}

// The 403 names the organization's type, from the run's collaborations
// listing (regression: it said "if it is a GitHub organization" although
// the provider could know).
func TestAccOrgMembersDataSource_vcsOrganizationForbidden(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: membersConfig(s, fmt.Sprintf("organization_id = %q", testGitHubOrgID)),
			ExpectError: expectError(`CircleCI Denied Access to Organization Members`, `403`, `cannot read the members`,
				`Organization `+testGitHubOrgID+` is a GitHub (OAuth) organization (vcs_type "github"):`, `takes its members and roles from the VCS`),
		}},
	})
}

func TestAccOrgMembersDataSource_organizationNotFound(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      membersConfig(s, fmt.Sprintf("organization_id = %q", testUnknownOrgID)),
			ExpectError: expectError(`Organization Members Not Found`, `404`, `that this token can see`, `GitHub or Bitbucket`, `Organization does not exist`),
		}},
	})
	if n := s.RequestCount(circleci.OrgRoleGrantsPath(testUnknownOrgID)); n != 1 {
		t.Errorf("a 404 must not be retried: requests = %d, want 1", n)
	}
}

func TestAccOrgMembersDataSource_repeatedPageToken(t *testing.T) {
	s := newTestServer(t)
	p := circleci.OrgRoleGrantsPath(testOrgID)
	page := rolePage(`"A+/="`, testFixture().Members[testOrgID][0]) // zoe, then the same token forever
	s.Inject(fakeapi.Fault{Path: p, Times: -1, Status: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}}, Body: page})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      membersConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)),
			ExpectError: expectError(`Incomplete CircleCI Listing`, `does not return a partial one`, `page token it had already returned`),
		}},
	})
	if n := s.RequestCount(p); n != 2 {
		t.Errorf("A→A must stop at the second page: requests = %d, want 2", n)
	}
}
