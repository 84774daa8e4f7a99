package circleci

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-cleanhttp"
)

// Defaults for Config fields left zero.
const (
	DefaultMaxRetries     = 5
	DefaultRequestTimeout = 30 * time.Second
	DefaultRetryWaitMin   = 1 * time.Second //nolint:revive // time-naming: Min/Max mean minimum/maximum, not minutes; an exported API name
	DefaultRetryWaitMax   = 30 * time.Second
	DefaultMaxServerWait  = 60 * time.Second
	DefaultTotalTimeout   = 5 * time.Minute
	DefaultMaxPages       = 5000
	DefaultMaxBodyBytes   = 16 << 20
	DefaultMaxErrorBytes  = 64 << 10
	DefaultMaxConcurrency = 8
	maxRedirects          = 5
)

// Logger receives the client's debug events. The provider passes one backed
// by tflog so that the context's masks apply; the client never logs the
// token, and redacts the headers that carry it.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
}

// Config configures a Client. Zero values take the defaults above.
type Config struct {
	Token     string
	Host      string // API origin, e.g. https://circleci.com
	AppHost   string // origin of the private members endpoint
	UserAgent string

	// MaxRetries is the number of retries after the first attempt; 0
	// disables them. Negative means the default.
	MaxRetries     int
	RequestTimeout time.Duration // per attempt: every redirect hop and reading the body
	RetryWaitMin   time.Duration
	RetryWaitMax   time.Duration
	// MaxServerWait is the longest Retry-After (or rate-limit reset) the
	// client waits for; a longer one fails at once with the wait in the error.
	MaxServerWait time.Duration
	// TotalTimeout bounds one call, all attempts and waits included.
	TotalTimeout time.Duration
	MaxPages     int
	MaxBodyBytes int64
	// MaxErrorBytes bounds how much of an error body is read.
	MaxErrorBytes int64
	// MaxConcurrency bounds the client's concurrent fan-out requests (per
	// user, group, context and project).
	MaxConcurrency int

	Logger Logger
	// Transport replaces the HTTP transport (tests).
	Transport http.RoundTripper
}

// Client is a CircleCI API client. It is safe for concurrent use; the
// provider makes one per configuration and shares it between data sources.
type Client struct {
	cfg  Config
	http *http.Client
	// pacers pace the requests to each origin by its rate-limit headers.
	pacers *pacers
	// redact removes the token from everything the server says.
	redact *redactor
	// requests counts HTTP requests sent (redirect hops included), for
	// tests and benchmarks.
	requests atomic.Int64
	// memo shares fetches and results between the reads of one run.
	memo memo
	// lookups bounds concurrent per-user requests across all reads.
	lookups chan struct{}
}

// New returns a Client for a validated configuration.
func New(cfg Config) (*Client, error) {
	if err := ValidateToken(cfg.Token); err != nil {
		return nil, err
	}
	host, err := NormalizeHost(cfg.Host)
	if err != nil {
		return nil, fmt.Errorf("host: %w", err)
	}
	cfg.Host = host
	if cfg.AppHost == "" {
		cfg.AppHost = DefaultAppHostFor(host)
	}
	if cfg.AppHost, err = NormalizeHost(cfg.AppHost); err != nil {
		return nil, fmt.Errorf("app_host: %w", err)
	}
	if cfg.MaxRetries < 0 {
		cfg.MaxRetries = DefaultMaxRetries
	}
	setDefault(&cfg.RequestTimeout, DefaultRequestTimeout)
	setDefault(&cfg.RetryWaitMin, DefaultRetryWaitMin)
	setDefault(&cfg.RetryWaitMax, DefaultRetryWaitMax)
	setDefault(&cfg.MaxServerWait, DefaultMaxServerWait)
	// A call may always take a couple of full attempts, whatever the timeout.
	setDefault(&cfg.TotalTimeout, max(DefaultTotalTimeout, 2*cfg.RequestTimeout))
	setDefault(&cfg.MaxPages, DefaultMaxPages)
	setDefault(&cfg.MaxBodyBytes, DefaultMaxBodyBytes)
	setDefault(&cfg.MaxErrorBytes, DefaultMaxErrorBytes)
	setDefault(&cfg.MaxConcurrency, DefaultMaxConcurrency)
	if cfg.UserAgent == "" {
		cfg.UserAgent = "terraform-provider-circleci"
	}

	c := &Client{
		cfg:     cfg,
		pacers:  &pacers{maxWait: cfg.MaxServerWait},
		redact:  newRedactor(cfg.Token),
		lookups: make(chan struct{}, cfg.MaxConcurrency),
	}
	transport := cfg.Transport
	if transport == nil {
		pooled := cleanhttp.DefaultPooledTransport()
		pooled.MaxIdleConnsPerHost = max(pooled.MaxIdleConnsPerHost, cfg.MaxConcurrency)
		transport = pooled
	}
	c.http = &http.Client{
		Transport:     &observingTransport{next: transport, c: c},
		CheckRedirect: c.checkRedirect,
	}
	return c, nil
}

func setDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}

// Host returns the normalized API origin in use.
func (c *Client) Host() string { return c.cfg.Host }

// AppHost returns the normalized origin of the private members endpoint in use.
func (c *Client) AppHost() string { return c.cfg.AppHost }

// RequestCount is the number of HTTP requests this client has sent.
func (c *Client) RequestCount() int64 { return c.requests.Load() }

var errTooManyRedirects = errors.New("too many redirects")

// checkRedirect follows same-origin redirects only: Go forwards custom
// headers such as Circle-Token across hosts, so another origin is refused.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("%w: stopped after %d", errTooManyRedirects, maxRedirects)
	}
	from := via[0].URL
	if !strings.EqualFold(req.URL.Scheme, from.Scheme) || !strings.EqualFold(req.URL.Host, from.Host) {
		// The target comes from the server's Location header.
		return &RedirectError{From: from.Scheme + "://" + from.Host, To: c.redact.excerpt([]byte(req.URL.Scheme+"://"+req.URL.Host), 100)}
	}
	return nil
}

// observingTransport counts and logs every request, redirect hops included,
// and hands each answer's rate-limit headers to its origin's pacer.
type observingTransport struct {
	next http.RoundTripper
	c    *Client
}

type attemptKey struct{}

func (t *observingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c := t.c
	p := c.pacers.get(origin(req.URL))
	ticket := p.ticket()
	c.requests.Add(1)
	attempt, _ := req.Context().Value(attemptKey{}).(int)
	c.log(req.Context(), "CircleCI API request", map[string]any{
		"method":  req.Method,
		"url":     req.URL.Redacted(),
		"attempt": attempt,
		"headers": RedactHeaders(req.Header),
	})
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	p.observe(resp.Header, ticket, time.Now())
	fields := map[string]any{"method": req.Method, "url": req.URL.Redacted(), "status": resp.StatusCode}
	for _, k := range []string{"Content-Type", "Retry-After", "RateLimit-Remaining", "RateLimit-Reset", "X-RateLimit-Remaining", "X-RateLimit-Reset"} {
		if v := resp.Header.Get(k); v != "" {
			fields[strings.ToLower(k)] = c.redact.excerpt([]byte(v), 100)
		}
	}
	c.log(req.Context(), "CircleCI API response", fields)
	return resp, nil
}

func origin(u *url.URL) string { return strings.ToLower(u.Scheme + "://" + u.Host) }

func (c *Client) log(ctx context.Context, msg string, fields map[string]any) {
	if c.cfg.Logger != nil {
		c.cfg.Logger.Debug(ctx, msg, fields)
	}
}

// RedactHeaders copies h with the values of credential headers replaced.
func RedactHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		switch http.CanonicalHeaderKey(k) {
		case "Circle-Token", "Authorization", "Cookie", "Proxy-Authorization":
			out[k] = "[REDACTED]"
		default:
			out[k] = strings.Join(v, ", ")
		}
	}
	return out
}

type response struct {
	status      int
	contentType string
	header      http.Header
	body        []byte
}

// get performs one GET with retries and returns a 2xx response with its
// body read through the size limit. Every failure is one of this package's
// error types, or the context's error, with the token removed from whatever
// the server said.
//
// An attempt is the pacing wait, then the request, its redirect hops and
// reading the body, all within the per-attempt timeout. A connection error,
// a reset or EOF while reading the body, a per-attempt timeout, a 429 or a
// 500/502/503/504 is retried, up to MaxRetries times, all within TotalTimeout.
func (c *Client) get(ctx context.Context, origin, path string, query url.Values) (*response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.TotalTimeout)
	defer cancel()
	u := origin + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	for attempt := 1; ; attempt++ {
		resp, err := c.attempt(ctx, origin, u, attempt)
		if err == nil && resp.status >= 200 && resp.status < 300 {
			if int64(len(resp.body)) > c.cfg.MaxBodyBytes {
				return nil, &TooLargeError{Path: path, Limit: c.cfg.MaxBodyBytes}
			}
			return resp, nil
		}
		wait, retry := c.retry(ctx, resp, err, attempt)
		if retry {
			t := time.NewTimer(wait)
			select {
			case <-t.C:
				continue
			case <-ctx.Done():
				t.Stop()
				return nil, c.transportError(ctx, path, attempt, ctx.Err())
			}
		}
		if err != nil {
			return nil, c.transportError(ctx, path, attempt, err)
		}
		return nil, c.apiError(path, attempt, resp)
	}
}

