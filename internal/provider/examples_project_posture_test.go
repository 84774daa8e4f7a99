package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// The examples of circleci_project_credentials and circleci_pipeline_triggers,
// run on the acceptance fixture: standalone projects (null checkout keys and
// schedules), gh/… projects, an "all" token, a user key, a schedule run as a
// person and one as the system actor.
func TestAccExamples_projectPostureSnippets(t *testing.T) {
	s := newTestServer(t)
	snippet := func(rel string) string {
		return providerConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)) +
			strings.ReplaceAll(readExample(t, rel), "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6", testProjectAPI)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: snippet("data-sources/circleci_project_credentials"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("projects_with_admin_tokens", stringList(testSlugAPI)),
				statecheck.ExpectKnownOutputValue("projects_checked_out_with_a_user_key", stringList(testSlugWeb)),
				statecheck.ExpectKnownOutputValue("projects_without_checkout_keys", stringList(testSlugAPI, testSlugInfra)),
				statecheck.ExpectKnownOutputValue("variable_names_by_project", knownvalue.MapExact(map[string]knownvalue.Check{
					testSlugAPI: stringList("AWS_SECRET_ACCESS_KEY", "LEGACY_TOKEN"), testSlugInfra: stringList(),
					testSlugDocs: stringList(), testSlugWeb: stringList("NPM_TOKEN"),
				})),
				statecheck.ExpectKnownOutputValue("payments_variable_names", stringList("AWS_SECRET_ACCESS_KEY", "LEGACY_TOKEN")),
			},
		}, {
			Config: snippet("data-sources/circleci_pipeline_triggers"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("schedules_running_as_a_person", knownvalue.MapExact(map[string]knownvalue.Check{
					testSlugWeb + " weekly": knownvalue.StringExact("alice"),
				})),
				statecheck.ExpectKnownOutputValue("definitions_with_config_from_another_repo", stringList(testSlugAPI+" build")),
				statecheck.ExpectKnownOutputValue("scheduled_trigger_actors", knownvalue.MapExact(map[string]knownvalue.Check{
					testSlugAPI + " build " + testTriggerCron: knownvalue.StringExact("6b0e0000-0000-4000-8000-00000000000b"),
				})),
				statecheck.ExpectKnownOutputValue("projects_without_legacy_schedules", stringList(testSlugAPI, testSlugInfra)),
			},
		}},
	})
}
