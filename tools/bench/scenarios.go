package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
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
	Rounds      int    // repetitions of the timed reads (the minimum is kept)
	Log         func(format string, args ...any)
}

// Logf logs through o.Log, if set.
func (o Options) Logf(format string, args ...any) {
	if o.Log != nil {
		o.Log(format, args...)
	}
}

// Fake is a fake API, in-process or as a cmd/fake-circleci process.
type Fake struct {
	URL    string
	Server *fakeapi.Server // nil for a process
	cmd    *exec.Cmd
	dir    string
}

// StartFake starts a fake API serving fx with the given latency: in-process
// when bin is empty, otherwise as the cmd/fake-circleci binary bin.
func StartFake(ctx context.Context, bin string, fx *fakeapi.Fixture, latency time.Duration) (*Fake, error) {
	if bin == "" {
		s := fakeapi.New(fx)
		s.SetLatency(latency)
		return &Fake{URL: s.URL(), Server: s}, nil
	}
	dir, err := os.MkdirTemp("", "bench-fake-")
	if err != nil {
		return nil, err
	}
	f := &Fake{dir: dir}
	data, err := json.Marshal(fx)
	if err != nil {
		f.Close()
		return nil, err
	}
	fixture, urlFile := filepath.Join(dir, "fixture.json"), filepath.Join(dir, "url")
	if err := os.WriteFile(fixture, data, 0o600); err != nil {
		f.Close()
		return nil, err
	}
	f.cmd = exec.CommandContext(ctx, bin, "-addr", "127.0.0.1:0", "-fixture", fixture, "-url-file", urlFile, "-latency", latency.String()) //nolint:gosec // G204: bin is the cmd/fake-circleci binary the harness was given
	f.cmd.Stderr = nil
	if err := f.cmd.Start(); err != nil {
		f.Close()
		return nil, err
	}
	for range 200 {
		if b, err := os.ReadFile(urlFile); err == nil && len(b) > 0 { //nolint:gosec // G304: a file in our own temp dir
			f.URL = string(b)
			return f, nil
		}
		time.Sleep(25 * time.Millisecond)
	}
	f.Close()
	return nil, fmt.Errorf("%s did not start within 5s", bin)
}

// Close stops the fake and removes its temporary files.
func (f *Fake) Close() {
	if f.Server != nil {
		f.Server.Close()
	}
	if f.cmd != nil && f.cmd.Process != nil {
		_ = f.cmd.Process.Signal(syscall.SIGTERM)
		_ = f.cmd.Wait()
	}
	if f.dir != "" {
		_ = os.RemoveAll(f.dir)
	}
}

// Usage is what a process spent between two points.
type Usage struct {
	CPU            time.Duration
	Mallocs, Bytes uint64
}

// Snapshot returns this process's CPU time and allocations so far, after a GC.
func Snapshot() Usage {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return Usage{CPU: cpu, Mallocs: ms.Mallocs, Bytes: ms.TotalAlloc}
}

// Since returns the usage between before and u.
func (u Usage) Since(before Usage) Usage {
	return Usage{CPU: u.CPU - before.CPU, Mallocs: u.Mallocs - before.Mallocs, Bytes: u.Bytes - before.Bytes}
}

// MinDur returns the smallest of ds, which must not be empty.
func MinDur(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[0]
}

// Durs formats ds as seconds separated by slashes, e.g. "0.101/0.099 s".
func Durs(ds []time.Duration) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = fmt.Sprintf("%.3f", d.Seconds())
	}
	return strings.Join(parts, "/") + " s"
}

// tofuRun runs `tofu apply` on main.tf with the provider binary through
// dev_overrides, recording the peak RSS (VmHWM) of every provider process.
type tofuRun struct {
	elapsed   time.Duration
	processes int
	peakKiB   int64
	output    string
}

