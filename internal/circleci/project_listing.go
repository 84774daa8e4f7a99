package circleci

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// ProjectListing is what a per-project endpoint answered: its items, or
// that CircleCI said the endpoint does not apply to the project (400 "This
// API is not supported for this project."), which is not "none".
type ProjectListing[T any] struct {
	Items []T // nil when NotSupported
	// NotSupported is set when CircleCI answered the first request with
	// 400 and a message saying the endpoint is not supported for this
	// project; Message is that message, sanitised.
	NotSupported bool
	Message      string
}

// notSupportedMessage is how CircleCI says that a project endpoint does not
// apply to a project (checkout keys on a standalone project: "This API is
// not supported for this project.").
const notSupportedMessage = "not supported for this project"

// notSupported reports whether err is CircleCI's 400 "… not supported for
// this project" on the first page of a listing; any other failure, or the
// same answer on a later page, is an error.
func notSupported(err error) (string, bool) {
	var ae *APIError
	var pe *PageError
	if errors.As(err, &pe) || !errors.As(err, &ae) || ae.StatusCode != http.StatusBadRequest {
		return "", false
	}
	if !strings.Contains(strings.ToLower(ae.Message), notSupportedMessage) {
		return "", false
	}
	return ae.Message, true
}

// projectListing turns a listing's result into a ProjectListing, the one
// "not supported" answer included.
func projectListing[T any](items []T, err error) (ProjectListing[T], error) {
	if err != nil {
		if msg, ok := notSupported(err); ok {
			return ProjectListing[T]{NotSupported: true, Message: msg}, nil
		}
		return ProjectListing[T]{}, err
	}
	return ProjectListing[T]{Items: items}, nil
}

// projectSlugKey is a memo key for a project slug (slugs are kept as
// CircleCI reported them).
func projectSlugKey(kind, slug string) string { return kind + "/" + slug }

// either is the value of a key that CircleCI's OpenAPI description spells
// in kebab-case ("created-at") while live answers have been seen in
// snake_case ("created_at"): both are decoded, and a body with both that
// disagree is refused rather than guessed at. name is the snake_case
// spelling.
func either[T comparable](snake, kebab *T, name string) (*T, error) {
	if snake != nil && kebab != nil && *snake != *kebab {
		return nil, fmt.Errorf("has both %s and %s, with different values", name, strings.ReplaceAll(name, "_", "-"))
	}
	if snake != nil {
		return snake, nil
	}
	return kebab, nil
}

// eitherSlice is either for a list.
func eitherSlice[T comparable](snake, kebab []T, name string) ([]T, error) {
	if snake != nil && kebab != nil && !slices.Equal(snake, kebab) {
		return nil, fmt.Errorf("has both %s and %s, with different values", name, strings.ReplaceAll(name, "_", "-"))
	}
	if snake != nil {
		return snake, nil
	}
	return kebab, nil
}

// jodaPrefix starts a timestamp as CircleCI's OpenAPI example prints it:
// "#joda/inst 2023-04-14T21:20:14+0000".
const jodaPrefix = "#joda/inst "

// createdAt is a creation time as CircleCI gives it, as RFC 3339: RFC 3339
// itself is kept as given; the "#joda/inst …+0000" form of CircleCI's
// OpenAPI example is converted. nil (null or absent) stays nil; anything
// else is an error.
func createdAt(raw *string) (*string, error) {
	if raw == nil {
		return nil, nil
	}
	s := *raw
	if _, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return &s, nil
	}
	if rest, ok := strings.CutPrefix(s, jodaPrefix); ok {
		for _, layout := range []string{"2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05.000Z0700"} {
			if t, err := time.Parse(layout, rest); err == nil {
				out := t.UTC().Format(time.RFC3339Nano)
				return &out, nil
			}
		}
	}
	return nil, fmt.Errorf("has a created_at that is not a timestamp: %q", excerpt([]byte(s), 64))
}

// decodeObject decodes one listing item (b) into w, refusing null: a null
// item is an error, not an empty one.
func decodeObject(b []byte, w any) error {
	if strings.TrimSpace(string(b)) == "null" {
		return &itemError{reason: "an entry of the list is null, expected an object"}
	}
	return json.Unmarshal(b, w)
}

// projectFetch is the shared body of every per-project listing: read once
// per client under a request slot, with CircleCI's "not supported for this
// project" kept as such.
func projectFetch[T any](ctx context.Context, c *Client, key string, fetch func(context.Context) ([]T, error)) (ProjectListing[T], error) {
	return memoized(ctx, &c.memo, key, func(ctx context.Context) (ProjectListing[T], error) {
		return bounded(ctx, c, func(ctx context.Context) (ProjectListing[T], error) {
			return projectListing(fetch(ctx))
		})
	})
}
