package fakeapi

import (
	"net/http"
)

// SSOEnforcedPath is the path, on the app host, of an organization's SSO
// enforcement (undocumented).
func SSOEnforcedPath(orgID string) string { return orgsPrefix + orgID + "/sso/enforced" }

// serveSSOEnforced answers {"id", "vcs_type", "name", "display_name",
// "enforced"}; 404 for an organization the fixture does not know.
func serveSSOEnforced(w http.ResponseWriter, fx *Fixture, orgID string) {
	kind := fx.orgKind(orgID)
	if kind == orgUnknown {
		writeError(w, http.StatusNotFound, MsgOrgNotFound)
		return
	}
	c, _ := fx.collaborationByID(orgID)
	vcs := c.VCSType
	if vcs == "" {
		vcs = "circleci"
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"id": orgID, "vcs_type": vcs, "name": c.Name, "display_name": c.Name, "enforced": fx.SSOEnforced[orgID],
	})
}
