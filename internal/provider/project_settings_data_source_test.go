package provider

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

const projectSettingsAddr = "data.circleci_project_settings.test"

func webhook(id, name string, events []string, verify, signed bool, scheme, host string) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id": knownvalue.StringExact(id), "name": knownvalue.StringExact(name), "events": stringList(events...),
		"verify_tls": knownvalue.Bool(verify), "has_signing_secret": knownvalue.Bool(signed),
		"url_scheme": knownvalue.StringExact(scheme), "url_host": knownvalue.StringExact(host),
	})
}

// projectSlugAndSettings checks a project's id, slug, fork exposure and SSH.
func projectSlugAndSettings(id, slug string, exposed, sshDisabled bool) knownvalue.Check {
	return knownvalue.ObjectPartial(map[string]knownvalue.Check{
		"id": knownvalue.StringExact(id), "slug": knownvalue.StringExact(slug),
		"secrets_exposed_to_forks": knownvalue.Bool(exposed), "disable_ssh": knownvalue.Bool(sshDisabled),
	})
}

func TestAccProjectSettingsDataSource_basic(t *testing.T) {
	s := newTestServer(t)
	apiSlug := "circleci/" + testOrgID + "/" + testProjectAPI
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)) + `
data "circleci_project_settings" "test" {}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(projectSettingsAddr, tfjsonpath.New("organization_id"), knownvalue.StringExact(testOrgID)),
				statecheck.ExpectKnownValue(projectSettingsAddr, tfjsonpath.New("project_ids"), knownvalue.Null()),
				statecheck.ExpectKnownValue(projectSettingsAddr, tfjsonpath.New("projects"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": knownvalue.StringExact(testProjectAPI), "slug": knownvalue.StringExact(apiSlug), "name": knownvalue.StringExact("api"),
						"autocancel_builds": knownvalue.Bool(false), "build_fork_prs": knownvalue.Bool(true), "build_prs_only": knownvalue.Bool(false),
						"disable_ssh": knownvalue.Bool(false), "forks_receive_secret_env_vars": knownvalue.Bool(true), "oss": knownvalue.Bool(false),
						"set_github_status": knownvalue.Bool(true), "setup_workflows": knownvalue.Bool(true), "write_settings_requires_admin": knownvalue.Bool(false),
						"pr_only_branch_overrides": stringList("main", "release"),
						"other_settings":           knownvalue.ListExact([]knownvalue.Check{}),
						"secrets_exposed_to_forks": knownvalue.Bool(true),
						"oidc_audience":            stringList("api-deploy", "sts.amazonaws.com"),
						"oidc_ttl":                 knownvalue.StringExact("30m"),
						"webhooks": knownvalue.ListExact([]knownvalue.Check{
							webhook(testWebhookAudit, "audit", []string{"job-completed"}, false, false, "http", "audit.example:8080"),
							webhook("b0000000-0000-4000-8000-000000000004", "beta", []string{"workflow-completed"}, true, false, "https", "beta.example"),
							webhook(testWebhookRelay, "slack-relay", []string{"job-completed", "workflow-completed"}, true, true, "https", "hooks.example.com"),
							webhook("b0000000-0000-4000-8000-000000000003", "Zeta", []string{"workflow-completed"}, true, true, "https", "zeta.example"),
						}),
					}),
					projectSlugAndSettings(testProjectInfra, "circleci/"+testOrgID+"/"+testProjectInfra, false, false),
					projectSlugAndSettings(testProjectDocs, "gh/acme-std/Docs", false, false),
					projectSlugAndSettings(testProjectWeb, "gh/acme-std/web", false, true),
				})),
				// Not customised: null, not empty.
				statecheck.ExpectKnownValue(projectSettingsAddr, tfjsonpath.New("projects").AtSliceIndex(3).AtMapKey("oidc_audience"), knownvalue.Null()),
				statecheck.ExpectKnownValue(projectSettingsAddr, tfjsonpath.New("projects").AtSliceIndex(3).AtMapKey("oidc_ttl"), knownvalue.Null()),
				statecheck.ExpectKnownValue(projectSettingsAddr, tfjsonpath.New("projects").AtSliceIndex(3).AtMapKey("webhooks"), knownvalue.ListExact([]knownvalue.Check{})),
				statecheck.ExpectKnownValue(projectSettingsAddr, tfjsonpath.New("projects").AtSliceIndex(2).AtMapKey("oss"), knownvalue.Bool(true)),
			},
		}},
	})
	for _, p := range []string{fakeapi.ProjectSettingsPath(apiSlug), fakeapi.ProjectOIDCClaimsPath(testOrgID, testProjectWeb)} {
		if s.RequestCount(p) == 0 {
			t.Errorf("no request to %s", p)
		}
	}
}

func TestAccProjectSettingsDataSource_projectIDs(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)) + fmt.Sprintf(`
data "circleci_project_settings" "test" {
  project_ids = [%q, %q, %q]
}
`, testProjectWeb, strings.ToUpper(testProjectAPI), testProjectWeb),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(projectSettingsAddr, tfjsonpath.New("projects"), knownvalue.ListExact([]knownvalue.Check{
					projectSlugAndSettings(testProjectAPI, "circleci/"+testOrgID+"/"+testProjectAPI, true, false),
					projectSlugAndSettings(testProjectWeb, "gh/acme-std/web", false, true),
				})),
				checkFunc(func() error {
					if n := s.RequestCount(fakeapi.ProjectOIDCClaimsPath(testOrgID, testProjectDocs)); n != 0 {
						return fmt.Errorf("%d requests for a project not in project_ids", n)
					}
					return nil
				}),
			},
		}},
	})
}

func TestAccProjectSettingsDataSource_argumentErrors(t *testing.T) {
	for _, tc := range []struct {
		name, ids string
		want      []string
		requests  bool
	}{
		{"not a uuid: at plan time, no request", `["gh/acme-std/web"]`, []string{"Invalid UUID", "not a name or slug"}, false},
		{"a project of no organization", fmt.Sprintf(`[%q, "70000000-0000-4000-8000-0000000000ff"]`, testProjectAPI),
			[]string{"Project Not in Organization", "70000000-0000-4000-8000-0000000000ff", testOrgID, "circleci_projects"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: providerConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)) +
						"data \"circleci_project_settings\" \"test\" {\n  project_ids = " + tc.ids + "\n}\n",
					ExpectError: expectError(tc.want...),
				}},
			})
			settings := 0
			for _, r := range s.Requests() {
				if r.Path != fakeapi.PathProjects && r.Path != fakeapi.PathCollaborations && r.Path != fakeapi.PathMe {
					settings++
				}
			}
			if n := s.RequestCount(""); tc.requests != (n > 0) || settings != 0 {
				t.Errorf("%d requests, %d of them past the projects listing; want requests %v, none past the listing", n, settings, tc.requests)
			}
		})
	}
}

func TestAccProjectSettingsDataSource_errors(t *testing.T) {
	apiSlug := "circleci/" + testOrgID + "/" + testProjectAPI
	forbidden := `{"message":"Permission denied."}`
	for _, tc := range []struct {
		name  string
		ids   string // project_ids, "" for all
		fault fakeapi.Fault
		want  []string
	}{
		{"webhooks 403", "", fakeapi.Fault{Path: fakeapi.PathWebhooks, Times: -1, Status: http.StatusForbidden, Body: forbidden},
			[]string{"CircleCI Denied Access to Project Settings", "organization admin", "project ", "/api/v2/webhook", "Permission denied."}},
		{"settings 404", "", fakeapi.Fault{Path: fakeapi.ProjectSettingsPath("gh/acme-std/Docs"), Times: -1, Status: http.StatusNotFound, Body: `{"message":"Project not found."}`},
			[]string{"CircleCI Project Settings Not Found", "deleted during the run", "project gh/acme-std/Docs (" + testProjectDocs + ")", "/settings"}},
		{"settings 400 not supported", "", fakeapi.Fault{Path: fakeapi.ProjectSettingsPath(apiSlug), Times: -1, Status: http.StatusBadRequest, Body: `{"message":"This API is not supported for this project."}`},
			[]string{"CircleCI Refused to List Project Settings", "does not guess", "not supported for this project"}},
		{"a setting missing", "", fakeapi.Fault{Path: fakeapi.ProjectSettingsPath(apiSlug), Times: -1, Status: http.StatusOK,
			Body: `{"advanced":{"autocancel_builds":false,"build_fork_prs":true}}`},
			[]string{"Unreadable CircleCI Response", "project " + apiSlug, `advanced has no "build_prs_only"`}},
		{"webhooks page 2 fails", fmt.Sprintf("[%q]", testProjectAPI), fakeapi.Fault{Path: fakeapi.PathWebhooks, Skip: 1, Times: -1, Status: http.StatusInternalServerError, Body: `{"message":"Internal server error."}`},
			[]string{"CircleCI Server Error", "/api/v2/webhook (page 2)"}},
		{"a malformed webhook", fmt.Sprintf("[%q]", testProjectAPI), fakeapi.Fault{Path: fakeapi.PathWebhooks, Times: -1, Status: http.StatusOK,
			Body: `{"items":[{"id":"x","name":"x","url":"https://h.example","events":[],"verify_tls":true}],"next_page_token":null}`},
			[]string{"Unreadable CircleCI Response", `no "signing_secret"`}},
		{"project OIDC claims 403", "", fakeapi.Fault{Path: fakeapi.ProjectOIDCClaimsPath(testOrgID, testProjectWeb), Times: -1, Status: http.StatusForbidden, Body: `{"error":"Forbidden"}`},
			[]string{"CircleCI Denied Access to Project Settings", "project gh/acme-std/web", "oidc-custom-claims", "Forbidden"}},
		{"429 to every attempt", fmt.Sprintf("[%q]", testProjectWeb), fakeapi.Fault{Path: fakeapi.ProjectSettingsPath("gh/acme-std/web"), Times: -1, Status: http.StatusTooManyRequests, Body: rateLimitBody},
			[]string{"CircleCI Rate Limit Exceeded", "/settings"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			s.Inject(tc.fault)
			ids := ""
			if tc.ids != "" {
				ids = "project_ids = " + tc.ids
			}
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      providerConfig(s, fmt.Sprintf("organization_id = %q\nmax_retries = 0", testOrgID)) + "data \"circleci_project_settings\" \"test\" {\n  " + ids + "\n}\n",
					ExpectError: expectError(tc.want...),
				}},
			})
		})
	}
}

// The settings data sources, beside the access ones in one configuration,
// read each endpoint once per run: listings and organization endpoints
// once, each project's endpoints once, however many data sources use them.
func TestAccSettingsOneSweep(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)) + fmt.Sprintf(`
data "circleci_project_settings" "test" {}
data "circleci_project_settings" "again" {
  project_ids = [%q]
}
data "circleci_org_settings" "test" {
  include_sso = true
}
data "circleci_org_settings" "again" {}
data "circleci_projects" "test" {}
data "circleci_org_access" "test" {}
data "circleci_org_members" "test" {}
data "circleci_contexts" "test" {}
`, testProjectAPI),
			ConfigStateChecks: []statecheck.StateCheck{checkFunc(func() error {
				// Every CLI command of the step starts one provider process:
				// each reads every listing and endpoint once.
				runs := s.RequestCount(circleci.ProjectsPath) / 2 // two pages
				if runs == 0 {
					return fmt.Errorf("no run read the projects")
				}
				once := []string{
					fakeapi.OrgSettingsPath(testOrgID), fakeapi.OrgOIDCClaimsPath(testOrgID), fakeapi.AuditLogConfigsPath(testOrgID),
					fakeapi.SSOEnforcedPath(testOrgID), fakeapi.GroupsPath(testOrgID),
				}
				for _, p := range []string{testProjectAPI, testProjectWeb, testProjectDocs, testProjectInfra} {
					once = append(once, fakeapi.ProjectOIDCClaimsPath(testOrgID, p), fakeapi.ProjectGroupsPath(testOrgID, p))
				}
				for _, slug := range []string{"circleci/" + testOrgID + "/" + testProjectAPI, "gh/acme-std/web", "gh/acme-std/Docs", "circleci/" + testOrgID + "/" + testProjectInfra} {
					once = append(once, fakeapi.ProjectSettingsPath(slug))
				}
				for _, p := range once {
					if n := s.RequestCount(p); n != runs {
						return fmt.Errorf("%d requests to %s in %d runs, want one per run", n, p, runs)
					}
				}
				for p, perRun := range map[string]int{fakeapi.PathWebhooks: 5, fakeapi.RoleGrantsPath(testOrgID): 3} {
					if n := s.RequestCount(p); n != perRun*runs {
						return fmt.Errorf("%d requests to %s in %d runs, want %d per run (its pages)", n, p, runs, perRun)
					}
				}
				return nil
			})},
		}},
	})
}
