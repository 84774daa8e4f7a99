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
