package fakeapi

import (
	"net/http"
)

// AuditLogConfig is one audit-log streaming configuration of an
// organization. Config is served as it is (a role ARN, a region, a bucket):
// tests put a canary in it that must never be kept.
type AuditLogConfig struct {
	ID               string            `json:"id"`
	TargetType       string            `json:"target_type"` // S3 | S3_COMPATIBLE
	IsDisabled       bool              `json:"is_disabled"`
	ConnectionStatus string            `json:"connection_status"` // CONNECTED | DISCONNECTED | UNKNOWN | DISABLED
	Config           map[string]string `json:"config"`
}

// AuditLogConfigsPath is the path of an organization's audit-log streaming
// configurations.
func AuditLogConfigsPath(orgID string) string { return v2OrgsPrefix + orgID + "/audit-log/configs" }

// serveAuditLogConfigs lists them, never paged ({"items": […]} without a
// token, like CircleCI): 403 for an organization the token cannot see.
func serveAuditLogConfigs(w http.ResponseWriter, fx *Fixture, orgID string) {
	if fx.orgKind(orgID) == orgUnknown {
		writeError(w, http.StatusForbidden, MsgPermissionDenied)
		return
	}
	type item struct {
		AuditLogConfig
		OrgID     string `json:"org_id"`
		Purpose   string `json:"purpose"`
		CreatedAt string `json:"created_at"`
		UpdatedAt string `json:"updated_at"`
	}
	items := []item{}
	for _, c := range fx.AuditLogConfigs[orgID] {
		items = append(items, item{AuditLogConfig: c, OrgID: orgID, Purpose: "audit-logs", CreatedAt: fixedCreatedAt, UpdatedAt: fixedUpdatedAt})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}
