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

const exposureAddr = "data.circleci_secret_exposure.test"

// exposureFixture is the acceptance fixture with erin, who has no org role,
// made a contributor of api by a direct grant: she reads api's own variables
// (project variables have no restrictions) but no context (rule 1).
func exposureFixture() *fakeapi.Fixture {
	fx := testFixture()
	for i, p := range fx.Projects[testOrgID] {
		if p.ID == testProjectAPI {
			fx.Projects[testOrgID][i].UserGrants = append(p.UserGrants,
				fakeapi.RoleGrant{UserID: testUserErin, Username: "erin", Email: "erin@example.com", Role: "project-contributor"})
		}
	}
	return fx
}

func actor(project, kind, id string, name any, system bool, actorID, login any) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"project_id": knownvalue.StringExact(project), "kind": knownvalue.StringExact(kind), "id": knownvalue.StringExact(id),
		"name": optString(name), "runs_as_system": knownvalue.Bool(system), "actor_id": optString(actorID), "actor_login": optString(login),
	})
}

type secretWant struct {
	kind, id, name              string
	names                       []string
	complete, conditional, fork bool
	readers, editors, ssh       []string // ids
	actors                      []knownvalue.Check
	projects                    []string
}

func (w secretWant) check() knownvalue.Check {
	logins := map[string]string{idAlice: "alice", idBob1: "bob", idBob2: "bob", idBobB: "Bob", idCarol: "carol", idDave: "dave",
		idZoe: "zoe", testUserErin: "erin"}
	ls := func(ids []string) knownvalue.Check {
		out := []string{}
		for _, id := range ids {
			out = append(out, logins[id])
		}
		return stringList(out...)
	}
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"kind": knownvalue.StringExact(w.kind), "id": knownvalue.StringExact(w.id), "name": knownvalue.StringExact(w.name),
		"variable_names": stringList(w.names...), "variable_names_complete": knownvalue.Bool(w.complete),
		"reader_ids": stringList(w.readers...), "reader_logins": ls(w.readers), "conditional": knownvalue.Bool(w.conditional),
		"editor_ids": stringList(w.editors...), "editor_logins": ls(w.editors),
		"ssh_reader_ids": stringList(w.ssh...), "ssh_reader_logins": ls(w.ssh), "exposed_to_forks": knownvalue.Bool(w.fork),
		"schedule_actors": knownvalue.ListExact(w.actors), "project_ids": stringList(w.projects...),
	})
}

// Every field on data built to exercise it: api builds forked pull requests
// and passes them secrets, allows SSH and lets contributors change its
// settings; web disables SSH and runs a schedule as alice, an org admin;
// erin reads api's variables with only a project grant.
func TestAccSecretExposureDataSource_basic(t *testing.T) {
	s := newFixtureServer(t, exposureFixture())
	admins := []string{idAlice, idDave, idZoe}
	// api's push and webhook triggers run as the event's author: not listed.
	apiActors := []knownvalue.Check{
		actor(testProjectAPI, "schedule-trigger", testTriggerCron, "build", false, idBobB, "Bob"),
	}
	webActors := []knownvalue.Check{
		actor(testProjectWeb, "schedule", testScheduleWeek, "weekly", false, idAlice, "alice"),
		actor(testProjectWeb, "schedule", testScheduleNight, "nightly", true, nil, nil),
	}
	apiReaders := []string{idAlice, idBob2, idBobB, idCarol, idDave, testUserErin, idZoe}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)) + `
data "circleci_secret_exposure" "test" {}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(exposureAddr, tfjsonpath.New("organization_id"), knownvalue.StringExact(testOrgID)),
				// Eight contexts, then api and web (Docs and infra hold no variables).
				statecheck.ExpectKnownValue(exposureAddr, tfjsonpath.New("secrets"), knownvalue.ListSizeExact(10)),
				// A context limited to api: forks reach it through api, SSH through api, api's triggers run it.
				statecheck.ExpectKnownValue(exposureAddr, tfjsonpath.New("secrets").AtSliceIndex(0), secretWant{
					kind: "context", id: testContextAWSProd, name: "aws-prod", names: []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"},
					complete: true, conditional: true, fork: true,
					readers: []string{idAlice, idBobB, idCarol, idDave, idZoe}, editors: []string{idAlice, idBobB, idDave, idZoe},
					ssh: []string{idAlice, idBobB, idCarol, idDave, idZoe}, actors: apiActors, projects: []string{testProjectAPI},
				}.check()),
				// 150 names, 100 given: incomplete.
				statecheck.ExpectKnownValue(exposureAddr, tfjsonpath.New("secrets").AtSliceIndex(1).AtMapKey("variable_names_complete"), knownvalue.Bool(false)),
				// A context limited to web: SSH disabled there, no fork secrets, web's schedules.
				statecheck.ExpectKnownValue(exposureAddr, tfjsonpath.New("secrets").AtSliceIndex(2), secretWant{
					kind: "context", id: testContextDeployWeb, name: "deploy-web", names: []string{}, complete: true,
					readers: admins, editors: admins, ssh: []string{}, actors: webActors, projects: []string{testProjectWeb},
				}.check()),
				// A context every project may use: the projects in circleci_projects' order.
				statecheck.ExpectKnownValue(exposureAddr, tfjsonpath.New("secrets").AtSliceIndex(3).AtMapKey("project_ids"),
					stringList(testProjectAPI, testProjectInfra, testProjectDocs, testProjectWeb)),
				// api's own variables: every contributor reads and, while write_settings_requires_admin is off, edits them.
				statecheck.ExpectKnownValue(exposureAddr, tfjsonpath.New("secrets").AtSliceIndex(8), secretWant{
					kind: "project", id: testProjectAPI, name: "api", names: []string{"AWS_SECRET_ACCESS_KEY", "LEGACY_TOKEN"}, complete: true,
					fork: true, readers: apiReaders, editors: apiReaders, ssh: apiReaders, actors: apiActors, projects: []string{testProjectAPI},
				}.check()),
				// web's: only admins edit; SSH disabled.
				statecheck.ExpectKnownValue(exposureAddr, tfjsonpath.New("secrets").AtSliceIndex(9), secretWant{
					kind: "project", id: testProjectWeb, name: "web", names: []string{"NPM_TOKEN"}, complete: true,
					readers: []string{idAlice, idBob1, idBob2, idBobB, idDave, idZoe}, editors: admins, ssh: []string{},
					actors: webActors, projects: []string{testProjectWeb},
				}.check()),
			},
		}},
	})
}

// The exposure costs no request beyond what the data sources that show its
// parts read: the same configuration with and without it makes the same
// requests, path by path.
func TestAccSecretExposureDataSource_oneSweep(t *testing.T) {
	base := `
