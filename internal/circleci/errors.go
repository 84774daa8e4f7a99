package circleci

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// APIError is a non-2xx answer from CircleCI, after any retries.
type APIError struct {
	Method      string
	Path        string // request path, never the query (page tokens stay out of errors)
	StatusCode  int
	ContentType string
	// Message is CircleCI's own message from {"message"}, {"error"} or
	// {"errors":[...]}; empty when the body held none.
	Message string
	// Excerpt is a short, sanitised start of a body that was not JSON.
	Excerpt string
	// RetryAfter is the wait the server asked for (429/503), if any.
	RetryAfter time.Duration
	// RetryAfterTooLong is set when the server asked for a wait beyond the
	// client's cap, so the request failed fast instead of waiting.
	RetryAfterTooLong bool
	Attempts          int
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: unexpected %d", e.Method, e.Path, e.StatusCode)
	if e.ContentType != "" && !isJSONMediaType(e.ContentType) {
		fmt.Fprintf(&b, " (%s)", shownMediaType(e.ContentType))
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %q", e.Message)
	} else if e.Excerpt != "" {
		fmt.Fprintf(&b, ", body starts: %q", e.Excerpt)
	}
	if e.RetryAfterTooLong {
		fmt.Fprintf(&b, "; CircleCI asked to wait %s, longer than the provider waits", e.RetryAfter)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return b.String()
}

// DecodeError is a 2xx answer whose body could not be used.
type DecodeError struct {
	Method      string
	Path        string
	StatusCode  int
	ContentType string
	Page        int    // 1-based page of a listing, 0 when not paginated
	Reason      string // what was wrong, in words
	Excerpt     string
}

func (e *DecodeError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", e.Method, e.Path)
	if e.Page > 1 {
		fmt.Fprintf(&b, " (page %d)", e.Page)
	}
	fmt.Fprintf(&b, ": %s", e.Reason)
	if e.Excerpt != "" {
		fmt.Fprintf(&b, "; body starts: %q", e.Excerpt)
	}
	return b.String()
}

// TransportError is a request that got no usable HTTP answer: connection
// refused or reset, a per-attempt timeout, a refused redirect.
type TransportError struct {
	Method   string
	Path     string
	Timeout  bool
	Attempts int
	Err      error
}

func (e *TransportError) Error() string {
	what := "request failed"
	if e.Timeout {
		what = "request timed out"
	}
	s := fmt.Sprintf("%s %s: %s", e.Method, e.Path, what)
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return s + ": " + e.Err.Error()
}

func (e *TransportError) Unwrap() error { return e.Err }

// RedirectError is a redirect to another origin, refused so that the token
// is never sent there.
type RedirectError struct {
	From, To string // origins, scheme://host
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("refused a redirect from %s to another origin (%s): the API token is only sent to the configured host", e.From, e.To)
}

// TooLargeError is a body over the client's size limit.
type TooLargeError struct {
	Method string
	Path   string
	Limit  int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s %s: response too large (over %d bytes)", e.Method, e.Path, e.Limit)
}

// PaginationError is a listing that could not be followed to its end.
type PaginationError struct {
	Path   string
	Page   int
	Reason string
}

func (e *PaginationError) Error() string {
	return fmt.Sprintf("GET %s: pagination stopped at page %d: %s", e.Path, e.Page, e.Reason)
}

// excerpt returns at most n runes of body with control characters and
// invalid UTF-8 replaced and whitespace collapsed, safe to print.
func excerpt(body []byte, n int) string {
	var b strings.Builder
	count := 0
	space := false
	for len(body) > 0 && count < n {
		r, size := utf8.DecodeRune(body)
		body = body[size:]
		switch {
		case r == utf8.RuneError && size <= 1:
			r = '?'
		case unicode.IsSpace(r):
			if space || count == 0 {
				continue
			}
			space = true
			b.WriteByte(' ')
			count++
			continue
		case !unicode.IsPrint(r):
			r = '?'
		}
		space = false
		b.WriteRune(r)
		count++
	}
	s := strings.TrimRight(b.String(), " ")
	if len(body) > 0 {
		s += "…"
	}
	return s
}
