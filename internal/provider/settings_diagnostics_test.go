package provider

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

// The settings endpoints' own wording: each status names the endpoint and
// says what to do; the undocumented endpoints say so in every diagnostic,
// whatever its class.
func TestSettingsDiagnostics(t *testing.T) {
	apiErr := func(path string, status int) error {
		return &circleci.APIError{Path: path, StatusCode: status, Message: "m", Attempts: 1}
	}
	unreadable := &circleci.DecodeError{Path: circleci.SSOEnforcedPath(testOrgID), StatusCode: 200, Reason: "r"}
	for _, tc := range []struct {
		name    string
		err     error
		hints   endpointHints
		summary string
		want    []string
	}{
		{"org settings 404", undocumentedEndpoint(apiErr(circleci.OrgSettingsPath(testOrgID), http.StatusNotFound)), orgSettingsReadHints(testOrgID),
			"CircleCI Organization Settings Not Found", []string{"404, not 403", "CircleCI Server does not serve API v3", "does not document"}},
		{"org OIDC 403", apiErr(circleci.OrgOIDCClaimsPath(testOrgID), http.StatusForbidden), orgOIDCHints(testOrgID),
			"CircleCI Denied Access to Organization OIDC Claims", []string{"oidc-custom-claims, documented", "organization admin"}},
		{"audit-log 404", undocumentedEndpoint(apiErr(circleci.AuditLogConfigsPath(testOrgID), http.StatusNotFound)), auditLogHints(testOrgID),
			"CircleCI Audit-Log Streams Not Found", []string{"CircleCI Server does not have this endpoint", "does not document"}},
		{"SSO 404", undocumentedEndpoint(apiErr(circleci.SSOEnforcedPath(testOrgID), http.StatusNotFound)), ssoHints(testOrgID),
			"CircleCI SSO Enforcement Not Found", []string{"app_host", "include_sso = false", "does not document"}},
		{"SSO unreadable", undocumentedEndpoint(unreadable), ssoHints(testOrgID),
			"Unreadable CircleCI Response", []string{"/sso/enforced", "an endpoint CircleCI does not document"}},
		{"project settings 400", &ProjectReadError{ID: testProjectAPI, Slug: "gh/a/b", Err: apiErr("/api/v2/project/gh/a/b/settings", http.StatusBadRequest)},
			projectSettingsHints(testOrgID), "CircleCI Refused to List Project Settings", []string{"does not guess", "project gh/a/b (" + testProjectAPI + ")"}},
		{"project settings 404", &ProjectReadError{ID: testProjectAPI, Slug: "gh/a/b", Err: apiErr("/api/v2/project/gh/a/b/settings", http.StatusNotFound)},
			projectSettingsHints(testOrgID), "CircleCI Project Settings Not Found", []string{"deleted during the run", "404 for both"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			summary, detail := describeError(tc.err, tc.hints)
			if summary != tc.summary {
				t.Errorf("summary %q, want %q", summary, tc.summary)
			}
			for _, w := range tc.want {
				if !strings.Contains(detail, w) {
					t.Errorf("detail lacks %q:\n%s", w, detail)
				}
			}
		})
	}
	var ae *circleci.APIError
	if !errors.As(undocumentedEndpoint(apiErr("/x", 403)), &ae) || undocumentedEndpoint(nil) != nil || projectError(scopedProject{}, nil) != nil {
		t.Error("the wrappers must keep the error's class and leave nil alone")
	}
}
