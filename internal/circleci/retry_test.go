package circleci

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// TestRetryServerWait covers 429s whose wait the client must honour. The
// waits are real (one second at most), so the cases run in parallel.
func TestRetryServerWait(t *testing.T) {
	tests := []struct {
		name    string
		header  func() http.Header
		minWait time.Duration // a lower bound proves the wait was honoured
	}{
		{"Retry-After seconds", func() http.Header { return http.Header{"Retry-After": {"1"}} }, 800 * time.Millisecond},
		{"Retry-After HTTP-date", func() http.Header {
			// One second ahead, truncated to the second: a wait in (0, 1s].
			// (TestRetryAfterTooLongFailsFast proves the client reads dates.)
			return http.Header{"Retry-After": {time.Now().Add(time.Second).UTC().Format(http.TimeFormat)}}
		}, 0},
		{"X-RateLimit-Reset only", func() http.Header { return http.Header{"X-RateLimit-Reset": {"1"}} }, 800 * time.Millisecond},
		{"RateLimit-Reset only", func() http.Header { return http.Header{"RateLimit-Reset": {"1"}} }, 800 * time.Millisecond},
		{"Retry-After 0", func() http.Header { return http.Header{"Retry-After": {"0"}} }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newFake(t, nil)
			c := newTestClient(t, s.URL(), func(c *Config) { c.RetryWaitMin, c.RetryWaitMax = time.Millisecond, 2*time.Millisecond })
			s.Inject(fakeapi.Fault{Path: fakeapi.PathMe, Status: 429, Header: tt.header(), Body: `{"message":"Rate limit exceeded."}`})
			start := time.Now()
			u, err := c.Me(context.Background())
			if err != nil {
				t.Fatalf("Me: %v", err)
			}
			if u.Login != "jdoe" {
				t.Fatalf("login = %q", u.Login)
			}
			if n := s.RequestCount(""); n != 2 {
				t.Fatalf("fake saw %d requests, want 2", n)
			}
			if el := time.Since(start); el < tt.minWait {
				t.Fatalf("retried after %s, the server asked for about %s", el, tt.minWait)
			}
		})
	}
}

func TestRetryAfterTooLongFailsFast(t *testing.T) {
	tests := []struct {
		status int
		value  func() string
	}{
		{429, func() string { return "86400" }},
		{503, func() string { return "86400" }},
		{429, func() string { return time.Now().Add(24*time.Hour + 30*time.Second).UTC().Format(http.TimeFormat) }},
	}
	for _, tt := range tests {
		status := tt.status
		t.Run(http.StatusText(status)+" "+tt.value(), func(t *testing.T) {
			s := newFake(t, nil)
			c := newTestClient(t, s.URL(), func(c *Config) { c.MaxServerWait = 60 * time.Second })
			s.Inject(fakeapi.Fault{Path: fakeapi.PathMe, Status: status, Times: -1,
				Header: http.Header{"Retry-After": {tt.value()}}, Body: `{"message":"Rate limit exceeded."}`})
			_, err := c.Me(context.Background())
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %T %v, want *APIError", err, err)
			}
			if !ae.RetryAfterTooLong || ae.RetryAfter < 24*time.Hour || ae.RetryAfter > 24*time.Hour+time.Minute || ae.StatusCode != status {
				t.Fatalf("APIError = %+v, want RetryAfterTooLong with 24h and status %d", ae, status)
			}
			if n := s.RequestCount(""); n != 1 {
				t.Fatalf("fake saw %d requests, want 1", n)
			}
			if !strings.Contains(err.Error(), "24h") || !strings.Contains(err.Error(), "Rate limit exceeded.") {
				t.Fatalf("error %q does not give the wait and the message", err)
			}
		})
	}
}

// Unusable Retry-After values are ignored: the client backs off on its own
// (milliseconds here) and succeeds.
func TestRetryAfterUnusableFallsBack(t *testing.T) {
	for _, v := range []string{"soon", "-5", "", "1.5", "+3", "Mon, 99 Foo 2024"} {
		t.Run(v, func(t *testing.T) {
			s := newFake(t, nil)
			c := newTestClient(t, s.URL())
			s.Inject(fakeapi.Fault{Path: fakeapi.PathMe, Status: 429, Header: http.Header{"Retry-After": {v}}, Body: `{"message":"Rate limit exceeded."}`})
			if _, err := c.Me(context.Background()); err != nil {
				t.Fatalf("Me: %v", err)
			}
			if n := s.RequestCount(""); n != 2 {
				t.Fatalf("fake saw %d requests, want 2", n)
			}
		})
	}
}

