package fakeapi

import (
	"net/http"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock for the rate limiter.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newRateLimited(t *testing.T, perSecond int) (*Server, *fakeClock) {
	t.Helper()
	s := newDemo(t)
	clock := &fakeClock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	s.mu.Lock()
	s.rl.now = clock.now
	s.mu.Unlock()
	s.SetRateLimit(perSecond)
	return s, clock
}

func checkRateHeaders(t *testing.T, r response, limit, remaining, reset string) {
	t.Helper()
	for _, prefix := range []string{"", "X-"} {
		for k, want := range map[string]string{"RateLimit-Limit": limit, "RateLimit-Remaining": remaining, "RateLimit-Reset": reset} {
			if got := r.header.Get(prefix + k); got != want {
				t.Errorf("%s%s = %q, want %q", prefix, k, got, want)
			}
		}
	}
}

func TestRateLimitOffByDefault(t *testing.T) {
	s := newDemo(t)
	for range 5 {
		r := get(t, s, PathMe)
		if r.status != http.StatusOK {
			t.Fatalf("status %d, want 200", r.status)
		}
		for _, k := range []string{"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "X-RateLimit-Remaining", "Retry-After"} {
			if v := r.header.Get(k); v != "" {
				t.Errorf("%s = %q without a rate limit, want none", k, v)
			}
		}
	}
	if n := s.RateLimited(); n != 0 {
		t.Errorf("RateLimited() = %d, want 0", n)
	}
}

func TestRateLimitWindow(t *testing.T) {
	s, clock := newRateLimited(t, 3)
	for i, remaining := range []string{"2", "1", "0"} {
		r := get(t, s, PathMe)
		if r.status != http.StatusOK {
			t.Fatalf("request %d: status %d, want 200", i+1, r.status)
		}
		checkRateHeaders(t, r, "3", remaining, "1")
		if v := r.header.Get("Retry-After"); v != "" {
			t.Errorf("request %d: Retry-After %q on a 200", i+1, v)
		}
		clock.advance(100 * time.Millisecond)
	}
	// 300ms into the window: the fourth is over the limit.
	r := get(t, s, PathMe)
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("4th request: status %d, want 429", r.status)
	}
	if msg := r.message(t); msg != MsgRateLimited {
		t.Errorf("message %q, want %q", msg, MsgRateLimited)
	}
	if ct := r.header.Get("Content-Type"); ct != jsonContentType {
		t.Errorf("Content-Type %q, want %q", ct, jsonContentType)
	}
	checkRateHeaders(t, r, "3", "0", "1")
	if v := r.header.Get("Retry-After"); v != "1" {
		t.Errorf("Retry-After = %q, want 1 (0.7s rounded up)", v)
	}
	// A 429 does not use up the window: still limited until it ends.
	clock.advance(699 * time.Millisecond)
	if r := get(t, s, PathMe); r.status != http.StatusTooManyRequests {
		t.Fatalf("999ms into the window: status %d, want 429", r.status)
	}
	if n := s.RateLimited(); n != 2 {
		t.Errorf("RateLimited() = %d, want 2", n)
	}
	// The window resets one second after it opened.
	clock.advance(time.Millisecond)
	r = get(t, s, PathMe)
	if r.status != http.StatusOK {
		t.Fatalf("after the reset: status %d, want 200", r.status)
	}
	checkRateHeaders(t, r, "3", "2", "1")
	// Every request is logged, limited or not.
	if n := s.RequestCount(PathMe); n != 6 {
		t.Errorf("RequestCount = %d, want 6", n)
	}
}

func TestRateLimitWindowOpensWithFirstRequest(t *testing.T) {
	s, clock := newRateLimited(t, 1)
	clock.advance(10 * time.Second) // idle time does not count
	if r := get(t, s, PathMe); r.status != http.StatusOK {
		t.Fatalf("status %d, want 200", r.status)
	}
	clock.advance(999 * time.Millisecond)
	if r := get(t, s, PathMe); r.status != http.StatusTooManyRequests {
		t.Fatalf("status %d, want 429 within the window", r.status)
	}
	clock.advance(time.Millisecond)
	if r := get(t, s, PathMe); r.status != http.StatusOK {
		t.Fatalf("status %d, want 200 in the next window", r.status)
	}
}

func TestRateLimitOffAgain(t *testing.T) {
	s, _ := newRateLimited(t, 1)
	get(t, s, PathMe)
	if r := get(t, s, PathMe); r.status != http.StatusTooManyRequests {
		t.Fatalf("status %d, want 429", r.status)
	}
	s.SetRateLimit(0)
	r := get(t, s, PathMe)
	if r.status != http.StatusOK || r.header.Get("RateLimit-Limit") != "" {
		t.Fatalf("after SetRateLimit(0): status %d, RateLimit-Limit %q; want 200 and none", r.status, r.header.Get("RateLimit-Limit"))
	}
	if n := s.RateLimited(); n != 1 {
		t.Errorf("RateLimited() = %d, want 1 (the count is kept)", n)
	}
}

// A rate-limited request does not use up a queued fault, and errors keep
// the rate-limit headers.
func TestRateLimitBeforeFaults(t *testing.T) {
	s, _ := newRateLimited(t, 1)
	s.Inject(Fault{Path: PathMe, Skip: 1, Status: http.StatusServiceUnavailable, Body: `{"message":"down"}`})
	if r := get(t, s, PathMe); r.status != http.StatusOK { // counts against Skip
		t.Fatalf("status %d, want 200", r.status)
	}
	if r := get(t, s, PathMe); r.status != http.StatusTooManyRequests {
		t.Fatalf("status %d, want 429", r.status)
	}
	s.SetRateLimit(5)
	r := get(t, s, PathMe)
	if r.status != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want the fault's 503 (the 429 must not have used it)", r.status)
	}
	checkRateHeaders(t, r, "5", "4", "1")
	r = send(t, http.MethodGet, s.URL(), PathMe, "wrong-token")
	if r.status != http.StatusUnauthorized {
		t.Fatalf("status %d, want 401", r.status)
	}
	checkRateHeaders(t, r, "5", "3", "1")
}

func TestRateLimitConcurrent(t *testing.T) {
	s, _ := newRateLimited(t, 5) // frozen clock: one window
	var (
		wg          sync.WaitGroup
		mu          sync.Mutex
		ok, limited int
	)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := get(t, s, PathMe)
			mu.Lock()
			defer mu.Unlock()
			switch r.status {
			case http.StatusOK:
				ok++
			case http.StatusTooManyRequests:
				limited++
			default:
				t.Errorf("status %d", r.status)
			}
		}()
	}
	wg.Wait()
	if ok != 5 || limited != 15 || s.RateLimited() != 15 {
		t.Errorf("200s %d, 429s %d, RateLimited() %d; want 5, 15, 15", ok, limited, s.RateLimited())
	}
}

func TestCeilSeconds(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0", time.Nanosecond: "1", 999 * time.Millisecond: "1", time.Second: "1", 1500 * time.Millisecond: "2",
	} {
		if got := ceilSeconds(d); got != want {
			t.Errorf("ceilSeconds(%s) = %q, want %q", d, got, want)
		}
	}
}
