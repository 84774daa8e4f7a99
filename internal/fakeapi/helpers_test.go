package fakeapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

const demoToken = "demo-token-not-a-secret"

// Demo fixture ids used throughout the tests.
const (
	demoStandaloneOrg = "a8d449aa-dbf3-4d64-9eb9-0982ba339340" // circleci/acme-platform, 25 members
	demoLabsOrg       = "2fd0bc50-f3a9-46db-9cc7-1a4976db58ea" // circleci/acme-labs, 3 members
	demoGitHubOrg     = "aa0db185-cf50-4dff-9bca-ea41bd02079a" // gh/acme
	demoBitbucketOrg  = "0ef47e44-3dc0-43ed-934a-0fda17a3b947" // bb/acme-legacy
	demoMeID          = "a040d4b1-84bc-4829-85ce-3248fea676d5" // jdoe
)

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) message(t *testing.T) string {
	t.Helper()
	var e struct {
		Message *string `json:"message"`
	}
	if err := json.Unmarshal(r.body, &e); err != nil || e.Message == nil {
		t.Fatalf("body %q is not a {\"message\": ...} error: %v", r.body, err)
	}
	return *e.Message
}

func newClient() *http.Client {
	return &http.Client{
		Transport: &http.Transport{DisableKeepAlives: true},
		Timeout:   10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// get sends a request to base+pathAndQuery (used verbatim, not re-encoded).
func send(t *testing.T, method, base, pathAndQuery, token string) response {
	t.Helper()
	return sendCtx(context.Background(), t, method, base, pathAndQuery, token)
}

func sendCtx(ctx context.Context, t *testing.T, method, base, pathAndQuery, token string) response {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, base+pathAndQuery, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Circle-Token", token)
	}
	res, err := newClient().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, pathAndQuery, err)
	}
	defer func() { _ = res.Body.Close() }()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	return response{status: res.StatusCode, header: res.Header, body: body}
}

func get(t *testing.T, s *Server, pathAndQuery string) response {
	t.Helper()
	return send(t, http.MethodGet, s.URL(), pathAndQuery, demoToken)
}

func newDemo(t *testing.T) *Server {
	t.Helper()
	s := New(DemoFixture())
	t.Cleanup(s.Close)
	if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") {
		t.Fatalf("URL() = %q, want http://127.0.0.1:PORT", s.URL())
	}
	return s
}
