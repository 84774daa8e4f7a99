package provider

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

const groupsAddr = "data.circleci_groups.test"

func groupsConfig(s *fakeapi.Server, args string) string {
	return providerConfig(s) + fmt.Sprintf("\ndata \"circleci_groups\" \"test\" {\n%s\n}\n", args)
}

func groupMember(id, login string, email any) knownvalue.Check {
	var e knownvalue.Check = knownvalue.Null()
	if s, ok := email.(string); ok {
		e = knownvalue.StringExact(s)
	}
	return knownvalue.ObjectExact(map[string]knownvalue.Check{"id": knownvalue.StringExact(id), "login": knownvalue.StringExact(login), "email": e})
}

func group(id, name string, description any, members ...knownvalue.Check) knownvalue.Check {
	var d knownvalue.Check = knownvalue.Null()
	if s, ok := description.(string); ok {
		d = knownvalue.StringExact(s)
	}
	var m, count knownvalue.Check = knownvalue.Null(), knownvalue.Null()
	if members != nil {
		m, count = knownvalue.ListExact(members), knownvalue.Int64Exact(int64(len(members)))
	}
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id": knownvalue.StringExact(id), "name": knownvalue.StringExact(name), "description": d, "members": m, "member_count": count,
	})
}

func TestAccGroupsDataSource_basic(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: groupsConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(groupsAddr, tfjsonpath.New("organization_id"), knownvalue.StringExact(testOrgID)),
				statecheck.ExpectKnownValue(groupsAddr, tfjsonpath.New("include_members"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(groupsAddr, tfjsonpath.New("groups"), knownvalue.ListExact([]knownvalue.Check{
					group(testGroupAuditors, "Auditors", "Read-only reviewers",
						groupMember("6b0e0000-0000-4000-8000-00000000000e", "dave", "dave@example.com"),
						groupMember(testUserErin, "erin", "erin@example.com")),
					group(testGroupPlatform, "platform", nil,
						groupMember("6b0e0000-0000-4000-8000-000000000001", "bob", "bob1@example.com")), // listed twice by the API
					group(testGroupReleaseManagers, "release-managers", "Ship to production",
						groupMember("6b0e0000-0000-4000-8000-00000000000b", "Bob", nil),
						groupMember("6b0e0000-0000-4000-8000-00000000000d", "carol", nil)),
				})),
			},
		}},
	})
}

func TestAccGroupsDataSource_withoutMembers(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			// The provider's default organization, no members.
			Config: providerConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)) + `
data "circleci_groups" "test" {
  include_members = false
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(groupsAddr, tfjsonpath.New("organization_id"), knownvalue.StringExact(testOrgID)),
				statecheck.ExpectKnownValue(groupsAddr, tfjsonpath.New("groups"), knownvalue.ListExact([]knownvalue.Check{
					group(testGroupAuditors, "Auditors", "Read-only reviewers"),
					group(testGroupPlatform, "platform", nil),
					group(testGroupReleaseManagers, "release-managers", "Ship to production"),
				})),
			},
		}},
	})
	if n := s.RequestCount(fakeapi.GroupMembersPath(testOrgID, testGroupAuditors)); n != 0 {
		t.Errorf("include_members = false read group members (%d requests)", n)
	}
}

// Regression: an OAuth (GitHub or Bitbucket) organization read as an empty
// list, so a policy concluded "nobody" for a context restricted to a team.
// CircleCI does not list its groups: groups is null there (the warning is
// TestAccGroupsDataSource_oauthWarning's), while a standalone organization
// without groups keeps its empty list.
func TestAccGroupsDataSource_oauthOrganization(t *testing.T) {
	s := newTestServer(t)
	const bitbucketOrgID = "7a7a7a7a-1111-4222-8333-444455556666"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(s) + fmt.Sprintf(`
data "circleci_groups" "github" {
  organization_id = %q
}

data "circleci_groups" "bitbucket" {
  organization_id = %q
}

