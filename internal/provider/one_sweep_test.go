package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

func TestAccOrgMembersDataSource_includeUserDetails(t *testing.T) {
	s := newTestServer(t)
	userLookups := func() (n int) {
		for _, r := range s.Requests() {
			if strings.HasPrefix(r.Path, "/api/v2/user/") {
				n++
			}
		}
		return n
	}
	var lookupsBefore int
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: membersConfig(s, fmt.Sprintf("organization_id = %q\ninclude_user_details = true", testOrgID)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("members").AtSliceIndex(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id": knownvalue.StringExact("6b0e0000-0000-4000-8000-00000000000c"), "login": knownvalue.StringExact("alice"),
					"email": knownvalue.StringExact("alice@example.com"), "role": knownvalue.StringExact("admin"),
					"name": knownvalue.StringExact("Alice A"), "vcs_login": knownvalue.StringExact("alice-gh"),
				})),
				// An empty name is null, like an empty email.
				statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("members").AtSliceIndex(4).AtMapKey("name"), knownvalue.Null()),
				statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("members").AtSliceIndex(4).AtMapKey("vcs_login"), knownvalue.StringExact("carol-gh")),
			},
		}, {
			// Without it, both stay null and no user is looked up.
			PreConfig: func() { lookupsBefore = userLookups() },
			Config:    membersConfig(s, fmt.Sprintf("organization_id = %q\nrole = \"admin\"", testOrgID)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("members").AtSliceIndex(0).AtMapKey("name"), knownvalue.Null()),
				statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("members").AtSliceIndex(0).AtMapKey("vcs_login"), knownvalue.Null()),
				checkFunc(func() error {
					if n := userLookups() - lookupsBefore; n != 0 {
						return fmt.Errorf("%d user lookups without include_user_details, want 0", n)
					}
					return nil
				}),
			},
		}},
	})
	for _, id := range []string{"6b0e0000-0000-4000-8000-00000000000c", "6b0e0000-0000-4000-8000-000000000001"} {
		if s.RequestCount("/api/v2/user/"+id) == 0 {
			t.Errorf("user %s was never looked up", id)
		}
	}
}

func TestAccOrgMembersDataSource_userLookupFails(t *testing.T) {
	// A 404 is a deleted user (null details and a warning, see
	// fail_closed_test.go); any other failure of one lookup fails the read.
	s := newTestServer(t)
	s.Inject(fakeapi.Fault{Path: fakeapi.UserPath("6b0e0000-0000-4000-8000-00000000000a"), Times: -1, Status: 403, Body: `{"message":"Permission denied."}`})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      membersConfig(s, fmt.Sprintf("organization_id = %q\ninclude_user_details = true", testOrgID)),
			ExpectError: expectError("CircleCI Denied Access to User 6b0e0000-0000-4000-8000-00000000000a", "user 6b0e0000-0000-4000-8000-00000000000a", "Permission denied"),
		}},
	})
}

// sweepRequests runs one test case with the given data sources and returns
// the requests the fake saw per endpoint.
func sweepRequests(t *testing.T, dataSources string) (members, orgs int) {
	t.Helper()
	s := newTestServer(t)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)) + dataSources,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.circleci_org_members.all", tfjsonpath.New("member_count"), knownvalue.Int64Exact(7)),
			},
		}},
	})
	return s.RequestCount(circleci.OrgRoleGrantsPath(testOrgID)), s.RequestCount("/api/v2/me/collaborations")
}

// Several data sources on one organization in one run share one API sweep:
// the same run with five of them costs what it costs with one.
func TestAccOneSweepPerOrganization(t *testing.T) {
	oneM, oneO := sweepRequests(t, `
data "circleci_org_members" "all" {}
data "circleci_organizations" "all" {}
`)
	fiveM, fiveO := sweepRequests(t, `
data "circleci_org_members" "all" {}
data "circleci_org_members" "admins" { role = "admin" }
data "circleci_org_members" "contributors" { role = "contributor" }
data "circleci_org_members" "viewers" { role = "viewer" }
data "circleci_org_members" "again" {}
data "circleci_organizations" "all" {}
data "circleci_organizations" "standalone" { vcs_type = "circleci" }
`)
	if oneM == 0 || oneM%3 != 0 {
		t.Fatalf("one data source: %d role-grants requests, want a positive multiple of 3 pages", oneM)
	}
	if fiveM != oneM || fiveO != oneO {
		t.Errorf("five member data sources made %d role-grants and %d collaborations requests; one made %d and %d: want equal",
			fiveM, fiveO, oneM, oneO)
	}
}

