package fakeapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func statuses(t *testing.T, s *Server, path string, n int) []int {
	t.Helper()
	var out []int
	for range n {
		out = append(out, get(t, s, path).status)
	}
	return out
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFaultSequences(t *testing.T) {
	rg := RoleGrantsPath(demoStandaloneOrg)
	tests := []struct {
		name   string
		faults []Fault
		path   string
		want   []int
	}{
		{"once by default", []Fault{{Path: PathMe, Status: 500}}, PathMe, []int{500, 200, 200}},
		{"skip then once", []Fault{{Path: rg, Skip: 1, Status: 429}}, rg, []int{200, 429, 200}},
		{"skip two times two", []Fault{{Path: rg, Skip: 2, Times: 2, Status: 503}}, rg, []int{200, 200, 503, 503, 200}},
		{"forever", []Fault{{Path: PathMe, Times: -1, Status: 502}}, PathMe, []int{502, 502, 502, 502, 502}},
		{"empty path matches all", []Fault{{Status: 500, Times: 2}}, PathCollaborations, []int{500, 500, 200}},
		{"other path untouched", []Fault{{Path: PathCollaborations, Status: 500}}, PathMe, []int{200, 200}},
		{"queue order", []Fault{{Path: PathMe, Status: 500}, {Path: PathMe, Status: 503, Times: 2}, {Status: 429}}, PathMe, []int{500, 503, 503, 429, 200}},
		{"applies before auth", []Fault{{Path: PathMe, Status: 418}}, PathMe, []int{418, 200}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newDemo(t)
			s.Inject(tc.faults...)
			if got := statuses(t, s, tc.path, len(tc.want)); !equalInts(got, tc.want) {
				t.Errorf("statuses = %v, want %v", got, tc.want)
			}
			if n := s.RequestCount(tc.path); n != len(tc.want) {
				t.Errorf("RequestCount = %d, want %d (faulted requests are logged)", n, len(tc.want))
			}
		})
	}
}

func TestFaultBeforeAuthIsLogged(t *testing.T) {
	s := newDemo(t)
	s.Inject(Fault{Path: PathMe, Status: 503, Body: `{"message":"Service unavailable."}`})
	r := send(t, http.MethodGet, s.URL(), PathMe, "")
	if r.status != 503 || string(r.body) != `{"message":"Service unavailable."}` {
		t.Fatalf("got %d %s", r.status, r.body)
	}
	reqs := s.Requests()
	if len(reqs) != 1 || reqs[0].HasToken || reqs[0].Authorized {
		t.Errorf("log = %+v", reqs)
	}
}

func TestFaultStatusHeaderBody(t *testing.T) {
	s := newDemo(t)
	s.Inject(
		Fault{Path: PathMe, Status: 429, Header: http.Header{"Retry-After": {"7"}, "X-Ratelimit-Remaining": {"0"}}, Body: `{"message":"Rate limit exceeded."}`},
		Fault{Path: PathMe, Status: 502, Header: http.Header{"Content-Type": {"text/html"}}, Body: "<html><body>502 Bad Gateway</body></html>"},
		Fault{Path: PathMe, Status: 500},
		Fault{Path: PathMe, Status: 307, Header: http.Header{"Location": {"http://127.0.0.1:1/elsewhere"}}},
	)
	r := get(t, s, PathMe)
	if r.status != 429 || r.header.Get("Retry-After") != "7" || r.header.Get("X-RateLimit-Remaining") != "0" ||
		r.message(t) != "Rate limit exceeded." || r.header.Get("Content-Type") != jsonContentType {
		t.Errorf("429: %d %v %s", r.status, r.header, r.body)
	}
	r = get(t, s, PathMe)
	if r.status != 502 || r.header.Get("Content-Type") != "text/html" || !bytes.HasPrefix(r.body, []byte("<html>")) {
		t.Errorf("502: %d %v %s", r.status, r.header, r.body)
	}
	r = get(t, s, PathMe)
	if r.status != 500 || len(r.body) != 0 {
		t.Errorf("500 with empty body: %d %q", r.status, r.body)
	}
	r = get(t, s, PathMe)
	if r.status != 307 || r.header.Get("Location") != "http://127.0.0.1:1/elsewhere" {
		t.Errorf("redirect: %d %v", r.status, r.header)
	}
}

