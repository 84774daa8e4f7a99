package fakeapi

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

const jsonContentType = "application/json; charset=utf-8"

// Error messages, exactly as CircleCI sends them.
const (
	MsgLoginRequired    = "You must log in first."
	MsgInvalidToken     = "Invalid token provided." //nolint:gosec // G101: an error message, not a credential
	MsgUserNotFound     = "User not found."
	MsgInvalidPageToken = "Invalid page token."
	MsgPermissionDenied = "Permission denied."
	MsgOrgNotFound      = "Organization does not exist."
	MsgNotFound         = "Not found."
	MsgMethodNotAllowed = "Method not allowed."
)

// API paths.
const (
	PathMe             = "/api/v2/me"
	PathCollaborations = "/api/v2/me/collaborations"
	userPrefix         = "/api/v2/user/"
	orgsPrefix         = "/private/ciam/orgs/"
	roleGrantsSuffix   = "/role-grants"
)

// UserPath returns the path of GET /api/v2/user/{id}.
func UserPath(id string) string { return userPrefix + id }

// RoleGrantsPath returns the path of GET /private/ciam/orgs/{orgID}/role-grants.
func RoleGrantsPath(orgID string) string { return orgsPrefix + orgID + roleGrantsSuffix }

type errorBody struct {
	Message string `json:"message"`
}

// RoleGrantsPage is the body of the role-grants endpoint.
type RoleGrantsPage struct {
	Items         []RoleGrant `json:"items"`
	NextPageToken *string     `json:"next_page_token"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, "fakeapi: encoding response: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", jsonContentType)
	w.WriteHeader(status)
	_, _ = w.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{Message: msg})
}

func serveAPI(w http.ResponseWriter, r *http.Request, fx *Fixture, hasToken, authorized bool) {
	if !hasToken {
		writeError(w, http.StatusUnauthorized, MsgLoginRequired)
		return
	}
	if !authorized {
		writeError(w, http.StatusUnauthorized, MsgInvalidToken)
		return
	}
	handler := route(r.URL.Path)
	if org := routeOrganization(r.URL.EscapedPath()); org != nil {
		handler = org
	}
	if handler == nil {
		writeError(w, http.StatusNotFound, MsgNotFound)
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeError(w, http.StatusMethodNotAllowed, MsgMethodNotAllowed)
		return
	}
	handler(w, r, fx)
}

type apiHandler func(w http.ResponseWriter, r *http.Request, fx *Fixture)

func route(path string) apiHandler {
	switch path {
	case PathMe:
		return serveMe
	case PathCollaborations:
		return serveCollaborations
	}
	if id, ok := strings.CutPrefix(path, userPrefix); ok && id != "" && !strings.Contains(id, "/") {
		return func(w http.ResponseWriter, _ *http.Request, fx *Fixture) { serveUser(w, fx, id) }
	}
	if rest, ok := strings.CutPrefix(path, orgsPrefix); ok {
		if org, ok := strings.CutSuffix(rest, roleGrantsSuffix); ok && org != "" && !strings.Contains(org, "/") {
			return func(w http.ResponseWriter, r *http.Request, fx *Fixture) { serveRoleGrants(w, r, fx, org) }
		}
	}
	for _, r := range routeTables {
		if h := r(path); h != nil {
			return h
		}
	}
	return nil
}

// routeTables are the route tables of the fake's endpoint families, each
// registered by the file that serves the family (registerRouter, from its
// init), and tried in turn: their paths do not overlap, so the order does not
// matter. A new family is a new file, and touches no other.
var routeTables []func(path string) apiHandler

func registerRouter(r func(path string) apiHandler) { routeTables = append(routeTables, r) }

func serveMe(w http.ResponseWriter, _ *http.Request, fx *Fixture) {
	if fx.MeForbidden {
		writeError(w, http.StatusForbidden, MsgPermissionDenied)
		return
	}
	writeJSON(w, http.StatusOK, fx.Me)
}

func serveCollaborations(w http.ResponseWriter, _ *http.Request, fx *Fixture) {
	cs := fx.Collaborations
	if cs == nil {
		cs = []Collaboration{}
	}
	writeJSON(w, http.StatusOK, cs)
}

func serveUser(w http.ResponseWriter, fx *Fixture, id string) {
	u, ok := fx.user(id)
	if !ok {
		writeError(w, http.StatusNotFound, MsgUserNotFound)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

func serveRoleGrants(w http.ResponseWriter, r *http.Request, fx *Fixture, org string) {
	grants, ok := fx.Members[org]
	if !ok {
		if c, found := fx.collaborationByID(org); found && (c.VCSType == "github" || c.VCSType == "bitbucket") {
			writeError(w, http.StatusForbidden, MsgPermissionDenied)
			return
		}
		writeError(w, http.StatusNotFound, MsgOrgNotFound)
		return
	}
	offset := 0
	if tok := r.URL.Query().Get("page-token"); tok != "" {
		off, err := decodePageToken(tok, org)
		if err != nil || off <= 0 || off >= len(grants) {
			writeError(w, http.StatusBadRequest, MsgInvalidPageToken)
			return
		}
		offset = off
	}
	end := min(offset+fx.pageSize(), len(grants))
	page := RoleGrantsPage{Items: append([]RoleGrant{}, grants[offset:end]...)}
	if end < len(grants) {
		t := PageToken(org, end)
		page.NextPageToken = &t
	}
	writeJSON(w, http.StatusOK, page)
}

const pageTokenPrefix = "+/"

// PageToken returns the page token the fake issues for the role-grants page
// of orgID that starts at item offset. Tokens always contain '+', '/' and '='
// so that a client which does not URL-encode them gets 400 Invalid page token.
func PageToken(orgID string, offset int) string {
	payload := "rg1|" + orgID + "|" + strconv.Itoa(offset) + "|"
	for len(payload)%3 == 0 { // ensure base64 padding ('=')
		payload += "~"
	}
	return pageTokenPrefix + base64.StdEncoding.EncodeToString([]byte(payload))
}

func decodePageToken(tok, org string) (int, error) {
	rest, ok := strings.CutPrefix(tok, pageTokenPrefix)
	if !ok {
		return 0, errors.New("bad prefix")
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(rest)
	if err != nil {
		return 0, err
	}
	parts := strings.Split(strings.TrimRight(string(raw), "~"), "|")
	if len(parts) != 4 || parts[0] != "rg1" || parts[1] != org || parts[3] != "" {
		return 0, errors.New("bad payload")
	}
	off, err := strconv.Atoi(parts[2])
	if err != nil {
		return 0, fmt.Errorf("bad offset: %w", err)
	}
	return off, nil
}
