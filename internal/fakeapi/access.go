package fakeapi

// Access beyond organization roles: groups and their members, contexts with
// their restrictions and environment variables, projects with their user and
// group grants. Shapes and status codes follow ../shared/CIRCLECI-API.md.

import (
	"net/http"
	"strconv"
	"strings"
)

// Error messages of the access endpoints, as CircleCI sends them.
const (
	MsgNotSupportedForOrg = "Endpoint is not supported for this organization."
	MsgInvalidContextID   = "context_id is invalid."
	MsgInternalError      = "Internal server error."
)

// Paths of the access endpoints.
const (
	PathContexts    = "/api/v2/context"
	PathProjects    = "/api/private/project"
	v2OrgsPrefix    = "/api/v2/organizations/"
	contextPrefix   = "/api/v2/context/"
	envVarPageSize  = 100 // CircleCI's page size for context environment variables
	maxProjectPage  = 50  // larger page-size values answer 500, as CircleCI's do
	zeroTime        = "0001-01-01T00:00:00Z"
	fixedCreatedAt  = "2024-03-01T09:30:00.000Z"
	fixedUpdatedAt  = "2024-05-20T16:45:00.000Z"
	contextOwnerOrg = "organization"
)

// GroupsPath is GET /api/v2/organizations/{orgID}/groups (API host).
func GroupsPath(orgID string) string { return v2OrgsPrefix + orgID + "/groups" }

// GroupMembersPath is GET /private/ciam/orgs/{orgID}/groups/{groupID}/users (app host).
func GroupMembersPath(orgID, groupID string) string {
	return orgsPrefix + orgID + "/groups/" + groupID + "/users"
}

// ContextRestrictionsPath is GET /api/v2/context/{id}/restrictions.
func ContextRestrictionsPath(id string) string { return contextPrefix + id + "/restrictions" }

// ContextEnvVarsPath is GET /api/v2/context/{id}/environment-variable.
func ContextEnvVarsPath(id string) string { return contextPrefix + id + "/environment-variable" }

// ProjectRoleGrantsPath is GET /private/ciam/orgs/{orgID}/projects/{projectID}/role-grants (app host).
func ProjectRoleGrantsPath(orgID, projectID string) string {
	return orgsPrefix + orgID + "/projects/" + projectID + "/role-grants"
}

// ProjectGroupsPath is GET /api/v2/organizations/{orgID}/projects/{projectID}/groups (API host).
func ProjectGroupsPath(orgID, projectID string) string {
	return v2OrgsPrefix + orgID + "/projects/" + projectID + "/groups"
}

// Group is a group of an organization; Members are served by the group
// members endpoint, not by the groups listing.
type Group struct {
	ID          string        `json:"id"`
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Members     []GroupMember `json:"members,omitempty"`
}

// GroupMember is a member of a group as the fixture holds it; the endpoint
// adds avatar_url, group_id and created_at.
type GroupMember struct {
	UserID   string `json:"user_id"`
	Username string `json:"username"`
	Email    string `json:"email"`
}

// Context is a context of an organization with its restrictions and
// environment variables.
type Context struct {
	ID           string        `json:"id"`
	Name         string        `json:"name"`
	CreatedAt    string        `json:"created_at"`
	Restrictions []Restriction `json:"restrictions,omitempty"`
	EnvVars      []EnvVar      `json:"env_vars,omitempty"`
	// IgnorePageToken makes the environment-variable endpoint answer every
	// page with the first one, token included, as CircleCI has been seen to
	// do past 100 names.
	IgnorePageToken bool `json:"ignore_page_token,omitempty"`
}

// Restriction is a context restriction: type project (value a project id),
// expression, or group (value a group id; the organization id is "All
// members").
type Restriction struct {
	ID    string  `json:"id"`
	Type  string  `json:"restriction_type"`
	Value string  `json:"restriction_value"`
	Name  *string `json:"name"`
}

// EnvVar is a context environment variable. TruncatedValue is served as
// CircleCI serves it (the tail of the secret): tests use it as a canary.
type EnvVar struct {
	Variable       string `json:"variable"`
	TruncatedValue string `json:"truncated_value"`
}

// Project is a project of an organization with its role grants.
type Project struct {
	ID          string              `json:"id"`
	Slug        string              `json:"slug"`
	Name        string              `json:"name"`
	UserGrants  []RoleGrant         `json:"user_grants,omitempty"`  // role project-admin | project-contributor | project-viewer
	GroupGrants []ProjectGroupGrant `json:"group_grants,omitempty"` // id is the group's id
}

// ProjectGroupGrant is one item of the project groups endpoint.
type ProjectGroupGrant struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Role string `json:"role"`
}

