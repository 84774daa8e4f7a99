package provider

import (
	"fmt"
	"strings"
)

// The CircleCI endpoints the provider reads that CircleCI does not document:
// its web app calls them, and public third-party clients are written against
// them (../shared/CIRCLECI-API.md marks them [O]). This list is the one
// place they are named: the README and docs/index.md show
// UndocumentedEndpointsMarkdown() verbatim (TestUndocumentedEndpointsInDocs),
// and a diagnostic about a request to one of them says so
// (undocumentedEndpointNote).

// catalogEndpoint is one undocumented endpoint.
type catalogEndpoint struct {
	// path is the request path with {placeholders} for its variable
	// segments, as a diagnostic names it.
	path string
	// appHost is true when the endpoint is on app_host, not host.
	appHost bool
	// what it gives, in a few words.
	what string
	// dataSources that read it.
	dataSources []string
	// server says whether CircleCI Server serves it, as far as is known.
	server string
}

var undocumentedEndpoints = []catalogEndpoint{
	{
		path: "/private/ciam/orgs/{org_id}/role-grants", appHost: true, what: "the members of an organization and their roles",
		dataSources: []string{"circleci_org_members", "circleci_org_member", "circleci_org_access", "circleci_secret_exposure"},
		server:      "not known",
	},
	{
		path: "/private/ciam/orgs/{org_id}/groups/{group_id}/users", appHost: true, what: "the members of a group",
		dataSources: []string{"circleci_groups", "circleci_org_access", "circleci_secret_exposure"},
		server:      "not known",
	},
	{
		path: "/api/private/project", what: "the projects of an organization (`?organization-id=…`)",
		dataSources: []string{"circleci_projects", "circleci_org_access", "circleci_project_settings",
			"circleci_project_credentials", "circleci_pipeline_triggers", "circleci_secret_exposure"},
		server: "no",
	},
	{
		path: "/private/ciam/orgs/{org_id}/projects/{project_id}/role-grants", appHost: true, what: "the users granted a role on a project",
		dataSources: []string{"circleci_project_members", "circleci_org_access", "circleci_secret_exposure"},
		server:      "not known",
	},
	{
		path: "/api/v2/organizations/{org_id}/projects/{project_id}/groups", what: "the groups granted a role on a project",
		dataSources: []string{"circleci_project_members", "circleci_org_access", "circleci_secret_exposure"},
		server:      "no",
	},
	{
		path: "/api/v3/orgs/{org_id}/settings", what: "the organization's settings (CircleCI's CLI reads it; the published reference does not have it)",
		dataSources: []string{"circleci_org_settings", "circleci_org_access", "circleci_secret_exposure"},
		server:      "no",
	},
	{
		path: "/private/ciam/orgs/{org_id}/sso/enforced", appHost: true, what: "whether SSO is enforced",
		dataSources: []string{"circleci_org_settings"},
		server:      "no",
	},
	{
		path: "/api/v2/organizations/{org_id}/audit-log/configs", what: "the organization's audit-log streaming configurations (never their credentials)",
		dataSources: []string{"circleci_org_settings"},
		server:      "no",
	},
	{
		path: "/api/v1.1/project/{vcs}/{org}/{repo}/token", what: "a project's API tokens (never the tokens themselves)",
		dataSources: []string{"circleci_project_credentials"},
		server:      "not known",
	},
}

// display is the endpoint as users read it: GET, the host it is on, the path.
func (e catalogEndpoint) display() string {
	if e.appHost {
		return "GET {app_host}" + e.path
	}
	return "GET " + e.path
}

// matches reports whether a request path (without query) is this endpoint:
// each {placeholder} matches one non-empty path segment.
func (e catalogEndpoint) matches(path string) bool {
	want := strings.Split(e.path, "/")
	got := strings.Split(path, "/")
	if len(want) != len(got) {
		return false
	}
	for i, w := range want {
		if strings.HasPrefix(w, "{") && strings.HasSuffix(w, "}") {
			if got[i] == "" {
				return false
			}
			continue
		}
		if w != got[i] {
			return false
		}
	}
	return true
}

// undocumentedEndpointFor is the catalog entry of a request path, if any.
func undocumentedEndpointFor(path string) (catalogEndpoint, bool) {
	for _, e := range undocumentedEndpoints {
		if e.matches(path) {
			return e, true
		}
	}
	return catalogEndpoint{}, false
}

// undocumentedEndpointNote is what a diagnostic adds about a failed request
// to path: nothing for a documented endpoint.
func undocumentedEndpointNote(path string) string {
	e, ok := undocumentedEndpointFor(path)
	if !ok {
		return ""
	}
	return fmt.Sprintf("CircleCI does not document this endpoint, %s (CircleCI's web app uses it), so it may have changed: "+
		"if the error persists with the token of an organization admin, please report it.", e.display())
}

// UndocumentedEndpointsMarkdown is the table of undocumented endpoints that
// README.md and docs/index.md include word for word.
func UndocumentedEndpointsMarkdown() string {
	var b strings.Builder
	b.WriteString("| undocumented endpoint | what it gives | read by | CircleCI Server |\n|---|---|---|---|\n")
	for _, e := range undocumentedEndpoints {
		ds := make([]string, len(e.dataSources))
		for i, d := range e.dataSources {
			ds[i] = "`" + d + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", e.display(), e.what, strings.Join(ds, ", "), e.server)
	}
	return b.String()
}

// vcsLoginDoc is what vcs_login is, as CircleCI says it (its OpenAPI, the
// "login" of GET /api/v2/user/{id}), for the schemas that expose it.
const vcsLoginDoc = "`login` of `GET /api/v2/user/{id}`, which CircleCI's OpenAPI describes as \"The login information for the user on the VCS.\" " +
	"CircleCI does not document what it holds for a user with no VCS identity (say, a standalone organization's user who signed up " +
	"by email): compare it with a GitHub or Bitbucket login only when the user has one there."
