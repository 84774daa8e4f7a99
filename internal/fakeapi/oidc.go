package fakeapi

import (
	"net/http"
)

// OIDC error bodies are {"error": "…"}, not {"message": "…"}.
const (
	MsgOIDCForbidden   = "Forbidden"
	MsgOIDCInvalidUUID = "OwnerID: must be a valid UUID."
)

// OIDCClaims are an organization's or a project's customised OIDC claims:
// an empty Audience and TTL is what CircleCI answers when nothing is
// customised (200 with only the ids).
type OIDCClaims struct {
	Audience []string `json:"audience,omitempty"`
	TTL      string   `json:"ttl,omitempty"`
}

const oidcPrefix = "/api/v2/org/"

// OrgOIDCClaimsPath is the path of an organization's OIDC custom claims.
func OrgOIDCClaimsPath(orgID string) string { return oidcPrefix + orgID + "/oidc-custom-claims" }

// ProjectOIDCClaimsPath is the path of a project's OIDC custom claims.
func ProjectOIDCClaimsPath(orgID, projectID string) string {
	return oidcPrefix + orgID + "/project/" + projectID + "/oidc-custom-claims"
}

func writeOIDCError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func claimsBody(orgID, projectID string, c OIDCClaims) map[string]any {
	body := map[string]any{"org_id": orgID}
	if projectID != "" {
		body["project_id"] = projectID
	}
	if len(c.Audience) > 0 {
		body["audience"] = c.Audience
		body["audience_updated_at"] = fixedUpdatedAt
	}
	if c.TTL != "" {
		body["ttl"] = c.TTL
		body["ttl_updated_at"] = fixedUpdatedAt
	}
	return body
}

// serveOIDCClaims serves an organization's claims (projectID "") or a
// project's: 400 for an id that is not a UUID, 403 for an organization or
// project the token cannot see.
func serveOIDCClaims(w http.ResponseWriter, fx *Fixture, orgID, projectID string) {
	if !isUUID(orgID) || (projectID != "" && !isUUID(projectID)) {
		writeOIDCError(w, http.StatusBadRequest, MsgOIDCInvalidUUID)
		return
	}
	if fx.orgKind(orgID) == orgUnknown {
		writeOIDCError(w, http.StatusForbidden, MsgOIDCForbidden)
		return
	}
	if projectID == "" {
		writeJSON(w, http.StatusOK, claimsBody(orgID, "", fx.OrgOIDC[orgID]))
		return
	}
	if _, ok := findByID(fx.Projects[orgID], projectID, func(p Project) string { return p.ID }); !ok {
		writeOIDCError(w, http.StatusForbidden, MsgOIDCForbidden)
		return
	}
	writeJSON(w, http.StatusOK, claimsBody(orgID, projectID, fx.ProjectOIDC[projectID]))
}
