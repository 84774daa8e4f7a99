package fakeapi

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Request is what the fake records about every request it sees. It never
// holds the token value.
type Request struct {
	Method, Path, RawQuery string
	PageToken              string    // decoded page-token query parameter, "" if none
	HasToken               bool      // whether a non-empty Circle-Token header was present
	Authorized             bool      // whether the token matched
	Time                   time.Time // when the request arrived
}

// Server is a fake CircleCI API. All methods are safe for concurrent use.
type Server struct {
	mu      sync.Mutex
	fixture *Fixture
	latency time.Duration
	faults  []*faultState
	rl      rateLimit // SetRateLimit (ratelimit.go)
	log     []Request
	closed  bool
	active  sync.WaitGroup // handlers running while the server is open

	done      chan struct{} // closed by Close: every wait returns
	closeOnce sync.Once

	listener net.Listener
	srv      *http.Server
	handler  http.Handler
}

// New starts a fake on 127.0.0.1 with a random port. A nil fixture means
// DemoFixture(). It panics if it cannot listen (like httptest.NewServer).
func New(f *Fixture) *Server {
	s, err := NewOn("127.0.0.1:0", f)
	if err != nil {
		panic("fakeapi: " + err.Error())
	}
	return s
}

// NewOn starts a fake listening on addr, which must be a loopback address
// (127.0.0.0/8, ::1 or localhost) with a port ("127.0.0.1:0" for a random
// one). A nil fixture means DemoFixture().
func NewOn(addr string, f *Fixture) (*Server, error) {
	if err := checkLoopback(addr); err != nil {
		return nil, err
	}
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", addr, err)
	}
	s := newServer(f)
	s.listener = ln
	s.srv = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

func newServer(f *Fixture) *Server {
	if f == nil {
		f = DemoFixture()
	} else {
		f = f.Clone()
	}
	s := &Server{fixture: f, done: make(chan struct{})}
	s.handler = http.HandlerFunc(s.serveHTTP)
	return s
}

func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("invalid listen address %q: %w", addr, err)
	}
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("refusing to listen on %q: the fake CircleCI API listens on loopback addresses only (e.g. 127.0.0.1:0)", addr)
	}
	return nil
}

// URL returns the base URL, e.g. http://127.0.0.1:41234 (no trailing slash).
func (s *Server) URL() string {
	if s.listener == nil {
		return ""
	}
	return "http://" + s.listener.Addr().String()
}

// Close stops the server: pending delays and endless bodies end at once,
// connections are closed, and Close waits for running handlers to return.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		close(s.done)
		s.mu.Unlock()
		if s.srv != nil {
			_ = s.srv.Close()
		}
		s.active.Wait()
	})
}

// Handler returns the plain handler, for benchmarks or custom servers.
func (s *Server) Handler() http.Handler { return s.handler }

// SetFixture replaces the data served (a deep copy of f is kept; nil means
// DemoFixture()).
func (s *Server) SetFixture(f *Fixture) {
	if f == nil {
		f = DemoFixture()
	} else {
		f = f.Clone()
	}
	s.mu.Lock()
	s.fixture = f
	s.mu.Unlock()
}

// SetLatency adds a delay before every response (it ends early when the
// client goes away or the server closes).
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	s.latency = d
	s.mu.Unlock()
}

// Requests returns a copy of every request seen, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// RequestCount returns how many requests were seen for the exact path
// ("" counts all requests).
func (s *Server) RequestCount(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if path == "" {
		return len(s.log)
	}
	n := 0
	for _, r := range s.log {
		if r.Path == path {
			n++
		}
	}
	return n
}

// Reset clears the request log and the pending faults.
func (s *Server) Reset() {
	s.mu.Lock()
	s.log = nil
	s.faults = nil
	s.mu.Unlock()
}

