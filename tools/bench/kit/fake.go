package kit

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

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
