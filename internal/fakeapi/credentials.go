package fakeapi

// Project credentials: a project's environment variables, checkout keys and
// (v1.1, undocumented) API tokens, addressed by the project's slug, each
// segment escaped on its own. Shapes follow ../shared/CIRCLECI-API-POSTURE.md
// §4, §5 and §9, in the snake_case spelling live answers have been seen in.

import (
	"net/http"
	"strings"
)

// Error messages of the project endpoints, as CircleCI sends them.
const (
	MsgNotSupportedForProject = "This API is not supported for this project."
	v11ProjectPrefix          = "/api/v1.1/project/"
	standaloneSlugPrefix      = "circleci/"
)

// ProjectEnvVarsPath is GET /api/v2/project/{slug}/envvar (slug unescaped,
// as the fake sees the path).
func ProjectEnvVarsPath(slug string) string { return projectSlugPrefix + slug + "/envvar" }

// CheckoutKeysPath is GET /api/v2/project/{slug}/checkout-key.
func CheckoutKeysPath(slug string) string { return projectSlugPrefix + slug + "/checkout-key" }

// ProjectAPITokensPath is GET /api/v1.1/project/{slug}/token.
func ProjectAPITokensPath(slug string) string { return v11ProjectPrefix + slug + "/token" }

// ProjectCredentials are the credentials a project holds, served by the
// endpoints above.
type ProjectCredentials struct {
	EnvVars      []ProjectEnvVar   `json:"env_vars,omitempty"`
	CheckoutKeys []CheckoutKey     `json:"checkout_keys,omitempty"`
	APITokens    []ProjectAPIToken `json:"api_tokens,omitempty"`
}

// ProjectEnvVar is a project environment variable. MaskedValue is served as
// its "value", as CircleCI serves it ("xxxx" and the secret's last four
// characters): tests use it as a canary. CreatedAt nil is served as null
// (CircleCI's older variables have none); CreatedAtKebab serves the time
// under "created-at" instead, as CircleCI's OpenAPI description spells it.
type ProjectEnvVar struct {
	Name           string  `json:"name"`
	MaskedValue    string  `json:"masked_value"`
	CreatedAt      *string `json:"created_at,omitempty"`
	CreatedAtKebab bool    `json:"created_at_kebab,omitempty"`
}

// CheckoutKey is a project's deploy or user key.
type CheckoutKey struct {
	Type        string `json:"type"` // deploy-key | github-user-key | bitbucket-user-key
	Fingerprint string `json:"fingerprint"`
	Preferred   bool   `json:"preferred"`
	PublicKey   string `json:"public_key"`
	CreatedAt   string `json:"created_at"`
}

// ProjectAPIToken is a project API token. Token, when set, is served as the
// item's "token" (CircleCI returns null there): tests use it as a canary.
type ProjectAPIToken struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Scope string `json:"scope"` // status | view-builds | all
	Token string `json:"token,omitempty"`
}

func init() { registerRouter(routeProjectSlug) }