// attempt sends one request (following same-origin redirects) and reads its
// body, all within the per-attempt timeout, which starts after the pacing
// wait.
func (c *Client) attempt(ctx context.Context, origin, u string, n int) (*response, error) {
	if err := c.pacers.get(origin).wait(ctx); err != nil {
		return nil, err
	}
	actx, cancel := context.WithTimeout(context.WithValue(ctx, attemptKey{}, n), c.cfg.RequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, u, nil)
	if err != nil {
		return nil, errBadURL
	}
	req.Header.Set("Circle-Token", c.cfg.Token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	limit := c.cfg.MaxBodyBytes
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		limit = c.cfg.MaxErrorBytes
	}
	// Read into a buffer of the announced size (when it is within the
	// limit), not one grown from 512 bytes: a page of members is ~30 KB.
	buf := bytes.NewBuffer(make([]byte, 0, min(max(resp.ContentLength, 0), limit)+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(resp.Body, limit+1)); err != nil {
		return nil, &bodyError{err: err}
	}
	body := buf.Bytes()
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		body = body[:min(int64(len(body)), limit)] // an error body is only excerpted: its start is enough
	}
	return &response{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"), header: resp.Header, body: body}, nil
}

var errBadURL = errors.New("could not build the request URL")

// bodyError is a failure while reading a response body.
type bodyError struct{ err error }

func (e *bodyError) Error() string { return "reading the response body: " + e.err.Error() }
func (e *bodyError) Unwrap() error { return e.err }

// retry says whether a failed attempt is worth another, and after how long.
func (c *Client) retry(ctx context.Context, resp *response, err error, attempt int) (time.Duration, bool) {
	if ctx.Err() != nil || attempt > c.cfg.MaxRetries {
		return 0, false
	}
	if err != nil {
		var re *RedirectError
		if errors.As(err, &re) || errors.Is(err, errTooManyRedirects) || errors.Is(err, errBadURL) {
			return 0, false
		}
		// Connection refused or reset, EOF or a reset while reading the
		// body, a per-attempt timeout.
		return backoff(c.cfg.RetryWaitMin, c.cfg.RetryWaitMax, attempt-1, 0, false), true
	}
	if !isRetryableStatus(resp.status) {
		return 0, false
	}
	d, asked := serverWait(resp.status, resp.header, time.Now())
	if asked && d > c.cfg.MaxServerWait {
		return 0, false // fail fast; the error reports the wait
	}
	return backoff(c.cfg.RetryWaitMin, c.cfg.RetryWaitMax, attempt-1, d, asked), true
}

// apiError is the error for a final non-2xx answer.
func (c *Client) apiError(path string, attempts int, resp *response) *APIError {
	e := newAPIError(c.redact, path, resp.status, resp.contentType, resp.body)
	e.Attempts = attempts
	if d, asked := serverWait(resp.status, resp.header, time.Now()); asked {
		e.RetryAfter = d
		e.RetryAfterTooLong = d > c.cfg.MaxServerWait
	}
	return e
}

func (c *Client) transportError(ctx context.Context, path string, attempts int, err error) error {
	var re *RedirectError
	if errors.As(err, &re) {
		return re
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		return context.Canceled
	}
	if ctx.Err() != nil && errors.Is(err, context.DeadlineExceeded) {
		return &TransportError{Path: path, Timeout: true, Attempts: attempts,
			Err: fmt.Errorf("gave up after %s in total: %w", c.cfg.TotalTimeout, context.DeadlineExceeded)}
	}
	te := &TransportError{Path: path, Attempts: attempts, Err: c.redact.errorText(cleanNetError(err), 300)}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) {
		te.Timeout = true
		te.Err = &cleanError{msg: "no complete answer within the per-attempt timeout of " + c.cfg.RequestTimeout.String(), cause: err}
	}
	return te
}

// cleanNetError drops the url.Error wrapper, whose text repeats the full URL
// (page tokens included), keeping only the cause.
func cleanNetError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// decode decodes a 2xx response into v with the shape checks of decodeJSON.
func (c *Client) decode(path string, resp *response, v any) error {
	return decodeJSON(c.redact, path, resp.status, resp.contentType, resp.body, v)
}
