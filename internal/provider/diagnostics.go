package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

// endpointHints adds what a status means for one endpoint.
type endpointHints struct {
	// what is being read, for summaries: "Organizations", "Organization Members".
	what string
	// notFound and forbidden, when set, replace the generic advice.
	notFound  string
	forbidden string
	// badRequest, when set, explains a 400 (access_diagnostics.go).
	badRequest string
	// oauth, when set, is what a 400, 403 or 404 means on a GitHub or
	// Bitbucket (OAuth) organization, whose members, projects and roles
	// CircleCI takes from the VCS. It is said as a fact when orgType is
	// known, else as a condition.
	oauth string
	// orgID and orgType (a vcs_type: "github", "bitbucket", "circleci", …)
	// name the organization read, when known (withOrgType).
	orgID, orgType string
}

// withOrgType is h for an organization whose vcs_type is known (from the
// run's one read of GET /api/v2/me/collaborations or GET
// /api/v2/organization/{id}): a 400, 403 or 404 then names the type instead
// of saying "if it is a GitHub organization".
func withOrgType(h endpointHints, orgID, vcsType string) endpointHints {
	h.orgID, h.orgType = orgID, vcsType
	return h
}

// isOAuthOrgType reports whether vcsType is an organization type whose
// members, projects and roles CircleCI takes from the VCS.
func isOAuthOrgType(vcsType string) bool {
	switch strings.ToLower(vcsType) {
	case "github", "bitbucket", "gh", "bb":
		return true
	}
	return false
}

// orgTypeName is how a diagnostic names an organization type.
func orgTypeName(vcsType string) string {
	switch strings.ToLower(vcsType) {
	case "github", "gh":
		return "a GitHub (OAuth) organization"
	case "bitbucket", "bb":
		return "a Bitbucket (OAuth) organization"
	case "circleci":
		return "a standalone organization"
	}
	return "an organization"
}

// orgTypeSentence is what h says about the organization's type on a 400,
// 403 or 404: a fact when the type is known, a condition otherwise, and
// nothing when h has no advice for OAuth organizations.
func (h endpointHints) orgTypeSentence() string {
	switch {
	case h.orgType != "" && isOAuthOrgType(h.orgType):
		return fmt.Sprintf(" Organization %s is %s (vcs_type %q): %s", h.orgID, orgTypeName(h.orgType), h.orgType, h.oauth)
	case h.orgType != "":
		return fmt.Sprintf(" Organization %s is %s (vcs_type %q).", h.orgID, orgTypeName(h.orgType), h.orgType)
	case h.oauth != "":
		return " If it is a GitHub or Bitbucket organization (vcs_type \"github\" or \"bitbucket\" in circleci_organizations): " + h.oauth
	}
	return ""
}

var organizationsHints = endpointHints{what: "Organizations"}

func membersHints(orgID string) endpointHints {
	return endpointHints{
		what: "Organization Members",
		notFound: fmt.Sprintf("CircleCI found no organization %s that this token can see. Check the ID "+
			"(circleci_organizations lists the ones the token's user belongs to) and that the token's user is a member.", orgID),
		forbidden: fmt.Sprintf("The token's user cannot read the members of organization %s: the user may not be a member, "+
			"or not have a role that can see members.", orgID),
		oauth: "CircleCI takes its members and roles from the VCS and does not list them: read them from GitHub or Bitbucket instead. " +
			"Only standalone organizations (vcs_type \"circleci\") have members listed by CircleCI.",
		orgID: orgID,
	}
}

// meHints: /me answers 403 to a token that is not a personal one.
var meHints = endpointHints{
	what: "Current User",
	forbidden: "GET /api/v2/me answers only to a personal API token, and this one is a project or organization token. " +
		"Set api_token (or " + EnvToken + ") to a personal API token (CircleCI → User Settings → Personal API Tokens).",
}

// organizationHints: CircleCI's 404 does not tell a missing organization from
// one the token cannot see.
func organizationHints(idOrSlug string) endpointHints {
	return endpointHints{
		what: "Organization",
		notFound: fmt.Sprintf("Organization %q does not exist, or the token cannot see it: CircleCI answers 404 for both. "+
			"Check the id or slug (gh/acme, bb/acme, circleci/… for standalone organizations); circleci_organizations "+
			"lists the organizations the token's user belongs to, with their ids and slugs.", idOrSlug),
	}
}

