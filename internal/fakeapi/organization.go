package fakeapi

import (
	"net/http"
	"net/url"
	"strings"
)

// PathOrganizationPrefix is the start of GET /api/v2/organization/{org-slug-or-id}.
const PathOrganizationPrefix = "/api/v2/organization/"

// MsgOrgNotFoundV2 is the 404 message of /api/v2/organization/{org-slug-or-id},
// for an organization that does not exist and for one the token cannot see.
const MsgOrgNotFoundV2 = "Org not found."

// Organization is the body of GET /api/v2/organization/{org-slug-or-id}:
// unlike /me/collaborations, the key is vcs_type with an underscore.
type Organization struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Slug    string `json:"slug"`
	VCSType string `json:"vcs_type"`
}

// OrganizationPath is the path of GET /api/v2/organization/{slugOrID} as a
// client sends it: the slug path-escaped into one segment (gh%2Facme).
func OrganizationPath(slugOrID string) string {
	return PathOrganizationPrefix + url.PathEscape(slugOrID)
}

// OrganizationRequestPath is the same path as the fake records it in
// Requests and RequestCount, and as a Fault matches it: unescaped.
func OrganizationRequestPath(slugOrID string) string { return PathOrganizationPrefix + slugOrID }

// routeOrganization serves /api/v2/organization/{org-slug-or-id}. It reads the
// escaped path, since the slug's '/' arrives as %2F: an unescaped slug is two
// path segments, which CircleCI's documented route does not have (404).
func routeOrganization(escapedPath string) apiHandler {
	rest, ok := strings.CutPrefix(escapedPath, PathOrganizationPrefix)
	if !ok || rest == "" || strings.Contains(rest, "/") {
		return nil
	}
	key, err := url.PathUnescape(rest)
	if err != nil || key == "" {
		return nil
	}
	return func(w http.ResponseWriter, _ *http.Request, fx *Fixture) {
		org, found := fx.organization(key)
		if !found {
			writeError(w, http.StatusNotFound, MsgOrgNotFoundV2)
			return
		}
		writeJSON(w, http.StatusOK, org)
	}
}

// vcsAliases maps a slug's VCS part to its VCS type: CircleCI's slugs use the
// short forms (gh, bb), and its routes accept the long ones too.
var vcsAliases = map[string]string{
	"gh": "github", "github": "github",
	"bb": "bitbucket", "bitbucket": "bitbucket",
	"circleci": "circleci",
}

// organization finds an organization the token can see: a collaboration with
// a non-null id, by id or by slug (VCS part in short or long form, name
// without regard to case). Accounts with a null id were never set up on
// CircleCI and are not found, like organizations the token cannot see.
func (f *Fixture) organization(key string) (Organization, bool) {
	vcs, name, isSlug := strings.Cut(key, "/")
	if isSlug {
		vcs = vcsAliases[strings.ToLower(vcs)]
		if vcs == "" || name == "" || strings.Contains(name, "/") {
			return Organization{}, false
		}
	}
	for _, c := range f.Collaborations {
		if c.ID == nil {
			continue
		}
		if isSlug {
			cv, cn, _ := strings.Cut(c.Slug, "/")
			if vcsAliases[strings.ToLower(cv)] != vcs || !strings.EqualFold(cn, name) {
				continue
			}
		} else if !strings.EqualFold(*c.ID, key) {
			continue
		}
		return Organization{ID: *c.ID, Name: c.Name, Slug: c.Slug, VCSType: c.VCSType}, true
	}
	return Organization{}, false
}
