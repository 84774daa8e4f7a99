// Command fake-circleci serves the fake CircleCI API (internal/fakeapi) on a
// loopback address, for manual runs and end-to-end tests.
//
//	fake-circleci [-addr 127.0.0.1:0] [-fixture file.json] [-url-file path] [-latency 50ms]
//
// It prints "fake CircleCI API listening on http://127.0.0.1:PORT" to stderr
// (never the token) and exits cleanly on SIGINT or SIGTERM.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "fake-circleci:", err)
		stop()
		os.Exit(1)
	}
}

// run serves until ctx is done.
func run(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("fake-circleci", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "listen address (loopback only)")
	fixturePath := fs.String("fixture", "", "fixture JSON file (default: the embedded demo fixture)")
	urlFile := fs.String("url-file", "", "if set, write the base URL to this file once listening (atomically)")
	latency := fs.Duration("latency", 0, "delay added to every response")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if *latency < 0 {
		return fmt.Errorf("-latency must not be negative")
	}

	var fx *fakeapi.Fixture
	if *fixturePath != "" {
		var err error
		if fx, err = fakeapi.LoadFixture(*fixturePath); err != nil {
			return err
		}
	} else {
		fx = fakeapi.DemoFixture()
	}

	srv, err := fakeapi.NewOn(*addr, fx)
	if err != nil {
		return err
	}
	defer srv.Close()
	srv.SetLatency(*latency)

	if *urlFile != "" {
		if err := writeFileAtomic(*urlFile, []byte(srv.URL())); err != nil {
			return err
		}
	}
	_, _ = fmt.Fprintf(stderr, "fake CircleCI API listening on %s\n", srv.URL())

	<-ctx.Done()
	shutdown := make(chan struct{})
	go func() { srv.Close(); close(shutdown) }()
	select {
	case <-shutdown:
	case <-time.After(5 * time.Second):
	}
	return nil
}

// writeFileAtomic writes data to a temporary file in the same directory and
// renames it over path, so readers never see a partial file.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("writing url file: %w", err)
	}
	name := tmp.Name()
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(name, 0o644) //nolint:gosec // G302: the URL file is meant to be read by other processes, and holds no secret
	}
	if werr == nil {
		werr = os.Rename(name, path)
	}
	if werr != nil {
		_ = os.Remove(name)
		return fmt.Errorf("writing url file: %w", werr)
	}
	return nil
}
