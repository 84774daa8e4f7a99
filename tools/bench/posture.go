package bench

// The four posture data sources (circleci_org_settings,
// circleci_project_settings, circleci_project_credentials,
// circleci_pipeline_triggers) on 1,000 projects in one run: requests against
// the floor computed from the fixture, wall time at 50 ms per response and
// under a 50 requests/s limit, and the provider's CPU per project through
// OpenTofu against the empty organization.

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// postureDataSources are the four posture data sources, each read once on
// OrgID(0) with its defaults (include_sso false).
var postureDataSources = []string{"circleci_org_settings", "circleci_project_settings", "circleci_project_credentials", "circleci_pipeline_triggers"}

// PostureFixture is one organization with n projects: even ones gh/… (OAuth:
// checkout keys and legacy schedules apply), odd ones circleci/… (standalone:
// neither is requested). Each has settings, two variables, an API token and
// a pipeline definition with one trigger; each OAuth one a checkout key and
// a schedule. Every listing fits in one page.
func PostureFixture(n int) *fakeapi.Fixture {
	fx := AccessFixture(1, n, 0, 0)
	for i := range fx.Projects[OrgID(0)] {
		p := &fx.Projects[OrgID(0)][i]
		p.UserGrants, p.GroupGrants = nil, nil
	}
	addPostureData(fx)
	return fx
}

// addPostureData gives every project of fx's first organization the
// posture data PostureFixture describes (even projects become gh/…).
func addPostureData(fx *fakeapi.Fixture) {
	org := OrgID(0)
	fx.ProjectSettings = map[string]fakeapi.ProjectSettings{}
	fx.ProjectCredentials = map[string]fakeapi.ProjectCredentials{}
	fx.ProjectTriggers = map[string]fakeapi.ProjectTriggers{}
	id := func(kind, i int) string { return fmt.Sprintf("%08x-0000-4000-8000-%012d", kind, i+1) }
	for i := range fx.Projects[org] {
		p := &fx.Projects[org][i]
		if i%2 == 0 {
			p.Slug = fmt.Sprintf("gh/bench/project-%05d", i)
		}
		at := "2024-05-01T10:00:00Z"
		creds := fakeapi.ProjectCredentials{
			EnvVars: []fakeapi.ProjectEnvVar{
				{Name: "AWS_SECRET_ACCESS_KEY", MaskedValue: "xxxx1234", CreatedAt: &at},
				{Name: "NPM_TOKEN", MaskedValue: "xxxx5678"},
			},
			APITokens: []fakeapi.ProjectAPIToken{{ID: fmt.Sprintf("tok%05d", i), Label: "badge", Scope: "status"}},
		}
		trig := fakeapi.ProjectTriggers{Definitions: []fakeapi.PipelineDefinition{{
			ID: id(6, i), Name: "build",
			ConfigSource:   fakeapi.SourceOfCode{Provider: "github_app", Repo: &fakeapi.Repo{FullName: "bench/config", ExternalID: "1"}, FilePath: ".circleci/config.yml"},
			CheckoutSource: fakeapi.SourceOfCode{Provider: "github_app", Repo: &fakeapi.Repo{FullName: "bench/" + p.Name, ExternalID: fmt.Sprint(i + 2)}},
			Triggers:       []fakeapi.Trigger{{ID: id(7, i), EventName: "push", Provider: "github_app", EventPreset: "all-pushes"}},
		}}}
		if i%2 == 0 {
			creds.CheckoutKeys = []fakeapi.CheckoutKey{{Type: "deploy-key", Fingerprint: fmt.Sprintf("SHA256:bench%05d", i), Preferred: true, CreatedAt: at}}
			trig.Schedules = []fakeapi.Schedule{{ID: id(8, i), Name: "nightly", Actor: fakeapi.User{ID: id(9, 0), Login: "system-actor", Name: "Scheduled"},
				Timetable: fakeapi.Timetable{PerHour: 1, HoursOfDay: []int{3}, DaysOfWeek: []string{"MON"}}, Parameters: map[string]any{"branch": "main"}}}
		}
		fx.ProjectSettings[p.ID] = fakeapi.ProjectSettings{BuildForkPRs: i%3 == 0, SetGitHubStatus: true}
		fx.ProjectCredentials[p.ID] = creds
		fx.ProjectTriggers[p.ID] = trig
	}
}

