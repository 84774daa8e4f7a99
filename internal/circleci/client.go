package circleci

import (
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
	"github.com/hashicorp/go-retryablehttp"
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
	RequestTimeout time.Duration // per attempt, including reading the body
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
	http *retryablehttp.Client
	// requests counts HTTP attempts, for tests and benchmarks.
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

	c := &Client{cfg: cfg, lookups: make(chan struct{}, cfg.MaxConcurrency)}
	transport := cfg.Transport
	if transport == nil {
		pooled := cleanhttp.DefaultPooledTransport()
		pooled.MaxIdleConnsPerHost = max(pooled.MaxIdleConnsPerHost, cfg.MaxConcurrency)
		transport = pooled
	}
	hc := &http.Client{
		Transport:     &pacedTransport{next: transport, pacer: newPacer(cfg.MaxServerWait), timeout: cfg.RequestTimeout},
		CheckRedirect: checkRedirect,
	}
	c.http = &retryablehttp.Client{
		HTTPClient:   hc,
		RetryWaitMin: cfg.RetryWaitMin,
		RetryWaitMax: cfg.RetryWaitMax,
		RetryMax:     cfg.MaxRetries,
		CheckRetry:   c.checkRetry,
		Backoff: func(minWait, maxWait time.Duration, n int, resp *http.Response) time.Duration {
			d, ok := serverWait(resp, time.Now())
			return backoff(minWait, maxWait, n, d, ok)
		},
		// Keep the last response (status and body) instead of retryablehttp's
		// bare "giving up after N attempts".
		ErrorHandler:    retryablehttp.PassthroughErrorHandler,
		RequestLogHook:  c.logRequest,
		ResponseLogHook: c.logResponse,
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

// RequestCount is the number of HTTP attempts this client has made.
func (c *Client) RequestCount() int64 { return c.requests.Load() }

var errTooManyRedirects = errors.New("too many redirects")

// checkRedirect follows same-origin redirects only: Go forwards custom
// headers such as Circle-Token across hosts, so another origin is refused.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("%w: stopped after %d", errTooManyRedirects, maxRedirects)
	}
	from := via[0].URL
	if !strings.EqualFold(req.URL.Scheme, from.Scheme) || !strings.EqualFold(req.URL.Host, from.Host) {
		return &RedirectError{From: from.Scheme + "://" + from.Host, To: req.URL.Scheme + "://" + req.URL.Host}
	}
	return nil
}

type attemptsKey struct{}

func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		var re *RedirectError
		if errors.As(err, &re) {
			return false, nil
		}
		if errors.Is(err, errTooManyRedirects) {
			return false, nil
		}
		return true, nil // connection refused or reset, timeouts
	}
	if !isRetryableStatus(resp.StatusCode) {
		return false, nil
	}
	if d, ok := serverWait(resp, time.Now()); ok && d > c.cfg.MaxServerWait {
		return false, nil // fail fast; the caller reports the wait
	}
	return true, nil
}

func (c *Client) logRequest(_ retryablehttp.Logger, req *http.Request, retry int) {
	c.requests.Add(1)
	if n, ok := req.Context().Value(attemptsKey{}).(*int); ok {
		*n = retry + 1
	}
	if c.cfg.Logger == nil {
		return
	}
	c.cfg.Logger.Debug(req.Context(), "CircleCI API request", map[string]any{
		"method":  req.Method,
		"url":     req.URL.Redacted(),
		"attempt": retry + 1,
		"headers": RedactHeaders(req.Header),
	})
}

func (c *Client) logResponse(_ retryablehttp.Logger, resp *http.Response) {
	if c.cfg.Logger == nil || resp.Request == nil {
		return
	}
	fields := map[string]any{
		"method": resp.Request.Method,
		"url":    resp.Request.URL.Redacted(),
		"status": resp.StatusCode,
	}
	for _, k := range []string{"Content-Type", "Retry-After", "RateLimit-Remaining", "RateLimit-Reset", "X-RateLimit-Remaining", "X-RateLimit-Reset"} {
		if v := resp.Header.Get(k); v != "" {
			fields[strings.ToLower(k)] = v
		}
	}
	c.cfg.Logger.Debug(resp.Request.Context(), "CircleCI API response", fields)
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
	body        []byte
}

// get performs one GET with retries and returns a 2xx response with its
// body read through the size limit. Every failure is one of this package's
// error types, or the context's error.
func (c *Client) get(ctx context.Context, origin, path string, query url.Values) (*response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.TotalTimeout)
	defer cancel()
	attempts := 0
	ctx = context.WithValue(ctx, attemptsKey{}, &attempts)

	u := origin + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, &TransportError{Method: http.MethodGet, Path: path, Err: errors.New("could not build the request URL")}
	}
	req.Header.Set("Circle-Token", c.cfg.Token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.UserAgent)

	resp, err := c.http.Do(req)
	if err != nil {
		if resp != nil && resp.Body != nil {
			_ = resp.Body.Close()
		}
		return nil, c.transportError(ctx, path, attempts, err)
	}
	defer func() { _ = resp.Body.Close() }()

	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	limit := c.cfg.MaxBodyBytes
	if !ok {
		limit = c.cfg.MaxErrorBytes
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, c.transportError(ctx, path, attempts, fmt.Errorf("reading the response body: %w", err))
	}
	if int64(len(body)) > limit {
		if ok {
			return nil, &TooLargeError{Method: http.MethodGet, Path: path, Limit: limit}
		}
		body = body[:limit] // an error body is only excerpted: its start is enough
	}
	ct := resp.Header.Get("Content-Type")
	if !ok {
		e := newAPIError(http.MethodGet, path, resp.StatusCode, ct, body)
		e.Attempts = attempts
		if d, asked := serverWait(resp, time.Now()); asked {
			e.RetryAfter = d
			e.RetryAfterTooLong = d > c.cfg.MaxServerWait
		}
		return nil, e
	}
	return &response{status: resp.StatusCode, contentType: ct, body: body}, nil
}

func (c *Client) transportError(ctx context.Context, path string, attempts int, err error) error {
	var re *RedirectError
	if errors.As(err, &re) {
		return re
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	if ctx.Err() != nil && errors.Is(err, context.DeadlineExceeded) {
		return &TransportError{Method: http.MethodGet, Path: path, Timeout: true, Attempts: attempts,
			Err: fmt.Errorf("gave up after %s in total", c.cfg.TotalTimeout)}
	}
	te := &TransportError{Method: http.MethodGet, Path: path, Attempts: attempts, Err: cleanNetError(err)}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, os.ErrDeadlineExceeded) {
		te.Timeout = true
		te.Err = fmt.Errorf("no complete answer within the per-attempt timeout of %s", c.cfg.RequestTimeout)
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