func TestRetryExhausted(t *testing.T) {
	for _, maxRetries := range []int{0, 1, 3} {
		t.Run(strings.Repeat("r", maxRetries), func(t *testing.T) {
			s := newFake(t, nil)
			c := newTestClient(t, s.URL(), func(c *Config) { c.MaxRetries = maxRetries })
			s.Inject(fakeapi.Fault{Path: fakeapi.PathMe, Status: 429, Times: -1, Body: `{"message":"Rate limit exceeded."}`})
			_, err := c.Me(context.Background())
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %T %v, want *APIError", err, err)
			}
			if ae.StatusCode != http.StatusTooManyRequests || ae.Attempts != maxRetries+1 || ae.Message != "Rate limit exceeded." {
				t.Fatalf("APIError = %+v, want 429, %d attempts, CircleCI's message", ae, maxRetries+1)
			}
			if n := s.RequestCount(""); n != maxRetries+1 {
				t.Fatalf("fake saw %d requests, want %d", n, maxRetries+1)
			}
			msg := err.Error()
			if strings.Contains(msg, "giving up") || !strings.Contains(msg, "429") || !strings.Contains(msg, "Rate limit exceeded.") {
				t.Fatalf("error %q must keep the status and message", msg)
			}
			if int(c.RequestCount()) != maxRetries+1 {
				t.Fatalf("client RequestCount = %d", c.RequestCount())
			}
		})
	}
}

func TestRetryServerErrorsOnce(t *testing.T) {
	for _, status := range []int{500, 502, 503, 504} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			s := newFake(t, nil)
			c := newTestClient(t, s.URL())
			s.Inject(fakeapi.Fault{Path: fakeapi.PathMe, Status: status, Body: `{"message":"Internal server error."}`})
			u, err := c.Me(context.Background())
			if err != nil {
				t.Fatalf("Me: %v", err)
			}
			if u.Login != "jdoe" {
				t.Fatalf("login = %q", u.Login)
			}
			if n := s.RequestCount(""); n != 2 {
				t.Fatalf("fake saw %d requests, want 2", n)
			}
		})
	}
}

func TestNoRetryClientErrors(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 405, 409, 422, 501} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			s := newFake(t, nil)
			c := newTestClient(t, s.URL())
			s.Inject(fakeapi.Fault{Path: fakeapi.PathMe, Status: status, Times: -1, Body: `{"message":"Nope."}`})
			_, err := c.Me(context.Background())
			var ae *APIError
			if !errors.As(err, &ae) || ae.StatusCode != status || ae.Message != "Nope." {
				t.Fatalf("err = %v, want *APIError %d \"Nope.\"", err, status)
			}
			if n := s.RequestCount(""); n != 1 {
				t.Fatalf("fake saw %d requests, want 1", n)
			}
			if ae.Attempts != 1 || strings.Contains(err.Error(), "attempts") {
				t.Fatalf("Attempts = %d, error %q", ae.Attempts, err)
			}
		})
	}
}

// The fake's own 401 for a wrong token is a real answer, not retried.
func TestWrongToken(t *testing.T) {
	s := newFake(t, nil)
	c := newTestClient(t, s.URL(), func(c *Config) { c.Token = "cct_SECRET_wrong" })
	_, err := c.Me(context.Background())
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusUnauthorized || ae.Message != fakeapi.MsgInvalidToken {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "SECRET") {
		t.Fatalf("error %q contains the token", err)
	}
	if s.RequestCount("") != 1 {
		t.Fatalf("requests = %d", s.RequestCount(""))
	}
}

