package circleci

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// These tests guard the client's concurrency behaviour without timing
// assertions; the timed targets live in tools/bench (make bench).

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

func TestUsersMaxConcurrency(t *testing.T) {
	fx, ids := usersFixture(40, 100)
	fake, counter, url := newCountingFake(t, fx, 10*time.Millisecond)
	c := newTestClient(t, url, func(cfg *Config) { cfg.MaxConcurrency = 3 })

	// Two reads at once share the client's bound.
	var wg sync.WaitGroup
	for _, part := range [][]string{ids[:20], ids[20:]} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			users, err := c.Users(context.Background(), part)
			if err != nil {
				t.Errorf("Users: %v", err)
				return
			}
			if len(users) != len(part) {
				t.Errorf("Users returned %d users, want %d", len(users), len(part))
			}
		}()
	}
	wg.Wait()
	if p := counter.peak.Load(); p > 3 {
		t.Errorf("%d requests in flight at once, want at most MaxConcurrency = 3", p)
	} else if p < 2 {
		t.Errorf("at most %d request in flight: the lookups did not run concurrently", p)
	}
	if n := fake.RequestCount(""); n != len(ids) {
		t.Errorf("%d requests for %d users, want one each", n, len(ids))
	}
}

func TestUsersEachFetchedOnce(t *testing.T) {
	fx, ids := usersFixture(12, 100)
	fake, _, url := newCountingFake(t, fx, 5*time.Millisecond)
	c := newTestClient(t, url, func(cfg *Config) { cfg.MaxConcurrency = 4 })

	// Asked twice at the same time (and twice within one call), then again.
	ask := append(append([]string{}, ids...), ids[:4]...)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			users, err := c.Users(context.Background(), ask)
			if err != nil {
				t.Errorf("Users: %v", err)
				return
			}
			for _, id := range ids {
				if u := users[id]; u == nil || u.ID != id {
					t.Errorf("user %s: got %+v", id, u)
				}
			}
		}()
	}
	wg.Wait()
	if _, err := c.Users(context.Background(), ids); err != nil {
		t.Fatalf("Users again: %v", err)
	}
	for _, id := range ids {
		if n := fake.RequestCount(fakeapi.UserPath(id)); n != 1 {
			t.Errorf("user %s fetched %d times, want once", id, n)
		}
	}
}

func TestConcurrentOrgRoleGrantsOneSweep(t *testing.T) {
	const members, pageSize = 95, 10 // 10 pages
	fake, _, url := newCountingFake(t, pagedFixture(members, pageSize), 2*time.Millisecond)
	c := newTestClient(t, url)

	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := c.OrgRoleGrants(context.Background(), testOrg)
			if err != nil {
				t.Errorf("OrgRoleGrants: %v", err)
				return
			}
			if len(got) != members {
				t.Errorf("%d grants, want %d", len(got), members)
			}
		}()
	}
	wg.Wait()
	// A later read in the same run is served from memory.
	if _, err := c.OrgRoleGrants(context.Background(), testOrg); err != nil {
		t.Fatal(err)
	}
	pages := (members + pageSize - 1) / pageSize
	if n := fake.RequestCount(fakeapi.RoleGrantsPath(testOrg)); n != pages {
		t.Errorf("9 reads of one organization made %d requests, want one sweep of %d pages", n, pages)
	}
	if n := c.RequestCount(); n != int64(pages) {
		t.Errorf("client RequestCount = %d, want %d", n, pages)
	}
}