// routeProjectSlug returns the handler of a project endpoint addressed by
// slug (/api/v2/project/{vcs}/{org}/{repo}/… or /api/v1.1/project/…), or nil.
func routeProjectSlug(path string) apiHandler {
	if rest, ok := strings.CutPrefix(path, v11ProjectPrefix); ok {
		parts := strings.Split(rest, "/")
		if len(parts) == 4 && parts[3] == "token" && nonEmpty(parts[:3]) {
			slug := strings.Join(parts[:3], "/")
			return func(w http.ResponseWriter, _ *http.Request, fx *Fixture) { serveProjectAPITokens(w, fx, slug) }
		}
		return nil
	}
	rest, ok := strings.CutPrefix(path, projectSlugPrefix)
	if !ok {
		return nil
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 4 || !nonEmpty(parts[:3]) {
		return nil
	}
	slug := strings.Join(parts[:3], "/")
	switch parts[3] {
	case "envvar":
		return func(w http.ResponseWriter, r *http.Request, fx *Fixture) { serveProjectEnvVars(w, r, fx, slug) }
	case "checkout-key":
		return func(w http.ResponseWriter, r *http.Request, fx *Fixture) { serveCheckoutKeys(w, r, fx, slug) }
	case "schedule":
		return func(w http.ResponseWriter, r *http.Request, fx *Fixture) { serveSchedules(w, r, fx, slug) }
	}
	return nil
}

func nonEmpty(ss []string) bool {
	for _, s := range ss {
		if s == "" {
			return false
		}
	}
	return true
}

// lookupSlug finds the project of slug, or answers 404 Project not found.
func lookupSlug(w http.ResponseWriter, fx *Fixture, slug string) (Project, bool) {
	p, _, ok := fx.projectBySlug(slug)
	if !ok {
		writeError(w, http.StatusNotFound, MsgProjectNotFound)
	}
	return p, ok
}

func serveProjectEnvVars(w http.ResponseWriter, r *http.Request, fx *Fixture, slug string) {
	p, ok := lookupSlug(w, fx, slug)
	if !ok {
		return
	}
	items := []map[string]any{}
	for _, v := range fx.ProjectCredentials[p.ID].EnvVars {
		it := map[string]any{"name": v.Name, "value": v.MaskedValue}
		key := "created_at"
		if v.CreatedAtKebab {
			key = "created-at"
		}
		if v.CreatedAt != nil {
			it[key] = *v.CreatedAt
		} else {
			it[key] = nil
		}
		items = append(items, it)
	}
	if body, ok := pageOf(w, r, "envvar:"+p.ID, items, fx.pageSize()); ok {
		writeJSON(w, http.StatusOK, body)
	}
}

func serveCheckoutKeys(w http.ResponseWriter, r *http.Request, fx *Fixture, slug string) {
	p, ok := lookupSlug(w, fx, slug)
	if !ok {
		return
	}
	keys := []CheckoutKey{}
	if !strings.HasPrefix(slug, standaloneSlugPrefix) { // a standalone project: 200 and no keys, as CircleCI answers
		keys = append(keys, fx.ProjectCredentials[p.ID].CheckoutKeys...)
	}
	if body, ok := pageOf(w, r, "checkout-key:"+p.ID, keys, fx.pageSize()); ok {
		writeJSON(w, http.StatusOK, body)
	}
}

func serveProjectAPITokens(w http.ResponseWriter, fx *Fixture, slug string) {
	p, ok := lookupSlug(w, fx, slug)
	if !ok {
		return
	}
	type item struct {
		ID    string  `json:"id"`
		Label string  `json:"label"`
		Scope string  `json:"scope"`
		Token *string `json:"token"` // null, as CircleCI's list answers
	}
	items := []item{} // a bare array, never paged
	for _, t := range fx.ProjectCredentials[p.ID].APITokens {
		it := item{ID: t.ID, Label: t.Label, Scope: t.Scope}
		if t.Token != "" {
			tok := t.Token
			it.Token = &tok
		}
		items = append(items, it)
	}
	writeJSON(w, http.StatusOK, items)
}

func cloneCredentials(c, f *Fixture) {
	if f.ProjectCredentials != nil {
		c.ProjectCredentials = make(map[string]ProjectCredentials, len(f.ProjectCredentials))
		for k, v := range f.ProjectCredentials {
			v.EnvVars = cloneSlice(v.EnvVars)
			for i, e := range v.EnvVars {
				if e.CreatedAt != nil {
					at := *e.CreatedAt
					v.EnvVars[i].CreatedAt = &at
				}
			}
			v.CheckoutKeys = cloneSlice(v.CheckoutKeys)
			v.APITokens = cloneSlice(v.APITokens)
			c.ProjectCredentials[k] = v
		}
	}
	cloneTriggers(c, f)
}
