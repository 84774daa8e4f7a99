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
}

var organizationsHints = endpointHints{what: "Organizations"}

func membersHints(orgID string) endpointHints {
	vcs := "If it is a GitHub or Bitbucket organization (vcs_type \"github\" or \"bitbucket\" in circleci_organizations), " +
		"CircleCI takes its members and roles from the VCS and does not list them: read them from GitHub or Bitbucket instead. " +
		"Only standalone organizations (vcs_type \"circleci\") have members listed by CircleCI."
	return endpointHints{
		what: "Organization Members",
		notFound: fmt.Sprintf("CircleCI found no organization %s that this token can see. Check the ID "+
			"(circleci_organizations lists the ones the token's user belongs to) and that the token's user is a member. ", orgID) + vcs,
		forbidden: fmt.Sprintf("The token's user cannot read the members of organization %s: the user may not be a member, "+
			"or not have a role that can see members. ", orgID) + vcs,
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
	return sanitize(summary, 256, false), sanitize(detail, maxDetailBytes, true)
}

func describeErrorText(err error, h endpointHints) (string, string) {
	var (
		apiErr   *circleci.APIError
		decErr   *circleci.DecodeError
		bigErr   *circleci.TooLargeError
		pageErr  *circleci.PaginationError
		tranErr  *circleci.TransportError
		redirErr *circleci.RedirectError
	)
	underlying := "\n\nError: " + err.Error()
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
		return "CircleCI Denied Access to " + h.what, "CircleCI answered 403 Forbidden. " + advice + underlying
	case code == http.StatusNotFound:
		advice := h.notFound
		if advice == "" {
			advice = "Check the host setting: the path exists on CircleCI cloud and on CircleCI Server."
		}
		return "CircleCI " + h.what + " Not Found", "CircleCI answered 404 Not Found. " + advice + underlying
	case code == http.StatusBadRequest && h.badRequest != "":
		return "CircleCI Refused to List " + h.what, "CircleCI answered 400 Bad Request. " + h.badRequest + underlying
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

// maxListedIDs is how many user ids a warning lists before "and N more".
const maxListedIDs = 20

// deletedUsersWarning says that some members could not be looked up
// (CircleCI answered 404 for them: deleted users) and keep null details.
// It names them by id, never by email.
func deletedUsersWarning(orgID string, ids []string) diag.Diagnostic {
	listed := ids
	more := ""
	if len(ids) > maxListedIDs {
		listed, more = ids[:maxListedIDs], fmt.Sprintf(" and %d more", len(ids)-maxListedIDs)
	}
	return diag.NewWarningDiagnostic("Some CircleCI Users Could Not Be Looked Up",
		sanitize(fmt.Sprintf("Organization %s lists %d member(s) for whom CircleCI answered 404 Not Found on GET /api/v2/user/{id}, "+
			"usually because the user was deleted: %s%s. They are still listed, with name and vcs_login null. "+
			"Nothing needs doing unless they persist; an organization admin can remove them from the organization.",
			orgID, len(ids), strings.Join(listed, ", "), more), maxDetailBytes, true))
}
