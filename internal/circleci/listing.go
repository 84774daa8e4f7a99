package circleci

import (
	"context"
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
