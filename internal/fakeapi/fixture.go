// Package fakeapi is a fake of the parts of the CircleCI API that the provider
// reads: /api/v2/me, /api/v2/me/collaborations, /api/v2/user/{id},
// /api/v2/organization/{org-slug-or-id}, the web app's private
// /private/ciam/orgs/{org_id}/role-grants endpoint, and the access endpoints
// of access.go (groups, contexts, projects and their grants).
//
// It reproduces the real wire shapes and quirks described in
// ../shared/CIRCLECI-API.md (hyphenated "vcs-type", null collaboration ids,
// snake_case "user_id", page tokens that must be URL-encoded, {"message": ...}
// error bodies) and can inject faults (status codes, headers, delays,
// connection resets, endless bodies) for client tests.
//
// The fake never logs or stores the value of the Circle-Token header.
package fakeapi

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
)

// User is the body of GET /api/v2/me and GET /api/v2/user/{id}.
type User struct {
	ID        string  `json:"id"`
	Login     string  `json:"login"`
	Name      string  `json:"name"`
	AvatarURL *string `json:"avatar_url"` // may be null
}

// Collaboration is one element of GET /api/v2/me/collaborations.
type Collaboration struct {
	ID        *string `json:"id"`       // null for accounts never set up on CircleCI
	VCSType   string  `json:"vcs-type"` // hyphen, as the real API spells it
	Name      string  `json:"name"`
	AvatarURL string  `json:"avatar_url"`
	Slug      string  `json:"slug"`
}

// RoleGrant is one item of GET /private/ciam/orgs/{org_id}/role-grants.
type RoleGrant struct {
	UserID   string `json:"user_id"` // snake_case
	Username string `json:"username"`
	Email    string `json:"email"` // often ""
	Role     string `json:"role"`  // org-admin | org-contributor | org-viewer | anything else
}

// Fixture is the data the fake serves. It can be loaded from a JSON file with
// the same field names (see testdata/demo.json).
type Fixture struct {
	Token          string                 `json:"token"` // the only accepted Circle-Token
	Me             User                   `json:"me"`
	Users          []User                 `json:"users"` // served by /api/v2/user/{id} (Me is also served there)
	Collaborations []Collaboration        `json:"collaborations"`
	Members        map[string][]RoleGrant `json:"members"`   // organization id -> role grants, in API order
	PageSize       int                    `json:"page_size"` // role-grant items per page; 0 means 10

	// Access beyond organization roles (access.go), by organization id.
	Groups   map[string][]Group   `json:"groups,omitempty"`
	Contexts map[string][]Context `json:"contexts,omitempty"` // paged like role grants (PageSize)
	Projects map[string][]Project `json:"projects,omitempty"` // pages of min(page-size, PageSize)

	// What projects hold and what starts their pipelines (credentials.go,
	// triggers.go), by project id.
	ProjectCredentials map[string]ProjectCredentials `json:"project_credentials,omitempty"`
	ProjectTriggers    map[string]ProjectTriggers    `json:"project_triggers,omitempty"`
	// OrgSettings are the toggles of GET /api/v3/orgs/{org_id}/settings by
	// organization id; an organization without an entry that the fake knows
	// has DefaultOrgSettings (settings.go).
	OrgSettings map[string]map[string]bool `json:"org_settings,omitempty"`

	// Organization and project settings (posture_routes.go): project
	// settings, project OIDC claims and webhooks by project id; OIDC
	// claims, audit-log streams and SSO enforcement by organization id.
	ProjectSettings map[string]ProjectSettings  `json:"project_settings,omitempty"`
	OrgOIDC         map[string]OIDCClaims       `json:"org_oidc,omitempty"`
	ProjectOIDC     map[string]OIDCClaims       `json:"project_oidc,omitempty"`
	Webhooks        map[string][]Webhook        `json:"webhooks,omitempty"`
	AuditLogConfigs map[string][]AuditLogConfig `json:"audit_log_configs,omitempty"`
	SSOEnforced     map[string]bool             `json:"sso_enforced,omitempty"`

	// MeForbidden makes GET /api/v2/me answer 403, as CircleCI does for a
	// project or organization token. GET /api/v2/organization/{slug-or-id}
	// serves the collaborations that have an id.
	MeForbidden bool `json:"me_forbidden,omitempty"`
}

