package circleci

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

const demoStandaloneOrg = "a8d449aa-dbf3-4d64-9eb9-0982ba339340" // 25 members in the demo fixture

// headerSpy wraps a transport and records the headers of every request.
type headerSpy struct {
	next http.RoundTripper
	mu   sync.Mutex
	seen []http.Header
	urls []string
}

func (h *headerSpy) RoundTrip(r *http.Request) (*http.Response, error) {
	h.mu.Lock()
	h.seen = append(h.seen, r.Header.Clone())
	h.urls = append(h.urls, r.URL.String())
	h.mu.Unlock()
	return h.next.RoundTrip(r)
}

func TestRequestHeaders(t *testing.T) {
	s := newFake(t, nil)
	spy := &headerSpy{}
	c := newTestClient(t, s.URL(), func(c *Config) {
		spy.next = c.Transport
		c.Transport = spy
		c.UserAgent = "my-agent/9.9 (test)"
	})
	ctx := context.Background()
	if _, err := c.Me(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Collaborations(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.OrgRoleGrants(ctx, demoStandaloneOrg); err != nil {
		t.Fatal(err)
	}
	reqs := s.Requests()
	if len(reqs) != 5 { // me, collaborations, 3 pages of 25 members
		t.Fatalf("fake saw %d requests, want 5", len(reqs))
	}
	for _, r := range reqs {
		if !r.HasToken || !r.Authorized {
			t.Errorf("request %s: HasToken=%v Authorized=%v", r.Path, r.HasToken, r.Authorized)
		}
	}
	assertTokenNeverInURL(t, s)
	for i, h := range spy.seen {
		if got := h.Get("Circle-Token"); got != testToken {
			t.Errorf("request %d: Circle-Token %q", i, got)
		}
		if got := h.Get("User-Agent"); got != "my-agent/9.9 (test)" {
			t.Errorf("request %d: User-Agent %q", i, got)
		}
		if got := h.Get("Accept"); got != "application/json" {
			t.Errorf("request %d: Accept %q", i, got)
		}
		if h.Get("Authorization") != "" {
			t.Errorf("request %d sends Authorization too", i)
		}
		assertNoToken(t, "URL", spy.urls[i])
	}
}

func TestDefaultUserAgent(t *testing.T) {
	s := newFake(t, nil)
	spy := &headerSpy{}
	c := newTestClient(t, s.URL(), func(c *Config) { spy.next, c.Transport, c.UserAgent = c.Transport, spy, "" })
	if _, err := c.Me(context.Background()); err != nil {
		t.Fatal(err)
	}
	if ua := spy.seen[0].Get("User-Agent"); ua != "terraform-provider-circleci" {
		t.Fatalf("User-Agent = %q", ua)
	}
}

func TestEndpoints(t *testing.T) {
	s := newFake(t, nil)
	c := newTestClient(t, s.URL())
	ctx := context.Background()

	me, err := c.Me(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if me.ID != "a040d4b1-84bc-4829-85ce-3248fea676d5" || me.Login != "jdoe" || me.AvatarURL == nil {
		t.Fatalf("Me = %+v", me)
	}
	u, err := c.User(ctx, "1a4bb713-300a-4cfe-a3a8-564ec5fa1eaa")
	if err != nil || u.Login != "mchen" {
		t.Fatalf("User = %+v, %v", u, err)
	}
	_, err = c.User(ctx, "00000000-0000-4000-8000-000000000000")
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusNotFound || ae.Message != fakeapi.MsgUserNotFound {
		t.Fatalf("unknown user: %v", err)
	}
	before := s.RequestCount("")
	for _, bad := range []string{"", "not-a-uuid", "../me", "a040d4b1-84bc-4829-85ce-3248fea676d5/../x"} {
		if _, err := c.User(ctx, bad); err == nil {
			t.Errorf("User(%q) succeeded", bad)
		}
		if _, err := c.OrgRoleGrants(ctx, bad); err == nil {
			t.Errorf("OrgRoleGrants(%q) succeeded", bad)
		}
	}
	if s.RequestCount("") != before {
		t.Fatal("an invalid id reached the API")
	}

	cols, err := c.Collaborations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(cols) == 0 {
		t.Fatal("no collaborations")
	}
	nullIDs := 0
	for _, col := range cols {
		if col.VCSType == "" || col.Name == "" || col.Slug == "" {
			t.Errorf("collaboration %+v lost a field", col)
		}
		if col.ID == nil {
			nullIDs++
		}
	}
	if nullIDs == 0 {
		t.Error("the demo fixture has a null-id collaboration; it decoded with an id")
	}

	gs, err := c.OrgRoleGrants(ctx, demoStandaloneOrg)
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 25 {
		t.Fatalf("got %d grants, want 25", len(gs))
	}
	_, err = c.OrgRoleGrants(ctx, "aa0db185-cf50-4dff-9bca-ea41bd02079a") // gh/acme
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusForbidden {
		t.Fatalf("github org: %v", err)
	}
}

// memLogger collects the client's debug events.
type memLogger struct {
	mu     sync.Mutex
	events []string
	fields []map[string]any
}

func (l *memLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, fmt.Sprintf("%s %v", msg, fields))
	l.fields = append(l.fields, fields)
}

func TestLoggingNeverShowsToken(t *testing.T) {
	s := newFake(t, pagedFixture(7, 3))
	log := &memLogger{}
	c := newTestClient(t, s.URL(), func(c *Config) { c.Logger = log })
	s.Inject(fakeapi.Fault{Path: fakeapi.RoleGrantsPath(testOrg), Skip: 1, Status: 429,
		Header: http.Header{"Retry-After": {"0"}, "X-RateLimit-Remaining": {"0"}}, Body: `{"message":"Rate limit exceeded."}`})
	ctx := context.Background()
	if _, err := c.OrgRoleGrants(ctx, testOrg); err != nil {
		t.Fatal(err)
	}
	_, _ = c.User(ctx, "00000000-0000-4000-8000-000000000000")
	if len(log.events) < 8 {
		t.Fatalf("only %d log events", len(log.events))
	}
	requests := 0
	for i, ev := range log.events {
		assertNoToken(t, "log event", ev)
		for k, v := range log.fields[i] {
			assertNoToken(t, "log field "+k, fmt.Sprintf("%v", v))
			assertNoToken(t, "log field "+k, fmt.Sprintf("%#v", v))
		}
		if h, ok := log.fields[i]["headers"]; ok {
			requests++
			hm, ok := h.(map[string]string)
			if !ok {
				t.Fatalf("headers field is %T", h)
			}
			if hm["Circle-Token"] != "[REDACTED]" {
				t.Errorf("headers field shows Circle-Token as %q", hm["Circle-Token"])
			}
			if hm["User-Agent"] == "" {
				t.Errorf("headers field lost User-Agent: %v", hm)
			}
		}
	}
	if requests != 5 { // 3 pages + 1 retry + the user
		t.Fatalf("%d request events, want 5", requests)
	}
	if !strings.Contains(strings.Join(log.events, "\n"), "status:429") {
		t.Error("no response event records the 429")
	}
}

func TestRedactHeaders(t *testing.T) {
	tests := []struct {
		name string
		in   http.Header
		want map[string]string
	}{
		{"circle token", http.Header{"Circle-Token": {testToken}}, map[string]string{"Circle-Token": "[REDACTED]"}},
		{"non-canonical key", http.Header{"circle-token": {testToken}}, map[string]string{"circle-token": "[REDACTED]"}},
		{"authorization", http.Header{"Authorization": {"Bearer " + testToken}}, map[string]string{"Authorization": "[REDACTED]"}},
		{"cookie and proxy", http.Header{"Cookie": {"s=" + testToken}, "Proxy-Authorization": {"Basic " + testToken}},
			map[string]string{"Cookie": "[REDACTED]", "Proxy-Authorization": "[REDACTED]"}},
		{"others kept", http.Header{"Accept": {"application/json"}, "X-Multi": {"a", "b"}},
			map[string]string{"Accept": "application/json", "X-Multi": "a, b"}},
		{"empty", http.Header{}, map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RedactHeaders(tt.in)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Fatalf("RedactHeaders = %v, want %v", got, tt.want)
			}
			assertNoToken(t, "redacted headers", fmt.Sprint(got))
		})
	}
}

