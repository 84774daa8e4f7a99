package fakeapi

import (
	"net/http"
	"strconv"
	"time"
)

// MsgRateLimited is the body message of a 429 from the rate limiter.
const MsgRateLimited = "Rate limit exceeded."

// rateWindow is the length of the rate limiter's fixed window.
const rateWindow = time.Second

// rateLimit is the state of the optional rate limiter (SetRateLimit): a fixed
// one-second window that opens with the first request after the previous
// window ended. Every field is guarded by Server.mu.
type rateLimit struct {
	perSecond int       // 0: off
	start     time.Time // start of the current window (zero: none open)
	admitted  int       // requests admitted in the current window
	limited   int       // 429s answered since the server started
	now       func() time.Time
}

// SetRateLimit makes the fake admit at most perSecond requests per fixed
// one-second window and answer the others 429 {"message":"Rate limit
// exceeded."} with Retry-After. While it is on, every response carries
// RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset (whole seconds
// until the window resets, rounded up) and their X-RateLimit-* equivalents.
// 0 (or less) turns it off. Changing it starts a fresh window.
func (s *Server) SetRateLimit(perSecond int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rl.perSecond = max(perSecond, 0)
	s.rl.start = time.Time{}
	s.rl.admitted = 0
}

// RateLimited returns how many requests the rate limiter has answered with 429.
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rl.limited
}

// rateLimitLocked counts a request against the window, sets the rate-limit
// headers on h and reports whether the request is over the limit (the caller
// then answers with writeRateLimited). s.mu must be held.
func (s *Server) rateLimitLocked(h http.Header) bool {
	rl := &s.rl
	if rl.perSecond <= 0 {
		return false
	}
	now := time.Now()
	if rl.now != nil {
		now = rl.now()
	}
	if rl.start.IsZero() || !now.Before(rl.start.Add(rateWindow)) {
		rl.start, rl.admitted = now, 0
	}
	over := rl.admitted >= rl.perSecond
	if over {
		rl.limited++
	} else {
		rl.admitted++
	}
	reset := ceilSeconds(rl.start.Add(rateWindow).Sub(now))
	limit, remaining := strconv.Itoa(rl.perSecond), strconv.Itoa(rl.perSecond-rl.admitted)
	for _, prefix := range []string{"", "X-"} {
		h.Set(prefix+"RateLimit-Limit", limit)
		h.Set(prefix+"RateLimit-Remaining", remaining)
		h.Set(prefix+"RateLimit-Reset", reset)
	}
	if over {
		h.Set("Retry-After", reset)
	}
	return over
}

// ceilSeconds is d in whole seconds, rounded up.
func ceilSeconds(d time.Duration) string {
	return strconv.FormatInt(int64((d+time.Second-1)/time.Second), 10)
}

func writeRateLimited(w http.ResponseWriter) {
	writeError(w, http.StatusTooManyRequests, MsgRateLimited)
}
