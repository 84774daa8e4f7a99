package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

func TestDescribeError(t *testing.T) {
	const org = "1e5f6a0c-7b0d-4c7e-9a35-3f0e8c1b2a10"
	api := func(code int, msg string) *circleci.APIError {
		return &circleci.APIError{Method: "GET", Path: "/p", StatusCode: code, Message: msg, Attempts: 1}
	}
	tests := []struct {
		name        string
		err         error
		hints       endpointHints
		wantSummary string
		wantDetail  []string
	}{
		{"401", api(401, "Invalid token provided."), organizationsHints, "CircleCI Rejected the API Token",
			[]string{"personal API token", "CIRCLECI_TOKEN", "Invalid token provided."}},
		{"403 members", api(403, "Permission denied."), membersHints(org), "CircleCI Denied Access to Organization Members",
			[]string{org, "GitHub or Bitbucket", "Permission denied."}},
		{"404 members", api(404, "Organization does not exist."), membersHints(org), "CircleCI Organization Members Not Found",
			[]string{org, "circleci_organizations", "GitHub or Bitbucket"}},
		{"404 user", &circleci.UserLookupError{UserID: "u-1", Err: api(404, "User not found.")}, userHints(&circleci.UserLookupError{UserID: "u-1"}),
			"CircleCI User u-1 Not Found", []string{"include_user_details", "user u-1"}},
		{"403 me", api(403, "Permission denied."), meHints, "CircleCI Denied Access to Current User",
			[]string{"personal API token", "project or organization token", "CIRCLECI_TOKEN", "Permission denied."}},
		{"404 organization", api(404, "Org not found."), organizationHints("gh/acme"), "CircleCI Organization Not Found",
			[]string{`"gh/acme" does not exist, or the token cannot see it`, "circleci_organizations", "Org not found."}},
		{"429 after retries", &circleci.APIError{Method: "GET", Path: "/p", StatusCode: 429, Attempts: 6, Message: "Rate limit exceeded."},
			organizationsHints, "CircleCI Rate Limit Exceeded", []string{"all 6 attempts", "max_retries"}},
		{"429 wait too long", &circleci.APIError{Method: "GET", Path: "/p", StatusCode: 429, Attempts: 1, RetryAfter: time.Hour, RetryAfterTooLong: true},
			organizationsHints, "CircleCI Rate Limit Exceeded", []string{"asked to wait 1h0m0s", "Run again after"}},
		{"503", &circleci.APIError{Method: "GET", Path: "/p", StatusCode: 503, Attempts: 3}, organizationsHints, "CircleCI Server Error",
			[]string{"503 after 3 attempt(s)", "status.circleci.com"}},
		{"501", api(501, ""), organizationsHints, "Unexpected CircleCI Response", []string{"501"}},
		{"400", api(400, "bad"), organizationsHints, "Unexpected CircleCI Response", []string{"400", "bad"}},
		{"decode", &circleci.DecodeError{Method: "GET", Path: "/p", Reason: "truncated JSON"}, organizationsHints, "Unreadable CircleCI Response",
			[]string{"not the JSON", "truncated JSON"}},
		{"too large", &circleci.TooLargeError{Method: "GET", Path: "/p", Limit: 16}, organizationsHints, "CircleCI Response Too Large", []string{"16 bytes"}},
		{"pagination", &circleci.PaginationError{Path: "/p", Page: 3, Reason: "repeated"}, organizationsHints, "Incomplete CircleCI Listing",
			[]string{"partial", "page 3"}},
		{"timeout", &circleci.TransportError{Method: "GET", Path: "/p", Timeout: true, Err: errors.New("slow")}, organizationsHints,
			"CircleCI Request Timed Out", []string{"request_timeout", "CIRCLECI_REQUEST_TIMEOUT"}},
		{"refused", &circleci.TransportError{Method: "GET", Path: "/p", Err: errors.New("connection refused")}, organizationsHints,
			"Could Not Reach CircleCI", []string{"connection refused"}},
		{"redirect", &circleci.RedirectError{From: "https://a", To: "https://b"}, organizationsHints, "CircleCI Redirected to Another Host",
			[]string{"never sent", "https://b"}},
		{"cancelled", fmt.Errorf("wrapped: %w", context.Canceled), organizationsHints, "Read of CircleCI Organizations Cancelled", []string{"interrupted"}},
		{"page error keeps its class", &circleci.PageError{Page: 2, Err: api(401, "x")}, organizationsHints, "CircleCI Rejected the API Token", []string{"page 2"}},
		{"unknown", errors.New("boom"), organizationsHints, "Unexpected Error Reading CircleCI Organizations", []string{"report", "boom"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			summary, detail := describeError(tc.err, tc.hints)
			if summary != tc.wantSummary {
				t.Errorf("summary = %q, want %q", summary, tc.wantSummary)
			}
			for _, w := range tc.wantDetail {
				if !strings.Contains(detail, w) {
					t.Errorf("detail lacks %q:\n%s", w, detail)
				}
			}
			if !strings.HasSuffix(detail, tc.err.Error()) {
				t.Errorf("the underlying error must come last:\n%s", detail)
			}
			if strings.Contains(detail, "*circleci.") {
				t.Errorf("no Go type names in a user-facing detail:\n%s", detail)
			}
		})
	}
}