// userHints describes a failed per-user lookup, naming the user.
func userHints(err error) endpointHints {
	var ule *circleci.UserLookupError
	id := "(unknown)"
	if errors.As(err, &ule) {
		id = ule.UserID
	}
	return endpointHints{
		what: "User " + id,
		notFound: "CircleCI has no user " + id + " that this token can see, although the organization lists it as a member. " +
			"Run again without include_user_details, or report it if it persists.",
	}
}

// errorDiagnostic turns a client error into a diagnostic: a short Title Case
// summary of what failed, and a detail that says what happened, what to do,
// and the underlying error last. It never contains the token: the client
// removes it from everything the server said before it builds an error.
func errorDiagnostic(err error, h endpointHints) diag.Diagnostic {
	summary, detail := describeError(err, h)
	return diag.NewErrorDiagnostic(summary, detail)
}

// maxDetailBytes caps a diagnostic's detail: whatever a server sends, a
// diagnostic stays readable.
const maxDetailBytes = 4 << 10

// sanitize makes text safe to show in a terminal: control and formatting
// characters (ESC, carriage returns, bidi overrides) are escaped as \uXXXX,
// except the line breaks of the provider's own text when keepNewlines is
// set; invalid UTF-8 becomes U+FFFD; the result is at most limit bytes.
func sanitize(s string, limit int, keepNewlines bool) string {
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		var piece string
		switch {
		case r == '\n' && keepNewlines:
			piece = "\n"
		case r == '\t':
			piece = " "
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			piece = fmt.Sprintf("\\u%04x", r)
		default:
			piece = string(r)
		}
		if b.Len()+len(piece) > limit-len(cutMark) {
			b.WriteString(cutMark)
			break
		}
		b.WriteString(piece)
	}
	return b.String()
}

const cutMark = "… (cut)"

// describeError returns a diagnostic's summary and detail for err, both
// sanitised and bounded.
func describeError(err error, h endpointHints) (string, string) {
	summary, detail := describeErrorText(err, h)
	return sanitize(summary, 256, false), sanitizeDetail(detail)
}

// sanitizeDetail is sanitize for a diagnostic's detail: bounded, line breaks
// kept, and no line that starts with "Error:" (CI scripts grep for it to
// find the CLI's own error lines; CircleCI's message could bring one).
func sanitizeDetail(detail string) string {
	lines := strings.Split(detail, "\n")
	for i, l := range lines {
		if startsWithError(l) {
			lines[i] = "Cause: " + l
		}
	}
	return sanitize(strings.Join(lines, "\n"), maxDetailBytes, true)
}

// startsWithError reports whether a line, after leading blanks, starts with
// "Error:" in any case.
func startsWithError(line string) bool {
	trimmed := strings.TrimLeft(line, " \t")
	return len(trimmed) >= len("error:") && strings.EqualFold(trimmed[:len("error:")], "error:")
}

// failedPath is the request path an error is about, or "".
func failedPath(err error) string {
	var (
		apiErr  *circleci.APIError
		decErr  *circleci.DecodeError
		bigErr  *circleci.TooLargeError
		pageErr *circleci.PaginationError
		tranErr *circleci.TransportError
		pgErr   *circleci.PageError
	)
	switch {
	case errors.As(err, &apiErr):
		return apiErr.Path
	case errors.As(err, &decErr):
		return decErr.Path
	case errors.As(err, &bigErr):
		return bigErr.Path
	case errors.As(err, &pageErr):
		return pageErr.Path
	case errors.As(err, &tranErr):
		return tranErr.Path
	case errors.As(err, &pgErr):
		return pgErr.Path
	}
	return ""
}