// assertSweepPerRun fails unless the fake saw exactly perRun requests per
// path in each provider run: terraform-plugin-testing runs plan, apply and a
// refresh in one step, each a provider run (its own sweep), counted by probe,
// a path every run reads exactly once.
func assertSweepPerRun(t *testing.T, s *fakeapi.Server, probe string, perRun map[string]int) {
	t.Helper()
	runs := s.RequestCount(probe)
	if runs == 0 {
		t.Fatalf("%s never read: no run to count", probe)
	}
	want := make(map[string]int, len(perRun))
	for k, n := range perRun {
		want[k] = n * runs
	}
	assertRequests(t, s, want)
}

// assertRequests fails unless the fake saw exactly want requests per path.
func assertRequests(t *testing.T, s *fakeapi.Server, want map[string]int) {
	t.Helper()
	total := 0
	for path, n := range want {
		total += n
		if got := s.RequestCount(path); got != n {
			t.Errorf("%s: %d requests, want %d", path, got, n)
		}
	}
	if got := s.RequestCount(""); got != total {
		t.Errorf("%d requests in all, want exactly %d: %v", got, total, s.Requests())
	}
}

// groupsAndContextsSweep is one sweep of the fixture's groups and contexts:
// each page of each listing and each fan-out request once.
func groupsAndContextsSweep() map[string]int {
	want := map[string]int{
		fakeapi.GroupsPath(testOrgID): 1,
		fakeapi.PathContexts:          3, // three pages
	}
	for _, g := range []string{testGroupReleaseManagers, testGroupAuditors, testGroupPlatform} {
		want[fakeapi.GroupMembersPath(testOrgID, g)] = 1
	}
	for _, c := range []string{testContextAWSProd, testContextShared, testContextAllMembers, testContextBig, testContextOdd,
		testContextDeployWeb, testContextMainOnly, testContextStaging} {
		want[fakeapi.ContextRestrictionsPath(c)] = 1
		want[fakeapi.ContextEnvVarsPath(c)] = 1
	}
	want[fakeapi.ContextEnvVarsPath(testContextBig)] = 2 // the first page, then the first page again
	return want
}

// Two data sources of each kind on one organization in one run cost one
// sweep of each listing.
func TestAccOneSweepGroupsAndContexts(t *testing.T) {
	s := newTestServer(t)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)) + fmt.Sprintf(`
data "circleci_groups" "a" {}
data "circleci_groups" "b" {
  organization_id = %q
  include_members = false
}
data "circleci_contexts" "a" {}
data "circleci_contexts" "b" {
  name = "aws-prod"
}
data "circleci_contexts" "c" {
  include_environment_variables = false
}
`, testOrgID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.circleci_groups.a", tfjsonpath.New("groups"), knownvalue.ListSizeExact(3)),
				statecheck.ExpectKnownValue("data.circleci_groups.b", tfjsonpath.New("groups"), knownvalue.ListSizeExact(3)),
				statecheck.ExpectKnownValue("data.circleci_contexts.a", tfjsonpath.New("contexts"), knownvalue.ListSizeExact(8)),
				statecheck.ExpectKnownValue("data.circleci_contexts.b", tfjsonpath.New("contexts"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("data.circleci_contexts.c", tfjsonpath.New("contexts"), knownvalue.ListSizeExact(8)),
			},
		}},
	})
	want := groupsAndContextsSweep()
	assertSweepPerRun(t, s, fakeapi.GroupsPath(testOrgID), want)
}

// accessErrorCase is one failure of an access data source: the organization
// it reads, a fault (applied as given, if any), and the parts the CLI's error
// must show, in order.
type accessErrorCase struct {
	name  string
	org   string
	fault *fakeapi.Fault
	want  []string
}

// runAccessErrorCases runs each case as one failing step of config(s, org).
func runAccessErrorCases(t *testing.T, config func(s *fakeapi.Server, org string) string, cases []accessErrorCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			if tc.fault != nil {
				s.Inject(*tc.fault)
			}
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: config(s, tc.org), ExpectError: expectError(tc.want...)}},
			})
		})
	}
}
