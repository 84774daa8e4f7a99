package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// TestMain lets the test binary act as the command, so the signal test needs
// no separate build.
func TestMain(m *testing.M) {
	if args := os.Getenv("FAKE_CIRCLECI_TEST_ARGS"); args != "" {
		var a []string
		if err := json.Unmarshal([]byte(args), &a); err != nil {
			panic(err)
		}
		os.Args = append([]string{"fake-circleci"}, a...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var listeningLine = regexp.MustCompile(`^fake CircleCI API listening on (http://127\.0\.0\.1:[0-9]+)\n$`)

func waitForFile(t *testing.T, path string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(path); err == nil { //nolint:gosec // G304: a file in the test's temp dir
			return string(b)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s never appeared", path)
	return ""
}

func getMe(t *testing.T, base, token string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, base+"/api/v2/me", nil)
	req.Header.Set("Circle-Token", token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, body
}

func TestRunServesUntilCancelled(t *testing.T) {
	dir := t.TempDir()
	urlFile := filepath.Join(dir, "url")
	var stderr syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-url-file", urlFile, "-latency", "10ms"}, &stderr) }()

	base := waitForFile(t, urlFile)
	if !regexp.MustCompile(`^http://127\.0\.0\.1:[0-9]+$`).MatchString(base) {
		t.Errorf("url file = %q", base)
	}
	if status, body := getMe(t, base, "demo-token-not-a-secret"); status != 200 || !bytes.Contains(body, []byte(`"login":"jdoe"`)) {
		t.Errorf("GET /api/v2/me = %d %s", status, body)
	}
	// The line may be printed just after the url file is renamed into place.
	deadline := time.Now().Add(5 * time.Second)
	for stderr.String() == "" && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	m := listeningLine.FindStringSubmatch(stderr.String())
	if m == nil || m[1] != base {
		t.Errorf("stderr = %q, want one line with %s", stderr.String(), base)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after cancel")
	}
	if strings.Contains(stderr.String(), "demo-token-not-a-secret") {
		t.Error("token printed")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestRunFixtureFlag(t *testing.T) {
	dir := t.TempDir()
	fx := fakeapi.DemoFixture()
	fx.Token = "custom-token-value"
	fx.Me.Login = "custom-login"
	data, _ := json.Marshal(fx)
	path := filepath.Join(dir, "fx.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	urlFile := filepath.Join(dir, "url")
	var stderr syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-fixture", path, "-url-file", urlFile}, &stderr) }()
	base := waitForFile(t, urlFile)
	if status, body := getMe(t, base, "custom-token-value"); status != 200 || !bytes.Contains(body, []byte("custom-login")) {
		t.Errorf("GET /api/v2/me = %d %s", status, body)
	}
	if status, _ := getMe(t, base, "demo-token-not-a-secret"); status != 401 {
		t.Errorf("demo token accepted with a custom fixture: %d", status)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run = %v", err)
	}
	if strings.Contains(stderr.String(), "custom-token-value") {
		t.Error("token printed")
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"-addr", "0.0.0.0:0"},
		{"-addr", ":0"},
		{"-addr", "192.0.2.10:8080"},
		{"-fixture", filepath.Join(dir, "missing.json")},
		{"-latency", "-1s"},
		{"-latency", "soon"},
		{"extra-arg"},
	} {
		var stderr syncBuffer
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := run(ctx, args, &stderr)
		cancel()
		if err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
		if strings.Contains(stderr.String(), "listening on") {
			t.Errorf("run(%q) started listening", args)
		}
	}
}

func TestSignalExitsCleanly(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			urlFile := filepath.Join(dir, "url")
			args, _ := json.Marshal([]string{"-url-file", urlFile})
			cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^$") //nolint:gosec // G204: re-runs this test binary as the fake
			cmd.Env = append(os.Environ(), "FAKE_CIRCLECI_TEST_ARGS="+string(args))
			var stderr syncBuffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() { _ = cmd.Process.Kill() }()
			base := waitForFile(t, urlFile)
			if status, _ := getMe(t, base, "demo-token-not-a-secret"); status != 200 {
				t.Errorf("status %d", status)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			waitErr := make(chan error, 1)
			go func() { waitErr <- cmd.Wait() }()
			select {
			case err := <-waitErr:
				if err != nil {
					t.Errorf("exit after %v: %v; stderr %q", sig, err, stderr.String())
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("still running 10s after %v", sig)
			}
			if !listeningLine.MatchString(stderr.String()) {
				t.Errorf("stderr = %q", stderr.String())
			}
		})
	}
}
