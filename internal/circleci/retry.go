package circleci

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ParseRetryAfter reads a Retry-After value: delay-seconds or an HTTP-date
// (the forms http.ParseTime reads). ok is false for an empty, negative or
// unreadable value, which callers treat as absent.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if isDigits(v) {
		if len(v) > 9 { // over 31 years: treat as "very long", not an overflow
			return 1<<62 - 1, true
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, false
		}
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	d := t.Sub(now)
	if d < 0 {
		d = 0
	}
	return d, true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// rateLimitReset reads the seconds-until-reset headers CircleCI may send with
// a 429 (RateLimit-Reset, X-RateLimit-Reset). Where both appear the longer
// wait wins: the lower limit is the one enforced, and it is the one that has
// not reset yet.
func rateLimitReset(h http.Header) (time.Duration, bool) {
	var best time.Duration
	found := false
	for _, k := range []string{"RateLimit-Reset", "X-RateLimit-Reset"} {
		v := strings.TrimSpace(h.Get(k))
		if !isDigits(v) || len(v) > 9 {
			continue
		}
		n, _ := strconv.Atoi(v)
		d := time.Duration(n) * time.Second
		if !found || d > best {
			best, found = d, true
		}
	}
	return best, found
}

// serverWait is the wait a response asks for: Retry-After on 429 and 503,
// else the rate-limit reset headers on 429.
func serverWait(resp *http.Response, now time.Time) (time.Duration, bool) {
	if resp == nil || (resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable) {
		return 0, false
	}
	if d, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
		return d, true
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		return rateLimitReset(resp.Header)
	}
	return 0, false
}

// isRetryableStatus lists the statuses worth another attempt. 400, 401, 403,
// 404, 422 and 501 are never retried: the answer would not change.
func isRetryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// backoff is exponential with full jitter between min and max for attempt n
// (0-based), unless the server asked for a specific wait.
func backoff(minWait, maxWait time.Duration, n int, serverAsked time.Duration, asked bool) time.Duration {
	if asked {
		// A tiny floor keeps "Retry-After: 0" from spinning.
		return max(serverAsked, 50*time.Millisecond)
	}
	ceil := minWait
	for i := 0; i < n && ceil < maxWait; i++ {
		ceil *= 2
	}
	ceil = min(ceil, maxWait)
	// Full jitter, but never below half the ceiling, so waits still grow.
	half := ceil / 2
	if half <= 0 {
		return ceil
	}
	return half + rand.N(half+1) //nolint:gosec // G404: backoff jitter needs no cryptographic randomness
}