func TestRedirects(t *testing.T) {
	t.Run("other origin refused", func(t *testing.T) {
		s := newFake(t, nil)
		other := newFake(t, nil)
		c := newTestClient(t, s.URL())
		s.Inject(fakeapi.Fault{Path: fakeapi.PathMe, Status: http.StatusFound,
			Header: http.Header{"Location": {other.URL() + fakeapi.PathMe}}})
		_, err := c.Me(context.Background())
		var re *RedirectError
		if !errors.As(err, &re) {
			t.Fatalf("err = %T %v, want *RedirectError", err, err)
		}
		if re.From != s.URL() || re.To != other.URL() {
			t.Fatalf("RedirectError = %+v", re)
		}
		if n := other.RequestCount(""); n != 0 {
			t.Fatalf("the other origin saw %d requests: the token reached it", n)
		}
		if n := s.RequestCount(""); n != 1 {
			t.Fatalf("fake saw %d requests, want 1 (a refused redirect is not retried)", n)
		}
		assertNoToken(t, "error", err.Error())
	})
	t.Run("same host, other scheme refused", func(t *testing.T) {
		s := newFake(t, nil)
		c := newTestClient(t, s.URL())
		s.Inject(fakeapi.Fault{Path: fakeapi.PathMe, Status: http.StatusMovedPermanently,
			Header: http.Header{"Location": {"https://" + strings.TrimPrefix(s.URL(), "http://") + fakeapi.PathMe}}})
		_, err := c.Me(context.Background())
		var re *RedirectError
		if !errors.As(err, &re) {
			t.Fatalf("err = %T %v, want *RedirectError", err, err)
		}
	})
	t.Run("same origin followed", func(t *testing.T) {
		s := newFake(t, nil)
		c := newTestClient(t, s.URL())
		s.Inject(fakeapi.Fault{Path: "/api/v2/old-me", Status: http.StatusTemporaryRedirect,
			Header: http.Header{"Location": {fakeapi.PathMe}}})
		var u User
		if err := c.getJSON(context.Background(), c.cfg.Host, "/api/v2/old-me", &u); err != nil {
			t.Fatal(err)
		}
		if u.Login != "jdoe" {
			t.Fatalf("login %q", u.Login)
		}
		reqs := s.Requests()
		if len(reqs) != 2 || reqs[1].Path != fakeapi.PathMe || !reqs[1].Authorized {
			t.Fatalf("requests = %+v", reqs)
		}
	})
	t.Run("redirect loop stops", func(t *testing.T) {
		s := newFake(t, nil)
		c := newTestClient(t, s.URL())
		s.Inject(fakeapi.Fault{Path: fakeapi.PathMe, Status: http.StatusFound, Times: -1,
			Header: http.Header{"Location": {fakeapi.PathMe}}})
		_, err := c.Me(context.Background())
		if err == nil {
			t.Fatal("a redirect loop succeeded")
		}
		if n := s.RequestCount(""); n != maxRedirects {
			t.Fatalf("fake saw %d requests, want %d (no retries of a redirect loop)", n, maxRedirects)
		}
	})
}

