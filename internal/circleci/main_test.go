package circleci

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// TestMain fails the package's tests if any goroutine outlives them: every
// test closes its fake servers and its client's transport, so a leaked
// goroutine means the client left a request, a timer or a connection behind.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// testToken is distinctive so that any leak of it into an error, a log event
// or a URL is easy to find.
const testToken = "cct_SECRET_7f3a9c1e5b"

// Organization used by the tests' own fixtures.
const testOrg = "3b1f0a52-7c4e-4d2a-9f6b-1e2d3c4b5a69"

// newFake starts a fake API that accepts testToken, serving fx (nil: the demo
// fixture) and closes it when the test ends.
func newFake(t testing.TB, fx *fakeapi.Fixture) *fakeapi.Server {
	t.Helper()
	if fx == nil {
		fx = fakeapi.DemoFixture()
	}
	fx = fx.Clone()
	fx.Token = testToken
	s := fakeapi.New(fx)
	t.Cleanup(s.Close)
	return s
}

// grants returns n role grants with distinct user ids, in order.
func grants(n int) []fakeapi.RoleGrant {
	out := make([]fakeapi.RoleGrant, n)
	for i := range out {
		out[i] = fakeapi.RoleGrant{
			UserID:   fmt.Sprintf("00000000-0000-4000-8000-%012d", i+1),
			Username: fmt.Sprintf("user%d", i+1),
			Role:     "org-contributor",
		}
	}
	return out
}

// pagedFixture serves n members of testOrg, pageSize per page.
func pagedFixture(n, pageSize int) *fakeapi.Fixture {
	fx := fakeapi.DemoFixture()
	fx.Members = map[string][]fakeapi.RoleGrant{testOrg: grants(n)}
	fx.PageSize = pageSize
	return fx
}

// testConfig is a fast configuration: tiny backoff, generous per-attempt and
// total timeouts (no test relies on them unless it sets them), and a
// transport of its own that is closed when the test ends.
func testConfig(t testing.TB, host string) Config {
	t.Helper()
	tr := &http.Transport{MaxIdleConnsPerHost: 4, IdleConnTimeout: 30 * time.Second}
	t.Cleanup(tr.CloseIdleConnections)
	return Config{
		Token:          testToken,
		Host:           host,
		UserAgent:      "terraform-provider-circleci-test/0.0.1",
		MaxRetries:     3,
		RequestTimeout: 10 * time.Second,
		RetryWaitMin:   time.Millisecond,
		RetryWaitMax:   5 * time.Millisecond,
		MaxServerWait:  10 * time.Second,
		TotalTimeout:   30 * time.Second,
		Transport:      tr,
	}
}

func newTestClient(t testing.TB, host string, mods ...func(*Config)) *Client {
	t.Helper()
	cfg := testConfig(t, host)
	for _, m := range mods {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// assertNoToken fails if s contains the token.
func assertNoToken(t testing.TB, what, s string) {
	t.Helper()
	if strings.Contains(s, testToken) {
		t.Errorf("%s contains the token: %q", what, s)
	}
}

// assertTokenNeverInURL checks every request the fake saw.
func assertTokenNeverInURL(t testing.TB, s *fakeapi.Server) {
	t.Helper()
	for _, r := range s.Requests() {
		assertNoToken(t, "request path", r.Path)
		assertNoToken(t, "request query", r.RawQuery)
		if strings.Contains(strings.ToLower(r.RawQuery), "circle-token") {
			t.Errorf("request %s has a circle-token query parameter: %q", r.Path, r.RawQuery)
		}
	}
}

// inFlight wraps a fake's handler and records the most requests it ever had
// in flight at once.
type inFlight struct {
	next      http.Handler
	cur, peak atomic.Int64
}

func (h *inFlight) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := h.cur.Add(1)
	defer h.cur.Add(-1)
	for {
		p := h.peak.Load()
		if n <= p || h.peak.CompareAndSwap(p, n) {
			break
		}
	}
	h.next.ServeHTTP(w, r)
}

// usersFixture serves n members of testOrg (pageSize per page), each with a
// user record.
func usersFixture(n, pageSize int) (*fakeapi.Fixture, []string) {
	fx := pagedFixture(n, pageSize)
	ids := make([]string, n)
	for i, g := range fx.Members[testOrg] {
		ids[i] = g.UserID
		fx.Users = append(fx.Users, fakeapi.User{ID: g.UserID, Login: g.Username + "-gh", Name: "User " + g.Username})
	}
	return fx, ids
}

// newCountingFake serves fx through an in-flight counter, with latency so
// that requests overlap.
func newCountingFake(t *testing.T, fx *fakeapi.Fixture, latency time.Duration) (*fakeapi.Server, *inFlight, string) {
	t.Helper()
	fake := newFake(t, fx)
	fake.SetLatency(latency)
	counter := &inFlight{next: fake.Handler()}
	srv := httptest.NewServer(counter)
	t.Cleanup(srv.Close)
	return fake, counter, srv.URL
}

// rlHeader is a rate-limit header set.
func rlHeader(limit, remaining, reset int) http.Header {
	h := http.Header{}
	h.Set("RateLimit-Limit", strconv.Itoa(limit))
	h.Set("RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("RateLimit-Reset", strconv.Itoa(reset))
	return h
}
