package fakeapi

import (
	"net/http"
	"strings"
)

func init() { registerRouter(routePosture) }

// routePosture returns the handler for an organization or project settings
// endpoint (project settings, OIDC claims, webhooks, audit-log streams,
// SSO enforcement), or nil.
func routePosture(path string) apiHandler {
	if path == PathWebhooks {
		return serveWebhooks
	}
	if rest, ok := strings.CutPrefix(path, projectSlugPrefix); ok {
		if slug, ok := strings.CutSuffix(rest, "/settings"); ok && len(strings.Split(slug, "/")) == 3 {
			return func(w http.ResponseWriter, _ *http.Request, fx *Fixture) { serveProjectSettings(w, fx, slug) }
		}
	}
	if rest, ok := strings.CutPrefix(path, oidcPrefix); ok {
		parts := strings.Split(rest, "/")
		switch {
		case len(parts) == 2 && parts[1] == "oidc-custom-claims" && parts[0] != "":
			return func(w http.ResponseWriter, _ *http.Request, fx *Fixture) { serveOIDCClaims(w, fx, parts[0], "") }
		case len(parts) == 4 && parts[1] == "project" && parts[3] == "oidc-custom-claims" && parts[0] != "" && parts[2] != "":
			return func(w http.ResponseWriter, _ *http.Request, fx *Fixture) { serveOIDCClaims(w, fx, parts[0], parts[2]) }
		}
	}
	if rest, ok := strings.CutPrefix(path, v2OrgsPrefix); ok {
		if org, ok := strings.CutSuffix(rest, "/audit-log/configs"); ok && org != "" && !strings.Contains(org, "/") {
			return func(w http.ResponseWriter, _ *http.Request, fx *Fixture) { serveAuditLogConfigs(w, fx, org) }
		}
	}
	if rest, ok := strings.CutPrefix(path, orgsPrefix); ok {
		if org, ok := strings.CutSuffix(rest, "/sso/enforced"); ok && org != "" && !strings.Contains(org, "/") {
			return func(w http.ResponseWriter, _ *http.Request, fx *Fixture) { serveSSOEnforced(w, fx, org) }
		}
	}
	return nil
}

// clonePosture deep-copies the settings data of f into c.
func clonePosture(c, f *Fixture) {
	c.ProjectSettings = cloneValues(f.ProjectSettings, func(s ProjectSettings) ProjectSettings {
		s.PROnlyBranchOverrides = cloneSlice(s.PROnlyBranchOverrides)
		return s
	})
	oidc := func(o OIDCClaims) OIDCClaims {
		o.Audience = cloneSlice(o.Audience)
		return o
	}
	c.OrgOIDC = cloneValues(f.OrgOIDC, oidc)
	c.ProjectOIDC = cloneValues(f.ProjectOIDC, oidc)
	c.Webhooks = cloneMap(f.Webhooks, func(h Webhook) Webhook {
		h.Events = cloneSlice(h.Events)
		return h
	})
	c.AuditLogConfigs = cloneMap(f.AuditLogConfigs, func(a AuditLogConfig) AuditLogConfig {
		a.Config = cloneValues(a.Config, func(s string) string { return s })
		return a
	})
	c.SSOEnforced = cloneValues(f.SSOEnforced, func(b bool) bool { return b })
}

func cloneValues[V any](m map[string]V, each func(V) V) map[string]V {
	if m == nil {
		return nil
	}
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[k] = each(v)
	}
	return out
}
