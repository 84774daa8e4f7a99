package circleci

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// ProjectsPageSize is the page size asked of the projects listing: larger
// sizes have answered HTTP 500.
const ProjectsPageSize = 50

// ProjectsPath is the path of the (undocumented) projects listing, on the
// API host; the organization is in the query.
const ProjectsPath = "/api/private/project"

// Project is one item of the projects listing.
type Project struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

func (p *Project) validate() error {
	if !IsUUID(p.ID) {
		return fmt.Errorf("a project (slug %q) has no UUID id (got %q)", excerpt([]byte(p.Slug), 64), excerpt([]byte(p.ID), 64))
	}
	if p.Slug == "" {
		return fmt.Errorf("project %s has no slug", p.ID)
	}
	return nil
}

// ProjectGroupGrant is one item of a project's group grants: the group's id
// and name, and its role on the project.
type ProjectGroupGrant struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Role string `json:"role"`
}

func (g *ProjectGroupGrant) validate() error {
	if !IsUUID(g.ID) {
		return fmt.Errorf("a project group grant (name %q) has no UUID id (got %q)", excerpt([]byte(g.Name), 64), excerpt([]byte(g.ID), 64))
	}
	if g.Role == "" {
		return fmt.Errorf("the project grant of group %s has no role", g.ID)
	}
	return nil
}

// ProjectRoleGrantsPath is the path of a project's user grants (app host,
// undocumented).
func ProjectRoleGrantsPath(orgID, projectID string) string {
	return "/private/ciam/orgs/" + url.PathEscape(orgID) + "/projects/" + url.PathEscape(projectID) + "/role-grants"
}

// ProjectGroupsPath is the path of a project's group grants (API host,
// undocumented).
func ProjectGroupsPath(orgID, projectID string) string {
	return "/api/v2/organizations/" + url.PathEscape(orgID) + "/projects/" + url.PathEscape(projectID) + "/groups"
}

// Projects returns the projects of an organization, in pages of
// ProjectsPageSize, read once per client.
func (c *Client) Projects(ctx context.Context, orgID string) ([]Project, error) {
	if err := checkUUID("organization id", orgID); err != nil {
		return nil, err
	}
	return memoized(ctx, &c.memo, "projects/"+strings.ToLower(orgID), func(ctx context.Context) ([]Project, error) {
		q := url.Values{"organization-id": {orgID}, "page-size": {strconv.Itoa(ProjectsPageSize)}}
		projects, err := listAll(ctx, c, c.cfg.Host, ProjectsPath, listOptions[Project]{query: q})
		return projects, c.withOrgType(ctx, orgID, err)
	})
}

// ProjectRoleGrants returns the direct user grants on one project, read once
// per client under a request slot.
func (c *Client) ProjectRoleGrants(ctx context.Context, orgID, projectID string) ([]RoleGrant, error) {
	if err := checkProject(orgID, projectID); err != nil {
		return nil, err
	}
	key := "project-grants/" + strings.ToLower(orgID) + "/" + strings.ToLower(projectID)
	return memoized(ctx, &c.memo, key, func(ctx context.Context) ([]RoleGrant, error) {
		grants, err := bounded(ctx, c, func(ctx context.Context) ([]RoleGrant, error) {
			return listAll(ctx, c, c.cfg.AppHost, ProjectRoleGrantsPath(orgID, projectID), listOptions[RoleGrant]{})
		})
		return grants, c.withOrgType(ctx, orgID, err)
	})
}

// ProjectGroupGrants returns the group grants on one project, read once per
// client under a request slot.
func (c *Client) ProjectGroupGrants(ctx context.Context, orgID, projectID string) ([]ProjectGroupGrant, error) {
	if err := checkProject(orgID, projectID); err != nil {
		return nil, err
	}
	key := "project-groups/" + strings.ToLower(orgID) + "/" + strings.ToLower(projectID)
	return memoized(ctx, &c.memo, key, func(ctx context.Context) ([]ProjectGroupGrant, error) {
		grants, err := bounded(ctx, c, func(ctx context.Context) ([]ProjectGroupGrant, error) {
			return listAll(ctx, c, c.cfg.Host, ProjectGroupsPath(orgID, projectID), listOptions[ProjectGroupGrant]{})
		})
		return grants, c.withOrgType(ctx, orgID, err)
	})
}

func checkProject(orgID, projectID string) error {
	if err := checkUUID("organization id", orgID); err != nil {
		return err
	}
	return checkUUID("project id", projectID)
}

// ProjectGrants are the user and group grants on one project.
type ProjectGrants struct {
	Users  []RoleGrant
	Groups []ProjectGroupGrant
}

// AllProjectGrants reads the user and group grants of each project by id:
// two requests per project, at most MaxConcurrency in flight.
func (c *Client) AllProjectGrants(ctx context.Context, orgID string, projectIDs []string) (map[string]ProjectGrants, error) {
	type key struct {
		id     string
		groups bool
	}
	keys := make([]key, 0, 2*len(projectIDs))
	for _, id := range projectIDs {
		keys = append(keys, key{id, false}, key{id, true})
	}
	type grants struct {
		users  []RoleGrant
		groups []ProjectGroupGrant
	}
	got, err := fanOut(ctx, keys, func(ctx context.Context, k key) (grants, error) {
		if k.groups {
			g, err := c.ProjectGroupGrants(ctx, orgID, k.id)
			return grants{groups: g}, err
		}
		u, err := c.ProjectRoleGrants(ctx, orgID, k.id)
		return grants{users: u}, err
	})
	if err != nil {
		return nil, err
	}
	out := make(map[string]ProjectGrants, len(projectIDs))
	for _, id := range projectIDs {
		out[id] = ProjectGrants{Users: got[key{id, false}].users, Groups: got[key{id, true}].groups}
	}
	return out, nil
}
