package circleci

import (
	"context"
	"fmt"
	"net/url"
	"strings"
)

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

// RoleGrant is one entry of the organization role-grants listing.
type RoleGrant struct {
	UserID   string `json:"user_id"`
	Username string `json:"username"`
	Email    string `json:"email"`
	Role     string `json:"role"`
}

// validate checks a grant as CircleCI documents it: a user_id that is a
// UUID (an empty one would make members indistinguishable, and a client
// that decoded the wrong key, "userId", would otherwise pass silently), a
// username and a role. It runs after decoding, so each item is decoded once.
func (g *RoleGrant) validate() error {
	who := func() string { return fmt.Sprintf("a role grant (username %q)", excerpt([]byte(g.Username), 64)) }
	switch {
	case g.UserID == "":
		return fmt.Errorf("%s has no user_id", who())
	case !IsUUID(g.UserID):
		return fmt.Errorf("%s has a user_id that is not a UUID: %q", who(), excerpt([]byte(g.UserID), 64))
	case g.Username == "":
		return fmt.Errorf("a role grant (user_id %s) has no username", g.UserID)
	case g.Role == "":
		return fmt.Errorf("a role grant (user_id %s) has no role", g.UserID)
	}
	return nil
}
