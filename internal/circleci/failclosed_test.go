package circleci

// Regression tests for the fail-closed review: each case failed on the
// client before it (see the "Why"), and each must keep failing if
// the behaviour regresses.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// echoToken is a token whose raw, URL-escaped, JSON-escaped and
// HTML-escaped forms all differ.
const echoToken = `cct_SECRET/+"<&>7f3a`

// tokenForms is every form of tok a server could quote back.
func tokenForms(tok string) []string {
	j, _ := json.Marshal(tok)
	return []string{tok, url.QueryEscape(tok), url.PathEscape(tok), string(j[1 : len(j)-1]), html.EscapeString(tok)}
}

func assertNoTokenForm(t *testing.T, what, s string) {
	t.Helper()
	for _, f := range tokenForms(echoToken) {
		if strings.Contains(s, f) {
			t.Errorf("%s holds the token (as %q): %.300q", what, f, s)
		}
	}
	// No prefix of it either (a cut in the middle of the token).
	if strings.Contains(s, "cct_SECRET") {
		t.Errorf("%s holds a part of the token: %.300q", what, s)
	}
}

// captureLogger records every logged event as text.
type captureLogger struct {
	mu   sync.Mutex
	logs []string
}

func (l *captureLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.logs = append(l.logs, fmt.Sprint(msg, fields))
}

func TestTokenEchoedByTheServerIsScrubbed(t *testing.T) {
	rg := fakeapi.RoleGrantsPath(testOrg)
	long := strings.Repeat("x", 190) // the token straddles the excerpt's cut
	tests := []struct {
		name  string
		fault fakeapi.Fault
		want  string // the error still says what happened
	}{
		{"401 JSON message", fakeapi.Fault{Path: rg, Status: 401, Body: `{"message":"Invalid token provided: ` + fakeapi.TokenJSONPlaceholder + `"}`}, "Invalid token provided: [REDACTED]"},
		{"400 errors value", fakeapi.Fault{Path: rg, Status: 400, Body: `{"errors":[{"type":"header","value":"` + fakeapi.TokenJSONPlaceholder + `"}]}`}, "header: [REDACTED]"},
		{"404 URL-escaped", fakeapi.Fault{Path: rg, Status: 404, Body: `{"message":"no route /x?circle-token=` + fakeapi.TokenURLPlaceholder + `"}`}, "circle-token=[REDACTED]"},
		{"502 HTML page", fakeapi.Fault{Path: rg, Status: 502, Header: http.Header{"Content-Type": {"text/html"}},
			Body: "<html><body>" + long + fakeapi.TokenPlaceholder + "</body></html>"}, "unexpected 502 (text/html)"},
		{"200 malformed JSON", fakeapi.Fault{Path: rg, Status: 200, Body: `{"items":[{"user_id":"` + fakeapi.TokenJSONPlaceholder + `" oops`}, "malformed JSON"},
		{"200 item quoting it", fakeapi.Fault{Path: rg, Status: 200, Body: `{"items":[{"user_id":"x","username":"` + fakeapi.TokenJSONPlaceholder + `","role":"org-admin"}]}`}, "not a UUID"},
		{"content type", fakeapi.Fault{Path: rg, Status: 500, Header: http.Header{"Content-Type": {"text/" + fakeapi.TokenURLPlaceholder}}, Body: "x"}, "unexpected 500"},
		{"malformed 512 KiB header line", fakeapi.Fault{Path: rg, Raw: "HTTP/1.1 502 Bad Gateway\r\nX-Broken " + fakeapi.TokenPlaceholder + strings.Repeat("y", 512<<10) + "\r\n\r\n"}, "request failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := pagedFixture(3, 10)
			fx.Token = echoToken
			s := fakeapi.New(fx)
			t.Cleanup(s.Close)
			log := &captureLogger{}
			c := newTestClient(t, s.URL(), func(c *Config) {
				c.Token, c.MaxRetries, c.Logger = echoToken, 0, log
			})
			s.Inject(tt.fault)
			got, err := c.OrgRoleGrants(context.Background(), testOrg)
			if err == nil || got != nil {
				t.Fatalf("got %d grants, err %v; want an error", len(got), err)
			}
			msg := err.Error()
			assertNoTokenForm(t, "the error", msg)
			if !strings.Contains(msg, tt.want) {
				t.Errorf("error %q lacks %q", msg, tt.want)
			}
			if len(msg) > 1024 {
				t.Errorf("error is %d bytes, want a short one", len(msg))
			}
			if strings.ContainsAny(msg, "\x00\x1b\r\n") {
				t.Errorf("error holds control characters: %q", msg)
			}
			for _, l := range log.logs {
				// The request's own headers are logged redacted.
				assertNoTokenForm(t, "a log event", l)
			}
		})
	}
}

