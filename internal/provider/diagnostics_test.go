package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

func TestDescribeError(t *testing.T) {
	const org = "1e5f6a0c-7b0d-4c7e-9a35-3f0e8c1b2a10"
	api := func(code int, msg string) *circleci.APIError {
		return &circleci.APIError{Path: "/p", StatusCode: code, Message: msg, Attempts: 1}
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
		{"429 after retries", &circleci.APIError{Path: "/p", StatusCode: 429, Attempts: 6, Message: "Rate limit exceeded."},
			organizationsHints, "CircleCI Rate Limit Exceeded", []string{"all 6 attempts", "max_retries"}},
		{"429 wait too long", &circleci.APIError{Path: "/p", StatusCode: 429, Attempts: 1, RetryAfter: time.Hour, RetryAfterTooLong: true},
			organizationsHints, "CircleCI Rate Limit Exceeded", []string{"asked to wait 1h0m0s", "Run again after"}},
		{"503", &circleci.APIError{Path: "/p", StatusCode: 503, Attempts: 3}, organizationsHints, "CircleCI Server Error",
			[]string{"503 after 3 attempt(s)", "status.circleci.com"}},
		{"501", api(501, ""), organizationsHints, "Unexpected CircleCI Response", []string{"501"}},
		{"400", api(400, "bad"), organizationsHints, "Unexpected CircleCI Response", []string{"400", "bad"}},
		{"decode", &circleci.DecodeError{Path: "/p", Reason: "truncated JSON"}, organizationsHints, "Unreadable CircleCI Response",
			[]string{"not the JSON", "truncated JSON"}},
		{"too large", &circleci.TooLargeError{Path: "/p", Limit: 16}, organizationsHints, "CircleCI Response Too Large", []string{"16 bytes"}},
		{"pagination", &circleci.PageError{Page: 3, Err: &circleci.PaginationError{Path: "/p", Err: circleci.ErrRepeatedPageToken}}, organizationsHints,
			"Incomplete CircleCI Listing", []string{"partial", "page 3", "already returned"}},
		{"503 wait too long", &circleci.APIError{Path: "/p", StatusCode: 503, Attempts: 1, RetryAfter: 2 * time.Hour, RetryAfterTooLong: true},
			organizationsHints, "CircleCI Temporarily Unavailable", []string{"asked to wait 2h0m0s", "Run again after"}},
		{"timeout", &circleci.TransportError{Path: "/p", Timeout: true, Err: errors.New("slow")}, organizationsHints,
			"CircleCI Request Timed Out", []string{"request_timeout", "CIRCLECI_REQUEST_TIMEOUT"}},
		{"refused", &circleci.TransportError{Path: "/p", Err: errors.New("connection refused")}, organizationsHints,
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

// Regression: server text with control characters, and a 0.5 MiB header
// line, reached a diagnostic raw and in full.
func TestDescribeErrorSanitises(t *testing.T) {
	hostile := "\x1b[2J\x1b[31mowned\r\u202eevil\x00" + strings.Repeat("x", 512<<10)
	for name, err := range map[string]error{
		"transport": &circleci.TransportError{Path: "/p", Err: errors.New(hostile)},
		"api":       &circleci.APIError{Path: "/p", StatusCode: 500, Message: hostile},
		"unknown":   errors.New(hostile),
	} {
		t.Run(name, func(t *testing.T) {
			summary, detail := describeError(err, userHints(&circleci.UserLookupError{UserID: "id\x1b[31m\nx"}))
			for what, s := range map[string]string{"summary": summary, "detail": detail} {
				if strings.ContainsAny(s, "\x1b\r\x00\u202e") {
					t.Errorf("%s holds control characters: %.200q", what, s)
				}
			}
			if strings.Contains(summary, "\n") {
				t.Errorf("summary holds a line break: %q", summary)
			}
			if len(detail) > maxDetailBytes || !strings.HasSuffix(detail, cutMark) {
				t.Errorf("detail is %d bytes, want at most %d and cut", len(detail), maxDetailBytes)
			}
			if !strings.Contains(detail, `u001b[2J`) && !strings.Contains(detail, `\x1b[2J`) {
				t.Errorf("the escape is not shown escaped: %.300q", detail)
			}
		})
	}
}

func TestSanitize(t *testing.T) {
	tests := []struct {
		in, want string
		limit    int
		keepNL   bool
	}{
		{"plain", "plain", 100, true},
		{"a\nb", "a\nb", 100, true},
		{"a\nb", `a\u000ab`, 100, false},
		{"a\tb", "a b", 100, true},
		{"\x1b[31m", `\u001b[31m`, 100, true},
		{"\xff", "\uFFFD", 100, true},
		{"\u202e", `\u202e`, 100, true},
		{strings.Repeat("é", 100), strings.Repeat("é", 4) + cutMark, 8 + len(cutMark) + 1, true},
	}
	for _, tt := range tests {
		if got := sanitize(tt.in, tt.limit, tt.keepNL); got != tt.want {
			t.Errorf("sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDeletedUsersWarning(t *testing.T) {
	const org = "1e5f6a0c-7b0d-4c7e-9a35-3f0e8c1b2a10"
	ids := make([]string, 23)
	for i := range ids {
		ids[i] = fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
	}
	d := deletedUsersWarning(org, ids)
	if d.Severity() != diag.SeverityWarning {
		t.Fatalf("severity %v", d.Severity())
	}
	for _, w := range []string{org, "23 member(s)", ids[0], ids[19], "and 3 more", "404", "null"} {
		if !strings.Contains(d.Detail(), w) {
			t.Errorf("detail lacks %q:\n%s", w, d.Detail())
		}
	}
	if strings.Contains(d.Detail(), ids[20]) {
		t.Errorf("detail lists more than %d ids", maxListedIDs)
	}
}
