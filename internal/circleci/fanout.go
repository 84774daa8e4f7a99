package circleci

import (
	"context"
	"fmt"
	"net/url"
	"strings"
)

// FanOut calls fetch once for every key, at most MaxConcurrency requests in
// flight across the whole client, and returns the results by key. It takes no
// request slot itself: fetch must make its requests through this client's
// per-project calls (ProjectSettings, ProjectWebhooks, …), each of which
// takes a slot per request and is memoized, so that a key fetched twice, by
// two data sources of one run, costs one request. The first failure cancels
// the rest and is returned as is: never a map with keys missing.
func FanOut[K comparable, V any](ctx context.Context, keys []K, fetch func(context.Context, K) (V, error)) (map[K]V, error) {
	return fanOut(ctx, keys, fetch)
}

// EscapeProjectSlug returns a project slug (`gh/acme/api`,
// `circleci/<org>/<project>`) as a path: its three segments each
// percent-escaped, joined by "/". CircleCI's v2 project routes take the
// slug as three path segments; an escaped "%2F" fails on CircleCI Server and
// behind proxies. A slug of another shape is an error that quotes no more
// than a short excerpt of it.
func EscapeProjectSlug(slug string) (string, error) {
	parts := strings.Split(slug, "/")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return "", fmt.Errorf("project slug %q is not of the form <vcs>/<org>/<project>", excerpt([]byte(slug), 100))
	}
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/"), nil
}

// projectSlugPath is prefix, the escaped slug and suffix: the path of a
// project route (/api/v2/project/{slug}/envvar and the like).
func projectSlugPath(prefix, slug, suffix string) (string, error) {
	p, err := EscapeProjectSlug(slug)
	if err != nil {
		return "", err
	}
	return prefix + p + suffix, nil
}