// rlHeader is a rate-limit header set.
func rlHeader(limit, remaining, reset int) http.Header {
	h := http.Header{}
	h.Set("RateLimit-Limit", strconv.Itoa(limit))
	h.Set("RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("RateLimit-Reset", strconv.Itoa(reset))
	return h
}

// The pacer's model, driven with explicit times (no sleeping). Each answer
// is observed with the ticket its request was sent with.
func TestPacerModel(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	// send lets one request through at now and returns its ticket.
	send := func(t *testing.T, p *pacer, now time.Time) int64 {
		t.Helper()
		if d := p.delayLocked(now); d != 0 {
			t.Fatalf("request delayed %s", d)
		}
		return p.ticket()
	}

	t.Run("no headers, no pacing", func(t *testing.T) {
		p := newPacer(time.Minute)
		p.observe(http.Header{}, send(t, p, at(0)), at(10))
		for i := range 100 {
			if d := p.delayLocked(at(10 + i)); d != 0 {
				t.Fatalf("delay %s without rate-limit headers", d)
			}
		}
	})

	t.Run("no slowdown while half the budget remains", func(t *testing.T) {
		p := newPacer(time.Minute)
		p.observe(rlHeader(100, 99, 1), send(t, p, at(0)), at(10))
		for i := range 50 { // 99 → 49: all at once while ≥ 50 are left
			if d := p.delayLocked(at(10)); d != 0 {
				t.Fatalf("request %d delayed %s with %d of 100 left", i, d, p.remaining+1)
			}
		}
		if d := p.delayLocked(at(10)); d != 0 {
			t.Fatalf("first paced request delayed %s, want 0 (it takes the first slot)", d)
		}
		// 48 left until 1.010s: one every 1s/48 ≈ 20.8ms.
		d := p.delayLocked(at(10))
		if d < 20*time.Millisecond || d > 22*time.Millisecond {
			t.Errorf("next slot in %s, want ≈ 20ms (the remainder spread to the reset)", d)
		}
	})

	t.Run("without a limit header only a small remainder slows down", func(t *testing.T) {
		p := newPacer(time.Minute)
		h := http.Header{"X-Ratelimit-Remaining": {"5000"}, "X-Ratelimit-Reset": {"3600"}}
		p.observe(h, send(t, p, at(0)), at(10))
		for i := range 100 {
			if d := p.delayLocked(at(10)); d != 0 {
				t.Fatalf("request %d delayed %s with ~5000 left and no limit header", i, d)
			}
		}
		p = newPacer(time.Minute)
		h = http.Header{"X-Ratelimit-Remaining": {"3"}, "X-Ratelimit-Reset": {"30"}}
		p.observe(h, send(t, p, at(0)), at(10))
		p.delayLocked(at(10)) // the first slot
		if d := p.delayLocked(at(10)); d < 9*time.Second {
			t.Errorf("delay %s with 3 left for 30s, want the remainder spread out (≈10s)", d)
		}
	})

	// Regression: the lowest remainder seen in a window stuck, so one
	// "Remaining: 0" with a distant reset made every later request wait the
	// full cap although the next answers said 4,999 were left.
	t.Run("the latest answer's budget wins", func(t *testing.T) {
		p := newPacer(time.Minute)
		p.observe(http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"3600"}}, send(t, p, at(0)), at(10))
		if d := p.delayLocked(at(20)); d < 59*time.Minute {
			t.Fatalf("delay %s with nothing left for an hour, want until the reset", d)
		}
		p.observe(http.Header{"X-Ratelimit-Remaining": {"4999"}, "X-Ratelimit-Reset": {"3600"}}, p.ticket(), at(30))
		for i := range 100 {
			if d := p.delayLocked(at(40)); d != 0 {
				t.Fatalf("request %d delayed %s after an answer said 4,999 were left", i, d)
			}
		}
	})

	t.Run("an older answer does not overrule a newer one", func(t *testing.T) {
		p := newPacer(time.Minute)
		old := send(t, p, at(0))
		recent := send(t, p, at(1))
		p.observe(rlHeader(100, 90, 60), recent, at(10))
		p.observe(rlHeader(100, 0, 60), old, at(20)) // sent earlier, answered later: ignored
		if p.remaining != 90 {
			t.Errorf("remaining %d, want 90 from the most recently sent request's answer", p.remaining)
		}
	})

	t.Run("requests let through since count against the answer", func(t *testing.T) {
		p := newPacer(time.Minute)
		tk := send(t, p, at(0))
		for range 5 {
			send(t, p, at(1))
		}
		p.observe(rlHeader(100, 80, 60), tk, at(10))
		if p.remaining != 75 {
			t.Errorf("remaining %d, want 80 less the 5 sent since", p.remaining)
		}
	})

	t.Run("the tightest reset estimate within a second wins", func(t *testing.T) {
		p := newPacer(time.Minute)
		p.observe(rlHeader(10, 0, 1), send(t, p, at(0)), at(20)) // window ends by 1.020s
		p.observe(rlHeader(10, 0, 1), p.ticket(), at(500))       // says 1.500s: rounding, ignored
		if d := p.delayLocked(at(600)); d != 420*time.Millisecond {
			t.Errorf("delay %s at 0.6s, want 420ms (to 1.020s)", d)
		}
	})

	// Regression: an epoch reset (a Unix time) was read as 54 years.
	t.Run("a Unix-time reset is read as a time", func(t *testing.T) {
		now := time.Now()
		p := newPacer(time.Minute)
		h := rlHeader(100, 0, 0)
		h.Set("RateLimit-Reset", strconv.FormatInt(now.Add(30*time.Second).Unix(), 10))
		p.observe(h, send(t, p, now), now)
		if d := p.resetAt.Sub(now); d < 28*time.Second || d > 31*time.Second {
			t.Errorf("reset in %s, want about 30s", d)
		}
	})

	// Regression: 11-digit and longer values overflowed.
	t.Run("huge resets saturate", func(t *testing.T) {
		for _, v := range []string{"99999999999", "99999999999999999999999", "00000000000000000000000000030"} {
			p := newPacer(time.Minute)
			h := http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {v}}
			p.observe(h, send(t, p, at(0)), at(10))
			if d := p.delayLocked(at(20)); d <= 0 {
				t.Errorf("reset %q: delay %s, want a positive wait (not an overflow)", v, d)
			}
		}
	})

	t.Run("after the reset the full budget, and stale answers ignored", func(t *testing.T) {
		p := newPacer(time.Minute)
		p.observe(rlHeader(10, 0, 1), send(t, p, at(0)), at(20))
		stale := p.ticket() // a request sent before the reset…
		p.sent++
		if d := p.delayLocked(at(1020)); d != 0 {
			t.Fatalf("delay %s at the reset, want 0", d)
		}
		// …answered after it, saying 0 left: ignored.
		p.observe(rlHeader(10, 0, 1), stale, at(1030))
		for i := range 4 {
			if d := p.delayLocked(at(1030)); d != 0 {
				t.Fatalf("request %d after the reset delayed %s", i, d)
			}
		}
		// The new window's first answer sets its end.
		p.observe(rlHeader(10, 4, 1), p.ticket(), at(1040))
		if p.resetAt != at(2040) || p.remaining != 4 {
			t.Errorf("resetAt %s, remaining %d; want 2.040s and 4", p.resetAt.Sub(t0), p.remaining)
		}
	})

	t.Run("exhausted with no known reset waits for an answer", func(t *testing.T) {
		p := newPacer(time.Minute)
		p.observe(rlHeader(2, 0, 1), send(t, p, at(0)), at(10))
		p.delayLocked(at(1010)) // rollover: 2 assumed
		p.delayLocked(at(1010))
		if d := p.delayLocked(at(1010)); d != time.Second {
			t.Errorf("delay %s with nothing left and no reset known, want the window (1s)", d)
		}
	})
}

