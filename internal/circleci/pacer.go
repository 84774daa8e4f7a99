package circleci

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// pacer is the client's one rate limiter, shared by every concurrent read.
// It follows the RateLimit-* / X-RateLimit-* headers CircleCI may send: while
// plenty of the budget remains it does not slow anything down; as Remaining
// approaches zero it spaces requests so the remainder lasts until the reset,
// and at zero it waits for the reset. Retries on 429 remain the backstop.
type pacer struct {
	lim *rate.Limiter
	// maxWait caps one pacing wait, like the client's cap on Retry-After.
	maxWait time.Duration

	mu sync.Mutex
}

// paceBelow is the fraction of the limit under which pacing starts.
const paceBelow = 0.5

func newPacer(maxWait time.Duration) *pacer {
	return &pacer{lim: rate.NewLimiter(rate.Inf, 1), maxWait: maxWait}
}

func (p *pacer) wait(ctx context.Context) error {
	r := p.lim.Reserve()
	if !r.OK() {
		return nil
	}
	d := min(r.Delay(), p.maxWait)
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		r.Cancel()
		return ctx.Err()
	}
}

// observe updates the pace from a response's rate-limit headers.
func (p *pacer) observe(h http.Header, now time.Time) {
	limit, remaining, reset, ok := parseRateLimit(h)
	if !ok {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case limit > 0 && float64(remaining) >= paceBelow*float64(limit):
		p.lim.SetLimitAt(now, rate.Inf)
	case remaining <= 0:
		// Nothing left: the next request waits for the reset.
		p.lim.SetLimitAt(now, rate.Every(max(reset, 10*time.Millisecond)))
		p.lim.SetBurstAt(now, 1)
		p.lim.ReserveN(now, 1) // use up the burst so the next waits a full interval
	default:
		// Spread what remains over the time to the reset.
		p.lim.SetLimitAt(now, rate.Every(max(reset, time.Second)/time.Duration(remaining)))
	}
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

// pacedTransport applies the pacer to every attempt, retries included.
type pacedTransport struct {
	next  http.RoundTripper
	pacer *pacer
}

func (t *pacedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.pacer.wait(req.Context()); err != nil {
		return nil, err
	}
	resp, err := t.next.RoundTrip(req)
	if err == nil {
		t.pacer.observe(resp.Header, time.Now())
	}
	return resp, err
}
