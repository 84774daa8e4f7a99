package bench

// circleci_secret_exposure on the 1,000-project organization of the access
// and posture scenarios: the requests it adds to a run that already reads
// what it joins (none, counted on the fake), the time of its read once those
// listings are in, and the provider's CPU through OpenTofu with and without
// it.

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// exposureParts are the data sources whose listings circleci_secret_exposure joins.
var exposureParts = []string{"circleci_org_access", "circleci_contexts", "circleci_project_settings", "circleci_project_credentials",
	"circleci_pipeline_triggers"}

// ExposureFixture is AccessFixture (300 members, 40 groups, 200 contexts over
// n projects, each with grants) with the posture data of PostureFixture on
// every project.
func ExposureFixture(n int) *fakeapi.Fixture {
	fx := AccessFixture(300, n, 40, 200)
	addPostureData(fx)
	return fx
}

// Exposure1k reads the five data sources circleci_secret_exposure joins,
// then circleci_secret_exposure, in one in-process provider (one client, as
// in one CLI run), and counts the requests each step made.
func Exposure1k(ctx context.Context, o Options) []Result {
	const projects, conc = 1000, 8
	name := "`circleci_secret_exposure` requests beyond its parts' (1,000 projects, 300 members, 40 groups, 200 contexts)"
	timeName := "`circleci_secret_exposure` read once its parts' listings are in (the join and its state), same organization"
	f, err := StartFake(ctx, "", ExposureFixture(projects), 0)
	if err != nil {
		return []Result{{Scenario: name, Err: err}}
	}
	defer f.Close()
	org := map[string]tftypes.Value{"organization_id": tftypes.NewValue(tftypes.String, OrgID(0))}
	var extra []int
	var joins, parts []time.Duration
	rounds := min(o.Rounds, 2)
	for i := range rounds {
		p, err := NewProvider(ctx, f.URL, map[string]tftypes.Value{"max_concurrency": tftypes.NewValue(tftypes.Number, conc)})
		if err != nil {
			return []Result{{Scenario: name, Err: err}}
		}
		f.Server.Reset()
		start := time.Now()
		for _, ds := range exposureParts {
			if _, err := p.Read(ctx, ds, org); err != nil {
				return []Result{{Scenario: name, Err: fmt.Errorf("%s: %w", ds, err)}}
			}
		}
		parts = append(parts, time.Since(start))
		before := f.Server.RequestCount("")
		start = time.Now()
		obj, err := p.Read(ctx, "circleci_secret_exposure", org)
		if err != nil {
			return []Result{{Scenario: name, Err: err}}
		}
		joins = append(joins, time.Since(start))
		var secrets []tftypes.Value
		if err := obj["secrets"].As(&secrets); err != nil {
			return []Result{{Scenario: name, Err: err}}
		}
		if len(secrets) != 200+projects { // every context, every project (each holds variables)
			return []Result{{Scenario: name, Err: fmt.Errorf("%d secrets, want %d", len(secrets), 200+projects)}}
		}
		extra = append(extra, f.Server.RequestCount("")-before)
		o.Logf("  round %d: parts %d requests in %s; the exposure %d more requests, %s", i+1, before, parts[i], extra[i], joins[i])
	}
	most := 0
	for _, n := range extra {
		most = max(most, n)
	}
	pass := most == 0
	count := Result{Scenario: name, Measured: fmt.Sprintf("%d requests", most), Floor: "0 requests (its parts read every listing it joins)",
		Target: "= 0", Pass: &pass, Notes: []string{fmt.Sprintf("most of %d runs, counted on the fake after the five parts' reads", rounds)}}
	join := Result{Scenario: timeName, Measured: Secs(MinDur(joins)), Floor: Secs(MinDur(parts)) + " (its five parts' reads, same run, at 0 ms)",
		Ratio: float64(MinDur(joins)) / float64(MinDur(parts)), Target: "reported",
		Notes: []string{fmt.Sprintf("least of %d runs (%s); in-process provider server and fake", rounds, Durs(joins))}}
	return []Result{count, join}
}

// exposureApply is one `tofu apply` reading the exposure's five parts, and
// the exposure too when with is set, on an organization of n projects.
func exposureApply(ctx context.Context, o Options, n int, with bool) (*tofuRun, error) {
	if o.FakeBin == "" {
		return nil, fmt.Errorf("needs -fake-bin (cmd/fake-circleci)")
	}
	f, err := StartFake(ctx, o.FakeBin, ExposureFixture(n), 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var b strings.Builder
	fmt.Fprintf(&b, "locals { org = %q }\n", OrgID(0))
	for _, ds := range exposureParts {
		fmt.Fprintf(&b, "data %q \"all\" { organization_id = local.org }\n", ds)
	}
	out := `output "projects" { value = length(data.circleci_project_settings.all.projects) }` + "\n"
	if with {
		b.WriteString(`data "circleci_secret_exposure" "all" { organization_id = local.org }` + "\n")
		out = `output "projects" { value = length([for s in data.circleci_secret_exposure.all.secrets : s if s.kind == "project"]) }` + "\n"
	}
	run, err := runTofu(ctx, o, fmt.Sprintf(tfHeader, Token, f.URL)+b.String()+out)
	if err != nil {
		return nil, err
	}
	if want := fmt.Sprintf("projects = %d", n); !strings.Contains(run.output, want) {
		return nil, fmt.Errorf("%q not in the apply output:\n%s", want, run.output)
	}
	return run, nil
}

// ExposureProviderCost is the provider process's CPU while OpenTofu reads the
// exposure's five parts and the exposure on 1,000 projects, against the same
// apply without the exposure (reported, no target).
func ExposureProviderCost(ctx context.Context, o Options) []Result {
	const n = 1000
	name := "provider CPU, `circleci_secret_exposure` beside its five parts on 1,000 projects through OpenTofu"
	rounds := min(o.Rounds, 2)
	without, err := measureApply(o, rounds, func() (*tofuRun, error) { return exposureApply(ctx, o, n, false) })
	if err != nil {
		return []Result{{Scenario: name, Err: err}}
	}
	with, err := measureApply(o, rounds, func() (*tofuRun, error) { return exposureApply(ctx, o, n, true) })
	if err != nil {
		return []Result{{Scenario: name, Err: err}}
	}
	return []Result{{
		Scenario: name,
		Measured: fmt.Sprintf("CPU %s (+%s = %.1f µs/project); wall %s", Secs(with.cpu), Secs(with.cpu-without.cpu),
			usPer(with.cpu-without.cpu, n), Secs(with.wall)),
		Floor:  fmt.Sprintf("CPU %s; wall %s (the five parts alone)", Secs(without.cpu), Secs(without.wall)),
		Ratio:  float64(with.cpu) / float64(without.cpu),
		Target: "reported",
		Notes:  []string{fmt.Sprintf("least of %d applies each; peak RSS %.1f MiB with, %.1f MiB without", rounds, mib(with.peakKiB), mib(without.peakKiB))},
	}}
}