func TestBoundedReads(t *testing.T) {
	t.Run("endless 200 body", func(t *testing.T) {
		s := newFake(t, nil)
		c := newTestClient(t, s.URL(), func(c *Config) { c.MaxBodyBytes = 64 << 10 })
		s.Inject(fakeapi.Fault{Path: fakeapi.PathCollaborations, EndlessBody: true, Times: -1})
		_, err := c.Collaborations(context.Background())
		var tl *TooLargeError
		if !errors.As(err, &tl) || tl.Limit != 64<<10 {
			t.Fatalf("err = %T %v, want *TooLargeError", err, err)
		}
		if n := s.RequestCount(""); n != 1 {
			t.Fatalf("fake saw %d requests, want 1", n)
		}
	})
	t.Run("endless 200 page", func(t *testing.T) {
		s := newFake(t, pagedFixture(7, 3))
		c := newTestClient(t, s.URL(), func(c *Config) { c.MaxBodyBytes = 4096 })
		s.Inject(fakeapi.Fault{Path: fakeapi.RoleGrantsPath(testOrg), Skip: 1, EndlessBody: true})
		gs, err := c.OrgRoleGrants(context.Background(), testOrg)
		var tl *TooLargeError
		var pe *PageError
		if gs != nil || !errors.As(err, &tl) || !errors.As(err, &pe) || pe.Page != 2 {
			t.Fatalf("got %d grants, err = %v; want a *PageError(2) wrapping *TooLargeError", len(gs), err)
		}
	})
	t.Run("endless error body", func(t *testing.T) {
		s := newFake(t, nil)
		c := newTestClient(t, s.URL(), func(c *Config) { c.MaxErrorBytes = 1024 })
		s.Inject(fakeapi.Fault{Path: fakeapi.PathMe, EndlessBody: true, Status: 400})
		_, err := c.Me(context.Background())
		var ae *APIError
		if !errors.As(err, &ae) || ae.StatusCode != http.StatusBadRequest {
			t.Fatalf("err = %T %v, want *APIError 400", err, err)
		}
		if len(err.Error()) > 2048 {
			t.Fatalf("error is %d bytes", len(err.Error()))
		}
	})
	t.Run("large error body truncated", func(t *testing.T) {
		s := newFake(t, nil)
		c := newTestClient(t, s.URL(), func(c *Config) { c.MaxErrorBytes = 1024 })
		body := `{"message":"` + strings.Repeat("x", 100<<10) + `"}`
		s.Inject(fakeapi.Fault{Path: fakeapi.PathMe, Status: 404, Body: body})
		_, err := c.Me(context.Background())
		var ae *APIError
		if !errors.As(err, &ae) || ae.StatusCode != http.StatusNotFound {
			t.Fatalf("err = %T %v, want *APIError 404", err, err)
		}
		var tl *TooLargeError
		if errors.As(err, &tl) || strings.Contains(err.Error(), "too large") {
			t.Fatalf("an error body over the limit gave a size error: %v", err)
		}
		if ae.Excerpt == "" || len(err.Error()) > 2048 {
			t.Fatalf("error (%d bytes) %q, want a short excerpt", len(err.Error()), err)
		}
	})
}