// Regression: a user_id with ESC and newline characters reached a
// diagnostic raw.
func TestControlCharactersInItemsAreEscaped(t *testing.T) {
	s := newFake(t, pagedFixture(3, 10))
	c := newTestClient(t, s.URL())
	s.Inject(fakeapi.Fault{Path: fakeapi.RoleGrantsPath(testOrg), Status: 200,
		Body: `{"items":[{"user_id":"\u001b[2J\u001b[31m\nroot","username":"x\r\ny","role":"org-admin"}]}`})
	_, err := c.OrgRoleGrants(context.Background(), testOrg)
	if err == nil || strings.ContainsAny(err.Error(), "\x1b\r\n") || !strings.Contains(err.Error(), "not a UUID") {
		t.Fatalf("err = %q, want a not-a-UUID error without control characters", err)
	}
}

// Regression: a reset, EOF or per-attempt timeout while the body was read
// was not retried, so one bad page sank a long listing.
func TestBodyReadFailuresAreRetried(t *testing.T) {
	page1 := `{"items":[` + strings.Repeat(`{"user_id":"00000000-0000-4000-8000-000000000001","username":"a","role":"org-admin"},`, 20) +
		`{"user_id":"00000000-0000-4000-8000-000000000002","username":"b","role":"org-admin"}],"next_page_token":null}`
	tests := []struct {
		name  string
		fault fakeapi.Fault
	}{
		{"reset mid-body", fakeapi.Fault{Status: 200, Body: page1, PartialBody: 100}},
		{"timeout mid-body", fakeapi.Fault{Status: 200, Body: page1, PartialBody: 100, StallBody: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newFake(t, pagedFixture(7, 3))
			c := newTestClient(t, s.URL(), func(c *Config) { c.RequestTimeout = 500 * time.Millisecond })
			f := tt.fault
			f.Path, f.Skip = fakeapi.RoleGrantsPath(testOrg), 1 // page 2
			s.Inject(f)
			got, err := c.OrgRoleGrants(context.Background(), testOrg)
			if err != nil {
				t.Fatalf("OrgRoleGrants: %v", err)
			}
			if len(got) != 7 {
				t.Fatalf("got %d grants, want 7", len(got))
			}
			if n := s.RequestCount(fakeapi.RoleGrantsPath(testOrg)); n != 4 {
				t.Errorf("fake saw %d requests, want 4 (3 pages, page 2 twice)", n)
			}
		})
	}
	t.Run("within the retry budget", func(t *testing.T) {
		s := newFake(t, pagedFixture(7, 3))
		c := newTestClient(t, s.URL(), func(c *Config) { c.MaxRetries = 1 })
		s.Inject(fakeapi.Fault{Path: fakeapi.RoleGrantsPath(testOrg), Status: 200, Body: page1, PartialBody: 10, Times: -1})
		_, err := c.OrgRoleGrants(context.Background(), testOrg)
		var te *TransportError
		if !errors.As(err, &te) || te.Attempts != 2 || !strings.Contains(err.Error(), "reading the response body") {
			t.Fatalf("err = %v, want a *TransportError after 2 attempts while reading the body", err)
		}
	})
}

// Regression: each redirect hop restarted the per-attempt timeout, so five
// hops of 0.8 s passed a 1 s limit. Four hops of 300 ms must exceed 1 s.
func TestAttemptTimeoutSpansRedirectHops(t *testing.T) {
	s := newFake(t, nil)
	c := newTestClient(t, s.URL(), func(c *Config) { c.RequestTimeout, c.MaxRetries = time.Second, 0 })
	s.Inject(fakeapi.Fault{Path: fakeapi.PathMe, Status: http.StatusFound, Times: 4, Delay: 300 * time.Millisecond,
		Header: http.Header{"Location": {fakeapi.PathMe}}})
	_, err := c.Me(context.Background())
	var te *TransportError
	if !errors.As(err, &te) || !te.Timeout {
		t.Fatalf("err = %v, want a per-attempt timeout across the hops", err)
	}
}

func TestErrorsIsForEverySentinel(t *testing.T) {
	pe := withPage(&PaginationError{Path: "/p", Err: fmt.Errorf("%w; x", ErrRepeatedPageToken)}, "/p", 3)
	if want := "GET /p (page 3): pagination stopped: "; !strings.HasPrefix(pe.Error(), want) {
		t.Errorf("error %q does not start %q", pe, want)
	}
	if !errors.Is(pe, ErrRepeatedPageToken) {
		t.Error("errors.Is(…, ErrRepeatedPageToken) = false")
	}
	var page *PageError
	if !errors.As(pe, &page) || page.Page != 3 {
		t.Error("the page is not carried by *PageError")
	}
	te := &TransportError{Path: "/p", Err: &cleanError{msg: "x", cause: context.DeadlineExceeded}}
	if !errors.Is(te, context.DeadlineExceeded) {
		t.Error("a scrubbed transport error lost its cause")
	}
	ule := &UserLookupError{UserID: "u", Err: &APIError{StatusCode: 500}}
	var ae *APIError
	if !errors.As(ule, &ae) {
		t.Error("UserLookupError does not wrap its cause")
	}
}