// orgKind classifies an organization id for the access endpoints.
type orgKind int

const (
	orgUnknown orgKind = iota
	orgStandalone
	orgOAuth
)

func (f *Fixture) orgKind(org string) orgKind {
	if c, ok := f.collaborationByID(org); ok {
		if c.VCSType == "github" || c.VCSType == "bitbucket" {
			return orgOAuth
		}
		return orgStandalone
	}
	if _, ok := f.Members[org]; ok {
		return orgStandalone
	}
	if _, ok := f.Groups[org]; ok {
		return orgStandalone
	}
	return orgUnknown
}

func init() { registerRouter(routeAccess) }

// routeAccess returns the handler for an access endpoint, or nil.
func routeAccess(path string) apiHandler {
	switch path {
	case PathContexts:
		return serveContexts
	case PathProjects:
		return serveProjects
	}
	if rest, ok := strings.CutPrefix(path, v2OrgsPrefix); ok {
		parts := strings.Split(rest, "/")
		switch {
		case len(parts) == 2 && parts[1] == "groups" && parts[0] != "":
			return func(w http.ResponseWriter, _ *http.Request, fx *Fixture) { serveGroups(w, fx, parts[0]) }
		case len(parts) == 4 && parts[1] == "projects" && parts[3] == "groups" && parts[0] != "" && parts[2] != "":
			return func(w http.ResponseWriter, _ *http.Request, fx *Fixture) {
				serveProjectGroups(w, fx, parts[0], parts[2])
			}
		}
	}
	if rest, ok := strings.CutPrefix(path, orgsPrefix); ok {
		parts := strings.Split(rest, "/")
		if len(parts) == 4 && parts[0] != "" && parts[2] != "" {
			switch {
			case parts[1] == "groups" && parts[3] == "users":
				return func(w http.ResponseWriter, _ *http.Request, fx *Fixture) {
					serveGroupMembers(w, fx, parts[0], parts[2])
				}
			case parts[1] == "projects" && parts[3] == "role-grants":
				return func(w http.ResponseWriter, _ *http.Request, fx *Fixture) {
					serveProjectRoleGrants(w, fx, parts[0], parts[2])
				}
			}
		}
	}
	if rest, ok := strings.CutPrefix(path, contextPrefix); ok {
		parts := strings.Split(rest, "/")
		if len(parts) == 2 && parts[0] != "" {
			switch parts[1] {
			case "restrictions":
				return func(w http.ResponseWriter, _ *http.Request, fx *Fixture) { serveRestrictions(w, fx, parts[0]) }
			case "environment-variable":
				return func(w http.ResponseWriter, r *http.Request, fx *Fixture) { serveEnvVars(w, r, fx, parts[0]) }
			}
		}
	}
	return nil
}

type listBody[T any] struct {
	Items         []T     `json:"items"`
	NextPageToken *string `json:"next_page_token"`
}

// pageOf serves items in pages of size, with tokens scoped to scope; a bad
// token answers 400 Invalid page token. ok is false when an error was
// written.
func pageOf[T any](w http.ResponseWriter, r *http.Request, scope string, items []T, size int) (listBody[T], bool) {
	offset := 0
	if tok := r.URL.Query().Get("page-token"); tok != "" {
		off, err := decodePageToken(tok, scope)
		if err != nil || off <= 0 || off >= len(items) {
			writeError(w, http.StatusBadRequest, MsgInvalidPageToken)
			return listBody[T]{}, false
		}
		offset = off
	}
	end := min(offset+size, len(items))
	body := listBody[T]{Items: append([]T{}, items[offset:end]...)}
	if end < len(items) {
		t := PageToken(scope, end)
		body.NextPageToken = &t
	}
	return body, true
}

func serveGroups(w http.ResponseWriter, fx *Fixture, org string) {
	type item struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		Description string `json:"description"`
	}
	switch fx.orgKind(org) {
	case orgUnknown:
		writeError(w, http.StatusForbidden, MsgPermissionDenied)
		return
	case orgOAuth: // CircleCI answers an empty list for OAuth organizations
		writeJSON(w, http.StatusOK, listBody[item]{Items: []item{}})
		return
	}
	items := []item{}
	for _, g := range fx.Groups[org] {
		items = append(items, item{ID: g.ID, Name: g.Name, Description: g.Description})
	}
	writeJSON(w, http.StatusOK, listBody[item]{Items: items}) // never paged: paging parameters are ignored
}

// findByID is the item of items whose id is id.
func findByID[T any](items []T, id string, idOf func(T) string) (T, bool) {
	for _, it := range items {
		if idOf(it) == id {
			return it, true
		}
	}
	var zero T
	return zero, false
}

