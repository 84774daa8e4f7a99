package provider

import (
	"fmt"
	"net/http"
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

// An OAuth (GitHub) organization reads as an empty list, as CircleCI answers it.
func TestAccGroupsDataSource_oauthOrganization(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: groupsConfig(s, fmt.Sprintf("organization_id = %q", testGitHubOrgID)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(groupsAddr, tfjsonpath.New("groups"), knownvalue.ListSizeExact(0)),
			},
		}},
	})
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
		{name: "groups without items", org: testOrgID,
			fault: &fakeapi.Fault{Times: -1, Path: fakeapi.GroupsPath(testOrgID), Status: http.StatusOK, Body: `{"items":[{"name":"no id"}],"next_page_token":null}`},
			want:  []string{"Unreadable CircleCI Response", "/api/v2/organizations/" + testOrgID + "/groups", "no UUID id"}},
	}
	runAccessErrorCases(t, func(s *fakeapi.Server, org string) string {
		return groupsConfig(s, fmt.Sprintf("organization_id = %q", org))
	}, cases)
}
