package bench

import "context"

// Scenario is one measurement of the report.
type Scenario struct {
	Name string // what it measures; benchreport -only takes it
	What string // one line for the progress log
	Run  func(ctx context.Context, o Options) Result
}

// Scenarios are the report's rows after the Go benchmarks' (GoBench), in
// order. A new data source adds its measurement here: a function of this
// package returning a Result, with its floor measured in the same run.
var Scenarios = []Scenario{
	{"data-source-read", "10,000 members at 20 ms, whole data source Read", DataSourceRead10k},
	{"one-sweep-cli", "5 data sources, one OpenTofu run", OneSweepCLI},
	{"user-details", "include_user_details on 1,000 members", UserDetails1k},
	{"rate-limit", "20 organizations under a rate limit", RateLimited20},
	{"provider-peak-rss", "peak RSS of the provider process", PeakRSS10k},
}
