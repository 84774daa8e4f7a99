package provider

import "github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"

// The acceptance fixture's project credentials, schedules and pipeline
// definitions, for testOrgID's four projects: api and infra (standalone,
// circleci/…), Docs and web (gh/… projects in the standalone organization).
const (
	// Canaries the fake serves: none may reach state, outputs, diagnostics
	// or logs.
	projectVarCanary  = "xxxxpv-canary-7d2e-NEVER-KEEP" // a project variable's masked value
	apiTokenCanary    = "pat-canary-91fe-NEVER-KEEP"    // a project API token, returned where CircleCI returns null
	webhookSecret     = "wh-secret-canary-5c8a-NEVER-KEEP"
	webhookURLPath    = "/private/soc/e/wh-path-canary-20b4"
	testSlugAPI       = "circleci/" + testOrgID + "/" + testProjectAPI
	testSlugInfra     = "circleci/" + testOrgID + "/" + testProjectInfra
	testSlugWeb       = "gh/acme-std/web"
	testSlugDocs      = "gh/acme-std/Docs"
	testDefBuild      = "d0000000-0000-4000-8000-000000000001" // api: config from another repository
	testDefDeploy     = "d0000000-0000-4000-8000-000000000002" // infra: config and checkout from one repository
	testTriggerVCS    = "f0000000-0000-4000-8000-000000000001"
	testTriggerHook   = "f0000000-0000-4000-8000-000000000002"
	testTriggerCron   = "f0000000-0000-4000-8000-000000000003"
	testScheduleNight = "5c000000-0000-4000-8000-000000000001" // web, as the system actor
	testScheduleWeek  = "5c000000-0000-4000-8000-000000000002" // web, as alice
)

func withPostureCredentialsData(f *fakeapi.Fixture) *fakeapi.Fixture {
	at := func(s string) *string { return &s }
	f.ProjectCredentials = map[string]fakeapi.ProjectCredentials{
		testProjectAPI: {
			EnvVars: []fakeapi.ProjectEnvVar{
				{Name: "LEGACY_TOKEN", MaskedValue: projectVarCanary},
				{Name: "AWS_SECRET_ACCESS_KEY", MaskedValue: projectVarCanary, CreatedAt: at("2024-05-01T10:00:00Z")},
			},
			APITokens: []fakeapi.ProjectAPIToken{{ID: "a1b2c3d4e5", Label: "deploy-bot", Scope: "all", Token: apiTokenCanary}},
		},
		testProjectWeb: {
			EnvVars: []fakeapi.ProjectEnvVar{
				{Name: "NPM_TOKEN", MaskedValue: projectVarCanary, CreatedAt: at("#joda/inst 2023-04-14T21:20:14+0000"), CreatedAtKebab: true},
			},
			CheckoutKeys: []fakeapi.CheckoutKey{
				{Type: "github-user-key", Fingerprint: "c9:1e:aa", Preferred: false, PublicKey: "ssh-rsa AAAA", CreatedAt: "2024-02-03T08:00:00Z"},
				{Type: "deploy-key", Fingerprint: "SHA256:Zm9v/+bar", Preferred: true, PublicKey: "ssh-ed25519 AAAA", CreatedAt: "2024-02-02T08:00:00Z"},
			},
			APITokens: []fakeapi.ProjectAPIToken{{ID: "f6e5d4", Label: "", Scope: "status"}},
		},
	}
	f.ProjectTriggers = map[string]fakeapi.ProjectTriggers{
		testProjectWeb: {Schedules: []fakeapi.Schedule{
			{ID: testScheduleWeek, Name: "weekly", Actor: fakeapi.User{ID: "6b0e0000-0000-4000-8000-00000000000c", Login: "alice", Name: "Alice A"},
				Timetable:  fakeapi.Timetable{PerHour: 2, HoursOfDay: []int{0, 12}, DaysOfMonth: []int{1, 15}, Months: []string{"JAN", "JUL"}},
				Parameters: map[string]any{"tag": "v1.2.3"}},
			{ID: testScheduleNight, Name: "nightly", Actor: fakeapi.User{ID: "3b2a0000-0000-4000-8000-000000000001", Login: "system-actor", Name: "Scheduled"},
				Timetable:  fakeapi.Timetable{PerHour: 1, HoursOfDay: []int{3}, DaysOfWeek: []string{"MON", "FRI"}},
				Parameters: map[string]any{"branch": "main", "deploy": true}},
		}},
		testProjectAPI: {Definitions: []fakeapi.PipelineDefinition{{
			ID: testDefBuild, Name: "build",
			ConfigSource:   fakeapi.SourceOfCode{Provider: "github_app", Repo: &fakeapi.Repo{FullName: "acme/ci-config", ExternalID: "222"}, FilePath: ".circleci/api.yml"},
			CheckoutSource: fakeapi.SourceOfCode{Provider: "github_app", Repo: &fakeapi.Repo{FullName: "acme/api", ExternalID: "111"}},
			Triggers: []fakeapi.Trigger{
				{ID: testTriggerHook, EventName: "deploy-hook", Provider: "webhook", Disabled: true,
					WebhookURL: "https://internal.circleci.com" + webhookURLPath + "?secret=" + webhookSecret},
				{ID: testTriggerVCS, EventName: "push", Provider: "github_app", EventPreset: "all-pushes", Repo: &fakeapi.Repo{FullName: "acme/api", ExternalID: "111"}},
				{ID: testTriggerCron, EventName: "nightly", Provider: "schedule", Cron: "0 4 * * *", AttributionActorID: "6b0e0000-0000-4000-8000-00000000000b"},
			},
		}}},
		testProjectInfra: {Definitions: []fakeapi.PipelineDefinition{{
			ID: testDefDeploy, Name: "deploy",
			ConfigSource:   fakeapi.SourceOfCode{Provider: "gitlab", Repo: &fakeapi.Repo{FullName: "acme/infra", ExternalID: "333"}, FilePath: ".circleci/config.yml"},
			CheckoutSource: fakeapi.SourceOfCode{Provider: "gitlab", Repo: &fakeapi.Repo{FullName: "acme/infra", ExternalID: "333"}},
		}}},
	}
	return f
}
