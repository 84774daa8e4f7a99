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

const triggersAddr = "data.circleci_pipeline_triggers.test"

func triggersConfig(s *fakeapi.Server, args string) string {
	return providerConfig(s, fmt.Sprintf("organization_id = %q\nmax_retries = 0", testOrgID)) +
		fmt.Sprintf("\ndata \"circleci_pipeline_triggers\" \"test\" {\n%s\n}\n", args)
}

func nullOr(s string) knownvalue.Check {
	if s == "" {
		return knownvalue.Null()
	}
	return str(s)
}

func schedule(id, name, actorID, login, actorName string, system bool, timetable, branch, tag string) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id": str(id), "name": str(name), "actor_id": str(actorID), "actor_login": str(login), "actor_name": nullOr(actorName),
		"runs_as_system": knownvalue.Bool(system), "timetable": str(timetable), "branch": nullOr(branch), "tag": nullOr(tag),
	})
}

func trigger(id, provider, repo, preset string, disabled bool, cron, actor string) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id": str(id), "event_source_provider": str(provider), "event_source_repo": nullOr(repo), "event_preset": nullOr(preset),
		"disabled": knownvalue.Bool(disabled), "cron": nullOr(cron), "attribution_actor_id": nullOr(actor),
	})
}

type defWant struct {
	id, name, configProvider, configRepo, configPath, checkoutProvider, checkoutRepo string
	otherRepo                                                                        bool
	triggers                                                                         []knownvalue.Check
}

func (d defWant) check() knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id": str(d.id), "name": str(d.name), "config_provider": str(d.configProvider), "config_repo": nullOr(d.configRepo),
		"config_file_path": nullOr(d.configPath), "checkout_provider": str(d.checkoutProvider), "checkout_repo": nullOr(d.checkoutRepo),
		"config_from_other_repo": knownvalue.Bool(d.otherRepo), "triggers": knownvalue.ListExact(d.triggers),
	})
}

func wantProjectTriggers(id, slug, name string, schedules, definitions knownvalue.Check, notApplicable ...string) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id": str(id), "slug": str(slug), "name": str(name), "schedules": schedules, "definitions": definitions,
		"not_applicable": stringList(notApplicable...),
	})
}

var (
	apiDefinitions = knownvalue.ListExact([]knownvalue.Check{defWant{
		id: testDefBuild, name: "build", configProvider: "github_app", configRepo: "acme/ci-config", configPath: ".circleci/api.yml",
		checkoutProvider: "github_app", checkoutRepo: "acme/api", otherRepo: true,
		triggers: []knownvalue.Check{
			trigger(testTriggerVCS, "github_app", "acme/api", "all-pushes", false, "", ""),
			trigger(testTriggerCron, "schedule", "", "", false, "0 4 * * *", "6b0e0000-0000-4000-8000-00000000000b"),
			trigger(testTriggerHook, "webhook", "", "", true, "", ""),
		},
	}.check()})
	infraDefinitions = knownvalue.ListExact([]knownvalue.Check{defWant{
		id: testDefDeploy, name: "deploy", configProvider: "gitlab", configRepo: "acme/infra", configPath: ".circleci/config.yml",
		checkoutProvider: "gitlab", checkoutRepo: "acme/infra", triggers: []knownvalue.Check{},
	}.check()})
	webSchedules = knownvalue.ListExact([]knownvalue.Check{
		schedule(testScheduleNight, "nightly", "3b2a0000-0000-4000-8000-000000000001", "system-actor", "Scheduled", true,
			"per_hour=1 hours_of_day=3 days_of_week=MON,FRI", "main", ""),
		schedule(testScheduleWeek, "weekly", "6b0e0000-0000-4000-8000-00000000000c", "alice", "Alice A", false,
			"per_hour=2 hours_of_day=0,12 days_of_month=1,15 months=JAN,JUL", "", "v1.2.3"),
	})
)