func (f *Fixture) group(org, id string) (Group, bool) {
	return findByID(f.Groups[org], id, func(g Group) string { return g.ID })
}

func serveGroupMembers(w http.ResponseWriter, fx *Fixture, org, groupID string) {
	type item struct {
		UserID    string  `json:"user_id"`
		Username  string  `json:"username"`
		Email     string  `json:"email"`
		AvatarURL *string `json:"avatar_url"`
		GroupID   string  `json:"group_id"`
		CreatedAt string  `json:"created_at"`
	}
	switch fx.orgKind(org) {
	case orgUnknown:
		writeError(w, http.StatusForbidden, MsgPermissionDenied)
		return
	case orgOAuth:
		writeError(w, http.StatusBadRequest, MsgNotSupportedForOrg)
		return
	}
	g, ok := fx.group(org, groupID)
	if !ok {
		writeError(w, http.StatusNotFound, MsgNotFound)
		return
	}
	items := []item{}
	for _, m := range g.Members {
		items = append(items, item{UserID: m.UserID, Username: m.Username, Email: m.Email, GroupID: g.ID, CreatedAt: zeroTime})
	}
	writeJSON(w, http.StatusOK, listBody[item]{Items: items})
}

func serveContexts(w http.ResponseWriter, r *http.Request, fx *Fixture) {
	type item struct {
		ID        string `json:"id"`
		Name      string `json:"name"`
		CreatedAt string `json:"created_at"`
	}
	q := r.URL.Query()
	org := q.Get("owner-id")
	if org == "" || (q.Has("owner-type") && q.Get("owner-type") != contextOwnerOrg) {
		writeError(w, http.StatusBadRequest, "owner-id is required.")
		return
	}
	if fx.orgKind(org) == orgUnknown {
		writeError(w, http.StatusForbidden, MsgPermissionDenied)
		return
	}
	items := []item{}
	for _, c := range fx.Contexts[org] {
		items = append(items, item{ID: c.ID, Name: c.Name, CreatedAt: orDefault(c.CreatedAt, fixedCreatedAt)})
	}
	body, ok := pageOf(w, r, "contexts:"+org, items, fx.pageSize())
	if ok {
		writeJSON(w, http.StatusOK, body)
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// contextByID finds a context of any organization; ok is false for an
// unknown one (CircleCI answers 403, not 404).
func (f *Fixture) contextByID(id string) (Context, bool) {
	for _, cs := range f.Contexts {
		for _, c := range cs {
			if c.ID == id {
				return c, true
			}
		}
	}
	return Context{}, false
}

func lookupContext(w http.ResponseWriter, fx *Fixture, id string) (Context, bool) {
	if !isUUID(id) {
		writeError(w, http.StatusBadRequest, MsgInvalidContextID)
		return Context{}, false
	}
	c, ok := fx.contextByID(id)
	if !ok {
		writeError(w, http.StatusForbidden, MsgPermissionDenied)
	}
	return c, ok
}

func serveRestrictions(w http.ResponseWriter, fx *Fixture, id string) {
	type item struct {
		ID        string  `json:"id"`
		ContextID string  `json:"context_id"`
		ProjectID *string `json:"project_id,omitempty"`
		Name      *string `json:"name"`
		Type      string  `json:"restriction_type"`
		Value     string  `json:"restriction_value"`
	}
	c, ok := lookupContext(w, fx, id)
	if !ok {
		return
	}
	items := []item{}
	for _, rs := range c.Restrictions {
		it := item{ID: rs.ID, ContextID: c.ID, Name: rs.Name, Type: rs.Type, Value: rs.Value}
		if rs.Type == "project" {
			v := rs.Value
			it.ProjectID = &v
		}
		items = append(items, it)
	}
	writeJSON(w, http.StatusOK, listBody[item]{Items: items}) // one response
}

func serveEnvVars(w http.ResponseWriter, r *http.Request, fx *Fixture, id string) {
	type item struct {
		Variable       string `json:"variable"`
		ContextID      string `json:"context_id"`
		TruncatedValue string `json:"truncated_value"`
		CreatedAt      string `json:"created_at"`
		UpdatedAt      string `json:"updated_at"`
	}
	c, ok := lookupContext(w, fx, id)
	if !ok {
		return
	}
	items := make([]item, len(c.EnvVars))
	for i, v := range c.EnvVars {
		items[i] = item{Variable: v.Variable, ContextID: c.ID, TruncatedValue: v.TruncatedValue, CreatedAt: fixedCreatedAt, UpdatedAt: fixedUpdatedAt}
	}
	if c.IgnorePageToken {
		q := r.URL.Query()
		q.Del("page-token")
		r = r.Clone(r.Context())
		r.URL.RawQuery = q.Encode()
	}
	body, ok := pageOf(w, r, "env:"+c.ID, items, envVarPageSize)
	if ok {
		writeJSON(w, http.StatusOK, body)
	}
}

func serveProjects(w http.ResponseWriter, r *http.Request, fx *Fixture) {
	type item struct {
		ID   string `json:"id"`
		Slug string `json:"slug"`
		Name string `json:"name"`
	}
	q := r.URL.Query()
	org := q.Get("organization-id")
	if org == "" {
		writeError(w, http.StatusBadRequest, "organization-id is required.")
		return
	}
	size := maxProjectPage
	if s := q.Get("page-size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			writeError(w, http.StatusBadRequest, "page-size is invalid.")
			return
		}
		if n > maxProjectPage {
			writeError(w, http.StatusInternalServerError, MsgInternalError)
			return
		}
		size = n
	}
	if fx.orgKind(org) == orgUnknown {
		writeError(w, http.StatusForbidden, MsgPermissionDenied)
		return
	}
	items := []item{}
	for _, p := range fx.Projects[org] {
		items = append(items, item{ID: p.ID, Slug: p.Slug, Name: p.Name})
	}
	body, ok := pageOf(w, r, "projects:"+org, items, min(size, fx.pageSize()))
	if !ok {
		return
	}
	if body.NextPageToken == nil { // this endpoint ends with "", not null
		empty := ""
		body.NextPageToken = &empty
	}
	writeJSON(w, http.StatusOK, body)
}

// lookupProject finds a project of a standalone organization. An OAuth
// organization answers oauthStatus with oauthMsg; an unknown organization or
// project 403 (never 404).
func lookupProject(w http.ResponseWriter, fx *Fixture, org, projectID string, oauthStatus int, oauthMsg string) (Project, bool) {
	kind := fx.orgKind(org)
	if kind == orgOAuth {
		writeError(w, oauthStatus, oauthMsg)
		return Project{}, false
	}
	p, ok := findByID(fx.Projects[org], projectID, func(p Project) string { return p.ID })
	if kind == orgUnknown || !ok {
		writeError(w, http.StatusForbidden, MsgPermissionDenied)
		return Project{}, false
	}
	return p, true
}

func serveProjectRoleGrants(w http.ResponseWriter, fx *Fixture, org, projectID string) {
	// An OAuth organization: 403, like the organization's role grants.
	p, ok := lookupProject(w, fx, org, projectID, http.StatusForbidden, MsgPermissionDenied)
	if !ok {
		return
	}
	items := append([]RoleGrant{}, p.UserGrants...)
	writeJSON(w, http.StatusOK, listBody[RoleGrant]{Items: items})
}

func serveProjectGroups(w http.ResponseWriter, fx *Fixture, org, projectID string) {
	p, ok := lookupProject(w, fx, org, projectID, http.StatusBadRequest, MsgNotSupportedForOrg)
	if !ok {
		return
	}
	type body struct {
		Items []ProjectGroupGrant `json:"items"`
	}
	writeJSON(w, http.StatusOK, body{Items: append([]ProjectGroupGrant{}, p.GroupGrants...)}) // never paged
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
				return false
			}
		}
	}
	return true
}

// cloneAccess deep-copies the access data of f into c.
func cloneAccess(c, f *Fixture) {
	c.Groups = cloneMap(f.Groups, func(g Group) Group {
		g.Members = cloneSlice(g.Members)
		return g
	})
	c.Contexts = cloneMap(f.Contexts, func(x Context) Context {
		x.Restrictions = cloneSlice(x.Restrictions)
		for i, r := range x.Restrictions {
			if r.Name != nil {
				n := *r.Name
				x.Restrictions[i].Name = &n
			}
		}
		x.EnvVars = cloneSlice(x.EnvVars)
		return x
	})
	c.Projects = cloneMap(f.Projects, func(p Project) Project {
		p.UserGrants = cloneSlice(p.UserGrants)
		p.GroupGrants = cloneSlice(p.GroupGrants)
		return p
	})
}

func cloneSlice[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append([]T{}, s...)
}

func cloneMap[T any](m map[string][]T, each func(T) T) map[string][]T {
	if m == nil {
		return nil
	}
	out := make(map[string][]T, len(m))
	for k, v := range m {
		if v == nil {
			out[k] = nil
			continue
		}
		cp := make([]T, len(v))
		for i, x := range v {
			cp[i] = each(x)
		}
		out[k] = cp
	}
	return out
}
