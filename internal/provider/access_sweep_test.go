package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

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
	// terraform-plugin-testing runs plan and apply (and a refresh) in one
	// step: each is one provider run, so the sweep is repeated per run. Count
	// the runs by the one listing every run reads exactly once.
	runs := s.RequestCount(fakeapi.GroupsPath(testOrgID))
	if runs == 0 {
		t.Fatal("groups never listed")
	}
	want := groupsAndContextsSweep()
	for k := range want {
		want[k] *= runs
	}
	assertRequests(t, s, want)
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