// postureFloor is the number of requests the four data sources need on fx:
// the projects listing's pages, the organization's three endpoints, and
// each per-project endpoint of each project once (checkout keys and legacy
// schedules for OAuth projects only, one trigger listing per definition).
func postureFloor(fx *fakeapi.Fixture) (total int, how string) {
	org := OrgID(0)
	projects := fx.Projects[org]
	oauth, defs := 0, 0
	for _, p := range projects {
		if !strings.HasPrefix(p.Slug, "circleci/") {
			oauth++
		}
		defs += len(fx.ProjectTriggers[p.ID].Definitions)
	}
	pages := pagesOf(len(projects), min(circleci.ProjectsPageSize, fx.PageSize))
	n := len(projects)
	total = pages + 3 + 3*n + 3*n + 2*oauth + defs
	how = fmt.Sprintf("%d project pages + 3 organization endpoints (settings, OIDC claims, audit-log streams) + 3 × %d for "+
		"project settings (settings, OIDC claims, webhooks) + 3 × %d (variables, API tokens, pipeline definitions) + 2 × %d OAuth "+
		"projects (checkout keys, legacy schedules) + %d trigger lists", pages, n, n, oauth, defs)
	return total, how
}

// readPosture reads the four data sources in one in-process provider (one
// client, as in one CLI run), one after another, and checks each answer's
// size; it returns the time and the fake's request count.
func readPosture(ctx context.Context, f *Fake, conc, projects int) (time.Duration, int, error) {
	p, err := NewProvider(ctx, f.URL, map[string]tftypes.Value{"max_concurrency": tftypes.NewValue(tftypes.Number, conc)})
	if err != nil {
		return 0, 0, err
	}
	f.Server.Reset()
	org := map[string]tftypes.Value{"organization_id": tftypes.NewValue(tftypes.String, OrgID(0))}
	start := time.Now()
	for _, ds := range postureDataSources {
		obj, err := p.Read(ctx, ds, org)
		if err != nil {
			return 0, 0, fmt.Errorf("%s: %w", ds, err)
		}
		if ds == "circleci_org_settings" {
			continue
		}
		var ps []tftypes.Value
		if err := obj["projects"].As(&ps); err != nil {
			return 0, 0, err
		}
		if len(ps) != projects {
			return 0, 0, fmt.Errorf("%s: %d projects, want %d", ds, len(ps), projects)
		}
	}
	return time.Since(start), f.Server.RequestCount(""), nil
}

// postureURLs is the floor's requests as URLs: every per-project URL of fx,
// and one organization URL for each remaining request of the floor.
func postureURLs(base string, fx *fakeapi.Fixture, floor int) []string {
	org := OrgID(0)
	var urls []string
	for _, p := range fx.Projects[org] {
		urls = append(urls, base+fakeapi.ProjectSettingsPath(p.Slug), base+fakeapi.ProjectOIDCClaimsPath(org, p.ID),
			base+fakeapi.PathWebhooks+"?scope-id="+p.ID+"&scope-type=project",
			base+fakeapi.ProjectEnvVarsPath(p.Slug), base+fakeapi.ProjectAPITokensPath(p.Slug), base+fakeapi.PipelineDefinitionsPath(p.ID))
		if !strings.HasPrefix(p.Slug, "circleci/") {
			urls = append(urls, base+fakeapi.CheckoutKeysPath(p.Slug), base+fakeapi.SchedulesPath(p.Slug))
		}
		for _, d := range fx.ProjectTriggers[p.ID].Definitions {
			urls = append(urls, base+fakeapi.TriggersPath(p.ID, d.ID))
		}
	}
	for len(urls) < floor {
		urls = append(urls, base+fakeapi.OrgSettingsPath(org))
	}
	return urls
}

