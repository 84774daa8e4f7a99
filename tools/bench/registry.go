package bench

import "context"

// Scenario is one measurement of the report: one or more rows.
type Scenario struct {
	Name string // what it measures; benchreport -only takes it
	What string // one line for the progress log
	Run  func(ctx context.Context, o Options) []Result
}

// one adapts a single-row scenario.
func one(f func(ctx context.Context, o Options) Result) func(ctx context.Context, o Options) []Result {
	return func(ctx context.Context, o Options) []Result { return []Result{f(ctx, o)} }
}

// Scenarios are the report's rows after the Go benchmarks' (GoBench), in
// order. A new data source adds its measurement here: a function of this
// package returning its rows, each with its floor measured in the same run.
// Large sizes have scenarios of their own, so that -only can leave them out.
var Scenarios = []Scenario{
	{"data-source-read", "10,000 members at 20 ms, whole data source Read", one(DataSourceRead10k)},
	{"one-sweep-cli", "5 data sources, one OpenTofu run", one(OneSweepCLI)},
	{"user-details", "include_user_details on 1,000 members", one(UserDetails1k)},
	{"rate-limit", "20 organizations under a rate limit", one(RateLimited20)},
	{"provider-cost", "provider process CPU and peak RSS, 10,000 members through OpenTofu", ProviderCost10k},
	{"scale-members", "scaling curve: 1,000 and 10,000 members through OpenTofu", ScaleMembers(1000, 10000)},
	{"org-access", "circleci_org_access: 1,000 projects, 300 members, 40 groups, 200 contexts at 50 ms, then under 50 req/s", OrgAccess1k},
	{"settings", "circleci_project_settings + circleci_org_settings: 1,000 projects at 50 ms, then under 50 req/s", Settings1k},
	{"scale-projects", "scaling curve: 100 and 1,000 projects through OpenTofu", ScaleProjects(100, 1000)},
	{"posture", "4 posture data sources: 1,000 projects at 50 ms, then under 50 req/s", Posture1k},
	{"posture-cost", "provider CPU per project, 4 posture data sources on 1,000 projects through OpenTofu", PostureProviderCost},
	{"exposure", "circleci_secret_exposure: requests beyond its parts' and its read, 1,000 projects", Exposure1k},
	{"exposure-cost", "provider CPU, circleci_secret_exposure beside its parts on 1,000 projects through OpenTofu", ExposureProviderCost},
	{"scale-projects-5k", "scaling curve: 5,000 projects through OpenTofu", ScaleProjects(5000)},
	{"scale-members-50k", "scaling curve: 50,000 members through OpenTofu", ScaleMembers(50000)},
}
