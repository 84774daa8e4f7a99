package bench

// The provider process's own cost through a real OpenTofu run: CPU time
// (user + system) and peak RSS from the provider's rusage (wrap.go), never
// OpenTofu's or the fake's. The floor of each is the same apply on an empty
// organization in the same run: the provider's fixed cost (start, schema,
// configure, one empty page), so that what grows with the members shows.

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// membersApply is one `tofu apply` reading circleci_org_members on an
// organization of members (pages of 100) from cmd/fake-circleci, no latency.
func membersApply(ctx context.Context, o Options, members int) (*tofuRun, error) {
	if o.FakeBin == "" {
		return nil, fmt.Errorf("needs -fake-bin (cmd/fake-circleci)")
	}
	f, err := StartFake(ctx, o.FakeBin, Fixture(1, members, 100, false), 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tf := fmt.Sprintf(tfHeader, Token, f.URL) + fmt.Sprintf(`
data "circleci_org_members" "all" { organization_id = %q }
output "member_count" { value = data.circleci_org_members.all.member_count }
`, OrgID(0))
	run, err := runTofu(ctx, o, tf)
	if err != nil {
		return nil, err
	}
	if !strings.Contains(run.output, fmt.Sprintf("member_count = %d", members)) {
		return nil, fmt.Errorf("member_count = %d not in the apply output:\n%s", members, run.output)
	}
	return run, nil
}

// cliCost is the least CPU, peak RSS and wall time seen over rounds of an apply.
type cliCost struct {
	cpu, wall time.Duration
	peakKiB   int64
	procs     int
}

func measureApply(o Options, rounds int, apply func() (*tofuRun, error)) (cliCost, error) {
	var c cliCost
	for i := range rounds {
		run, err := apply()
		if err != nil {
			return c, err
		}
		if i == 0 || run.cpu() < c.cpu {
			c.cpu, c.procs = run.cpu(), len(run.procs)
		}
		if i == 0 || run.elapsed < c.wall {
			c.wall = run.elapsed
		}
		if i == 0 || run.peakKiB() < c.peakKiB {
			c.peakKiB = run.peakKiB()
		}
		each := make([]string, len(run.procs))
		for j, p := range run.procs {
			each[j] = fmt.Sprintf("%s (user %s)/%.1f MiB", p.CPU().Round(time.Millisecond), p.User.Round(time.Millisecond), mib(p.MaxRSSKiB))
		}
		o.Logf("  round %d: provider CPU %s over %d process(es) (%s), peak RSS %.1f MiB, apply %s", i+1, run.cpu(), len(run.procs),
			strings.Join(each, ", "), mib(run.peakKiB()), run.elapsed)
	}
	return c, nil
}

func mib(kib int64) float64 { return float64(kib) / 1024 }

func usPer(d time.Duration, n int) float64 { return float64(d.Nanoseconds()) / 1e3 / float64(n) }

// ProviderCost10k is the provider process's CPU per member and peak RSS
// while OpenTofu reads 10,000 members (100 pages), against the same apply
// on an empty organization.
func ProviderCost10k(ctx context.Context, o Options) []Result {
	const members, cpuTarget, rssTarget = 10000, 20.0, 50.0
	cpuName := "provider process CPU (user + sys), 10,000-member read through OpenTofu"
	rssName := "provider process peak RSS, 10,000-member read through OpenTofu"
	rounds := min(o.Rounds, 3)
	empty, err := measureApply(o, rounds, func() (*tofuRun, error) { return membersApply(ctx, o, 0) })
	if err != nil {
		return []Result{{Scenario: cpuName, Err: err}, {Scenario: rssName, Err: err}}
	}
	full, err := measureApply(o, rounds, func() (*tofuRun, error) { return membersApply(ctx, o, members) })
	if err != nil {
		return []Result{{Scenario: cpuName, Err: err}, {Scenario: rssName, Err: err}}
	}
	// The target is on what the members cost: the fixed cost of starting
	// the provider processes (the floor) is paid once per run at any size.
	perMember, marginal := usPer(full.cpu, members), usPer(full.cpu-empty.cpu, members)
	cpuPass, rssPass := marginal <= cpuTarget, mib(full.peakKiB) <= rssTarget
	how := fmt.Sprintf("rusage of each provider process (an exec wrapper starts it as its child), least of %d applies", rounds)
	return []Result{{
		Scenario: cpuName,
		Measured: fmt.Sprintf("%.1f µs/member above the floor (%s over %d processes = %.1f µs/member in all)", marginal, Secs(full.cpu), full.procs, perMember),
		Floor:    fmt.Sprintf("%s (same apply, empty organization)", Secs(empty.cpu)),
		Ratio:    float64(full.cpu) / float64(empty.cpu),
		Target:   fmt.Sprintf("≤ %.0f µs/member above the floor", cpuTarget), Pass: &cpuPass,
		Notes: []string{
			"target on the cost above the floor (the floor is the provider processes' fixed start-up cost, paid once per run)",
			how, "cmd/fake-circleci, 100 pages of 100, no latency",
		},
	}, {
		Scenario: rssName,
		Measured: fmt.Sprintf("%.1f MiB", mib(full.peakKiB)),
		Floor:    fmt.Sprintf("%.1f MiB (same apply, empty organization)", mib(empty.peakKiB)),
		Ratio:    float64(full.peakKiB) / float64(empty.peakKiB),
		Target:   fmt.Sprintf("≤ %.0f MiB", rssTarget), Pass: &rssPass,
		Notes: []string{"ru_maxrss of the largest provider process", how},
	}}
}

// ScaleMembers returns the scaling-curve scenario for the given sizes:
// provider CPU and apply wall time per member, each size against the same
// empty-organization floor, to show that the cost per member stays flat.
func ScaleMembers(sizes ...int) func(ctx context.Context, o Options) []Result {
	return func(ctx context.Context, o Options) []Result {
		rounds := min(o.Rounds, 2)
		empty, err := measureApply(o, rounds, func() (*tofuRun, error) { return membersApply(ctx, o, 0) })
		if err != nil {
			return []Result{{Scenario: "scaling curve, members", Err: err}}
		}
		var out []Result
		for _, n := range sizes {
			name := fmt.Sprintf("scaling: %d members through OpenTofu (provider CPU, apply wall)", n)
			c, err := measureApply(o, rounds, func() (*tofuRun, error) { return membersApply(ctx, o, n) })
			if err != nil {
				out = append(out, Result{Scenario: name, Err: err})
				continue
			}
			out = append(out, scaleRow(name, "member", n, c, empty, rounds))
		}
		return out
	}
}

// scaleRow is a reported (no target) row of the scaling curve.
func scaleRow(name, item string, n int, c, empty cliCost, rounds int) Result {
	return Result{
		Scenario: name,
		Measured: fmt.Sprintf("CPU %s = %.1f µs/%s; wall %s", Secs(c.cpu), usPer(c.cpu, n), item, Secs(c.wall)),
		Floor:    fmt.Sprintf("CPU %s; wall %s (empty organization)", Secs(empty.cpu), Secs(empty.wall)),
		Ratio:    float64(c.cpu) / float64(empty.cpu),
		Target:   "reported (linear)",
		Notes: []string{
			fmt.Sprintf("above the floor per %s: CPU %.1f µs, wall %.1f µs", item, usPer(c.cpu-empty.cpu, n), usPer(c.wall-empty.wall, n)),
			fmt.Sprintf("peak RSS %.1f MiB; least of %d applies; no latency", mib(c.peakKiB), rounds),
		},
	}
}
