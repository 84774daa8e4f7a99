package provider

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
	bench "github.com/circleci-access/terraform-provider-circleci/tools/bench/kit"
)

// Benchmarks of the client and the mapper. They run only with -bench
// (scripts/bench.sh runs them and tools/bench/cmd/benchreport puts them in its
// table); `go test` without -bench skips them.

func benchGrants(n int) []circleci.RoleGrant {
	fx := bench.Fixture(1, n, 100, false)
	src := fx.Members[bench.OrgID(0)]
	out := make([]circleci.RoleGrant, len(src))
	for i, g := range src {
		out[i] = circleci.RoleGrant{UserID: g.UserID, Username: g.Username, Email: g.Email, Role: g.Role}
	}
	return out
}

// BenchmarkMembersToModel is the pure mapping of 10,000 role grants.
func BenchmarkMembersToModel(b *testing.B) {
	const n = 10000
	grants := benchGrants(n)
	b.Run(fmt.Sprintf("members=%d", n), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if got := len(membersToModel(grants, "").members); got != n {
				b.Fatalf("%d members", got)
			}
		}
	})
}

// BenchmarkOrgScaleRead is the headline read: 10,000 members in pages
// of 100 at 20 ms per response, read by the client (OrgRoleGrants, a new
// client each time so nothing is memoized) and mapped by membersToModel,
// against a bare net/http loop following the same 100 pages, measured in the
// same run and interleaved with the reads. It reports the fastest of each
// (noise on a shared machine only adds time), their ratio, and the reads'
// allocations and CPU per member. BENCH_FAKE_BIN (cmd/fake-circleci) runs the
// fake in a separate process so that those are the client's own.
func BenchmarkOrgScaleRead(b *testing.B) {
	const members, pageSize, latency = 10000, 100, 20 * time.Millisecond
	b.Run(fmt.Sprintf("members=%d", members), func(b *testing.B) {
		ctx := context.Background()
		f, err := bench.StartFake(ctx, os.Getenv("BENCH_FAKE_BIN"), bench.Fixture(1, members, pageSize, false), latency)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		org := bench.OrgID(0)
		hc := bench.NewHTTPClient()
		defer hc.CloseIdleConnections()
		if _, err := bench.BareSweep(ctx, hc, f.URL, org, nil); err != nil { // warm-up
			b.Fatal(err)
		}
		var floor, read time.Duration
		var use bench.Usage
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			start := time.Now()
			if _, err := bench.BareSweep(ctx, hc, f.URL, org, nil); err != nil {
				b.Fatal(err)
			}
			if d := time.Since(start); i == 0 || d < floor {
				floor = d
			}
			c, err := circleci.New(circleci.Config{Token: bench.Token, Host: f.URL})
			if err != nil {
				b.Fatal(err)
			}
			before := bench.Snapshot()
			b.StartTimer()

			start = time.Now()
			grants, err := c.OrgRoleGrants(ctx, org)
			if err != nil {
				b.Fatal(err)
			}
			got := len(membersToModel(grants, "").members)
			d := time.Since(start)

			b.StopTimer()
			if got != members {
				b.Fatalf("%d members", got)
			}
			if u := bench.Snapshot().Since(before); i == 0 || d < read {
				read, use = d, u
			}
			b.StartTimer()
		}
		b.ReportMetric(read.Seconds(), "read-s")
		b.ReportMetric(floor.Seconds(), "floor-s")
		b.ReportMetric(float64(read)/float64(floor), "ratio")
		b.ReportMetric(float64(use.Mallocs)/members, "allocs/member")
		b.ReportMetric(float64(use.Bytes)/members, "B/member")
		b.ReportMetric(float64(use.CPU.Microseconds())/members, "cpu-µs/member")
	})
}