// DefaultPageSize is the number of role grants per page when
// Fixture.PageSize is 0.
const DefaultPageSize = 10

//go:embed testdata/demo.json
var demoJSON []byte

// DemoFixture returns a fresh copy of the embedded testdata/demo.json.
func DemoFixture() *Fixture {
	f, err := parseFixture(demoJSON)
	if err != nil {
		panic("fakeapi: embedded demo fixture is invalid: " + err.Error())
	}
	return f
}

// LoadFixture reads a fixture from a JSON file. Unknown fields are rejected
// so that a misspelt key (e.g. "vcs_type") does not silently load as empty.
func LoadFixture(path string) (*Fixture, error) {
	data, err := os.ReadFile(path) //nolint:gosec // G304: reading the file the caller names is the point
	if err != nil {
		return nil, fmt.Errorf("fakeapi: reading fixture: %w", err)
	}
	f, err := parseFixture(data)
	if err != nil {
		return nil, fmt.Errorf("fakeapi: fixture %s: %w", path, err)
	}
	return f, nil
}

func parseFixture(data []byte) (*Fixture, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f Fixture
	if err := dec.Decode(&f); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("trailing data after the fixture object")
	}
	if err := f.validate(); err != nil {
		return nil, err
	}
	return &f, nil
}

func (f *Fixture) validate() error {
	if f.Token == "" {
		return errors.New(`"token" must not be empty`)
	}
	if f.PageSize < 0 {
		return errors.New(`"page_size" must not be negative`)
	}
	return nil
}

// Clone returns a deep copy of f.
func (f *Fixture) Clone() *Fixture {
	if f == nil {
		return nil
	}
	c := *f
	c.Me = cloneUser(f.Me)
	if f.Users != nil {
		c.Users = make([]User, len(f.Users))
		for i, u := range f.Users {
			c.Users[i] = cloneUser(u)
		}
	}
	if f.Collaborations != nil {
		c.Collaborations = make([]Collaboration, len(f.Collaborations))
		for i, col := range f.Collaborations {
			if col.ID != nil {
				id := *col.ID
				col.ID = &id
			}
			c.Collaborations[i] = col
		}
	}
	if f.Members != nil {
		c.Members = make(map[string][]RoleGrant, len(f.Members))
		for k, v := range f.Members {
			if v == nil {
				c.Members[k] = nil
				continue
			}
			c.Members[k] = append([]RoleGrant{}, v...)
		}
	}
	cloneAccess(&c, f)
	cloneCredentials(&c, f)
	if f.OrgSettings != nil {
		c.OrgSettings = make(map[string]map[string]bool, len(f.OrgSettings))
		for k, v := range f.OrgSettings {
			c.OrgSettings[k] = maps.Clone(v)
		}
	}
	clonePosture(&c, f)
	return &c
}

func cloneUser(u User) User {
	if u.AvatarURL != nil {
		a := *u.AvatarURL
		u.AvatarURL = &a
	}
	return u
}

func (f *Fixture) pageSize() int {
	if f.PageSize <= 0 {
		return DefaultPageSize
	}
	return f.PageSize
}

// DeleteUser removes the user id from Users, as when the account is
// deleted: GET /api/v2/user/{id} answers 404 while grants may still name it.
func (f *Fixture) DeleteUser(id string) {
	f.Users = slices.DeleteFunc(f.Users, func(u User) bool { return u.ID == id })
}

func (f *Fixture) user(id string) (User, bool) {
	if f.Me.ID != "" && f.Me.ID == id {
		return f.Me, true
	}
	for _, u := range f.Users {
		if u.ID == id {
			return u, true
		}
	}
	return User{}, false
}

// collaborationByID returns the collaboration whose (non-null) id is id.
func (f *Fixture) collaborationByID(id string) (Collaboration, bool) {
	for _, c := range f.Collaborations {
		if c.ID != nil && *c.ID == id {
			return c, true
		}
	}
	return Collaboration{}, false
}
