package circleci

import (
	"math"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"
)

// maxDuration is the longest time.Duration; longer waits saturate to it.
const maxDuration = time.Duration(math.MaxInt64)

// epochThreshold is the smallest reset value read as a Unix time rather than
// as seconds until the reset: 10^9 seconds is 31 years, 10^9 as a Unix time
// is 2001. CircleCI documents seconds; a proxy or a future API may send the
// time itself, as GitHub does.
const epochThreshold = 1_000_000_000

// parseCount reads a header value of decimal digits (leading zeros
// included, as a decimal number) without overflow: values beyond int64
// saturate. ok is false for anything but digits.
func parseCount(v string) (int64, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	var n int64
	for i := 0; i < len(v); i++ {
		d := v[i]
		if d < '0' || d > '9' {
			return 0, false
		}
		if n > (math.MaxInt64-int64(d-'0'))/10 {
			n = math.MaxInt64
			continue // keep checking that the rest are digits
		}
		n = n*10 + int64(d-'0')
	}
	return n, true
}

// seconds is n seconds, saturating instead of overflowing.
func seconds(n int64) time.Duration {
	if n > int64(maxDuration/time.Second) {
		return maxDuration
	}
	return time.Duration(n) * time.Second
}

// until is the wait until Unix time n, never negative, saturating.
func until(n int64, now time.Time) time.Duration {
	const farFuture = 1 << 40 // about 35,000 years: time.Unix stays exact
	n = min(n, farFuture)
	return max(time.Unix(n, 0).Sub(now), 0)
}

// ParseRetryAfter reads a Retry-After value: delay-seconds (decimal, leading
// zeros included) or an HTTP-date (the forms http.ParseTime reads). ok is
// false for an empty, negative or unreadable value, which callers treat as
// absent. Huge values saturate.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, ok := parseCount(v); ok {
		return seconds(n), true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// parseReset reads a rate-limit reset value: seconds until the reset, or,
// from 10^9 on, the Unix time of the reset.
func parseReset(v string, now time.Time) (time.Duration, bool) {
	n, ok := parseCount(v)
	if !ok {
		return 0, false
	}
	if n >= epochThreshold {
		return until(n, now), true
	}
	return seconds(n), true
}

// rateLimitInfo is what one response's rate-limit headers say. Both header
// families are read (RateLimit-*, X-RateLimit-*, including the
// X-RateLimit-Limit-<Second|Minute|…> variants); where several appear, the
// lowest limit and remainder and the longest reset win: the lowest limit is
// the one enforced, and its window is the one that has not reset yet.
type rateLimitInfo struct {
	limit     int64 // 0: no limit header
	remaining int64
	reset     time.Duration
	hasReset  bool
	ok        bool // a remainder was given: the pacer has something to follow
}

// parseRateLimit is the client's one reader of rate-limit headers, for the
// pacer and for the wait after a 429.
func parseRateLimit(h http.Header, now time.Time) rateLimitInfo {
	info := rateLimitInfo{limit: -1, remaining: -1}
	for k, vs := range h {
		if len(vs) == 0 {
			continue
		}
		key := strings.ToLower(k)
		switch {
		case key == "ratelimit-reset" || key == "x-ratelimit-reset":
			if d, ok := parseReset(vs[0], now); ok && (!info.hasReset || d > info.reset) {
				info.reset, info.hasReset = d, true
			}
		case key == "ratelimit-limit" || strings.HasPrefix(key, "x-ratelimit-limit"):
			if n, ok := parseCount(vs[0]); ok && (info.limit < 0 || n < info.limit) {
				info.limit = n
			}
		case key == "ratelimit-remaining" || key == "x-ratelimit-remaining":
			if n, ok := parseCount(vs[0]); ok && (info.remaining < 0 || n < info.remaining) {
				info.remaining = n
			}
		}
	}
	info.ok = info.remaining >= 0
	info.limit = max(info.limit, 0)
	return info
}

// serverWait is the wait a response asks for: Retry-After on 429 and 503,
// else the rate-limit reset headers on 429.
func serverWait(status int, h http.Header, now time.Time) (time.Duration, bool) {
	if status != http.StatusTooManyRequests && status != http.StatusServiceUnavailable {
		return 0, false
	}
	if d, ok := ParseRetryAfter(h.Get("Retry-After"), now); ok {
		return d, true
	}
	if status == http.StatusTooManyRequests {
		if rl := parseRateLimit(h, now); rl.hasReset {
			return rl.reset, true
		}
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