func runTofu(ctx context.Context, o Options, mainTF string) (*tofuRun, error) {
	if o.Tofu == "" || o.ProviderBin == "" {
		return nil, fmt.Errorf("needs -tofu and -provider-bin")
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
	pidFile := filepath.Join(dir, "pids")
	// The wrapper records its pid and execs the provider, which keeps the pid.
	wrapper := fmt.Sprintf("#!/bin/sh\necho $$ >> %q\nexec %q \"$@\"\n", pidFile, providerBin)
	if err := os.WriteFile(filepath.Join(plugins, cliharness.BinaryName), []byte(wrapper), 0o755); err != nil { //nolint:gosec // an executable
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

	peaks := map[int]int64{}
	stop := make(chan struct{})
	polled := make(chan struct{})
	go func() {
		defer close(polled)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			for _, pid := range readPids(pidFile) {
				if kib, ok := vmHWM(pid); ok && kib > peaks[pid] {
					peaks[pid] = kib
				} else if _, seen := peaks[pid]; !seen {
					peaks[pid] = 0
				}
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	start := time.Now()
	err = cmd.Run()
	elapsed := time.Since(start)
	close(stop)
	<-polled
	if err != nil {
		return nil, fmt.Errorf("tofu apply: %w\n%s", err, out.String())
	}
	run := &tofuRun{elapsed: elapsed, processes: len(peaks), output: out.String()}
	for _, k := range peaks {
		run.peakKiB = max(run.peakKiB, k)
	}
	return run, nil
}

func readPids(path string) []int {
	b, err := os.ReadFile(path) //nolint:gosec // G304: the pid file in our own temp dir
	if err != nil {
		return nil
	}
	var pids []int
	for _, f := range strings.Fields(string(b)) {
		if n, err := strconv.Atoi(f); err == nil {
			pids = append(pids, n)
		}
	}
	return pids
}

// vmHWM reads a process's peak resident set size in KiB.
func vmHWM(pid int) (int64, bool) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, false
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
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
		fmt.Sprintf("`tofu apply` %.2f s, %d provider process(es)", run.elapsed.Seconds(), run.processes),
	}
	if !strings.Contains(run.output, "counts = [") {
		fail := false
		r.Pass = &fail
		r.Notes = append(r.Notes, "output `counts` missing from the apply output")
	}
	return r
}

// PeakRSS10k measures the provider process's peak RSS while OpenTofu
// reads 10,000 members (100 pages) from cmd/fake-circleci.
func PeakRSS10k(ctx context.Context, o Options) Result {
	const members, pageSize = 10000, 100
	name := "provider process peak RSS, 10,000-member read through OpenTofu"
	if o.FakeBin == "" {
		return Result{Scenario: name, Err: fmt.Errorf("needs -fake-bin (cmd/fake-circleci)")}
	}
	f, err := StartFake(ctx, o.FakeBin, Fixture(1, members, pageSize, false), 0)
	if err != nil {
		return Result{Scenario: name, Err: err}
	}
	defer f.Close()
	tf := fmt.Sprintf(tfHeader, Token, f.URL) + fmt.Sprintf(`
data "circleci_org_members" "all" { organization_id = %q }
output "member_count" { value = data.circleci_org_members.all.member_count }
`, OrgID(0))
	run, err := runTofu(ctx, o, tf)
	if err != nil {
		return Result{Scenario: name, Err: err}
	}
	if !strings.Contains(run.output, fmt.Sprintf("member_count = %d", members)) {
		return Result{Scenario: name, Err: fmt.Errorf("member_count = %d not in the apply output:\n%s", members, run.output)}
	}
	return Result{Scenario: name, Measured: fmt.Sprintf("%.1f MiB", float64(run.peakKiB)/1024), Floor: "—", Ratio: math.NaN(),
		Target: "reported", Notes: []string{
			fmt.Sprintf("max VmHWM over %d provider process(es) (pid recorded by an exec wrapper, /proc polled every 5 ms)", run.processes),
			fmt.Sprintf("cmd/fake-circleci, %d pages of %d, no latency; `tofu apply` %.2f s", members/pageSize, pageSize, run.elapsed.Seconds()),
		}}
}