data "circleci_org_access" "all" {}
data "circleci_contexts" "all" {}
data "circleci_project_settings" "all" {}
data "circleci_project_credentials" "all" {}
data "circleci_pipeline_triggers" "all" {}
`
	requests := func(extra string) map[string]int {
		s := newTestServer(t)
		resource.Test(t, resource.TestCase{
			PreCheck:                 func() { testAccPreCheck(t) },
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config: providerConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)) + base + extra,
			}},
		})
		runs := s.RequestCount(fakeapi.GroupsPath(testOrgID))
		if runs == 0 {
			t.Fatal("groups never listed")
		}
		out := map[string]int{}
		for _, r := range s.Requests() {
			out[r.Path]++
		}
		for k := range out {
			if out[k]%runs != 0 {
				t.Errorf("%s: %d requests in %d runs", k, out[k], runs)
			}
			out[k] /= runs
		}
		return out
	}
	without := requests("")
	with := requests(`data "circleci_secret_exposure" "all" {}` + "\n")
	if len(with) != len(without) {
		t.Errorf("%d paths with the exposure, %d without", len(with), len(without))
	}
	for path, n := range with {
		if without[path] != n {
			t.Errorf("%s: %d requests per run with the exposure, %d without", path, n, without[path])
		}
	}
}

// examples/data-sources/circleci_secret_exposure does what its comments say.
func TestAccSecretExposureDataSource_example(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)) + readExample(t, "data-sources/circleci_secret_exposure"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValueAtPath("reader_counts", tfjsonpath.New("project web"), knownvalue.Int64Exact(6)),
				statecheck.ExpectKnownOutputValueAtPath("reader_counts", tfjsonpath.New("context deploy-web"), knownvalue.Int64Exact(3)),
				// api passes secrets to forks; every context that api may use is exposed with it.
				statecheck.ExpectKnownOutputValue("exposed_to_forks", stringList("context aws-prod", "context big", "context gcp-all",
					"context main-only", "context odd", "context shared", "project api")),
				// deploy-web and staging run only on web, which disables SSH, like web's own: not listed.
				statecheck.ExpectKnownOutputValueAtPath("ssh_readers", tfjsonpath.New("context aws-prod"), stringList("alice", "Bob", "carol", "dave", "zoe")),
				statecheck.ExpectKnownOutputValue("ssh_readers", knownvalue.MapSizeExact(7)),
				statecheck.ExpectKnownOutputValue("run_as_a_person", stringList(
					"schedule "+testScheduleWeek+" as alice", "schedule-trigger "+testTriggerCron+" as Bob")),
				statecheck.ExpectKnownOutputValue("incomplete", stringList("context big")),
			},
		}},
	})
}