func TestAccPipelineTriggersDataSource_basic(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: triggersConfig(s, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				// A standalone project's legacy schedules are null and
				// not_applicable, never [].
				statecheck.ExpectKnownValue(triggersAddr, tfjsonpath.New("projects"), knownvalue.ListExact([]knownvalue.Check{
					wantProjectTriggers(testProjectAPI, testSlugAPI, "api", knownvalue.Null(), apiDefinitions, "schedules"),
					wantProjectTriggers(testProjectInfra, testSlugInfra, "infra", knownvalue.Null(), infraDefinitions, "schedules"),
					wantProjectTriggers(testProjectDocs, testSlugDocs, "Docs", noneListed, noneListed),
					wantProjectTriggers(testProjectWeb, testSlugWeb, "web", webSchedules, noneListed),
				})),
			},
		}},
	})
	runs := s.RequestCount(fakeapi.PipelineDefinitionsPath(testProjectDocs))
	if runs == 0 {
		t.Fatal("no pipeline definitions read")
	}
	for path, want := range map[string]int{
		fakeapi.SchedulesPath(testSlugWeb):                    runs,
		fakeapi.SchedulesPath(testSlugAPI):                    0,
		fakeapi.PipelineDefinitionsPath(testProjectAPI):       runs,
		fakeapi.TriggersPath(testProjectAPI, testDefBuild):    runs,
		fakeapi.TriggersPath(testProjectInfra, testDefDeploy): runs,
	} {
		if n := s.RequestCount(path); n != want {
			t.Errorf("%s: %d requests in %d runs, want %d", path, n, runs, want)
		}
	}
}

func TestAccPipelineTriggersDataSource_notSupported(t *testing.T) {
	s := newTestServer(t)
	s.Inject(fakeapi.Fault{Path: fakeapi.SchedulesPath(testSlugWeb), Times: -1, Status: http.StatusBadRequest,
		Body: `{"message":"` + fakeapi.MsgNotSupportedForProject + `"}`})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: triggersConfig(s, fmt.Sprintf("project_ids = [%q, %q]", testProjectWeb, testProjectAPI)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(triggersAddr, tfjsonpath.New("projects"), knownvalue.ListExact([]knownvalue.Check{
					wantProjectTriggers(testProjectAPI, testSlugAPI, "api", knownvalue.Null(), apiDefinitions, "schedules"),
					wantProjectTriggers(testProjectWeb, testSlugWeb, "web", knownvalue.Null(), noneListed, "schedules"),
				})),
			},
		}},
	})
}

func TestAccPipelineTriggersDataSource_faults(t *testing.T) {
	cases := []struct {
		name   string
		faults []fakeapi.Fault
		want   []string
	}{
		{"403 on schedules", []fakeapi.Fault{{Path: fakeapi.SchedulesPath(testSlugDocs), Status: 403, Body: `{"message":"Permission denied."}`}},
			[]string{"CircleCI Denied Access to Pipeline Triggers", "/schedule of project gh/acme-std/Docs", "schedule: unexpected 403"}},
		{"404 on definitions", []fakeapi.Fault{{Path: fakeapi.PipelineDefinitionsPath(testProjectInfra), Status: 404, Body: `{"message":"Not found."}`}},
			[]string{"CircleCI Pipeline Triggers Not Found", "of project " + testSlugInfra, "CircleCI Server does not serve pipeline definitions"}},
		{"malformed trigger", []fakeapi.Fault{{Path: fakeapi.TriggersPath(testProjectAPI, testDefBuild), Status: 200,
			Body: `{"items":[{"id":"` + testTriggerHook + `"}]}`}},
			[]string{"Unreadable CircleCI Response", "/triggers", "has no event_source"}},
		{"page 2 of schedules fails", []fakeapi.Fault{
			{Path: fakeapi.SchedulesPath(testSlugWeb), Status: 200, Body: `{"items":[],"next_page_token":"p2"}`},
			{Path: fakeapi.SchedulesPath(testSlugWeb), Status: 500, Body: `{"message":"Internal server error."}`},
		}, []string{"CircleCI Server Error", "schedule (page 2): unexpected 500"}},
		{"429", []fakeapi.Fault{{Path: fakeapi.PipelineDefinitionsPath(testProjectDocs), Status: 429, Body: rateLimitBody}},
			[]string{"CircleCI Rate Limit Exceeded", "pipeline-definitions: unexpected 429"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			s.Inject(tc.faults...)
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: triggersConfig(s, ""), ExpectError: expectError(tc.want...)}},
			})
		})
	}
}
