package fakeapi

import (
	"maps"
	"net/http"
	"strings"
)

const (
	v3OrgsPrefix   = "/api/v3/orgs/"
	settingsSuffix = "/settings"
)

// OrgSettingsPath is the path of GET /api/v3/orgs/{org_id}/settings.
func OrgSettingsPath(orgID string) string { return v3OrgsPrefix + orgID + settingsSuffix }

// DefaultOrgSettings are the toggles of GET /api/v3/orgs/{org_id}/settings
// for an organization whose fixture sets none: the fifteen CircleCI-Labs'
// provider and CircleCI's CLI read, each at its usual default.
func DefaultOrgSettings() map[string]bool {
	return map[string]bool{
		"enable_ai_agents": false, "enable_ai_error_summarization": true, "enable_certified_public_orbs": true,
		"enable_chunk_ip_ranges": false, "enable_image_brownouts": false, "enable_minor_ai_features": false,
		"enable_private_orbs": true, "enable_resource_class_brownouts": false, "enable_uncertified_public_orbs": true,
		"enable_unversioned_config": false, "is_bitbucket_workspace_member_org_member": false,
		"is_context_group_restriction_required": false, "is_runner_terms_of_service_accepted": false,
		"is_running_disabled": false, "is_user_checkout_keys_disabled": false,
	}
}

// v3Error is API v3's error body.
type v3Error struct {
	Error struct {
		Title  string `json:"title"`
		Detail string `json:"detail"`
	} `json:"error"`
}

func init() { registerRouter(routeSettings) }

// routeSettings returns the handler of GET /api/v3/orgs/{org_id}/settings,
// or nil for another path.
func routeSettings(path string) apiHandler {
	rest, ok := strings.CutPrefix(path, v3OrgsPrefix)
	if !ok {
		return nil
	}
	org, ok := strings.CutSuffix(rest, settingsSuffix)
	if !ok || org == "" || strings.Contains(org, "/") {
		return nil
	}
	return func(w http.ResponseWriter, _ *http.Request, fx *Fixture) { serveOrgSettings(w, fx, org) }
}

// serveOrgSettings answers {"data": {"attributes": {...}}}: the fixture's
// toggles for the organization, DefaultOrgSettings for a known organization
// without any, and 404 (v3's answer, never 403) for one the token cannot see.
func serveOrgSettings(w http.ResponseWriter, fx *Fixture, org string) {
	toggles, ok := fx.OrgSettings[org]
	if !ok {
		if fx.orgKind(org) == orgUnknown {
			var e v3Error
			e.Error.Title, e.Error.Detail = "Not Found", "org not found"
			writeJSON(w, http.StatusNotFound, e)
			return
		}
		toggles = DefaultOrgSettings()
	}
	type attrs struct {
		Attributes map[string]bool `json:"attributes"`
	}
	writeJSON(w, http.StatusOK, struct {
		Data attrs `json:"data"`
	}{attrs{maps.Clone(toggles)}})
}
