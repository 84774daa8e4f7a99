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

// projectPostureSweep is one sweep of the fixture's project credentials,
// schedules and triggers: each endpoint of each project once, none that
// does not apply.
func projectPostureSweep() map[string]int {
	want := map[string]int{fakeapi.PathProjects: 2} // two pages
	for _, p := range []struct{ id, slug string }{
		{testProjectAPI, testSlugAPI}, {testProjectInfra, testSlugInfra}, {testProjectDocs, testSlugDocs}, {testProjectWeb, testSlugWeb},
	} {
		want[fakeapi.ProjectEnvVarsPath(p.slug)] = 1
		want[fakeapi.ProjectAPITokensPath(p.slug)] = 1
		want[fakeapi.PipelineDefinitionsPath(p.id)] = 1
	}
	for _, slug := range []string{testSlugDocs, testSlugWeb} { // OAuth projects only
		want[fakeapi.CheckoutKeysPath(slug)] = 1
		want[fakeapi.SchedulesPath(slug)] = 1
	}
	want[fakeapi.TriggersPath(testProjectAPI, testDefBuild)] = 1
	want[fakeapi.TriggersPath(testProjectInfra, testDefDeploy)] = 1
	return want
}

// The project data sources, twice each and beside circleci_projects, cost
// one sweep per run.
func TestAccOneSweepProjectPosture(t *testing.T) {
	s := newTestServer(t)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)) + fmt.Sprintf(`
data "circleci_projects" "all" {}
data "circleci_project_credentials" "all" {}
data "circleci_project_credentials" "web" {
  project_ids           = [%[1]q]
  include_api_tokens    = false
}
data "circleci_pipeline_triggers" "all" {}
data "circleci_pipeline_triggers" "web" {
  project_ids = [%[1]q]
}
`, testProjectWeb),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.circleci_projects.all", tfjsonpath.New("projects"), knownvalue.ListSizeExact(4)),
				statecheck.ExpectKnownValue("data.circleci_project_credentials.all", tfjsonpath.New("projects"), knownvalue.ListSizeExact(4)),
				statecheck.ExpectKnownValue("data.circleci_project_credentials.web", tfjsonpath.New("projects"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("data.circleci_pipeline_triggers.all", tfjsonpath.New("projects"), knownvalue.ListSizeExact(4)),
				statecheck.ExpectKnownValue("data.circleci_pipeline_triggers.web", tfjsonpath.New("projects"), knownvalue.ListSizeExact(1)),
			},
		}},
	})
	want := projectPostureSweep()
	assertSweepPerRun(t, s, fakeapi.PipelineDefinitionsPath(testProjectDocs), want)
}

// The four posture data sources and every access data source in one
// configuration cost one sweep per run: each page of each listing and each
// per-project request exactly once, and nothing else.
func TestAccOneSweepPostureAndAccess(t *testing.T) {
	s := newTestServer(t)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)) + fmt.Sprintf(`
data "circleci_org_members" "all" {}
data "circleci_groups" "all" {}
data "circleci_contexts" "all" {}
data "circleci_projects" "all" {}
data "circleci_project_members" "api" {
  project_id = %q
}
data "circleci_org_access" "all" {}
data "circleci_org_settings" "all" {
  include_sso = true
}
data "circleci_project_settings" "all" {}
data "circleci_project_credentials" "all" {}
data "circleci_pipeline_triggers" "all" {}
`, testProjectAPI),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.circleci_project_settings.all", tfjsonpath.New("projects"), knownvalue.ListSizeExact(4)),
				statecheck.ExpectKnownValue("data.circleci_project_credentials.all", tfjsonpath.New("projects"), knownvalue.ListSizeExact(4)),
				statecheck.ExpectKnownValue("data.circleci_pipeline_triggers.all", tfjsonpath.New("projects"), knownvalue.ListSizeExact(4)),
				statecheck.ExpectKnownValue("data.circleci_org_access.all", tfjsonpath.New("admin_logins"), stringList("alice", "Bob", "carol", "dave", "zoe")),
			},
		}},
	})
	want := groupsAndContextsSweep()
	for path, n := range projectPostureSweep() {
		want[path] = n
	}
	want[fakeapi.RoleGrantsPath(testOrgID)] = 3 // 7 members, 3 per page
	want[fakeapi.OrgSettingsPath(testOrgID)] = 1
	want[fakeapi.OrgOIDCClaimsPath(testOrgID)] = 1
	want[fakeapi.AuditLogConfigsPath(testOrgID)] = 1
	want[fakeapi.SSOEnforcedPath(testOrgID)] = 1
	want[fakeapi.PathWebhooks] = 5 // two pages of one project, one of each other
	for _, p := range []struct{ id, slug string }{
		{testProjectAPI, testSlugAPI}, {testProjectInfra, testSlugInfra}, {testProjectDocs, testSlugDocs}, {testProjectWeb, testSlugWeb},
	} {
		want[fakeapi.ProjectRoleGrantsPath(testOrgID, p.id)] = 1
		want[fakeapi.ProjectGroupsPath(testOrgID, p.id)] = 1
		want[fakeapi.ProjectSettingsPath(p.slug)] = 1
		want[fakeapi.ProjectOIDCClaimsPath(testOrgID, p.id)] = 1
	}
	assertSweepPerRun(t, s, fakeapi.GroupsPath(testOrgID), want)
}
