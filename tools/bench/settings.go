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
	return floorRun{fake: f, urls: urls, floor: floor, latency: latency, conc: conc, perSecond: perSecond, read: read,
		countName: countName, wallName: wallName, rateName: rateName, reads: "reads",
		countNote: fmt.Sprintf("⌈%d/%d⌉ project pages + 3 × %d (settings, OIDC claims, webhooks) + 3 organization reads "+
			"(settings, OIDC claims, audit-log configs)", projects, min(circleci.ProjectsPageSize, fx.PageSize), projects),
		wallNote: "in-process provider server and fake; the three organization reads are sequential"}.rows(ctx, o)
}