func TestFaultHeaderOnly(t *testing.T) {
	s := newDemo(t)
	s.Inject(
		Fault{Path: PathMe, Header: http.Header{"Ratelimit-Remaining": {"3"}}},
		Fault{Path: PathMe, Header: http.Header{"Content-Type": {"text/plain"}}},
	)
	r := get(t, s, PathMe)
	if r.status != 200 || r.header.Get("RateLimit-Remaining") != "3" || r.header.Get("Content-Type") != jsonContentType || !bytes.Contains(r.body, []byte(`"login":"jdoe"`)) {
		t.Errorf("header-only fault: %d %v %s", r.status, r.header, r.body)
	}
	r = get(t, s, PathMe)
	if r.status != 200 || r.header.Get("Content-Type") != "text/plain" {
		t.Errorf("Content-Type override: %d %v", r.status, r.header)
	}
	r = get(t, s, PathMe)
	if r.header.Get("RateLimit-Remaining") != "" || r.header.Get("Content-Type") != jsonContentType {
		t.Errorf("header fault applied too often: %v", r.header)
	}
}

func TestFaultDelayCompletes(t *testing.T) {
	s := newDemo(t)
	s.Inject(Fault{Path: PathMe, Delay: 150 * time.Millisecond, Status: 503})
	start := time.Now()
	r := get(t, s, PathMe)
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("answered after %v, want >= 150ms", d)
	}
	if r.status != 503 {
		t.Errorf("status %d", r.status)
	}
	// Delay with Status 0: normal answer, late.
	s.Inject(Fault{Path: PathMe, Delay: 100 * time.Millisecond})
	start = time.Now()
	if r := get(t, s, PathMe); r.status != 200 || time.Since(start) < 100*time.Millisecond {
		t.Errorf("delayed normal answer: %d after %v", r.status, time.Since(start))
	}
}

func TestSetLatency(t *testing.T) {
	s := newDemo(t)
	s.SetLatency(120 * time.Millisecond)
	start := time.Now()
	if r := get(t, s, PathCollaborations); r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	if d := time.Since(start); d < 120*time.Millisecond {
		t.Errorf("answered after %v, want >= 120ms", d)
	}
	s.SetLatency(0)
	start = time.Now()
	get(t, s, PathCollaborations)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("latency not removed: %v", d)
	}
}

// wrapped serves s.Handler() from a separate test server and reports when
// each handler call returns.
func wrapped(t *testing.T, s *Server) (*httptest.Server, <-chan struct{}) {
	t.Helper()
	returned := make(chan struct{}, 16)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Handler().ServeHTTP(w, r)
		returned <- struct{}{}
	}))
	t.Cleanup(ts.Close)
	return ts, returned
}

func waitReturned(t *testing.T, returned <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-returned:
	case <-time.After(3 * time.Second):
		t.Fatalf("%s: handler did not return after the client went away", what)
	}
}

func TestDelayHonoursClientCancellation(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(s *Server)
	}{
		{"fault delay", func(s *Server) { s.Inject(Fault{Path: PathMe, Delay: time.Minute}) }},
		{"latency", func(s *Server) { s.SetLatency(time.Minute) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newDemo(t)
			tc.setup(s)
			ts, returned := wrapped(t, s)
			ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+PathMe, nil)
			req.Header.Set("Circle-Token", demoToken)
			start := time.Now()
			res, err := newClient().Do(req)
			if err == nil {
				_ = res.Body.Close()
				t.Fatalf("request succeeded (%d) despite a one-minute delay", res.StatusCode)
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %v", err)
			}
			waitReturned(t, returned, tc.name)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func TestCloseEndsPendingDelays(t *testing.T) {
	s := New(nil)
	s.SetLatency(time.Minute)
	done := make(chan struct{}) // closed when the request returns; success or failure does not matter
	go func() {
		defer close(done)
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, s.URL()+PathMe, nil)
		res, err := newClient().Do(req)
		if err == nil {
			_ = res.Body.Close()
		}
	}()
	for s.RequestCount("") == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	start := time.Now()
	s.Close()
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Close took %v with a pending delay", d)
	}
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		t.Error("client still waiting after Close")
	}
	s.Close() // idempotent
}

func TestFaultReset(t *testing.T) {
	s := newDemo(t)
	s.Inject(Fault{Path: PathMe, Reset: true})
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, s.URL()+PathMe, nil)
	req.Header.Set("Circle-Token", demoToken)
	res, err := newClient().Do(req)
	if err == nil {
		_ = res.Body.Close()
		t.Fatalf("got a response (%d), want a connection error", res.StatusCode)
	}
	if n := s.RequestCount(PathMe); n != 1 {
		t.Errorf("RequestCount = %d, want 1", n)
	}
	if r := get(t, s, PathMe); r.status != 200 {
		t.Errorf("after reset: %d", r.status)
	}
}

