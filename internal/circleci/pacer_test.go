package circleci

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

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