// Regression: a pacing wait longer than the cap was waited in full (60 s)
// for every request. Beyond the cap the request is sent at once, and the
// 429 it gets is the signal. (The context's deadline makes the old
// behaviour fail, not a timed assertion.)
func TestPacerNeverWaitsBeyondTheCap(t *testing.T) {
	p := newPacer(10 * time.Minute)
	now := time.Now()
	p.observe(rlHeader(10, 0, 3600), p.ticket(), now) // nothing left for an hour
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for i := range 3 {
		if err := p.wait(ctx); err != nil {
			t.Fatalf("wait %d = %v, want the request sent at once", i, err)
		}
	}

	p = newPacer(time.Minute)
	p.observe(rlHeader(10, 0, 30), p.ticket(), now) // would wait 30s, within the cap
	ctx, cancel = context.WithCancel(context.Background())
	go func() { time.Sleep(10 * time.Millisecond); cancel() }()
	if err := p.wait(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("wait = %v, want context.Canceled", err)
	}
}

func TestPacersPerOrigin(t *testing.T) {
	ps := &pacers{maxWait: time.Minute}
	a, b := ps.get("https://circleci.com"), ps.get("https://app.circleci.com")
	if a == b || ps.get("https://circleci.com") != a {
		t.Fatal("want one pacer per origin")
	}
	a.observe(rlHeader(10, 0, 3600), a.ticket(), time.Now())
	if d := b.delayLocked(time.Now()); d != 0 {
		t.Errorf("the app host is slowed down (%s) by the API host's budget", d)
	}
}

// A waiter is woken when an answer changes the model (e.g. shows the window
// has reset), rather than keeping a slot computed from stale numbers.
func TestPacerWaiterWokenByAnswer(t *testing.T) {
	p := newPacer(time.Minute)
	now := time.Now()
	p.observe(rlHeader(10, 0, 30), p.ticket(), now) // nothing left for 30s
	done := make(chan error, 1)
	go func() { done <- p.wait(context.Background()) }()
	time.Sleep(10 * time.Millisecond)
	p.observe(rlHeader(10, 9, 1), p.ticket(), time.Now()) // a later answer: 9 left
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the waiter was not woken by the answer")
	}
}

// Regression: the per-attempt time limit starts after the pacing wait. When
// it was an http.Client.Timeout, a pacing wait longer than request_timeout
// (CircleCI's per-minute windows make waits of many seconds ordinary) turned
// into a spurious "request timed out" and a retry.
func TestPacingWaitIsNotCountedAgainstTheAttemptTimeout(t *testing.T) {
	s := newFake(t, pagedFixture(4, 2)) // two pages
	// Page 1 says the budget is spent until the window resets in 2 s.
	s.Inject(fakeapi.Fault{Path: OrgRoleGrantsPath(testOrg), Header: rlHeader(10, 0, 2)})
	c := newTestClient(t, s.URL(), func(cfg *Config) {
		cfg.RequestTimeout = 500 * time.Millisecond
		cfg.MaxRetries = 0
	})
	got, err := c.OrgRoleGrants(context.Background(), testOrg)
	if err != nil {
		t.Fatalf("OrgRoleGrants: %v", err)
	}
	if len(got) != 4 {
		t.Fatalf("got %d grants, want 4", len(got))
	}
	if n := s.RequestCount(OrgRoleGrantsPath(testOrg)); n != 2 {
		t.Errorf("requests = %d, want 2 (one per page, no retry)", n)
	}
}