func describeErrorText(err error, h endpointHints) (string, string) {
	var typed *circleci.OrgTypeError
	if h.orgType == "" && errors.As(err, &typed) {
		h = withOrgType(h, typed.OrgID, typed.VCSType)
	}
	var (
		apiErr   *circleci.APIError
		decErr   *circleci.DecodeError
		bigErr   *circleci.TooLargeError
		pageErr  *circleci.PaginationError
		tranErr  *circleci.TransportError
		redirErr *circleci.RedirectError
	)
	underlying := "\n\nCause: " + err.Error()
	if note := undocumentedEndpointNote(failedPath(err)); note != "" {
		underlying = "\n\n" + note + underlying
	}
	switch {
	case errors.Is(err, context.Canceled):
		return "Read of CircleCI " + h.what + " Cancelled",
			"The run was interrupted before CircleCI answered; nothing was read. Run it again." + underlying
	case errors.As(err, &redirErr):
		return "CircleCI Redirected to Another Host",
			"CircleCI (or a proxy in front of it) redirected the request to another origin. The provider does not follow it, " +
				"so that the API token is never sent to a host you did not configure. Check the provider's host and app_host settings." + underlying
	case errors.As(err, &apiErr):
		return describeAPIError(apiErr, h, underlying)
	case errors.As(err, &bigErr):
		return "CircleCI Response Too Large",
			fmt.Sprintf("CircleCI's answer was larger than the %d bytes the provider reads, so it was not used. "+
				"If host or app_host points at a proxy, check that it answers with CircleCI's API.", bigErr.Limit) + underlying
	case errors.As(err, &decErr):
		return "Unreadable CircleCI Response",
			"CircleCI answered, but the body is not the JSON the provider expects, so nothing was read. " +
				"If this persists, check that host and app_host point at CircleCI (not a proxy's error page) and report it if they do." + underlying
	case errors.As(err, &pageErr):
		return "Incomplete CircleCI Listing",
			"The provider could not follow CircleCI's listing to its end, and does not return a partial one. " +
				"Run again later; if it persists, report it with this error." + underlying
	case errors.As(err, &tranErr):
		if tranErr.Timeout {
			return "CircleCI Request Timed Out",
				"CircleCI did not answer in time. Run again; if CircleCI is slow, raise the provider's request_timeout " +
					"(or " + EnvRequestTimeout + ")." + underlying
		}
		return "Could Not Reach CircleCI",
			"The request got no answer from CircleCI (connection refused, reset, or a network error). Check the host and app_host " +
				"settings and your network, then run again." + underlying
	default:
		return "Unexpected Error Reading CircleCI " + h.what,
			"The read failed in a way the provider does not describe yet. Please report it." + underlying
	}
}

// runAgainAfter is the time a wait ends, for "run again after"; a wait too
// long to print as a date (a broken Retry-After) says so.
func runAgainAfter(wait time.Duration) string {
	if wait > 100*365*24*time.Hour {
		return "a wait longer than a century (CircleCI's Retry-After looks broken; run again later)"
	}
	return time.Now().Add(wait).UTC().Format(time.RFC1123)
}

