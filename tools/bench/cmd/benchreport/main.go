// Command benchreport runs the organization-scale benchmarks (tools/bench)
// against the fake CircleCI API and prints a Markdown table: scenario,
// measured, floor (measured in the same run, or defined by the scenario),
// ratio, target, result and notes. It exits non-zero only when a scenario
// could not run; a target miss is reported in the table, not fatal.
//
//	benchreport -fake-bin PATH -provider-bin PATH -tofu PATH [-rounds 3] [-gobench FILE] [-only name,name]
//
// The headline row (client + mapper) and the mapper's row come from package
// provider's Go benchmarks (internal/provider/bench_test.go), whose
// `go test -bench` output is passed with -gobench (the mapper is
// unexported); scripts/bench.sh does all of this.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/circleci-access/terraform-provider-circleci/tools/bench"
)

func main() {
	var o bench.Options
	names := make([]string, len(bench.Scenarios))
	for i, s := range bench.Scenarios {
		names[i] = s.Name
	}
	flag.StringVar(&o.FakeBin, "fake-bin", "", "cmd/fake-circleci binary (data-source-read, provider-peak-rss)")
	flag.StringVar(&o.ProviderBin, "provider-bin", "", "provider binary (one-sweep-cli, provider-peak-rss)")
	flag.StringVar(&o.Tofu, "tofu", "", "OpenTofu binary (one-sweep-cli, provider-peak-rss)")
	flag.IntVar(&o.Rounds, "rounds", 3, "repetitions of the timed reads (the minimum is kept)")
	goBench := flag.String("gobench", "", "output of `go test -bench -benchmem` to add as rows")
	only := flag.String("only", strings.Join(names, ","), "scenarios to run, by name")
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
	if *goBench != "" {
		results = append(results, bench.GoBench(*goBench)...)
	}
	for _, s := range bench.Scenarios {
		if !want[s.Name] {
			continue
		}
		start := time.Now()
		o.Log("benchreport: %s: %s...", s.Name, s.What)
		results = append(results, s.Run(ctx, o))
		o.Log("benchreport: %s done in %.1fs", s.Name, time.Since(start).Seconds())
	}

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
