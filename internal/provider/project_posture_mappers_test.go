package provider

import (
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

// Mapper tests of circleci_project_credentials and circleci_pipeline_triggers.

func strPtrOf(s string) *string { return &s }

func TestProjectCredentialsToModel(t *testing.T) {
	std := scopedProject{Project: circleci.Project{ID: testProjectAPI, Slug: "circleci/o/p", Name: "p"}, Family: familyStandalone}
	gh := scopedProject{Project: circleci.Project{ID: testProjectWeb, Slug: "gh/acme/web", Name: "web"}, Family: familyGitHubOAuth}
	odd := scopedProject{Project: circleci.Project{ID: testProjectDocs, Slug: "gl/acme/x", Name: "x"}, Family: familyUnknown}
	envs := circleci.ProjectListing[circleci.ProjectEnvVar]{Items: []circleci.ProjectEnvVar{{Name: "Z"}, {Name: "A", CreatedAt: strPtrOf("2024-01-01T00:00:00Z")}}}
	keys := circleci.ProjectListing[circleci.CheckoutKey]{Items: []circleci.CheckoutKey{
		{Type: "github-user-key", Fingerprint: "b"}, {Type: "deploy-key", Fingerprint: "z", Preferred: true}, {Type: "deploy-key", Fingerprint: "a"},
	}}
	tokens := circleci.ProjectListing[circleci.ProjectAPIToken]{Items: []circleci.ProjectAPIToken{{ID: "2", Label: "b", Scope: "all"}, {ID: "1", Scope: "status"}}}
	notSupported := circleci.ProjectListing[circleci.ProjectAPIToken]{NotSupported: true}
	emptyKeys := circleci.ProjectListing[circleci.CheckoutKey]{Items: []circleci.CheckoutKey{}}

	got, unexpected := projectCredentialsToModel([]scopedProject{std, gh, odd}, map[scopedProject]projectCredentials{
		std: {envVars: &envs, tokens: &notSupported},
		gh:  {keys: &keys, tokens: &tokens},
		odd: {keys: &emptyKeys},
	})
	cases := []struct {
		name string
		got  any
		want any
	}{
		{"standalone: keys not applicable, tokens not supported", got[0].NotApplicable, []string{"api_tokens", "checkout_keys"}},
		{"standalone: keys null", got[0].CheckoutKeys == nil, true},
		{"standalone: tokens null", got[0].APITokens == nil, true},
		{"variables sorted, created_at null when absent", got[0].EnvironmentVariables, []ProjectEnvVarModel{
			{Name: types.StringValue("A"), CreatedAt: types.StringValue("2024-01-01T00:00:00Z")}, {Name: types.StringValue("Z"), CreatedAt: types.StringNull()}}},
		{"not read: null", got[1].EnvironmentVariables == nil, true},
		{"keys by type then fingerprint", []string{got[1].CheckoutKeys[0].Fingerprint.ValueString(), got[1].CheckoutKeys[1].Fingerprint.ValueString(), got[1].CheckoutKeys[2].Fingerprint.ValueString()},
			[]string{"a", "z", "b"}},
		{"tokens by label, empty label null", got[1].APITokens, []ProjectAPITokenModel{
			{ID: types.StringValue("1"), Label: types.StringNull(), Scope: types.StringValue("status")},
			{ID: types.StringValue("2"), Label: types.StringValue("b"), Scope: types.StringValue("all")}}},
		{"all applicable: empty not_applicable", got[1].NotApplicable, []string{}},
		{"an unknown slug form is read: [] not null", got[2].CheckoutKeys, []CheckoutKeyModel{}},
		{"only CircleCI's answer warns", unexpected, map[string][]string{"api_tokens": {"circleci/o/p"}}},
		{"order kept", []string{got[0].ID.ValueString(), got[1].ID.ValueString(), got[2].ID.ValueString()}, []string{testProjectAPI, testProjectWeb, testProjectDocs}},
	}
	for _, tc := range cases {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("%s: got %#v, want %#v", tc.name, tc.got, tc.want)
		}
	}
}