// Posture1k reads the four posture data sources on 1,000 projects, max_concurrency 8,
// through the in-process provider server: at 50 ms per response (request
// count and wall time against the floor computed from the fixture, and a
// bare net/http floor measured in the same run), then at 50 ms under the
// fake's limit of 50 requests/s (no 429, wall time against requests ÷ 50/s).
func Posture1k(ctx context.Context, o Options) []Result {
	return posture(ctx, o, 1000, 50*time.Millisecond, true)
}

// posture is Posture1k for any size and latency; without withRate, the rows
// at 50 ms only.
func posture(ctx context.Context, o Options, projects int, latency time.Duration, withRate bool) []Result {
	const conc, perSecond = 8, 50
	setup := fmt.Sprintf("%d projects, max_concurrency 8", projects)
	countName := "posture data sources (4, one run) requests, " + setup
	wallName := fmt.Sprintf("posture data sources (4, one run) wall time @ %s, %s", latency, setup)
	rateName := fmt.Sprintf("posture data sources (4, one run) under a %d req/s limit @ %s, %s", perSecond, latency, setup)
	fx := PostureFixture(projects)
	floor, how := postureFloor(fx)
	f, err := StartFake(ctx, "", fx, latency)
	if err != nil {
		return []Result{{Scenario: countName, Err: err}}
	}
	defer f.Close()
	run := floorRun{fake: f, urls: postureURLs(f.URL, fx, floor), floor: floor, latency: latency, conc: conc, perSecond: perSecond,
		read:      func() (time.Duration, int, error) { return readPosture(ctx, f, conc, projects) },
		countName: countName, wallName: wallName, rateName: rateName, reads: "runs", countNote: how,
		wallNote: "the four data sources one after another in one in-process provider server (one client); fake in-process"}
	if !withRate {
		run.rateName = ""
	}
	return run.rows(ctx, o)
}

// postureApply is one `tofu apply` reading the four posture data sources on
// an organization of n projects from cmd/fake-circleci, no latency.
func postureApply(ctx context.Context, o Options, n int) (*tofuRun, error) {
	if o.FakeBin == "" {
		return nil, fmt.Errorf("needs -fake-bin (cmd/fake-circleci)")
	}
	f, err := StartFake(ctx, o.FakeBin, PostureFixture(n), 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tf := fmt.Sprintf(tfHeader, Token, f.URL) + fmt.Sprintf(`
locals { org = %q }
data "circleci_org_settings" "all" { organization_id = local.org }
data "circleci_project_settings" "all" { organization_id = local.org }
data "circleci_project_credentials" "all" { organization_id = local.org }
data "circleci_pipeline_triggers" "all" { organization_id = local.org }
output "project_counts" {
  value = [length(data.circleci_project_settings.all.projects), length(data.circleci_project_credentials.all.projects), length(data.circleci_pipeline_triggers.all.projects)]
}
`, OrgID(0))
	run, err := runTofu(ctx, o, tf)
	if err != nil {
		return nil, err
	}
	want := fmt.Sprintf("project_counts = [ %d, %d, %d, ]", n, n, n)
	if !strings.Contains(strings.Join(strings.Fields(run.output), " "), want) {
		return nil, fmt.Errorf("%q not in the apply output:\n%s", want, run.output)
	}
	return run, nil
}

// PostureProviderCost is the provider process's CPU per project while
// OpenTofu reads the four posture data sources on 1,000 projects, against
// the same apply on an empty organization (reported, no target).
func PostureProviderCost(ctx context.Context, o Options) []Result {
	const n = 1000
	name := "provider CPU, posture data sources (4) on 1,000 projects through OpenTofu (provider CPU, apply wall)"
	rounds := min(o.Rounds, 2)
	empty, err := measureApply(o, rounds, func() (*tofuRun, error) { return postureApply(ctx, o, 0) })
	if err != nil {
		return []Result{{Scenario: name, Err: err}}
	}
	c, err := measureApply(o, rounds, func() (*tofuRun, error) { return postureApply(ctx, o, n) })
	if err != nil {
		return []Result{{Scenario: name, Err: err}}
	}
	return []Result{scaleRow(name, "project", n, c, empty, rounds)}
}
