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

func project(id, slug, name string) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id": knownvalue.StringExact(id), "slug": knownvalue.StringExact(slug), "name": knownvalue.StringExact(name),
	})
}

func TestAccProjectsDataSource_basic(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)) + `
data "circleci_projects" "test" {}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.circleci_projects.test", tfjsonpath.New("organization_id"), knownvalue.StringExact(testOrgID)),
				statecheck.ExpectKnownValue("data.circleci_projects.test", tfjsonpath.New("projects"), knownvalue.ListExact([]knownvalue.Check{
					project(testProjectAPI, "circleci/"+testOrgID+"/"+testProjectAPI, "api"),
					project(testProjectInfra, "circleci/"+testOrgID+"/"+testProjectInfra, "infra"),
					project(testProjectDocs, "gh/acme-std/Docs", "Docs"),
					project(testProjectWeb, "gh/acme-std/web", "web"),
				})),
				statecheck.ExpectKnownValue("data.circleci_projects.test", tfjsonpath.New("ids"),
					stringList(testProjectAPI, testProjectInfra, testProjectDocs, testProjectWeb)),
			},
		}},
	})
	// Two pages per run, each asked with page-size=50.
	for _, r := range s.Requests() {
		if r.Path == fakeapi.PathProjects && r.RawQuery != "organization-id="+testOrgID+"&page-size=50" && r.PageToken == "" {
			t.Errorf("projects request %q, want organization-id and page-size=50", r.RawQuery)
		}
	}
	if n := s.RequestCount(fakeapi.PathProjects); n == 0 || n%2 != 0 {
		t.Errorf("%d projects requests, want 2 pages per run", n)
	}
}

func TestAccProjectsDataSource_errors(t *testing.T) {
	cases := []accessErrorCase{
		{name: "unknown organization: 403", org: testUnknownOrgID,
			want: []string{"CircleCI Denied Access to Projects", "cannot list the projects of organization " + testUnknownOrgID, "does not document this endpoint"}},
		{name: "page 2 fails", org: testOrgID,
			fault: &fakeapi.Fault{Path: fakeapi.PathProjects, Skip: 1, Times: -1, Status: http.StatusInternalServerError, Body: `{"message":"Internal server error."}`},
			want:  []string{"CircleCI Server Error", "/api/private/project", "page 2"}},
		{name: "project without an id", org: testOrgID,
			fault: &fakeapi.Fault{Path: fakeapi.PathProjects, Times: -1, Status: http.StatusOK, Body: `{"items":[{"slug":"gh/a/b","name":"b"}],"next_page_token":""}`},
			want:  []string{"Unreadable CircleCI Response", "no UUID id"}},
	}
	runAccessErrorCases(t, func(s *fakeapi.Server, org string) string {
		return providerConfig(s, "max_retries = 0") + fmt.Sprintf("data \"circleci_projects\" \"test\" {\n  organization_id = %q\n}\n", org)
	}, cases)
}

func projectMember(id, login string, email any, role string) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id": knownvalue.StringExact(id), "login": knownvalue.StringExact(login), "email": optString(email), "role": knownvalue.StringExact(role),
	})
}

func optString(v any) knownvalue.Check {
	if s, ok := v.(string); ok {
		return knownvalue.StringExact(s)
	}
	return knownvalue.Null()
}

func TestAccProjectMembersDataSource_basic(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)) + fmt.Sprintf(`
data "circleci_project_members" "api" {
  project_id = %q
}

data "circleci_project_members" "web" {
  organization_id = %q
  project_id      = %q
}
`, testProjectAPI, testOrgID, testProjectWeb),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.circleci_project_members.api", tfjsonpath.New("organization_id"), knownvalue.StringExact(testOrgID)),
				statecheck.ExpectKnownValue("data.circleci_project_members.api", tfjsonpath.New("members"), knownvalue.ListExact([]knownvalue.Check{
					projectMember("6b0e0000-0000-4000-8000-00000000000b", "Bob", nil, "admin"),
				})),
				statecheck.ExpectKnownValue("data.circleci_project_members.api", tfjsonpath.New("groups"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": knownvalue.StringExact(testGroupReleaseManagers), "name": knownvalue.StringExact("release-managers"), "role": knownvalue.StringExact("admin"),
					}),
				})),
				statecheck.ExpectKnownValue("data.circleci_project_members.web", tfjsonpath.New("members"), knownvalue.ListExact([]knownvalue.Check{
					projectMember("6b0e0000-0000-4000-8000-000000000001", "bob", "bob1@example.com", "contributor"), // PROJECT-CONTRIBUTOR
					projectMember(testUserErin, "erin", "erin@example.com", "viewer"),
				})),
				statecheck.ExpectKnownValue("data.circleci_project_members.web", tfjsonpath.New("groups"), knownvalue.ListSizeExact(0)),
			},
		}},
	})
}

func TestAccProjectMembersDataSource_errors(t *testing.T) {
	cases := []struct {
		name, org, project string
		want               []string
	}{
		{"unknown project: 403", testOrgID, "99999999-9999-4999-8999-999999999999",
			[]string{"CircleCI Denied Access to Project Role Grants", "403, not 404, for a project that does not exist", "circleci_projects"}},
		// The user and group grants are read at once: either answer may come first.
		{"OAuth organization", testGitHubOrgID, testProjectAPI,
			[]string{"Project Role Grants", "Organization " + testGitHubOrgID + ` is a GitHub (OAuth) organization (vcs_type "github")`,
				"projects take roles from the VCS", "does not document"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      providerConfig(s) + fmt.Sprintf("data \"circleci_project_members\" \"test\" {\n  organization_id = %q\n  project_id = %q\n}\n", tc.org, tc.project),
					ExpectError: expectError(tc.want...),
				}},
			})
		})
	}
}