func TestTimetableSummary(t *testing.T) {
	for _, tc := range []struct {
		in   circleci.Timetable
		want string
	}{
		{circleci.Timetable{PerHour: 1, HoursOfDay: []int{3}, DaysOfWeek: []string{"MON"}}, "per_hour=1 hours_of_day=3 days_of_week=MON"},
		{circleci.Timetable{PerHour: 60, HoursOfDay: []int{}, DaysOfMonth: []int{1, 31}, Months: []string{"DEC"}}, "per_hour=60 hours_of_day= days_of_month=1,31 months=DEC"},
		{circleci.Timetable{PerHour: 2, HoursOfDay: []int{0, 23}, DaysOfWeek: []string{"SAT", "SUN"}, Months: []string{}}, "per_hour=2 hours_of_day=0,23 days_of_week=SAT,SUN"},
	} {
		if got := timetableSummary(tc.in); got != tc.want {
			t.Errorf("timetableSummary(%+v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestProjectTriggersToModel(t *testing.T) {
	std := scopedProject{Project: circleci.Project{ID: testProjectAPI, Slug: "circleci/o/p"}, Family: familyStandalone}
	gh := scopedProject{Project: circleci.Project{ID: testProjectWeb, Slug: "gh/acme/web"}, Family: familyGitHubOAuth}
	repo := func(name, id string) *circleci.Repo { return &circleci.Repo{FullName: name, ExternalID: id} }
	defs := circleci.ProjectListing[circleci.DefinitionTriggers]{Items: []circleci.DefinitionTriggers{
		{Definition: circleci.PipelineDefinition{ID: "2", Name: "b", ConfigSource: circleci.SourceOfCode{Provider: "circleci"},
			CheckoutSource: circleci.SourceOfCode{Provider: "github_app", Repo: repo("acme/api", "1")}}},
		{Definition: circleci.PipelineDefinition{ID: "1", Name: "a", ConfigSource: circleci.SourceOfCode{Provider: "github_app", Repo: repo("acme/api", "1")},
			CheckoutSource: circleci.SourceOfCode{Provider: "github_app", Repo: repo("acme/api", "1")}},
			Triggers: []circleci.Trigger{{ID: "t2", Provider: "webhook"}, {ID: "t1", Provider: "schedule", Cron: "* * * * *", AttributionActorID: "system"}}},
	}}
	scheds := circleci.ProjectListing[circleci.Schedule]{Items: []circleci.Schedule{
		{ID: "s1", Name: "n", Actor: circleci.ScheduleActor{ID: "u", Login: "alice"}, Timetable: circleci.Timetable{PerHour: 1, HoursOfDay: []int{1}, DaysOfWeek: []string{"MON"}}, Branch: "main"},
	}}
	notSupported := circleci.ProjectListing[circleci.Schedule]{NotSupported: true}
	got, unexpected := projectTriggersToModel([]scopedProject{std, gh}, map[scopedProject]projectTriggers{
		std: {definitions: defs},
		gh:  {schedules: &scheds, definitions: circleci.ProjectListing[circleci.DefinitionTriggers]{NotSupported: true}},
	})
	ghNotSupported, _ := projectTriggersToModel([]scopedProject{gh}, map[scopedProject]projectTriggers{gh: {schedules: &notSupported, definitions: defs}})
	cases := []struct {
		name string
		got  any
		want any
	}{
		{"standalone: schedules not applicable, no warning", got[0].NotApplicable, []string{"schedules"}},
		{"definitions by name", []string{got[0].Definitions[0].ID.ValueString(), got[0].Definitions[1].ID.ValueString()}, []string{"1", "2"}},
		{"same repository", got[0].Definitions[0].ConfigFromOtherRepo.ValueBool(), false},
		{"hosted config counts as another repository", got[0].Definitions[1].ConfigFromOtherRepo.ValueBool(), true},
		{"hosted config: repo null", got[0].Definitions[1].ConfigRepo.IsNull(), true},
		{"triggers by provider", got[0].Definitions[0].Triggers[0], TriggerModel{ID: types.StringValue("t1"), EventSourceProvider: types.StringValue("schedule"),
			EventSourceRepo: types.StringNull(), EventPreset: types.StringNull(), Disabled: types.BoolValue(false), Cron: types.StringValue("* * * * *"),
			AttributionActorID: types.StringValue("system")}},
		{"a user actor does not run as system", got[1].Schedules[0].RunsAsSystem.ValueBool(), false},
		{"definitions not supported", got[1].NotApplicable, []string{"definitions"}},
		{"definitions null", got[1].Definitions == nil, true},
		{"warnings", unexpected, map[string][]string{"definitions": {"gh/acme/web"}}},
		{"schedules not supported on a gh project", ghNotSupported[0].NotApplicable, []string{"schedules"}},
	}
	for _, tc := range cases {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("%s: got %#v, want %#v", tc.name, tc.got, tc.want)
		}
	}
	// Both states are what State.Set makes of the same models.
	assertSameAsStateSet(t, NewPipelineTriggersDataSource(), PipelineTriggersDataSourceModel{
		OrganizationID: types.StringValue(testOrgID), ProjectIDs: []string{testProjectWeb}, Projects: got})
	assertSameAsStateSet(t, NewPipelineTriggersDataSource(), PipelineTriggersDataSourceModel{OrganizationID: types.StringNull()})
	creds, _ := projectCredentialsToModel([]scopedProject{std, gh}, map[scopedProject]projectCredentials{
		gh: {envVars: &circleci.ProjectListing[circleci.ProjectEnvVar]{Items: []circleci.ProjectEnvVar{{Name: "A"}}},
			keys:   &circleci.ProjectListing[circleci.CheckoutKey]{Items: []circleci.CheckoutKey{{Type: "deploy-key", Fingerprint: "f", CreatedAt: strPtrOf("x")}}},
			tokens: &circleci.ProjectListing[circleci.ProjectAPIToken]{Items: []circleci.ProjectAPIToken{{ID: "1", Scope: "all"}}}},
	})
	assertSameAsStateSet(t, NewProjectCredentialsDataSource(), ProjectCredentialsDataSourceModel{
		OrganizationID: types.StringValue(testOrgID), IncludeEnvVars: types.BoolValue(true), IncludeCheckoutKeys: types.BoolValue(false),
		IncludeAPITokens: types.BoolNull(), Projects: creds})
}