func TestTransportErrors(t *testing.T) {
	t.Run("connection refused (closed fake)", func(t *testing.T) {
		s := newFake(t, nil)
		url := s.URL()
		s.Close()
		c := newTestClient(t, url, func(c *Config) { c.MaxRetries = 2 })
		_, err := c.Me(context.Background())
		var te *TransportError
		if !errors.As(err, &te) {
			t.Fatalf("err = %T %v, want *TransportError", err, err)
		}
		if te.Attempts != 3 || c.RequestCount() != 3 || te.Timeout {
			t.Fatalf("TransportError = %+v, client requests %d; want 3 attempts, no timeout", te, c.RequestCount())
		}
		assertNoToken(t, "error", err.Error())
	})
	t.Run("connection refused (unused port)", func(t *testing.T) {
		ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		if err := ln.Close(); err != nil {
			t.Fatal(err)
		}
		c := newTestClient(t, "http://"+addr, func(c *Config) { c.MaxRetries = 1 })
		_, err = c.Me(context.Background())
		var te *TransportError
		if !errors.As(err, &te) || te.Attempts != 2 {
			t.Fatalf("err = %T %v, want *TransportError after 2 attempts", err, err)
		}
		if !strings.Contains(err.Error(), "refused") {
			t.Errorf("error %q does not say the connection was refused", err)
		}
		if strings.Contains(err.Error(), "http://") {
			t.Errorf("error %q repeats the URL", err)
		}
	})
	t.Run("connection reset", func(t *testing.T) {
		s := newFake(t, nil)
		c := newTestClient(t, s.URL(), func(c *Config) { c.MaxRetries = 2 })
		s.Inject(fakeapi.Fault{Path: fakeapi.PathMe, Reset: true, Times: -1})
		_, err := c.Me(context.Background())
		var te *TransportError
		if !errors.As(err, &te) || te.Attempts != 3 {
			t.Fatalf("err = %T %v, want *TransportError after 3 attempts", err, err)
		}
		if n := s.RequestCount(""); n != 3 {
			t.Fatalf("fake saw %d requests, want 3", n)
		}
	})
	t.Run("reset once then success", func(t *testing.T) {
		s := newFake(t, nil)
		c := newTestClient(t, s.URL())
		s.Inject(fakeapi.Fault{Path: fakeapi.PathMe, Reset: true})
		if _, err := c.Me(context.Background()); err != nil {
			t.Fatal(err)
		}
		if n := s.RequestCount(""); n != 2 {
			t.Fatalf("fake saw %d requests, want 2", n)
		}
	})
	t.Run("per-attempt timeout", func(t *testing.T) {
		s := newFake(t, nil)
		c := newTestClient(t, s.URL(), func(c *Config) {
			c.MaxRetries = 1
			c.RequestTimeout = 100 * time.Millisecond
		})
		s.Inject(fakeapi.Fault{Path: fakeapi.PathMe, Delay: 5 * time.Second, Times: -1})
		_, err := c.Me(context.Background())
		var te *TransportError
		if !errors.As(err, &te) || !te.Timeout || te.Attempts != 2 {
			t.Fatalf("err = %T %v, want a timed-out *TransportError after 2 attempts", err, err)
		}
		if n := s.RequestCount(""); n != 2 {
			t.Fatalf("fake saw %d requests, want 2", n)
		}
		if !strings.Contains(err.Error(), "timed out") {
			t.Fatalf("error %q", err)
		}
	})
	t.Run("total timeout during slow responses", func(t *testing.T) {
		s := newFake(t, nil)
		c := newTestClient(t, s.URL(), func(c *Config) {
			c.MaxRetries = 10
			c.TotalTimeout = 300 * time.Millisecond
		})
		s.Inject(fakeapi.Fault{Path: fakeapi.PathMe, Delay: 5 * time.Second, Times: -1})
		_, err := c.Me(context.Background())
		var te *TransportError
		if !errors.As(err, &te) || !te.Timeout {
			t.Fatalf("err = %T %v, want a timed-out *TransportError", err, err)
		}
		if !strings.Contains(err.Error(), "in total") {
			t.Fatalf("error %q does not mention the total timeout", err)
		}
		if n := s.RequestCount(""); n != 1 {
			t.Fatalf("fake saw %d requests, want 1", n)
		}
	})
	t.Run("total timeout during a server wait", func(t *testing.T) {
		s := newFake(t, nil)
		c := newTestClient(t, s.URL(), func(c *Config) { c.TotalTimeout = 200 * time.Millisecond })
		s.Inject(fakeapi.Fault{Path: fakeapi.PathMe, Status: 429, Times: -1, Header: http.Header{"Retry-After": {"5"}}})
		_, err := c.Me(context.Background())
		var te *TransportError
		if !errors.As(err, &te) || !te.Timeout {
			t.Fatalf("err = %T %v, want a timed-out *TransportError", err, err)
		}
		if n := s.RequestCount(""); n != 1 {
			t.Fatalf("fake saw %d requests, want 1", n)
		}
	})
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"0", 0, true},
		{"1", time.Second, true},
		{" 30 ", 30 * time.Second, true},
		{"86400", 24 * time.Hour, true},
		{"999999999", 999999999 * time.Second, true},
		{"99999999999999999999999", maxDuration, true},
		// Regression: ten digits or more were "very long" whatever they said.
		{"0000000005", 5 * time.Second, true},
		{"00000000000000000000000000030", 30 * time.Second, true},
		{"9999999999", maxDuration, true}, // 317 years: saturates
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{"Wed, 01 May 2024 12:00:10 GMT", 10 * time.Second, true},
		{"Wednesday, 01-May-24 12:00:10 GMT", 10 * time.Second, true}, // RFC 850
		{"Wed May  1 12:00:10 2024", 10 * time.Second, true},          // ANSI C
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"Thu, 01 Jan 1970 00:00:00 GMT", 0, true},
		{"", 0, false},
		{"   ", 0, false},
		{"-1", 0, false},
		{"-86400", 0, false},
		{"1.5", 0, false},
		{"+5", 0, false},
		{"5s", 0, false},
		{"soon", 0, false},
		{"0x10", 0, false},
		{"١٢", 0, false}, // Arabic-Indic digits
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseRetryAfter(tt.in, now)
			if got != tt.want || ok != tt.wantOK {
				t.Fatalf("ParseRetryAfter(%q) = %s, %v; want %s, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestServerWait(t *testing.T) {
	now := time.Now().Truncate(time.Second)
	tests := []struct {
		name   string
		status int
		h      http.Header
		want   time.Duration
		wantOK bool
	}{
		{"429 Retry-After", 429, http.Header{"Retry-After": {"7"}}, 7 * time.Second, true},
		{"503 Retry-After", 503, http.Header{"Retry-After": {"7"}}, 7 * time.Second, true},
		{"500 Retry-After ignored", 500, http.Header{"Retry-After": {"7"}}, 0, false},
		{"429 X-RateLimit-Reset", 429, http.Header{"X-Ratelimit-Reset": {"4"}}, 4 * time.Second, true},
		{"429 RateLimit-Reset", 429, http.Header{"Ratelimit-Reset": {"4"}}, 4 * time.Second, true},
		{"429 both resets: longer wins", 429, http.Header{"Ratelimit-Reset": {"4"}, "X-Ratelimit-Reset": {"9"}}, 9 * time.Second, true},
		{"429 Retry-After beats reset", 429, http.Header{"Retry-After": {"2"}, "X-Ratelimit-Reset": {"9"}}, 2 * time.Second, true},
		{"429 garbage reset", 429, http.Header{"X-Ratelimit-Reset": {"-3"}}, 0, false},
		{"503 reset ignored", 503, http.Header{"X-Ratelimit-Reset": {"4"}}, 0, false},
		{"429 nothing", 429, http.Header{}, 0, false},
		{"429 reset with leading zeros", 429, http.Header{"X-Ratelimit-Reset": {"00000000004"}}, 4 * time.Second, true},
		{"429 reset as a Unix time", 429, http.Header{"X-Ratelimit-Reset": {strconv.FormatInt(now.Add(time.Minute).Unix(), 10)}}, time.Minute, true},
		{"429 reset as a past Unix time", 429, http.Header{"X-Ratelimit-Reset": {"1000000000"}}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := serverWait(tt.status, tt.h, now)
			if got.Round(time.Second) != tt.want || ok != tt.wantOK {
				t.Fatalf("serverWait = %s, %v; want %s, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	const minW, maxW = 100 * time.Millisecond, 2 * time.Second
	t.Run("bounds", func(t *testing.T) {
		for n := 0; n < 12; n++ {
			ceil := min(minW<<n, maxW)
			for i := 0; i < 200; i++ {
				d := backoff(minW, maxW, n, 0, false)
				if d < minW/2 || d > maxW || d < ceil/2 || d > ceil {
					t.Fatalf("backoff(n=%d) = %s, want within [%s, %s]", n, d, ceil/2, ceil)
				}
			}
		}
	})
	t.Run("grows", func(t *testing.T) {
		// The lowest possible wait of attempt n+1 is at least the ceiling/2
		// of attempt n: compare minima over many draws.
		low := func(n int) time.Duration {
			m := time.Duration(1 << 62)
			for i := 0; i < 200; i++ {
				m = min(m, backoff(minW, maxW, n, 0, false))
			}
			return m
		}
		prev := low(0)
		for n := 1; n <= 4; n++ {
			cur := low(n)
			if cur <= prev {
				t.Fatalf("backoff minimum did not grow at n=%d: %s after %s", n, cur, prev)
			}
			prev = cur
		}
		if got := low(20); got < maxW/2 {
			t.Fatalf("backoff at n=20 = %s, want at least %s", got, maxW/2)
		}
	})
	t.Run("server wait honoured", func(t *testing.T) {
		for _, d := range []time.Duration{time.Second, 45 * time.Second, 5 * time.Minute} {
			if got := backoff(minW, maxW, 0, d, true); got != d {
				t.Fatalf("backoff with server wait %s = %s", d, got)
			}
		}
		if got := backoff(minW, maxW, 0, 0, true); got <= 0 {
			t.Fatalf("Retry-After: 0 gives %s, want a small positive floor", got)
		}
	})
	t.Run("min above max", func(t *testing.T) {
		if d := backoff(time.Second, 10*time.Millisecond, 3, 0, false); d > 10*time.Millisecond || d < 5*time.Millisecond {
			t.Fatalf("backoff = %s", d)
		}
	})
	t.Run("huge n does not overflow", func(t *testing.T) {
		if d := backoff(minW, maxW, 1000, 0, false); d < maxW/2 || d > maxW {
			t.Fatalf("backoff(n=1000) = %s", d)
		}
	})
}
