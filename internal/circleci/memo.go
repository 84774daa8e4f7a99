package circleci

import (
	"context"
	"errors"
	"sync"

	"golang.org/x/sync/singleflight"
)

// memo shares one fetch per key between concurrent callers (singleflight)
// and keeps successful results for the client's lifetime: Terraform and
// OpenTofu start one provider process per run, so data sources that read the
// same organization cost one API sweep. Errors are shared with the callers
// waiting on the same fetch but not kept: a later read tries again.
type memo struct {
	group singleflight.Group
	mu    sync.Mutex
	done  map[string]any
}

func (m *memo) get(ctx context.Context, key string, fetch func(context.Context) (any, error)) (any, error) {
	m.mu.Lock()
	v, ok := m.done[key]
	m.mu.Unlock()
	if ok {
		return v, nil
	}
	// The fetch runs with the first caller's context, so an interrupted run
	// stops it at once; a caller that is still live when another's
	// cancellation ended the shared fetch starts a fetch of its own.
	ch := m.group.DoChan(key, func() (any, error) {
		v, err := fetch(ctx)
		if err == nil {
			m.mu.Lock()
			if m.done == nil {
				m.done = make(map[string]any)
			}
			m.done[key] = v
			m.mu.Unlock()
		}
		return v, err
	})
	select {
	case r := <-ch:
		if r.Err != nil && errors.Is(r.Err, context.Canceled) && ctx.Err() == nil {
			return m.get(ctx, key, fetch)
		}
		return r.Val, r.Err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// memoized is memo.get for one result type: each key is only ever stored by
// the one call site that owns it, so the assertion cannot fail.
func memoized[T any](ctx context.Context, m *memo, key string, fetch func(context.Context) (T, error)) (T, error) {
	v, err := m.get(ctx, key, func(ctx context.Context) (any, error) { return fetch(ctx) })
	if err != nil {
		var zero T
		return zero, err
	}
	return v.(T), nil //nolint:forcetypeassert // one T per key, see above
}
