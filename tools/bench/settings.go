package bench

// circleci_project_settings and circleci_org_settings at their floor: three
// requests per project (settings, OIDC claims, webhooks) and three for the
// organization, each once.

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// SettingsFixture is AccessFixture's organization with n projects, each with
// settings (and no OIDC override or webhook: one page each).
func SettingsFixture(projects int) *fakeapi.Fixture {
	fx := AccessFixture(1, projects, 0, 0)
	fx.ProjectSettings = map[string]fakeapi.ProjectSettings{}
	for i, p := range fx.Projects[OrgID(0)] {
		fx.ProjectSettings[p.ID] = fakeapi.ProjectSettings{BuildForkPRs: i%2 == 0, ForksReceiveSecretEnvVars: i%3 == 0, PROnlyBranchOverrides: []string{"main"}}
	}
	return fx
}

// settingsFloor is the number of requests both data sources need: each page
// of the projects listing, three requests per project, three for the
// organization (settings, OIDC claims, audit-log configs).
func settingsFloor(fx *fakeapi.Fixture, projects int) int {
	return pagesOf(projects, min(circleci.ProjectsPageSize, fx.PageSize)) + 3*projects + 3
}

// Settings1k reads circleci_project_settings and circleci_org_settings on
// 1,000 projects, max_concurrency 8, through the in-process provider
// server, as OrgAccess1k: at 50 ms per response, then under the fake's
// limit of 50 requests/s.
func Settings1k(ctx context.Context, o Options) []Result {
	const projects, conc, latency, perSecond = 1000, 8, 50 * time.Millisecond, 50
	setup := "1,000 projects, max_concurrency 8"
	countName := "`circleci_project_settings` + `circleci_org_settings` requests, " + setup
	wallName := "`circleci_project_settings` + `circleci_org_settings` wall time @ 50 ms, " + setup
	rateName := fmt.Sprintf("`circleci_project_settings` + `circleci_org_settings` under a %d req/s limit @ 50 ms, %s", perSecond, setup)
	fx := SettingsFixture(projects)
	floor := settingsFloor(fx, projects)
	f, err := StartFake(ctx, "", fx, latency)
	if err != nil {
		return []Result{{Scenario: countName, Err: err}}
	}
	defer f.Close()
	org := OrgID(0)
	read := func() (time.Duration, int, error) {
		p, err := NewProvider(ctx, f.URL, map[string]tftypes.Value{"max_concurrency": tftypes.NewValue(tftypes.Number, conc)})
		if err != nil {
			return 0, 0, err
		}
		f.Server.Reset()
		start := time.Now()
		attrs := map[string]tftypes.Value{"organization_id": tftypes.NewValue(tftypes.String, org)}
		obj, err := p.Read(ctx, "circleci_project_settings", attrs)
		if err != nil {
			return 0, 0, err
		}
		if _, err := p.Read(ctx, "circleci_org_settings", attrs); err != nil {
			return 0, 0, err
		}
		elapsed := time.Since(start)
		var ps []tftypes.Value
		if err := obj["projects"].As(&ps); err != nil {
			return 0, 0, err
		}
		if len(ps) != projects {
			return 0, 0, fmt.Errorf("%d projects, want %d", len(ps), projects)
		}
		return elapsed, f.Server.RequestCount(""), nil
	}

	// The measured floor: as many GETs to the same fake by exactly conc
	// workers (every per-project URL, the organization's, and the listing's
	// count of one listing page).
	var urls []string
	for _, p := range fx.Projects[org] {
		urls = append(urls, f.URL+fakeapi.ProjectSettingsPath(p.Slug), f.URL+fakeapi.ProjectOIDCClaimsPath(org, p.ID), f.URL+fakeapi.WebhooksQuery(p.ID))
	}
	urls = append(urls, f.URL+fakeapi.OrgSettingsPath(org), f.URL+fakeapi.OrgOIDCClaimsPath(org), f.URL+fakeapi.AuditLogConfigsPath(org))
	for len(urls) < floor {
		urls = append(urls, f.URL+fakeapi.OrgOIDCClaimsPath(org))
	}
	hc := NewHTTPClient()
	defer hc.CloseIdleConnections()

	var walls, bares []time.Duration
	requests := 0
	rounds := min(o.Rounds, 2)
	for i := range rounds {
		start := time.Now()
		if err := BareGets(ctx, hc, urls, conc); err != nil {
			return []Result{{Scenario: countName, Err: fmt.Errorf("floor: %w", err)}}
		}
		bares = append(bares, time.Since(start))
		d, n, err := read()
		if err != nil {
			return []Result{{Scenario: countName, Err: err}}
		}
		walls, requests = append(walls, d), max(requests, n)
		o.Logf("  round %d: bare floor %s; %d requests in %s", i+1, bares[i], n, d)
	}
	count := Result{Scenario: countName, Measured: fmt.Sprintf("%d requests", requests),
		Floor: fmt.Sprintf("%d requests (computed from the fixture)", floor), Ratio: float64(requests) / float64(floor), Target: "= floor"}
	countPass := requests == floor
	count.Pass = &countPass
	count.Notes = []string{fmt.Sprintf("floor = ⌈%d/%d⌉ project pages + 3 × %d (settings, OIDC claims, webhooks) + 3 organization reads (settings, OIDC claims, audit-log configs); most requests of %d reads",
		projects, min(circleci.ProjectsPageSize, fx.PageSize), projects, rounds)}
	theory := time.Duration(float64(floor) * float64(latency) / conc)
	wall := RatioResult(wallName, MinDur(walls), theory, 1.2)
	wall.Floor = fmt.Sprintf("%s (%d requests × 50 ms ÷ 8)", Secs(theory), floor)
	wall.Notes = []string{fmt.Sprintf("least of %d reads (%s); in-process provider server and fake; the three organization reads are sequential", rounds, Durs(walls)),
		fmt.Sprintf("measured floor, same run: %d bare net/http GETs to the same fake by 8 workers %s, ratio %.3f", floor, Durs(bares),
			float64(MinDur(walls))/float64(MinDur(bares)))}

	f.Server.SetRateLimit(perSecond)
	d, n, err := read()
	if err != nil {
		return []Result{count, wall, {Scenario: rateName, Err: err}}
	}
	limited := f.Server.RateLimited()
	o.Logf("  rate-limited: %d requests (%d × 429) in %s", n, limited, d)
	rfloor := time.Duration(float64(n-limited) / perSecond * float64(time.Second))
	rate := RatioResult(rateName, d, rfloor, 1.15)
	rate.Floor = fmt.Sprintf("%s (%d requests ÷ %d/s)", Secs(rfloor), n-limited, perSecond)
	ratePass := *rate.Pass && limited == 0
	rate.Pass = &ratePass
	rate.Notes = []string{fmt.Sprintf("429s: %d; requests %d", limited, n),
		"fake: fixed 1 s windows, RateLimit-* headers on every answer; the ideal is about (requests ÷ 50/s − 1) s + latency"}
	return []Result{count, wall, rate}
}
