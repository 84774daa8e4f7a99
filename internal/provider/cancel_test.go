package provider

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
	"github.com/circleci-access/terraform-provider-circleci/tools/cliharness"
)

// An interrupted run (Ctrl-C) ends a read that is waiting out a Retry-After
// at once, and sends nothing further: the CLI asks the provider to stop, and
// the provider's request context is cancelled. Without that, the provider
// would wait the 50 s CircleCI asked for and send a second request.
func TestAccReliability_interruptDuringRetryWait(t *testing.T) {
	r := newCLIRunner(t)
	s := newFixtureServer(t, testFixture())
	s.Inject(fakeapi.Fault{
		Path: collabPath, Times: -1, Status: 429,
		Header: map[string][]string{"Retry-After": {"50"}}, Body: rateLimitBody,
	})
	r.extra = append(r.extra, EnvToken+"="+testToken, EnvHost+"="+s.URL(), EnvMaxRetries+"=1")

	dir := t.TempDir()
	config := `
terraform {
  required_providers {
    circleci = { source = "` + cliharness.Source + `" }
  }
}
provider "circleci" {}
data "circleci_organizations" "all" {}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), cliCommandTimeout)
	defer cancel()
	cmd := r.command(ctx, dir, nil, r.cli, "plan", "-input=false", "-no-color")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	// Wait (with a deadline, not a timing assertion) for the first request:
	// the provider is now waiting out the Retry-After.
	deadline := time.Now().Add(time.Minute)
	for s.RequestCount(collabPath) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the fake saw no request within a minute; output:\n%s", out.String())
		}
		select {
		case err := <-done:
			t.Fatalf("the CLI exited before reading (%v):\n%s", err, out.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := <-done
	if ctx.Err() != nil {
		t.Fatalf("the CLI did not exit after the interrupt:\n%s", out.String())
	}
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		t.Fatalf("an interrupted plan must fail, got %v:\n%s", err, out.String())
	}
	if n := s.RequestCount(collabPath); n != 1 {
		t.Errorf("requests after the interrupt: %d in all, want 1 (nothing sent after Ctrl-C):\n%s", n, out.String())
	}
	if !expectError("Read of CircleCI Organizations Cancelled", "interrupted").MatchString(out.String()) {
		t.Errorf("the diagnostic must say the read was cancelled:\n%s", out.String())
	}
}
