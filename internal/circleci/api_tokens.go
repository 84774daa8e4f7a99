package circleci

import (
	"context"
	"fmt"
)

// ProjectAPIToken is one item of GET /api/v1.1/project/{slug}/token (v1.1,
// undocumented; a bare array). The token itself is never decoded: CircleCI
// returns it only when it is created, and it would never be kept if it
// came back.
type ProjectAPIToken struct {
	ID    string
	Label string
	Scope string // status | view-builds | all | a scope CircleCI adds later
}

// UnmarshalJSON decodes id, label and scope, and nothing else.
func (t *ProjectAPIToken) UnmarshalJSON(b []byte) error {
	var w struct {
		ID    string  `json:"id"`
		Label *string `json:"label"`
		Scope string  `json:"scope"`
	}
	if err := decodeObject(b, &w); err != nil {
		return err
	}
	*t = ProjectAPIToken{ID: w.ID, Scope: w.Scope}
	if w.Label != nil {
		t.Label = *w.Label
	}
	return nil
}

func (t *ProjectAPIToken) validate() error {
	if t.ID == "" {
		return fmt.Errorf("a project API token (label %q) has no id", excerpt([]byte(t.Label), 64))
	}
	if t.Scope == "" {
		return fmt.Errorf("project API token %s has no scope", excerpt([]byte(t.ID), 64))
	}
	return nil
}

// ProjectAPITokensPath is the path of a project's API tokens (v1.1,
// undocumented).
func ProjectAPITokensPath(slug string) (string, error) {
	return projectSlugPath("/api/v1.1/project/", slug, "/token")
}

// ProjectAPITokens returns a project's API tokens (id, label, scope; never
// the token), read once per client under a request slot. A body the
// provider cannot read is an error without an excerpt of it.
func (c *Client) ProjectAPITokens(ctx context.Context, slug string) (ProjectListing[ProjectAPIToken], error) {
	path, err := ProjectAPITokensPath(slug)
	if err != nil {
		return ProjectListing[ProjectAPIToken]{}, err
	}
	return projectFetch(ctx, c, projectSlugKey("project-tokens", slug), func(ctx context.Context) ([]ProjectAPIToken, error) {
		var out []ProjectAPIToken
		if err := c.getJSON(ctx, c.cfg.Host, path, &out); err != nil {
			return nil, withoutBodyExcerpt(err)
		}
		if out == nil {
			out = []ProjectAPIToken{}
		}
		return out, nil
	})
}
