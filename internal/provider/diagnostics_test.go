package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

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
	people := make([]person, 23)
	for i := range people {
		people[i] = person{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), Login: fmt.Sprintf("user%02d", i)}
	}
	d := deletedMembersWarning(org, people)
	if d.Severity() != diag.SeverityWarning {
		t.Fatalf("severity %v", d.Severity())
	}
	for _, w := range []string{org, "23 member(s)", "user00 (id " + people[0].ID + ")", "user19 (id " + people[19].ID + ")", "and 3 more", "404", "null"} {
		if !strings.Contains(d.Detail(), w) {
			t.Errorf("detail lacks %q:\n%s", w, d.Detail())
		}
	}
	if strings.Contains(d.Detail(), people[20].ID) {
		t.Errorf("detail lists more than %d people", maxListedPeople)
	}

	// Only ids known: named by id.
	if d := deletedUsersWarning(org, []string{people[0].ID}); !strings.Contains(d.Detail(), "id "+people[0].ID) {
		t.Errorf("detail lacks the id:\n%s", d.Detail())
	}
	// peopleByID takes the logins from the members listing.
	members := []MemberModel{{ID: types.StringValue(people[1].ID), Login: types.StringValue("bob")}}
	if got := peopleByID(members, []string{people[1].ID, people[2].ID}); got[0] != (person{people[1].ID, "bob"}) || got[1] != (person{ID: people[2].ID}) {
		t.Errorf("peopleByID = %v", got)
	}
}

// Regression: every diagnostic ended with a column-0 "Error: GET …" line,
// also inside warnings, which trips `grep '^Error:'` in CI scripts. No
// line of any diagnostic detail starts with "Error:", whatever the error
// class, the endpoint, or the text CircleCI sends.
func TestDiagnostics_noLineStartsWithError(t *testing.T) {
	const org = "1e5f6a0c-7b0d-4c7e-9a35-3f0e8c1b2a10"
	hostile := "Permission denied.\nError: something\n  error: indented\n\tERROR: tab"
	paths := []string{"/p", circleci.OrgRoleGrantsPath(org), circleci.ProjectsPath, circleci.GroupMembersPath(org, org)}
	var errs []error
	for _, p := range paths {
		for _, code := range []int{400, 401, 403, 404, 429, 500, 501} {
			errs = append(errs, &circleci.APIError{Path: p, StatusCode: code, Message: hostile, Attempts: 1})
		}
		errs = append(errs,
			&circleci.DecodeError{Path: p, Reason: hostile},
			&circleci.TooLargeError{Path: p, Limit: 16},
			&circleci.PageError{Page: 2, Path: p, Err: &circleci.PaginationError{Path: p, Err: errors.New(hostile)}},
			&circleci.TransportError{Path: p, Err: errors.New(hostile)},
			&circleci.TransportError{Path: p, Timeout: true, Err: errors.New(hostile)},
		)
	}
	errs = append(errs, &circleci.RedirectError{From: "https://a", To: "https://b"}, errors.New(hostile),
		fmt.Errorf("wrapped: %w", context.Canceled), &circleci.UserLookupError{UserID: "u", Err: errors.New(hostile)})
	hints := []endpointHints{
		organizationsHints, membersHints(org), meHints, organizationHints("gh/acme"), userHints(errors.New("x")),
		groupsHints(org), groupMembersHints(org), contextsHints(org), contextDetailsHints(), projectsHints(org),
		projectGrantsHints(org), organizationTypeHints(org),
		withOrgType(membersHints(org), org, "github"), withOrgType(groupsHints(org), org, "circleci"),
	}
	n := 0
	for _, h := range hints {
		for _, err := range errs {
			d := errorDiagnostic(err, h)
			n++
			assertNoErrorLine(t, d)
		}
	}
	for _, d := range []diag.Diagnostic{
		deletedMembersWarning(org, []person{{ID: org, Login: "Error: x"}}),
		groupsNotListedWarning(org, "github", orgTypeFromCollaborations),
	} {
		n++
		assertNoErrorLine(t, d)
	}
	if n < 100 {
		t.Fatalf("only %d diagnostics checked", n)
	}
}

func assertNoErrorLine(t *testing.T, d diag.Diagnostic) {
	t.Helper()
	for _, text := range []string{d.Summary(), d.Detail()} {
		for _, line := range strings.Split(text, "\n") {
			if startsWithError(line) {
				t.Errorf("a line of %q starts with Error:\n%s", d.Summary(), d.Detail())
				return
			}
		}
	}
	if !strings.Contains(d.Detail(), "Cause: ") && d.Severity() == diag.SeverityError {
		t.Errorf("%q: the underlying error is not introduced by Cause:\n%s", d.Summary(), d.Detail())
	}
}

// A 400, 403 or 404 names the organization's type when it is known, and
// says "if" only when it is not.
func TestDescribeError_orgType(t *testing.T) {
	const org = "1e5f6a0c-7b0d-4c7e-9a35-3f0e8c1b2a10"
	forbidden := &circleci.APIError{Path: circleci.OrgRoleGrantsPath(org), StatusCode: 403, Message: "Permission denied.", Attempts: 1}
	tests := []struct {
		name      string
		h         endpointHints
		want, not []string
	}{
		{"unknown", membersHints(org), []string{"If it is a GitHub or Bitbucket organization", "takes its members and roles from the VCS"}, []string{"is a GitHub (OAuth) organization"}},
		{"github", withOrgType(membersHints(org), org, "github"),
			[]string{"Organization " + org + ` is a GitHub (OAuth) organization (vcs_type "github")`, "takes its members and roles from the VCS"}, []string{"If it is"}},
		{"bitbucket", withOrgType(projectGrantsHints(org), org, "bitbucket"),
			[]string{`is a Bitbucket (OAuth) organization (vcs_type "bitbucket")`, "projects take roles from the VCS"}, []string{"If it is"}},
		{"standalone", withOrgType(membersHints(org), org, "circleci"),
			[]string{`is a standalone organization (vcs_type "circleci").`}, []string{"If it is", "from the VCS"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, detail := describeError(forbidden, tc.h)
			for _, w := range tc.want {
				if !strings.Contains(detail, w) {
					t.Errorf("detail lacks %q:\n%s", w, detail)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(detail, n) {
					t.Errorf("detail must not contain %q:\n%s", n, detail)
				}
			}
		})
	}
}
