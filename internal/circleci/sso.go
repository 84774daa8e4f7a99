package circleci

import (
	"context"
	"errors"
	"net/url"
	"strings"
)

// SSOEnforcedPath is the path, on the app host, of an organization's SSO
// enforcement (undocumented: CircleCI's web app uses it).
func SSOEnforcedPath(orgID string) string {
	return "/private/ciam/orgs/" + url.PathEscape(orgID) + "/sso/enforced"
}

type ssoEnforcedBody struct {
	Enforced *bool `json:"enforced"`
}

func (b *ssoEnforcedBody) validate() error {
	if b.Enforced == nil {
		return errors.New(`the answer has no boolean "enforced"`)
	}
	return nil
}

// SSOEnforced reports whether an organization enforces SAML single sign-on,
// from the app host's undocumented endpoint, read once per client.
func (c *Client) SSOEnforced(ctx context.Context, orgID string) (bool, error) {
	if err := checkUUID("organization id", orgID); err != nil {
		return false, err
	}
	return memoized(ctx, &c.memo, "sso-enforced/"+strings.ToLower(orgID), func(ctx context.Context) (bool, error) {
		var b ssoEnforcedBody
		if err := c.getJSON(ctx, c.cfg.AppHost, SSOEnforcedPath(orgID), &b); err != nil {
			return false, err
		}
		return *b.Enforced, nil
	})
}