// wait sleeps for d; it returns false if the request's context ended or
// the server closed first.
func (s *Server) wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.done:
		return false
	}
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if !s.closed {
		s.active.Add(1)
		defer s.active.Done()
	}
	fx := s.fixture
	latency := s.latency
	hasToken, authorized := checkToken(r, fx)
	s.log = append(s.log, Request{
		Method:     r.Method,
		Path:       r.URL.Path,
		RawQuery:   redactQuery(r.URL.RawQuery),
		PageToken:  r.URL.Query().Get("page-token"),
		HasToken:   hasToken,
		Authorized: authorized,
		Time:       time.Now(),
	})
	limited := s.rateLimitLocked(w.Header())
	var fault *Fault
	if !limited {
		fault = s.takeFault(r.URL.Path)
	}
	s.mu.Unlock()

	ctx := r.Context()
	if !s.wait(ctx, latency) {
		return
	}
	if limited {
		writeRateLimited(w)
		return
	}
	if fault != nil {
		if !s.wait(ctx, fault.Delay) {
			return
		}
		echo := echoToken(r.Header.Get("Circle-Token"))
		switch {
		case fault.Reset:
			resetConn(w)
			return
		case fault.Raw != "":
			writeRaw(w, echo.Replace(fault.Raw))
			return
		case fault.EndlessBody:
			s.endlessBody(w, r, fault)
			return
		case fault.Status != 0:
			h := w.Header()
			for k, vs := range fault.Header {
				for _, v := range vs {
					h.Add(k, echo.Replace(v))
				}
			}
			body := echo.Replace(fault.Body)
			if body != "" && h.Get("Content-Type") == "" {
				h.Set("Content-Type", jsonContentType)
			}
			if fault.PartialBody > 0 && fault.PartialBody < len(body) {
				s.partialBody(w, r, fault, body)
				return
			}
			w.WriteHeader(fault.Status)
			_, _ = w.Write([]byte(body))
			return
		}
		if len(fault.Header) > 0 {
			w = &headerWriter{ResponseWriter: w, extra: fault.Header}
		}
	}
	serveAPI(w, r, fx, hasToken, authorized)
}

func checkToken(r *http.Request, fx *Fixture) (hasToken, authorized bool) {
	tok := r.Header.Get("Circle-Token")
	if tok == "" {
		return false, false
	}
	ok := fx.Token != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(fx.Token)) == 1
	return true, ok
}

// redactQuery replaces the value of a (deprecated) circle-token query
// parameter so the log never holds a token, keeping the key so tests can
// still see that a client put the token in the URL.
func redactQuery(raw string) string {
	if raw == "" || !strings.Contains(strings.ToLower(raw), "token") {
		return raw
	}
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		k, _, hasValue := strings.Cut(p, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k2 := strings.ToLower(strings.TrimSpace(uk))
			if k2 == "circle-token" || k2 == "circle_token" {
				if hasValue {
					parts[i] = k + "=REDACTED"
				}
			}
		}
	}
	return strings.Join(parts, "&")
}

// headerWriter sets extra headers (replacing any the API handler set, so a
// fault can override Content-Type) just before the response is written.
type headerWriter struct {
	http.ResponseWriter
	extra   http.Header
	applied bool
}

func (h *headerWriter) apply() {
	if h.applied {
		return
	}
	h.applied = true
	for k, vs := range h.extra {
		h.Header()[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
}

func (h *headerWriter) WriteHeader(code int) {
	h.apply()
	h.ResponseWriter.WriteHeader(code)
}

func (h *headerWriter) Write(b []byte) (int, error) {
	h.apply()
	return h.ResponseWriter.Write(b)
}

func (h *headerWriter) Unwrap() http.ResponseWriter { return h.ResponseWriter }

// resetConn aborts the connection without a response.
func resetConn(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Not hijackable (e.g. HTTP/2): abort the stream instead.
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // RST instead of FIN where possible
	}
	_ = conn.Close()
}

// partialBody announces body in full but sends only its first
// f.PartialBody bytes, then resets the connection or, with f.StallBody,
// holds it until the client goes away or the server closes.
func (s *Server) partialBody(w http.ResponseWriter, r *http.Request, f *Fault, body string) {
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(f.Status)
	_, _ = w.Write([]byte(body[:f.PartialBody]))
	if err := http.NewResponseController(w).Flush(); err != nil {
		return
	}
	if f.StallBody {
		select {
		case <-r.Context().Done():
		case <-s.done:
		}
		return
	}
	resetConn(w)
}

// writeRaw writes raw to the connection as the whole response and closes it.
func writeRaw(w http.ResponseWriter, raw string) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	defer func() { _ = conn.Close() }()
	_, _ = buf.WriteString(raw)
	_ = buf.Flush()
}

var endlessChunk = func() []byte {
	const item = `{"user_id":"00000000-0000-4000-8000-000000000000","username":"endless","email":"","role":"org-contributor"},`
	return []byte(strings.Repeat(item, 8192/len(item)+1))
}()

// endlessBody sends headers, "[" and then role-grant-like items until the
// client goes away or the server closes.
func (s *Server) endlessBody(w http.ResponseWriter, r *http.Request, f *Fault) {
	h := w.Header()
	for k, vs := range f.Header {
		h[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", jsonContentType)
	}
	status := f.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	rc := http.NewResponseController(w)
	if _, err := w.Write([]byte("[")); err != nil {
		return
	}
	ctx := r.Context()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.done:
			return
		default:
		}
		if _, err := w.Write(endlessChunk); err != nil {
			return
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}