func TestFaultEndlessBody(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		want   int
	}{
		{"200", 0, 200},
		{"500", 500, 500},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newDemo(t)
			s.Inject(Fault{Path: PathCollaborations, EndlessBody: true, Status: tc.status})
			ts, returned := wrapped(t, s)
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, ts.URL+PathCollaborations, nil)
			req.Header.Set("Circle-Token", demoToken)
			res, err := newClient().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != tc.want || res.Header.Get("Content-Type") != jsonContentType {
				t.Errorf("status %d, Content-Type %q", res.StatusCode, res.Header.Get("Content-Type"))
			}
			const limit = 4 << 20
			n, err := io.Copy(io.Discard, io.LimitReader(res.Body, limit))
			if err != nil || n != limit {
				t.Errorf("read %d bytes (%v), want %d: body is not endless", n, err, limit)
			}
			_ = res.Body.Close()
			waitReturned(t, returned, "endless body")
		})
	}
	// The first byte is '['.
	s := newDemo(t)
	s.Inject(Fault{EndlessBody: true})
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, s.URL()+PathMe, nil)
	res, err := newClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 2)
	if _, err := io.ReadFull(res.Body, b); err != nil || b[0] != '[' {
		t.Errorf("first bytes %q, %v", b, err)
	}
	_ = res.Body.Close()
}

func TestConcurrentUse(t *testing.T) {
	s := newDemo(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 10 {
				switch (i + j) % 5 {
				case 0:
					s.Inject(Fault{Path: "/none", Status: 500})
				case 1:
					_ = s.Requests()
				case 2:
					_ = s.RequestCount(PathMe)
				case 3:
					s.SetLatency(0)
				}
				req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, s.URL()+PathMe, nil)
				res, err := newClient().Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				_ = res.Body.Close()
			}
		}()
	}
	wg.Wait()
	if n := s.RequestCount(PathMe); n != 80 {
		t.Errorf("RequestCount = %d, want 80", n)
	}
}

func TestFaultEchoesToken(t *testing.T) {
	s := newDemo(t)
	const tok = `tok/+"<&>`
	s.Inject(Fault{Path: PathMe, Status: 401, Header: http.Header{"X-Echo": {TokenPlaceholder}},
		Body: `{"message":"bad ` + TokenJSONPlaceholder + `","url":"` + TokenURLPlaceholder + `"}`})
	r := send(t, http.MethodGet, s.URL(), PathMe, tok)
	if r.status != 401 || r.header.Get("X-Echo") != tok {
		t.Fatalf("status %d, X-Echo %q", r.status, r.header.Get("X-Echo"))
	}
	var body struct{ Message, URL string }
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatalf("body %q: %v", r.body, err)
	}
	if body.Message != "bad "+tok || body.URL != "tok%2F%2B%22%3C%26%3E" {
		t.Errorf("echoed %+v (raw %q)", body, r.body)
	}
	if !bytes.Contains(r.body, []byte(`\u003c`)) {
		t.Errorf("the JSON form is not escaped as Go escapes it: %q", r.body)
	}
}

func TestFaultRaw(t *testing.T) {
	s := newDemo(t)
	long := strings.Repeat("x", 512<<10)
	s.Inject(Fault{Path: PathMe, Raw: "HTTP/1.1 502 Bad Gateway\r\nBroken header " + TokenPlaceholder + long + "\r\n\r\n"})
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, s.URL()+PathMe, nil)
	req.Header.Set("Circle-Token", demoToken)
	res, err := newClient().Do(req)
	if err == nil {
		_ = res.Body.Close()
		t.Fatalf("got %d, want a malformed-header error", res.StatusCode)
	}
	if !strings.Contains(err.Error(), "malformed") || !strings.Contains(err.Error(), demoToken) {
		t.Errorf("error %.200q… does not quote the malformed line with the token", err.Error())
	}
}

func TestFaultPartialBody(t *testing.T) {
	body := `{"items":[` + strings.Repeat(`{"user_id":"x"},`, 100) + `{}]}`
	for _, tc := range []struct {
		name  string
		stall bool
	}{{"reset", false}, {"stall", true}} {
		t.Run(tc.name, func(t *testing.T) {
			s := newDemo(t)
			s.Inject(Fault{Path: PathMe, Status: 200, Body: body, PartialBody: 100, StallBody: tc.stall})
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL()+PathMe, nil)
			res, err := newClient().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = res.Body.Close() }()
			if res.StatusCode != http.StatusOK || res.ContentLength != int64(len(body)) {
				t.Fatalf("status %d, Content-Length %d; want 200 and %d", res.StatusCode, res.ContentLength, len(body))
			}
			got, err := io.ReadAll(res.Body)
			if err == nil || len(got) != 100 {
				t.Fatalf("read %d bytes, err %v; want the first 100 and an error", len(got), err)
			}
			if tc.stall && !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %v, want the client's deadline while the body stalls", err)
			}
			if r := get(t, s, PathMe); r.status != 200 {
				t.Errorf("the next request: %d", r.status)
			}
		})
	}
}