// TestCancellation cancels the caller's context while the client waits for
// a Retry-After, and while a response is slow. The call must return with
// context.Canceled well before the wait would end, and the fake must see no
// request after the cancel. TestMain's goleak check catches any goroutine
// (timer, connection, request) left behind.
func TestCancellation(t *testing.T) {
	tests := []struct {
		name  string
		fault fakeapi.Fault
	}{
		{"during Retry-After wait", fakeapi.Fault{Path: fakeapi.PathMe, Status: 429, Times: -1,
			Header: http.Header{"Retry-After": {"8"}}, Body: `{"message":"Rate limit exceeded."}`}},
		{"during a slow response", fakeapi.Fault{Path: fakeapi.PathMe, Delay: 8 * time.Second, Times: -1}},
		{"during backoff", fakeapi.Fault{Path: fakeapi.PathMe, Status: 500, Times: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newFake(t, nil)
			c := newTestClient(t, s.URL(), func(c *Config) {
				c.RetryWaitMin, c.RetryWaitMax = 8*time.Second, 8*time.Second
			})
			s.Inject(tt.fault)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			go func() {
				for s.RequestCount("") == 0 {
					time.Sleep(5 * time.Millisecond)
				}
				time.Sleep(50 * time.Millisecond) // let the client reach its wait
				cancel()
			}()
			start := time.Now()
			_, err := c.Me(ctx)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %T %v, want context.Canceled", err, err)
			}
			if el := time.Since(start); el > 6*time.Second {
				t.Fatalf("returned %s after the start, not promptly after the cancel", el)
			}
			if n := s.RequestCount(""); n != 1 {
				t.Fatalf("fake saw %d requests, want 1", n)
			}
		})
	}
	t.Run("already cancelled", func(t *testing.T) {
		s := newFake(t, nil)
		c := newTestClient(t, s.URL())
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := c.OrgRoleGrants(ctx, demoStandaloneOrg)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
		if n := s.RequestCount(""); n != 0 {
			t.Fatalf("fake saw %d requests after the cancel", n)
		}
	})
}
