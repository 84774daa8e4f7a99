package fakeapi

import (
	"net/http"
)

// PathWebhooks is the webhooks listing; the project is in the query.
const PathWebhooks = "/api/v2/webhook"

// MsgInvalidScope is the fake's 400 for a missing or unsupported scope.
const MsgInvalidScope = "scope-id and scope-type=project are required."

// Webhook is one outbound webhook of a project. URL and SigningSecret are
// served as they are: CircleCI masks the secret ("****", or "" when none
// is set), and tests set a distinctive value to prove it is never kept.
type Webhook struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	URL           string   `json:"url"`
	Events        []string `json:"events"`
	VerifyTLS     bool     `json:"verify_tls"`
	SigningSecret string   `json:"signing_secret"`
}

// WebhooksQuery is the path and query of a project's webhooks listing.
func WebhooksQuery(projectID string) string {
	return PathWebhooks + "?scope-id=" + projectID + "&scope-type=project"
}

// serveWebhooks lists a project's webhooks in pages of the fixture's page
// size, in the live snake_case spelling: 400 without a project scope, 403
// for a project the fixture does not know.
func serveWebhooks(w http.ResponseWriter, r *http.Request, fx *Fixture) {
	type scope struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	}
	type item struct {
		Webhook
		Scope     scope  `json:"scope"`
		CreatedAt string `json:"created_at"`
		UpdatedAt string `json:"updated_at"`
	}
	q := r.URL.Query()
	id := q.Get("scope-id")
	if id == "" || q.Get("scope-type") != "project" || !isUUID(id) {
		writeError(w, http.StatusBadRequest, MsgInvalidScope)
		return
	}
	if _, _, ok := fx.projectByID(id); !ok {
		writeError(w, http.StatusForbidden, MsgPermissionDenied)
		return
	}
	items := []item{}
	for _, h := range fx.Webhooks[id] {
		if h.Events == nil {
			h.Events = []string{}
		}
		items = append(items, item{Webhook: h, Scope: scope{ID: id, Type: "project"}, CreatedAt: fixedCreatedAt, UpdatedAt: fixedUpdatedAt})
	}
	body, ok := pageOf(w, r, "webhooks:"+id, items, fx.pageSize())
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, body)
}