data "circleci_groups" "standalone_without_groups" {
  organization_id = %q
}
`, testGitHubOrgID, bitbucketOrgID, testEmptyOrgID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.circleci_groups.github", tfjsonpath.New("groups"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.circleci_groups.github", tfjsonpath.New("organization_id"), knownvalue.StringExact(testGitHubOrgID)),
				statecheck.ExpectKnownValue("data.circleci_groups.bitbucket", tfjsonpath.New("groups"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.circleci_groups.standalone_without_groups", tfjsonpath.New("groups"), knownvalue.ListSizeExact(0)),
			},
		}},
	})
	// The organizations' types come from each run's one listing of the
	// token's user's organizations, shared by the three data sources: as
	// many requests to it as runs, i.e. as reads of one organization's groups.
	if n, runs := s.RequestCount(collabPath), s.RequestCount(fakeapi.GroupsPath(testGitHubOrgID)); n != runs || n == 0 {
		t.Errorf("%d requests to %s in %d runs, want one per run", n, collabPath, runs)
	}
}

// The warning on an OAuth organization names its type and where it was
// read, and says what to use instead (terraform-plugin-testing does not
// show warnings: the CLI runner does).
func TestAccGroupsDataSource_oauthWarning(t *testing.T) {
	r := newCLIRunner(t)
	r.useFake(testFixture(), testGitHubOrgID)
	dir := t.TempDir()
	cfg := `terraform {
  required_providers {
    circleci = { source = "circleci-access/circleci" }
  }
}

data "circleci_groups" "github" {}

output "groups_is_null" {
  value = data.circleci_groups.github.groups == null
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	res := r.tf(dir, "plan", "-input=false", "-no-color")
	if res.exitCode != 0 {
		t.Fatalf("plan failed; the OAuth organization must only warn\n%s", res)
	}
	res.assertContains(t,
		"Warning: CircleCI Does Not List the Groups of This Organization",
		"Organization "+testGitHubOrgID+` is a GitHub (OAuth) organization (vcs_type "github", from GET /api/v2/me/collaborations)`,
		"groups is therefore null, not an empty list",
		"github_team",
		"groups_is_null = true",
	)
}

func TestAccGroupsDataSource_errors(t *testing.T) {
	cases := []accessErrorCase{
		{name: "unknown organization: 403", org: testUnknownOrgID,
			want: []string{"CircleCI Denied Access to Groups", "403", "cannot read the groups of organization " + testUnknownOrgID, "Permission denied."}},
		{name: "group members 404", org: testOrgID,
			fault: &fakeapi.Fault{Times: -1, Path: fakeapi.GroupMembersPath(testOrgID, testGroupPlatform), Status: http.StatusNotFound, Body: `{"message":"Not found."}`},
			want:  []string{"CircleCI Group Members Not Found", "deleted during the run", "include_members = false", "does not document this endpoint", "/groups/" + testGroupPlatform + "/users"}},
		{name: "group members 403", org: testOrgID,
			fault: &fakeapi.Fault{Times: -1, Path: fakeapi.GroupMembersPath(testOrgID, testGroupAuditors), Status: http.StatusForbidden, Body: `{"message":"Permission denied."}`},
			want:  []string{"CircleCI Denied Access to Group Members", "organization admin", "does not document this endpoint"}},
		{name: "group members 400", org: testOrgID,
			fault: &fakeapi.Fault{Times: -1, Path: fakeapi.GroupMembersPath(testOrgID, testGroupAuditors), Status: http.StatusBadRequest, Body: `{"message":"Endpoint is not supported for this organization."}`},
			want:  []string{"CircleCI Refused to List Group Members", "standalone organizations", "Endpoint is not supported for this organization."}},
		{name: "empty groups, type unreadable", org: "88888888-8888-4888-8888-888888888888",
			fault: &fakeapi.Fault{Times: -1, Path: fakeapi.GroupsPath("88888888-8888-4888-8888-888888888888"), Status: http.StatusOK, Body: `{"items":[],"next_page_token":null}`},
			want: []string{"CircleCI Organization Type Not Found", "could not read the organization's type", "GitHub and Bitbucket organizations",
				"Cause:", "/api/v2/organization/88888888-8888-4888-8888-888888888888"}},
		{name: "groups without items", org: testOrgID,
			fault: &fakeapi.Fault{Times: -1, Path: fakeapi.GroupsPath(testOrgID), Status: http.StatusOK, Body: `{"items":[{"name":"no id"}],"next_page_token":null}`},
			want:  []string{"Unreadable CircleCI Response", "/api/v2/organizations/" + testOrgID + "/groups", "no UUID id"}},
	}
	runAccessErrorCases(t, func(s *fakeapi.Server, org string) string {
		return groupsConfig(s, fmt.Sprintf("organization_id = %q", org))
	}, cases)
}