func describeAPIError(e *circleci.APIError, h endpointHints, underlying string) (string, string) {
	switch code := e.StatusCode; {
	case code == http.StatusUnauthorized:
		return "CircleCI Rejected the API Token",
			"CircleCI answered 401 Unauthorized. Check that api_token (or " + EnvToken + " / " + EnvTokenAlt + ") holds a current " +
				"CircleCI personal API token (User Settings → Personal API Tokens): project and organization tokens are not accepted, " +
				"and revoked tokens stop working at once." + underlying
	case code == http.StatusForbidden:
		advice := h.forbidden
		if advice == "" {
			advice = "The token is valid but not allowed to read this. Use a personal API token of a user with access; project and " +
				"organization tokens are refused here."
		}
		return "CircleCI Denied Access to " + h.what, "CircleCI answered 403 Forbidden. " + advice + h.orgTypeSentence() + underlying
	case code == http.StatusNotFound:
		advice := h.notFound
		if advice == "" {
			advice = "Check the host setting: the path exists on CircleCI cloud and on CircleCI Server."
		}
		return "CircleCI " + h.what + " Not Found", "CircleCI answered 404 Not Found. " + advice + h.orgTypeSentence() + underlying
	case code == http.StatusBadRequest && h.badRequest != "":
		return "CircleCI Refused to List " + h.what, "CircleCI answered 400 Bad Request. " + h.badRequest + h.orgTypeSentence() + underlying
	case code == http.StatusTooManyRequests && e.RetryAfterTooLong:
		return "CircleCI Rate Limit Exceeded",
			fmt.Sprintf("CircleCI's rate limit was reached and it asked to wait %s, longer than the provider waits. "+
				"Run again after %s.", e.RetryAfter.Round(time.Second), runAgainAfter(e.RetryAfter)) + underlying
	case code == http.StatusServiceUnavailable && e.RetryAfterTooLong:
		return "CircleCI Temporarily Unavailable",
			fmt.Sprintf("CircleCI answered 503 Service Unavailable and asked to wait %s, longer than the provider waits. "+
				"Run again after %s; https://status.circleci.com (or your CircleCI Server installation) may say more.",
				e.RetryAfter.Round(time.Second), runAgainAfter(e.RetryAfter)) + underlying
	case code == http.StatusTooManyRequests:
		return "CircleCI Rate Limit Exceeded",
			fmt.Sprintf("CircleCI answered 429 Too Many Requests to all %d attempts. Wait a minute and run again; "+
				"reading fewer organizations at once, or raising max_retries, also helps.", e.Attempts) + underlying
	case code >= 500 && code != http.StatusNotImplemented: // 501 will not go away on a retry
		return "CircleCI Server Error",
			fmt.Sprintf("CircleCI answered %d after %d attempt(s). This is usually temporary: check https://status.circleci.com "+
				"(or your CircleCI Server installation) and run again.", code, max(e.Attempts, 1)) + underlying
	default:
		return "Unexpected CircleCI Response",
			fmt.Sprintf("CircleCI answered %d, which the provider does not expect here. Check the provider's settings; "+
				"if they are right, please report it.", code) + underlying
	}
}

// maxListedPeople is how many people a warning lists before "and N more".
const maxListedPeople = 20

// person is someone a warning names: by login and id, never by email
// (logins are not unique across identity providers; ids are).
type person struct{ ID, Login string }

func (p person) String() string {
	if p.Login == "" {
		return "id " + p.ID
	}
	return fmt.Sprintf("%s (id %s)", p.Login, p.ID)
}

// peopleByID is the members whose ids are in ids, in the order of ids, each
// with the login the members listing gave (empty when it gave none).
func peopleByID(members []MemberModel, ids []string) []person {
	login := make(map[string]string, len(members))
	for _, m := range members {
		login[m.ID.ValueString()] = m.Login.ValueString()
	}
	out := make([]person, len(ids))
	for i, id := range ids {
		out[i] = person{ID: id, Login: login[id]}
	}
	return out
}

// listPeople is people as a warning lists them: at most maxListedPeople,
// then "and N more".
func listPeople(people []person) string {
	listed := people
	more := ""
	if len(people) > maxListedPeople {
		listed, more = people[:maxListedPeople], fmt.Sprintf(" and %d more", len(people)-maxListedPeople)
	}
	names := make([]string, len(listed))
	for i, p := range listed {
		names[i] = p.String()
	}
	return strings.Join(names, ", ") + more
}

// deletedMembersWarning says that some members could not be looked up
// (CircleCI answered 404 for them: deleted users) and keep null details.
// It names them by login and id, never by email.
func deletedMembersWarning(orgID string, people []person) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Some CircleCI Users Could Not Be Looked Up",
		sanitizeDetail(fmt.Sprintf("Organization %s lists %d member(s) for whom CircleCI answered 404 Not Found on GET /api/v2/user/{id}, "+
			"usually because the user was deleted: %s. They are still listed, with name and vcs_login null. "+
			"Nothing needs doing unless they persist; an organization admin can remove them from the organization.",
			orgID, len(people), listPeople(people))))
}

// deletedUsersWarning is deletedMembersWarning for callers that know only
// the ids.
func deletedUsersWarning(orgID string, ids []string) diag.Diagnostic {
	people := make([]person, len(ids))
	for i, id := range ids {
		people[i] = person{ID: id}
	}
	return deletedMembersWarning(orgID, people)
}
