package circleci

import (
	"context"
	"fmt"
	"net/url"
	"strings"
)

// Group is one item of GET /api/v2/organizations/{org_id}/groups.
type Group struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

func (g *Group) validate() error {
	if !IsUUID(g.ID) {
		return fmt.Errorf("a group (name %q) has no UUID id (got %q)", excerpt([]byte(g.Name), 64), excerpt([]byte(g.ID), 64))
	}
	if g.Name == "" {
		return fmt.Errorf("group %s has no name", g.ID)
	}
	return nil
}

// GroupMember is one item of the group members endpoint. Only the fields the
// provider keeps are decoded.
type GroupMember struct {
	UserID   string `json:"user_id"`
	Username string `json:"username"`
	Email    string `json:"email"`
}

func (m *GroupMember) validate() error {
	if !IsUUID(m.UserID) {
		return fmt.Errorf("a group member (username %q) has no UUID user_id (got %q)", excerpt([]byte(m.Username), 64), excerpt([]byte(m.UserID), 64))
	}
	if m.Username == "" {
		return fmt.Errorf("group member %s has no username", m.UserID)
	}
	return nil
}

// GroupsPath is the path of an organization's groups (on the API host).
func GroupsPath(orgID string) string {
	return "/api/v2/organizations/" + url.PathEscape(orgID) + "/groups"
}

// GroupMembersPath is the path of one group's members (on the app host).
// CircleCI does not document it.
func GroupMembersPath(orgID, groupID string) string {
	return "/private/ciam/orgs/" + url.PathEscape(orgID) + "/groups/" + url.PathEscape(groupID) + "/users"
}

func checkUUID(what, id string) error {
	if !IsUUID(id) {
		return fmt.Errorf("%s %q is not a UUID", what, excerpt([]byte(id), 64))
	}
	return nil
}

// Groups returns the groups of an organization (an OAuth organization has
// none: CircleCI answers it with an empty list). Read once per client.
func (c *Client) Groups(ctx context.Context, orgID string) ([]Group, error) {
	if err := checkUUID("organization id", orgID); err != nil {
		return nil, err
	}
	return memoized(ctx, &c.memo, "groups/"+strings.ToLower(orgID), func(ctx context.Context) ([]Group, error) {
		groups, err := listAll(ctx, c, c.cfg.Host, GroupsPath(orgID), listOptions[Group]{})
		return groups, c.withOrgType(ctx, orgID, err)
	})
}

// GroupMembers returns the members of one group, read once per client and
// holding one of the client's request slots while it is read.
func (c *Client) GroupMembers(ctx context.Context, orgID, groupID string) ([]GroupMember, error) {
	if err := checkUUID("organization id", orgID); err != nil {
		return nil, err
	}
	if err := checkUUID("group id", groupID); err != nil {
		return nil, err
	}
	key := "group-members/" + strings.ToLower(orgID) + "/" + strings.ToLower(groupID)
	return memoized(ctx, &c.memo, key, func(ctx context.Context) ([]GroupMember, error) {
		members, err := bounded(ctx, c, func(ctx context.Context) ([]GroupMember, error) {
			return listAll(ctx, c, c.cfg.AppHost, GroupMembersPath(orgID, groupID), listOptions[GroupMember]{})
		})
		return members, c.withOrgType(ctx, orgID, err)
	})
}

// AllGroupMembers returns the members of each group by group id, fanned out
// at most MaxConcurrency at a time.
func (c *Client) AllGroupMembers(ctx context.Context, orgID string, groupIDs []string) (map[string][]GroupMember, error) {
	return fanOut(ctx, groupIDs, func(ctx context.Context, id string) ([]GroupMember, error) {
		return c.GroupMembers(ctx, orgID, id)
	})
}
