package circleci

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// IsUUID reports whether s is a UUID in its canonical 8-4-4-4-12 form.
func IsUUID(s string) bool { return uuidRE.MatchString(s) }

// User returns one user by id (GET /api/v2/user/{id}).
func (c *Client) User(ctx context.Context, id string) (*User, error) {
	if !IsUUID(id) {
		return nil, fmt.Errorf("user id %q is not a UUID", excerpt([]byte(id), 64))
	}
	var u User
	if err := c.getJSON(ctx, c.cfg.Host, "/api/v2/user/"+url.PathEscape(id), &u); err != nil {
		return nil, err
	}
	return &u, nil
}

// Collaborations returns the organizations and accounts the token's user
// belongs to (GET /api/v2/me/collaborations: a bare array, not paginated).
// It is fetched once per client; callers must not modify the result.
func (c *Client) Collaborations(ctx context.Context) ([]Collaboration, error) {
	return memoized(ctx, &c.memo, "collaborations", func(ctx context.Context) ([]Collaboration, error) {
		var out []Collaboration
		if err := c.getJSON(ctx, c.cfg.Host, "/api/v2/me/collaborations", &out); err != nil {
			return nil, err
		}
		return out, nil
	})
}

// OrgRoleGrantsPath is the members endpoint's path for an organization.
func OrgRoleGrantsPath(orgID string) string {
	return "/private/ciam/orgs/" + url.PathEscape(orgID) + "/role-grants"
}

// OrgRoleGrants returns every role grant of an organization, following
// next_page_token to the end. It returns the whole listing or an error,
// never a part of it.
func (c *Client) OrgRoleGrants(ctx context.Context, orgID string) ([]RoleGrant, error) {
	if !IsUUID(orgID) {
		return nil, fmt.Errorf("organization id %q is not a UUID", excerpt([]byte(orgID), 64))
	}
	return memoized(ctx, &c.memo, "role-grants/"+strings.ToLower(orgID), func(ctx context.Context) ([]RoleGrant, error) {
		return listAll[RoleGrant](ctx, c, c.cfg.AppHost, OrgRoleGrantsPath(orgID))
	})
}

// UserLookupError is a failed GET /api/v2/user/{id} within Users.
type UserLookupError struct {
	UserID string
	Err    error
}

func (e *UserLookupError) Error() string { return fmt.Sprintf("user %s: %s", e.UserID, e.Err) }
func (e *UserLookupError) Unwrap() error { return e.Err }

// Users looks up users by id, at most MaxConcurrency requests at a time
// across the whole client, each user fetched once per client. The first
// failure cancels the rest and is returned as a *UserLookupError.
func (c *Client) Users(ctx context.Context, ids []string) (map[string]*User, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		out      = make(map[string]*User, len(ids))
		firstErr error
		wg       sync.WaitGroup
	)
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u, err := memoized(ctx, &c.memo, "user/"+strings.ToLower(id), func(ctx context.Context) (*User, error) {
				select {
				case c.lookups <- struct{}{}:
				case <-ctx.Done():
					return nil, ctx.Err()
				}
				defer func() { <-c.lookups }()
				return c.User(ctx, id)
			})
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = &UserLookupError{UserID: id, Err: err}
					cancel()
				}
				return
			}
			out[id] = u
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return out, nil
}

func (c *Client) getJSON(ctx context.Context, origin, path string, v any) error {
	resp, err := c.get(ctx, origin, path, nil)
	if err != nil {
		return err
	}
	return decodeJSON(http.MethodGet, path, resp.status, resp.contentType, 0, resp.body, v)
}

// ErrRepeatedPageToken is wrapped by the PaginationError for a cycle.
var ErrRepeatedPageToken = errors.New("CircleCI returned a page token it had already returned")

// listAll follows a v2-style listing: items plus next_page_token, the next
// page asked for with ?page-token=<token> (URL-encoded, verbatim), until the
// token is null or "". A token seen before (A→A, A→B→A) stops it with an
// error that does not print the token.
func listAll[T any](ctx context.Context, c *Client, origin, path string) ([]T, error) {
	var all []T
	seen := make(map[string]struct{})
	token := ""
	for n := 1; ; n++ {
		if n > c.cfg.MaxPages {
			return nil, &PaginationError{Path: path, Page: n, Reason: fmt.Sprintf("more than %d pages", c.cfg.MaxPages)}
		}
		var q url.Values
		if token != "" {
			q = url.Values{"page-token": {token}}
		}
		resp, err := c.get(ctx, origin, path, q)
		if err != nil {
			return nil, withPage(err, n)
		}
		var p page[T]
		if err := decodeJSON(http.MethodGet, path, resp.status, resp.contentType, n, resp.body, &p); err != nil {
			return nil, err
		}
		all = append(all, p.Items...)
		if p.NextPageToken == nil || *p.NextPageToken == "" {
			if all == nil {
				all = []T{}
			}
			return all, nil
		}
		token = *p.NextPageToken
		if _, dup := seen[token]; dup {
			return nil, &PaginationError{Path: path, Page: n, Reason: ErrRepeatedPageToken.Error() + "; the listing would never end"}
		}
		seen[token] = struct{}{}
	}
}

// PageError wraps an error that happened on a page after the first.
type PageError struct {
	Page int
	Err  error
}

func (e *PageError) Error() string { return fmt.Sprintf("page %d: %s", e.Page, e.Err) }
func (e *PageError) Unwrap() error { return e.Err }

func withPage(err error, n int) error {
	if n <= 1 {
		return err
	}
	return &PageError{Page: n, Err: err}
}
