package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

// The list of undocumented endpoints is one list in code: README.md, the
// provider page's template and the generated docs/index.md show it word for
// word, so they cannot drift from what the diagnostics say.
func TestUndocumentedEndpointsInDocs(t *testing.T) {
	table := UndocumentedEndpointsMarkdown()
	for _, f := range []string{"README.md", filepath.Join("templates", "index.md.tmpl"), filepath.Join("docs", "index.md")} {
		b, err := os.ReadFile(filepath.Join("..", "..", f)) //nolint:gosec // G304: a file of this repository
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), table) {
			t.Errorf("%s does not contain the undocumented endpoints table of endpoints_catalog.go word for word:\n%s", f, table)
		}
	}
}

// Each endpoint of the catalog is the path the client requests, and a
// diagnostic about it says it is undocumented; a documented one says
// nothing.
func TestUndocumentedEndpointNote(t *testing.T) {
	const org, id = "1e5f6a0c-7b0d-4c7e-9a35-3f0e8c1b2a10", "2e5f6a0c-7b0d-4c7e-9a35-3f0e8c1b2a10"
	tokens, err := circleci.ProjectAPITokensPath("gh/acme/api")
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{
		circleci.OrgRoleGrantsPath(org), circleci.GroupMembersPath(org, id), circleci.ProjectsPath,
		circleci.ProjectRoleGrantsPath(org, id), circleci.ProjectGroupsPath(org, id),
		circleci.OrgSettingsPath(org), circleci.SSOEnforcedPath(org), circleci.AuditLogConfigsPath(org), tokens,
	}
	for _, p := range paths {
		e, ok := undocumentedEndpointFor(p)
		if !ok {
			t.Errorf("%s is not in the catalog", p)
			continue
		}
		if note := undocumentedEndpointNote(p); !strings.Contains(note, e.display()) || !strings.Contains(note, "does not document") {
			t.Errorf("note for %s: %q", p, note)
		}
		_, detail := describeError(&circleci.APIError{Path: p, StatusCode: 500, Attempts: 1}, organizationsHints)
		if !strings.Contains(detail, e.display()) {
			t.Errorf("a diagnostic about %s does not name it as undocumented:\n%s", p, detail)
		}
	}
	if len(undocumentedEndpoints) != len(paths) {
		t.Errorf("the catalog has %d endpoints; this test checks %d: add the new one above", len(undocumentedEndpoints), len(paths))
	}
	for _, p := range []string{"/api/v2/me", circleci.GroupsPath(org), circleci.ContextsPath, circleci.ContextRestrictionsPath(id),
		"/private/ciam/orgs//role-grants", "/private/ciam/orgs/" + org + "/role-grants/x"} {
		if note := undocumentedEndpointNote(p); note != "" {
			t.Errorf("documented %s has a note: %q", p, note)
		}
	}
}
