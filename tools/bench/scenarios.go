package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
	"github.com/circleci-access/terraform-provider-circleci/tools/cliharness"
)

// Result is one row of the report.
type Result struct {
	Scenario string
	Measured string
	Floor    string
	Ratio    float64 // NaN: no ratio
	Target   string
	// Pass is nil for a figure that is only reported.
	Pass  *bool
	Notes []string
	Err   error // the scenario could not run (a crash, not a target miss)
}

// RatioResult is a row comparing measured with floor, passing when their
// ratio is at most target.
func RatioResult(name string, measured, floor time.Duration, target float64) Result {
	r := Result{Scenario: name, Measured: Secs(measured), Floor: Secs(floor), Ratio: float64(measured) / float64(floor),
		Target: fmt.Sprintf("≤ %.2f×", target)}
	pass := r.Ratio <= target
	r.Pass = &pass
	return r
}

// Secs formats d as seconds with three decimals.
func Secs(d time.Duration) string { return fmt.Sprintf("%.3f s", d.Seconds()) }

// Options are the inputs the scenarios need from outside.
type Options struct {
	FakeBin     string // cmd/fake-circleci binary (data-source-read, provider-peak-rss)
	ProviderBin string // the provider binary (one-sweep-cli, provider-peak-rss)
	Tofu        string // OpenTofu binary (one-sweep-cli, provider-peak-rss)
	WrapperBin  string // the executable that calls ServeWrapper (benchreport): CLI scenarios
	Rounds      int    // repetitions of the timed reads (the minimum is kept)
	Log         func(format string, args ...any)
}

// Logf logs through o.Log, if set.
func (o Options) Logf(format string, args ...any) {
	if o.Log != nil {
		o.Log(format, args...)
	}
}

// tofuRun is one `tofu apply` of main.tf with the provider binary through
// dev_overrides, wrapped (writeWrapper) so that each provider process's own
// CPU time and peak RSS are recorded.
type tofuRun struct {
	elapsed time.Duration
	procs   []ProcUsage
	output  string
}

// cpu is the CPU time of every provider process of the run.
func (r *tofuRun) cpu() time.Duration {
	var d time.Duration
	for _, p := range r.procs {
		d += p.CPU()
	}
	return d
}

// peakKiB is the largest peak RSS of the run's provider processes.
func (r *tofuRun) peakKiB() int64 {
	var k int64
	for _, p := range r.procs {
		k = max(k, p.MaxRSSKiB)
	}
	return k
}

func runTofu(ctx context.Context, o Options, mainTF string) (*tofuRun, error) {
	if o.Tofu == "" || o.ProviderBin == "" || o.WrapperBin == "" {
		return nil, fmt.Errorf("needs -tofu, -provider-bin and a wrapper (benchreport itself)")
	}
	dir, err := os.MkdirTemp("", "bench-tofu-")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	plugins, work := filepath.Join(dir, "plugins"), filepath.Join(dir, "work")
	for _, d := range []string{plugins, work} {
		if err := os.MkdirAll(d, 0o750); err != nil {
			return nil, err
		}
	}
	providerBin, err := filepath.Abs(o.ProviderBin)
	if err != nil {
		return nil, err
	}
	usageFile := filepath.Join(dir, "usage.jsonl")
	if err := writeWrapper(plugins, o.WrapperBin, providerBin, usageFile); err != nil {
		return nil, err
	}
	cliConfig, err := cliharness.WriteCLIConfig(dir, plugins)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(mainTF), 0o600); err != nil { //nolint:gosec // G703: work is our own temp dir
		return nil, err
	}
	cmd := exec.CommandContext(ctx, o.Tofu, "-chdir="+work, "apply", "-auto-approve", "-input=false", "-no-color") //nolint:gosec // G204: the OpenTofu binary the harness was given
	cmd.Env = cliharness.Env(os.Environ(), cliConfig)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err = cmd.Run()
	elapsed := time.Since(start)
	if err != nil {
		return nil, fmt.Errorf("tofu apply: %w\n%s", err, out.String())
	}
	procs, err := readUsage(usageFile)
	if err != nil {
		return nil, fmt.Errorf("provider usage: %w", err)
	}
	if len(procs) == 0 {
		return nil, fmt.Errorf("no provider process reported its usage")
	}
	return &tofuRun{elapsed: elapsed, procs: procs, output: out.String()}, nil
}

var tfHeader = `terraform {
  required_providers {
    circleci = { source = "` + cliharness.Source + `" }
  }
}

provider "circleci" {
  api_token = %q
  host      = %q
}
`

// OneSweepCLI checks that five circleci_org_members data sources on one organization in
// one OpenTofu run cost one sweep of its pages.
func OneSweepCLI(ctx context.Context, o Options) Result {
	const members, pageSize = 1000, 100
	name := "5 data sources on one organization, one OpenTofu run (real provider binary)"
	f, err := StartFake(ctx, "", Fixture(1, members, pageSize, false), 0)
	if err != nil {
		return Result{Scenario: name, Err: err}
	}
	defer f.Close()
	org := OrgID(0)
	tf := fmt.Sprintf(tfHeader, Token, f.URL) + fmt.Sprintf(`
locals { org = %q }
data "circleci_org_members" "all" { organization_id = local.org }
data "circleci_org_members" "admins" {
  organization_id = local.org
  role            = "admin"
}
data "circleci_org_members" "contributors" {
  organization_id = local.org
  role            = "contributor"
}
data "circleci_org_members" "viewers" {
  organization_id = local.org
  role            = "viewer"
}
data "circleci_org_members" "again" { organization_id = local.org }
output "counts" {
  value = [for d in [data.circleci_org_members.all, data.circleci_org_members.admins, data.circleci_org_members.contributors,
  data.circleci_org_members.viewers, data.circleci_org_members.again] : d.member_count]
}
`, org)
	run, err := runTofu(ctx, o, tf)
	if err != nil {
		return Result{Scenario: name, Err: err}
	}
	pages := (members + pageSize - 1) / pageSize
	got := f.Server.RequestCount(fakeapi.RoleGrantsPath(org))
	all := f.Server.RequestCount("")
	r := Result{Scenario: name, Measured: fmt.Sprintf("%d requests", got), Floor: fmt.Sprintf("%d pages (one sweep)", pages),
		Ratio: float64(got) / float64(pages), Target: "= 1.00×"}
	pass := got == pages
	r.Pass = &pass
	r.Notes = []string{
		fmt.Sprintf("role-grants requests seen by the fake %d vs %d pages in one sweep; all requests %d", got, pages, all),
		fmt.Sprintf("`tofu apply` %.2f s, %d provider process(es)", run.elapsed.Seconds(), len(run.procs)),
	}
	if !strings.Contains(run.output, "counts = [") {
		fail := false
		r.Pass = &fail
		r.Notes = append(r.Notes, "output `counts` missing from the apply output")
	}
	return r
}
