package circleci

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
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
		grants, err := listAll[RoleGrant](ctx, c, c.cfg.AppHost, OrgRoleGrantsPath(orgID), listOptions[RoleGrant]{})
		return grants, c.withOrgType(ctx, orgID, err)
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
// across the whole client, each user fetched once per client. A user
// CircleCI answers 404 for (a deleted user) maps to nil. Any other failure
// cancels the rest and is returned as a *UserLookupError.
func (c *Client) Users(ctx context.Context, ids []string) (map[string]*User, error) {
	return fanOut(ctx, ids, func(ctx context.Context, id string) (*User, error) {
		u, err := memoized(ctx, &c.memo, "user/"+strings.ToLower(id), func(ctx context.Context) (*User, error) {
			return bounded(ctx, c, func(ctx context.Context) (*User, error) {
				u, err := c.User(ctx, id)
				if ae := (*APIError)(nil); errors.As(err, &ae) && ae.StatusCode == http.StatusNotFound {
					u, err = nil, nil // a deleted user: kept, as nil
				}
				return u, err
			})
		})
		if err != nil {
			return nil, &UserLookupError{UserID: id, Err: err}
		}
		return u, nil
	})
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
