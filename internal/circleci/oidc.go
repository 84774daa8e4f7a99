package circleci

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
)

// OIDCClaims are the custom claims of an organization's or a project's
// OIDC tokens (GET /api/v2/org/{org_id}/oidc-custom-claims and
// …/project/{project_id}/oidc-custom-claims, documented). CircleCI answers
// 200 with only the ids when nothing is customised: then Audience is nil
// and TTL "".
type OIDCClaims struct {
	Audience []string // nil: not customised; otherwise in CircleCI's order
	TTL      string   // "": not customised
}

type oidcClaimsBody struct {
	OrgID     *string    `json:"org_id"`
	ProjectID *string    `json:"project_id"`
	Audience  *[]*string `json:"audience"`
	TTL       *string    `json:"ttl"`
	project   string     // the project asked for; "" for an organization's claims
}

func (b *oidcClaimsBody) validate() error {
	if b.OrgID == nil || !IsUUID(*b.OrgID) {
		return errors.New(`the answer has no "org_id" that is a UUID`)
	}
	// Only org_id is required (CircleCI's ClaimResponse); a project_id, when
	// given, must be the project asked for.
	if b.ProjectID != nil && (!IsUUID(*b.ProjectID) || (b.project != "" && !strings.EqualFold(*b.ProjectID, b.project))) {
		return errors.New(`the answer's "project_id" is not the project asked for`)
	}
	if b.Audience != nil && slices.Contains(*b.Audience, nil) {
		return errors.New(`"audience" holds a null`)
	}
	return nil
}

func (b *oidcClaimsBody) claims() *OIDCClaims {
	out := &OIDCClaims{}
	if b.Audience != nil && *b.Audience != nil {
		out.Audience = make([]string, len(*b.Audience))
		for i, a := range *b.Audience {
			out.Audience[i] = *a
		}
	}
	if b.TTL != nil {
		out.TTL = *b.TTL
	}
	return out
}

// OrgOIDCClaimsPath is the path of an organization's OIDC custom claims.
func OrgOIDCClaimsPath(orgID string) string {
	return "/api/v2/org/" + url.PathEscape(orgID) + "/oidc-custom-claims"
}

// ProjectOIDCClaimsPath is the path of a project's OIDC custom claims.
func ProjectOIDCClaimsPath(orgID, projectID string) string {
	return "/api/v2/org/" + url.PathEscape(orgID) + "/project/" + url.PathEscape(projectID) + "/oidc-custom-claims"
}

// OrgOIDCClaims returns an organization's OIDC custom claims, read once per
// client.
func (c *Client) OrgOIDCClaims(ctx context.Context, orgID string) (*OIDCClaims, error) {
	if err := checkUUID("organization id", orgID); err != nil {
		return nil, err
	}
	return memoized(ctx, &c.memo, "org-oidc/"+strings.ToLower(orgID), func(ctx context.Context) (*OIDCClaims, error) {
		return c.oidcClaims(ctx, OrgOIDCClaimsPath(orgID), "")
	})
}

// ProjectOIDCClaims returns a project's OIDC custom claims (which override
// the organization's), read once per client under a request slot.
func (c *Client) ProjectOIDCClaims(ctx context.Context, orgID, projectID string) (*OIDCClaims, error) {
	if err := checkProject(orgID, projectID); err != nil {
		return nil, err
	}
	key := "project-oidc/" + strings.ToLower(orgID) + "/" + strings.ToLower(projectID)
	return memoized(ctx, &c.memo, key, func(ctx context.Context) (*OIDCClaims, error) {
		return bounded(ctx, c, func(ctx context.Context) (*OIDCClaims, error) {
			return c.oidcClaims(ctx, ProjectOIDCClaimsPath(orgID, projectID), projectID)
		})
	})
}

func (c *Client) oidcClaims(ctx context.Context, path, project string) (*OIDCClaims, error) {
	b := oidcClaimsBody{project: project}
	if err := c.getJSON(ctx, c.cfg.Host, path, &b); err != nil {
		return nil, err
	}
	return b.claims(), nil
}
