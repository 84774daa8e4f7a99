package circleci

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Every request the client makes is a GET, so the error types carry no
// method; their texts say "GET". A listing's page number is carried in one
// place, *PageError, which wraps whatever failed on a page after the first.

// APIError is a non-2xx answer from CircleCI, after any retries.
type APIError struct {
	Path        string // request path, never the query (page tokens stay out of errors)
	StatusCode  int
	ContentType string
	// Message is CircleCI's own message from {"message"}, {"error"} or
	// {"errors":[...]}; empty when the body held none. Sanitised.
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
	fmt.Fprintf(&b, "GET %s: unexpected %d", e.Path, e.StatusCode)
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

// DecodeError is a 2xx answer whose body could not be used: not JSON, not
// the shape the endpoint documents, or an item that breaks its rules.
type DecodeError struct {
	Path        string
	StatusCode  int
	ContentType string
	Reason      string // what was wrong, in words
	Excerpt     string
}

func (e *DecodeError) Error() string {
	s := fmt.Sprintf("GET %s: %s", e.Path, e.Reason)
	if e.Excerpt != "" {
		s += fmt.Sprintf("; body starts: %q", e.Excerpt)
	}
	return s
}

// TransportError is a request that got no usable HTTP answer: connection
// refused or reset (before or while the body was read), a per-attempt
// timeout, too many redirects.
type TransportError struct {
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
	s := fmt.Sprintf("GET %s: %s", e.Path, what)
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
	Path  string
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("GET %s: response too large (over %d bytes)", e.Path, e.Limit)
}

// Causes of a PaginationError, for errors.Is.
var (
	// ErrRepeatedPageToken: CircleCI returned a page token it had already
	// returned, so the listing would never end.
	ErrRepeatedPageToken = errors.New("CircleCI returned a page token it had already returned")
	// ErrTooManyPages: the listing went on past the client's page limit.
	ErrTooManyPages = errors.New("too many pages")
)

// PaginationError is a listing that could not be followed to its end. It is
// wrapped in a *PageError that says on which page it stopped.
type PaginationError struct {
	Path string
	Err  error // ErrRepeatedPageToken or ErrTooManyPages, with details
}

func (e *PaginationError) Error() string {
	return fmt.Sprintf("GET %s: pagination stopped: %s", e.Path, e.Err)
}

func (e *PaginationError) Unwrap() error { return e.Err }

// PageError wraps an error that happened on a page of a listing after the
// first; its text names the page after the path: "GET /path (page 2): …".
type PageError struct {
	Path string
	Page int
	Err  error
}

func (e *PageError) Error() string {
	inner := e.Err.Error()
	if prefix := "GET " + e.Path; e.Path != "" && strings.HasPrefix(inner, prefix) {
		return fmt.Sprintf("%s (page %d)%s", prefix, e.Page, inner[len(prefix):])
	}
	return fmt.Sprintf("page %d: %s", e.Page, inner)
}

func (e *PageError) Unwrap() error { return e.Err }

func withPage(err error, path string, n int) error {
	if n <= 1 || err == nil {
		return err
	}
	return &PageError{Path: path, Page: n, Err: err}
}

// cleanError replaces the text of an error that may quote the server (a
// transport's "malformed MIME header line: …") with a scrubbed, short one,
// keeping the cause for errors.Is and errors.As.
type cleanError struct {
	msg   string
	cause error
}

func (e *cleanError) Error() string { return e.msg }
func (e *cleanError) Unwrap() error { return e.cause }

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

// UserLookupError is a failed GET /api/v2/user/{id} within Users.
type UserLookupError struct {
	UserID string
	Err    error
}

func (e *UserLookupError) Error() string { return fmt.Sprintf("user %s: %s", e.UserID, e.Err) }

func (e *UserLookupError) Unwrap() error { return e.Err }

// IncompleteListingError is a listing that CircleCI would not page past:
// asked for page Page, it answered with the first page again. The Items
// entries read before that are all the listing the caller gets.
type IncompleteListingError struct {
	Path  string
	Page  int
	Items int
}

func (e *IncompleteListingError) Error() string {
	return fmt.Sprintf("GET %s: CircleCI ignored the page token and answered page %d with the first page again; only the first %d entries could be read",
		e.Path, e.Page, e.Items)
}
