package circleci

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// pacer is the client's one rate limiter, shared by every concurrent read.
// It follows the RateLimit-* / X-RateLimit-* headers CircleCI may send: while
// plenty of the budget remains it does not slow anything down; as Remaining
// approaches zero it spaces requests so the remainder lasts until the reset,
// and at zero it waits for the reset. Retries on 429 remain the backstop.
//
// It keeps a model of the server's window rather than a fixed rate, because
// the headers are coarse: the reset comes in whole seconds, rounded up, so
// "now + reset" overstates the end of a one-second window by up to a second,
// and spreading the remainder over it again after every response would slow
// the pace down harmonically. Instead:
//   - the end of the window is the earliest "answer time + reset" seen in it
//     (each is an upper bound, and the earliest is the tightest);
//   - the remainder is the lowest Remaining seen in the window, less the
//     requests sent since (so requests in flight count before they are
//     answered);
//   - when the estimated end passes, the window has reset: the full limit is
//     assumed again until the first answer of the new window, and answers to
//     requests sent before the reset are ignored;
//   - waiters re-evaluate whenever an answer changes the model, so no request
//     keeps a slot computed from stale numbers (a reservation made while the
//     budget was exhausted never delays a request after the reset).
type pacer struct {
	// maxWait caps the pacing wait of one request, like the client's cap on
	// Retry-After.
	maxWait time.Duration

	mu         sync.Mutex
	known      bool          // rate-limit headers have been seen
	limit      int           // last RateLimit-Limit (0: the server sends none)
	remaining  int           // estimated requests left in the current window
	resetAt    time.Time     // estimated end of the current window; zero: not known yet
	windowFrom time.Time     // when the current window began, as far as the pacer knows
	window     time.Duration // the longest reset seen: a bound on how long a window lasts
	lastSent   time.Time     // the last request let through while spacing
	changed    chan struct{} // closed (and replaced) whenever an answer updates the model
}

// paceBelow is the fraction of the limit under which pacing starts.
const paceBelow = 0.5

// paceBelowWithoutLimit is the remainder under which pacing starts when
// CircleCI sends Remaining but no Limit.
const paceBelowWithoutLimit = 10

func newPacer(maxWait time.Duration) *pacer {
	return &pacer{maxWait: maxWait, changed: make(chan struct{})}
}

// wait blocks until a request may be sent: at once while the budget is
// plentiful, else until its slot, re-evaluated whenever the model changes.
// The total wait is capped by maxWait; it ends early with ctx.
func (p *pacer) wait(ctx context.Context) error {
	var waited time.Duration
	for {
		p.mu.Lock()
		d := p.delayLocked(time.Now())
		changed := p.changed
		p.mu.Unlock()
		if d <= 0 {
			return nil
		}
		left := p.maxWait - waited
		if left <= 0 {
			return nil // waited long enough: the 429 handling takes over
		}
		d = min(d, left)
		start := time.Now()
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-changed:
			t.Stop()
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
		waited += time.Since(start)
	}
}

// delayLocked returns how long a request must still wait; 0 lets it through
// and counts it against the budget. p.mu must be held.
func (p *pacer) delayLocked(now time.Time) time.Duration {
	if !p.known {
		return 0
	}
	p.rolloverLocked(now)
	if !p.known {
		return 0
	}
	switch {
	case p.limit > 0 && float64(p.remaining) >= paceBelow*float64(p.limit),
		p.limit <= 0 && p.remaining >= paceBelowWithoutLimit:
		// Plenty left: no slowdown. Without a limit header the fraction is
		// unknown, so only a small absolute remainder counts as "low".
	case p.remaining <= 0:
		if p.resetAt.IsZero() {
			return p.window // until the window's first answer says when it ends
		}
		return p.resetAt.Sub(now)
	default:
		if p.resetAt.IsZero() {
			return p.window
		}
		// Spread what remains evenly over the time to the reset.
		interval := max(p.resetAt.Sub(now), 0) / time.Duration(p.remaining)
		if next := p.lastSent.Add(interval); now.Before(next) {
			return next.Sub(now)
		}
		p.lastSent = now
	}
	p.remaining--
	return 0
}

// rolloverLocked starts a new window once the estimated end has passed.
func (p *pacer) rolloverLocked(now time.Time) {
	if p.resetAt.IsZero() || now.Before(p.resetAt) {
		return
	}
	p.windowFrom, p.resetAt = p.resetAt, time.Time{}
	if p.limit <= 0 {
		p.known = false // without a limit, nothing is known about the new window
		return
	}
	p.remaining = p.limit
}

// observe updates the model from the rate-limit headers of the answer to a
// request sent at sent and answered at now.
func (p *pacer) observe(h http.Header, sent, now time.Time) {
	limit, remaining, reset, ok := parseRateLimit(h)
	if !ok {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rolloverLocked(now)
	if sent.Before(p.windowFrom) {
		return // answered from a window that has reset since
	}
	if limit > 0 {
		p.limit = limit
	}
	p.window = min(max(p.window, reset, 100*time.Millisecond), p.maxWait)
	end := now.Add(reset)
	if !p.known {
		p.known, p.remaining = true, remaining
	} else {
		p.remaining = min(p.remaining, remaining)
	}
	if p.resetAt.IsZero() || end.Before(p.resetAt) {
		p.resetAt = end
	}
	close(p.changed)
	p.changed = make(chan struct{})
}

// parseRateLimit reads the lowest limit and remaining count and the reset (in
// seconds until reset, not an epoch) from both header families; where both
// appear, the lower limit is the one enforced.
func parseRateLimit(h http.Header) (limit, remaining int, reset time.Duration, ok bool) {
	limit, remaining = -1, -1
	atoi := func(v string) (int, bool) {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		return n, err == nil && n >= 0
	}
	for k, vs := range h {
		if len(vs) == 0 {
			continue
		}
		key := strings.ToLower(k)
		n, good := atoi(vs[0])
		if !good {
			continue
		}
		switch {
		case key == "ratelimit-limit" || strings.HasPrefix(key, "x-ratelimit-limit"):
			if limit < 0 || n < limit {
				limit = n
			}
		case key == "ratelimit-remaining" || key == "x-ratelimit-remaining":
			if remaining < 0 || n < remaining {
				remaining = n
			}
		case key == "ratelimit-reset" || key == "x-ratelimit-reset":
			if d := time.Duration(n) * time.Second; d > reset {
				reset = d
			}
		}
	}
	if remaining < 0 {
		return 0, 0, 0, false
	}
	return max(limit, 0), remaining, reset, true
}

// pacedTransport applies the pacer to every attempt, retries included, and
// then the per-attempt time limit. The limit starts after the pacing wait (an
// http.Client.Timeout would count the wait against the attempt, and a long
// pacing wait would turn into a spurious timeout) and covers the body until
// it is closed.
type pacedTransport struct {
	next    http.RoundTripper
	pacer   *pacer
	timeout time.Duration // per attempt; 0: none
}

func (t *pacedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.pacer.wait(req.Context()); err != nil {
		return nil, err
	}
	cancel := context.CancelFunc(func() {})
	if t.timeout > 0 {
		var ctx context.Context
		ctx, cancel = context.WithTimeout(req.Context(), t.timeout)
		req = req.WithContext(ctx)
	}
	sent := time.Now()
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		cancel()
		return nil, err
	}
	t.pacer.observe(resp.Header, sent, time.Now())
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// cancelOnClose ends an attempt's context when its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}
