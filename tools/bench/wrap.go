package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/circleci-access/terraform-provider-circleci/tools/cliharness"
)

// The provider wrapper: OpenTofu starts the provider through dev_overrides
// from a directory whose terraform-provider-circleci is a two-line script
// that execs benchreport with envWrapReal set. benchreport (ServeWrapper)
// then runs the real provider as its child, passing stdin, stdout, stderr,
// arguments and environment straight through, and, when the child exits,
// appends the child's own rusage (user and system CPU, peak RSS) to the file
// named by envWrapUsage. Only the provider process is measured: not
// OpenTofu, not the wrapper, not the fake.
const (
	envWrapReal  = "BENCH_WRAP_PROVIDER"
	envWrapUsage = "BENCH_WRAP_USAGE"
)

// ProcUsage is what one provider process spent, from its own rusage.
type ProcUsage struct {
	PID       int           `json:"pid"`
	Wall      time.Duration `json:"wall_ns"`
	User      time.Duration `json:"user_ns"`
	Sys       time.Duration `json:"sys_ns"`
	MaxRSSKiB int64         `json:"maxrss_kib"`
}

// CPU is user + system time.
func (u ProcUsage) CPU() time.Duration { return u.User + u.Sys }

// ServeWrapper runs the provider wrapper and exits when this process was
// started as one (envWrapReal set); otherwise it returns at once. A command
// that hands its own executable to the CLI runs (Options.WrapperBin) calls
// it first thing in main.
func ServeWrapper() {
	provider := os.Getenv(envWrapReal)
	if provider == "" {
		return
	}
	os.Exit(wrap(provider, os.Getenv(envWrapUsage), os.Args[1:]))
}

func wrap(provider, usageFile string, args []string) int {
	cmd := exec.Command(provider, args...) //nolint:gosec,noctx // G204: the provider binary benchreport was given; it lives as long as the CLI wants
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	// The CLI signals the plugin (interrupts are for the CLI; a plugin
	// server ignores SIGINT): pass them on, and never die before the child.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "bench wrapper: %v\n", err)
		return 1
	}
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	wall := time.Since(start)
	st := cmd.ProcessState
	if st == nil {
		fmt.Fprintf(os.Stderr, "bench wrapper: %v\n", err)
		return 1
	}
	u := ProcUsage{PID: st.Pid(), Wall: wall, User: st.UserTime(), Sys: st.SystemTime()}
	if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
		u.MaxRSSKiB = ru.Maxrss // KiB on Linux
	}
	if usageFile != "" {
		if line, jerr := json.Marshal(u); jerr == nil {
			if f, ferr := os.OpenFile(usageFile, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600); ferr == nil { //nolint:gosec // G304: benchreport's own temp file
				_, _ = f.Write(append(line, '\n'))
				_ = f.Close()
			}
		}
	}
	if code := st.ExitCode(); code >= 0 {
		return code
	}
	return 1
}

// writeWrapper writes the dev_overrides provider script into pluginDir: it
// execs wrapperBin (which calls ServeWrapper) to run providerBin and append
// its usage to usageFile.
func writeWrapper(pluginDir, wrapperBin, providerBin, usageFile string) error {
	script := fmt.Sprintf("#!/bin/sh\n%s=%q %s=%q exec %q \"$@\"\n", envWrapReal, providerBin, envWrapUsage, usageFile, wrapperBin)
	return os.WriteFile(filepath.Join(pluginDir, cliharness.BinaryName), []byte(script), 0o755) //nolint:gosec // an executable
}

// readUsage reads the usage lines the wrapper appended.
func readUsage(path string) ([]ProcUsage, error) {
	f, err := os.Open(path) //nolint:gosec // G304: our own temp file
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	var out []ProcUsage
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var u ProcUsage
		if err := json.Unmarshal(sc.Bytes(), &u); err != nil {
			return nil, fmt.Errorf("usage line %q: %w", sc.Text(), err)
		}
		out = append(out, u)
	}
	return out, sc.Err()
}
