package circleci

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// pacer spaces the requests to one origin (host and app_host each have
// their own) by the rate-limit headers CircleCI may send, so that a long
// listing does not run into 429s. It follows the latest word: the budget it
// works from is the one the answer to the most recently sent request gave,
// less the requests let through since that request was sent (they are in
// flight, or about to be). While plenty remains it does not slow anything
// down; as the remainder runs low it spreads it evenly until the reset; at
// zero it waits for the reset. It never waits longer than maxWait (the
// longest Retry-After the client accepts): a request that would have to wait
// longer is sent at once, and the 429 it gets, with its Retry-After, is the
// signal the client acts on.
//
// It is not a golang.org/x/time/rate.Limiter: a Limiter's reservations are
// fixed when they are made, so requests queued while the budget was spent
// would keep slots a window apart after the reset. Here waiters re-evaluate
// whenever an answer changes the budget, which is what keeps `make bench`'s
// rate-limited scenario (20 organizations at 50 requests/s) within a few
// percent of the ideal with no 429.
type pacer struct {
	maxWait time.Duration

	mu        sync.Mutex
	known     bool      // a remainder has been seen and the window has not reset since
	limit     int64     // the latest Limit header (0: none sent)
	remaining int64     // the estimated remainder
	resetAt   time.Time // the estimated end of the window (zero: unknown)
	window    time.Duration
	sent      int64 // requests let through so far: tickets are read from it
	applied   int64 // the ticket of the answer applied last
	rolledAt  int64 // sent when the window last reset: older answers are stale
	lastSent  time.Time
	changed   chan struct{} // closed and replaced whenever an answer updates the budget
}

// paceBelow is the fraction of the limit under which pacing starts.
const paceBelow = 0.5

// paceBelowWithoutLimit is the remainder under which pacing starts when
// CircleCI sends Remaining but no Limit.
const paceBelowWithoutLimit = 10

func newPacer(maxWait time.Duration) *pacer {
	return &pacer{maxWait: maxWait, changed: make(chan struct{})}
}

// wait blocks until a request may be sent, and counts it: at once while the
// budget is plentiful, else until its slot, re-evaluated whenever an answer
// changes the budget. A wait beyond what is left of maxWait is not waited.
func (p *pacer) wait(ctx context.Context) error {
	deadline := time.Now().Add(p.maxWait)
	for {
		now := time.Now()
		p.mu.Lock()
		d := p.delayLocked(now)
		if d > 0 && now.Add(d).After(deadline) {
			p.takeLocked() // the 429 handling takes over
			d = 0
		}
		changed := p.changed
		p.mu.Unlock()
		if d <= 0 {
			return nil
		}
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-changed:
			t.Stop()
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}

// ticket identifies a request about to be sent, for observe.
func (p *pacer) ticket() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sent
}

func (p *pacer) takeLocked() {
	p.sent++
	if p.known {
		p.remaining--
	}
}

// delayLocked returns how long a request must still wait; 0 lets it through
// and counts it. p.mu must be held.
func (p *pacer) delayLocked(now time.Time) time.Duration {
	p.rolloverLocked(now)
	switch {
	case !p.known,
		p.limit > 0 && float64(p.remaining) >= paceBelow*float64(p.limit),
		p.limit <= 0 && p.remaining >= paceBelowWithoutLimit:
		// Plenty left, or nothing known: no slowdown. Without a limit header
		// the fraction is unknown, so only a small remainder counts as low.
	case p.resetAt.IsZero() && p.window > 0:
		return p.window // until an answer says when the window ends
	case p.resetAt.IsZero():
		// No reset was ever given: nothing to pace by.
	case p.remaining <= 0:
		return p.resetAt.Sub(now)
	default:
		// Spread what remains evenly over the time to the reset.
		interval := p.resetAt.Sub(now) / time.Duration(p.remaining)
		if next := p.lastSent.Add(interval); now.Before(next) {
			return next.Sub(now)
		}
		p.lastSent = now
	}
	p.takeLocked()
	return 0
}

// rolloverLocked starts a new window once the estimated end has passed: the
// full limit again, or nothing known without a limit header.
func (p *pacer) rolloverLocked(now time.Time) {
	if p.resetAt.IsZero() || now.Before(p.resetAt) {
		return
	}
	p.resetAt, p.rolledAt = time.Time{}, p.sent
	p.known, p.remaining = p.limit > 0, p.limit
}

// observe takes the rate-limit headers of the answer to the request that
// held ticket, answered at now.
func (p *pacer) observe(h http.Header, ticket int64, now time.Time) {
	rl := parseRateLimit(h, now)
	if !rl.ok {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rolloverLocked(now)
	if ticket < p.rolledAt || ticket < p.applied {
		return // an older word: from a window that has reset, or overtaken by a later answer
	}
	p.applied = ticket
	if rl.limit > 0 {
		p.limit = rl.limit
	}
	p.known = true
	p.remaining = rl.remaining - (p.sent - ticket) // less those let through since
	if rl.hasReset {
		// The reset comes in whole seconds, rounded up: an end less than a
		// second after the current estimate is the same window, and the
		// earlier end is the tighter bound. Otherwise the latest word wins.
		end := now.Add(rl.reset)
		if p.resetAt.IsZero() || end.Before(p.resetAt) || !end.Before(p.resetAt.Add(time.Second)) {
			p.resetAt = end
		}
		p.window = min(max(p.window, rl.reset, 100*time.Millisecond), p.maxWait)
	}
	close(p.changed)
	p.changed = make(chan struct{})
}

// pacers holds one pacer per origin.
type pacers struct {
	maxWait time.Duration
	mu      sync.Mutex
	by      map[string]*pacer
}

func (ps *pacers) get(origin string) *pacer {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	p, ok := ps.by[origin]
	if !ok {
		if ps.by == nil {
			ps.by = make(map[string]*pacer)
		}
		p = newPacer(ps.maxWait)
		ps.by[origin] = p
	}
	return p
}
