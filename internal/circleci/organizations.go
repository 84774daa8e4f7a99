package circleci

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

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

// Collaboration is one entry of GET /api/v2/me/collaborations: an
// organization or account the token's user belongs to.
type Collaboration struct {
	ID        *string // nil for an account never set up on CircleCI
	VCSType   string
	Name      string
	AvatarURL string
	Slug      string
}

// UnmarshalJSON accepts the key as CircleCI spells it, "vcs-type", and the
// "vcs_type" some clients and proxies use.
// A null entry is an error, not an organization without a name.
func (c *Collaboration) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return &itemError{reason: "an entry of the list is null, expected an object"}
	}
	var w struct {
		ID        *string `json:"id"`
		VCSHyphen *string `json:"vcs-type"`
		VCSSnake  *string `json:"vcs_type"`
		Name      string  `json:"name"`
		AvatarURL *string `json:"avatar_url"`
		Slug      string  `json:"slug"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*c = Collaboration{ID: w.ID, Name: w.Name, Slug: w.Slug}
	if w.VCSHyphen != nil {
		c.VCSType = *w.VCSHyphen
	} else if w.VCSSnake != nil {
		c.VCSType = *w.VCSSnake
	}
	if w.AvatarURL != nil {
		c.AvatarURL = *w.AvatarURL
	}
	return nil
}
