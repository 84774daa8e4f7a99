package circleci

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
)

// listOptions tunes listAll for one endpoint.
type listOptions[T any] struct {
	// query is sent with every page (the page token is added to it).
	query url.Values
	// firstPageAgain, when set, tells whether a later page is the first page
	// again: the server ignored the page token. listAll then stops with the
	// items read so far and an *IncompleteListingError, instead of looping.
	// Only the one endpoint known to do this sets it.
	firstPageAgain func(first, again []T) bool
}

func (o listOptions[T]) pageQuery(token string) url.Values {
	if len(o.query) == 0 && token == "" {
		return nil
	}
	q := make(url.Values, len(o.query)+1)
	for k, v := range o.query {
		q[k] = append([]string(nil), v...)
	}
	if token != "" {
		q.Set("page-token", token)
	}
	return q
}

// acquire takes one of the client's MaxConcurrency request slots, shared by
// every fan-out of every read, and returns the function that gives it back.
func (c *Client) acquire(ctx context.Context) (func(), error) {
	select {
	case c.lookups <- struct{}{}:
		return func() { <-c.lookups }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// bounded runs fetch while holding a request slot.
func bounded[V any](ctx context.Context, c *Client, fetch func(context.Context) (V, error)) (V, error) {
	release, err := c.acquire(ctx)
	if err != nil {
		var zero V
		return zero, err
	}
	defer release()
	return fetch(ctx)
}

// fanOut calls fetch once for every key, all at once but at most
// MaxConcurrency requests in flight across the whole client (fetch takes a
// slot with bounded, usually inside a memoized call so that a cached answer
// takes none). The first failure cancels the rest and is returned as is;
// otherwise the results are returned by key.
func fanOut[K comparable, V any](ctx context.Context, keys []K, fetch func(context.Context, K) (V, error)) (map[K]V, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		out      = make(map[K]V, len(keys))
		firstErr error
		wg       sync.WaitGroup
	)
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := fetch(ctx, k)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = err
					cancel()
				}
				return
			}
			out[k] = v
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return out, nil
}

// getJSON reads one document into v (a pointer to a struct or a slice),
// with the shape checks of decodeJSON: the top-level value must be of v's
// kind, and v's validate (if any) must pass.
func (c *Client) getJSON(ctx context.Context, origin, path string, v any) error {
	resp, err := c.get(ctx, origin, path, nil)
	if err != nil {
		return err
	}
	return c.decode(path, resp, v)
}

// listAll follows a v2-style listing: {"items": [...], "next_page_token"},
// the next page asked for with ?page-token=<token> (URL-encoded, verbatim),
// until the token is null or "". It returns the whole listing or an error,
// never a part of it: each page must be an object with an "items" array
// ("items": null only on the last page), and each item must pass T's
// validate, if T has one. A token seen before (A→A, A→B→A) stops it with an
// error that does not print the token. An error on a page after the first
// is wrapped in a *PageError.
// opts adds query parameters and the one tolerated quirk (see listOptions).
func listAll[T any](ctx context.Context, c *Client, origin, path string, opts listOptions[T]) ([]T, error) {
	all := []T{}
	seen := make(map[string]struct{})
	token := ""
	var first []T
	for n := 1; ; n++ {
		if n > c.cfg.MaxPages {
			return nil, withPage(&PaginationError{Path: path, Err: fmt.Errorf("%w: more than %d", ErrTooManyPages, c.cfg.MaxPages)}, path, n)
		}
		q := opts.pageQuery(token)
		resp, err := c.get(ctx, origin, path, q)
		if err != nil {
			return nil, withPage(err, path, n)
		}
		p := newPage[T]()
		if err := c.decode(path, resp, p); err != nil {
			return nil, withPage(err, path, n)
		}
		if n == 1 {
			first = p.items()
		} else if opts.firstPageAgain != nil && opts.firstPageAgain(first, p.items()) {
			return all, &IncompleteListingError{Path: path, Page: n, Items: len(all)}
		}
		all = append(all, p.items()...)
		if p.next() == "" {
			return all, nil
		}
		token = p.next()
		if _, dup := seen[token]; dup {
			return nil, withPage(&PaginationError{Path: path, Err: fmt.Errorf("%w; the listing would never end", ErrRepeatedPageToken)}, path, n)
		}
		seen[token] = struct{}{}
	}
}

// validatable is a decoded value with rules beyond its JSON types:
// decodeJSON calls validate after decoding, and a listing calls it for each
// item. Item types of new endpoints implement it to fail closed on an entry
// the provider would misread.
type validatable interface{ validate() error }

// page is one page of a v2-style listing, {"items": [...],
// "next_page_token": ...}, as decoded. Items points at a slice set up before
// decoding (newPage), so that one decode tells the three cases apart: no
// "items" key leaves the pointer as it was and the slice nil; "items": null
// sets the pointer to nil; an array, even an empty one, makes the slice
// non-nil.
type page[T any] struct {
	Items         *[]T    `json:"items"`
	NextPageToken *string `json:"next_page_token"`
	seeded        bool
}

func newPage[T any]() *page[T] { return &page[T]{Items: new([]T), seeded: true} }

// items is the page's items (none for "items": null).
func (p *page[T]) items() []T {
	if p.Items == nil {
		return nil
	}
	return *p.Items
}

// next is the next page's token, "" at the end.
func (p *page[T]) next() string {
	if p.NextPageToken == nil {
		return ""
	}
	return *p.NextPageToken
}

func (p *page[T]) validate() error {
	switch {
	case !p.seeded:
		return errors.New("internal error: a listing page decoded without newPage")
	case p.Items != nil && *p.Items == nil:
		return errors.New(`expected a JSON object with an "items" array, but it has no "items"`)
	case p.Items == nil && p.next() != "":
		return errors.New(`"items" is null, yet a next page is announced`)
	}
	items := p.items()
	for i := range items {
		if v, ok := any(&items[i]).(validatable); ok {
			if err := v.validate(); err != nil {
				return fmt.Errorf("item %d: %w", i+1, err)
			}
		}
	}
	return nil
}
