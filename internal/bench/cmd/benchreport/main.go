// Command benchreport runs the organization-scale benchmarks of issue #5
// against the fake CircleCI API and prints a Markdown table: scenario,
// measured, floor (measured in the same run, or defined by the scenario),
// ratio, target, result and notes. It exits non-zero only when a scenario
// could not run; a target miss is reported in the table, not fatal.
//
//	benchreport -fake-bin PATH -provider-bin PATH -tofu PATH [-rounds 3] [-gobench FILE] [-only 1,2,3,4,5]
//
// Scenario 1's headline row (client + mapper) comes from package provider's
// BenchmarkOrgScaleRead, whose `go test -bench` output is passed with
// -gobench (the mapper is unexported); scripts/bench.sh does all of this.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/circleci-access/terraform-provider-circleci/internal/bench"
	"github.com/circleci-access/terraform-provider-circleci/internal/bench/inproc"
)

func main() {
	var o bench.Options
	flag.StringVar(&o.FakeBin, "fake-bin", "", "cmd/fake-circleci binary (scenarios 1 and 5)")
	flag.StringVar(&o.ProviderBin, "provider-bin", "", "provider binary (scenarios 2 and 5)")
	flag.StringVar(&o.Tofu, "tofu", "", "OpenTofu binary (scenarios 2 and 5)")
	flag.IntVar(&o.Rounds, "rounds", 3, "repetitions of the timed reads of scenarios 1 and 3 (the minimum is kept)")
	goBench := flag.String("gobench", "", "output of `go test -bench -benchmem` to add as rows")
	only := flag.String("only", "1,2,3,4,5", "scenarios to run")
	flag.Parse()
	o.Rounds = max(o.Rounds, 1)
	o.Log = func(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	want := map[string]bool{}
	for _, s := range strings.Split(*only, ",") {
		want[strings.TrimSpace(s)] = true
	}
	var results []bench.Result
	run := func(id, what string, f func() []bench.Result) {
		if !want[id] {
			return
		}
		start := time.Now()
		o.Log("benchreport: scenario %s: %s...", id, what)
		rs := f()
		o.Log("benchreport: scenario %s done in %.1fs", id, time.Since(start).Seconds())
		results = append(results, rs...)
	}
	if *goBench != "" && want["1"] {
		results = append(results, bench.GoBench(*goBench)...)
	}
	run("1", "10,000 members at 20 ms, whole data source Read", func() []bench.Result { return []bench.Result{inproc.FullRead10k(ctx, o)} })
	run("2", "5 data sources, one OpenTofu run", func() []bench.Result { return []bench.Result{bench.OneSweepCLI(ctx, o)} })
	run("3", "include_user_details on 1,000 members", func() []bench.Result { return []bench.Result{inproc.UserDetails1k(ctx, o)} })
	run("4", "20 organizations under a rate limit", func() []bench.Result { return []bench.Result{inproc.RateLimited20(ctx, o)} })
	run("5", "peak RSS of the provider process", func() []bench.Result { return []bench.Result{bench.PeakRSS10k(ctx, o)} })

	fmt.Print(bench.Markdown(results))
	misses, errs := 0, 0
	for _, r := range results {
		switch {
		case r.Err != nil:
			errs++
		case r.Pass != nil && !*r.Pass:
			misses++
		}
	}
	fmt.Printf("\n%d rows: %d target miss(es), %d error(s).\n", len(results), misses, errs)
	if errs > 0 {
		os.Exit(1)
	}
}
