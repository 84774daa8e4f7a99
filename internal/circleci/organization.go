package circleci

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Organization is the body of GET /api/v2/organization/{org-slug-or-id}.
// Unlike /me/collaborations, CircleCI spells the key vcs_type here.
type Organization struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Slug    string `json:"slug"`
	VCSType string `json:"vcs_type"`
}

// validate rejects an organization the provider would not fully understand:
// an id that is not a UUID (a missing or null one included), or a missing or
// empty name, slug or vcs_type (say, "vcs-type" under the wrong key).
func (o *Organization) validate() error {
	if !IsUUID(o.ID) {
		return fmt.Errorf("the organization's id %q is not a UUID", excerpt([]byte(o.ID), 64))
	}
	for _, f := range []struct{ key, value string }{{"name", o.Name}, {"slug", o.Slug}, {"vcs_type", o.VCSType}} {
		if f.value == "" {
			return fmt.Errorf("the organization has no %s", f.key)
		}
	}
	return nil
}

// OrganizationPath is the path of GET /api/v2/organization/{org-slug-or-id}:
// a slug's '/' is path-escaped (gh%2Facme), so it is one path segment.
func OrganizationPath(idOrSlug string) string {
	return "/api/v2/organization/" + url.PathEscape(idOrSlug)
}

// Organization returns one organization by its id (a UUID) or its slug
// (gh/acme, circleci/AbCd…), matched as CircleCI matches it. Each id or slug
// is fetched once per client. CircleCI answers 404 both for an organization
// that does not exist and for one the token cannot see.
func (c *Client) Organization(ctx context.Context, idOrSlug string) (*Organization, error) {
	if idOrSlug == "" {
		return nil, errors.New("an organization id or slug is required")
	}
	key := idOrSlug
	if IsUUID(idOrSlug) {
		key = strings.ToLower(idOrSlug)
	}
	return memoized(ctx, &c.memo, "organization/"+key, func(ctx context.Context) (*Organization, error) {
		var o Organization
		if err := c.getJSON(ctx, c.cfg.Host, OrganizationPath(idOrSlug), &o); err != nil {
			return nil, err
		}
		if IsUUID(idOrSlug) && !strings.EqualFold(o.ID, idOrSlug) {
			return nil, &DecodeError{Path: OrganizationPath(idOrSlug), StatusCode: http.StatusOK,
				Reason: fmt.Sprintf("asked for organization %s, CircleCI answered with organization %s", idOrSlug, o.ID)}
		}
		return &o, nil
	})
}

// checkedUser is a User from GET /api/v2/me, validated after decoding.
type checkedUser User

// validate rejects what User's validate rejects, an id that is not a UUID,
// and a user without a login. A missing, null or empty name is allowed:
// CircleCI has users without one.
func (u *checkedUser) validate() error {
	if err := (*User)(u).validate(); err != nil {
		return err
	}
	if !IsUUID(u.ID) {
		return fmt.Errorf(`the user's "id" is not a UUID: %q`, excerpt([]byte(u.ID), 64))
	}
	if u.Login == "" {
		return errors.New(`expected a user with a "login", got none`)
	}
	return nil
}

// MePath is the path of GET /api/v2/me.
const MePath = "/api/v2/me"

// Me returns the token's user (GET /api/v2/me), fetched once per client.
// A project or organization token gets 403 there.
func (c *Client) Me(ctx context.Context) (*User, error) {
	return memoized(ctx, &c.memo, "me", func(ctx context.Context) (*User, error) {
		var u checkedUser
		if err := c.getJSON(ctx, c.cfg.Host, MePath, &u); err != nil {
			return nil, err
		}
		me := User(u)
		return &me, nil
	})
}
