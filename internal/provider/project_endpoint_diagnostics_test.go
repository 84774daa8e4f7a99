package provider

import (
	"strings"
	"testing"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

// The wording of the per-project endpoints' errors: which endpoint, which
// project, how to leave it out, whether CircleCI documents it and serves it
// on CircleCI Server.
func TestProjectEndpointDiagnostic(t *testing.T) {
	p := scopedProject{Project: circleci.Project{ID: testProjectWeb, Slug: "gh/acme/web", Name: "web"}, Family: familyGitHubOAuth}
	api := func(code int) error {
		return &circleci.APIError{Path: "/p", StatusCode: code, Message: "CircleCI says no.", Attempts: 1}
	}
	tests := []struct {
		name        string
		err         error
		wantSummary string
		want, not   []string
	}{
		{"403 variables", &projectEndpointError{endpoint: endpointEnvVars, project: p, err: api(403)}, "CircleCI Denied Access to Things",
			[]string{"GET /api/v2/project/{project-slug}/envvar of project gh/acme/web (web, " + testProjectWeb + ")",
				"include_environment_variables = false", "CircleCI says no."}, []string{"does not document"}},
		{"404 tokens: undocumented, Server unknown", &projectEndpointError{endpoint: endpointAPITokens, project: p, err: api(404)}, "CircleCI Things Not Found",
			[]string{"/api/v1.1/project/{project-slug}/token", "Whether CircleCI Server serves it is not known", "include_api_tokens = false",
				"does not document this endpoint"}, nil},
		{"404 definitions: not on Server, cannot be left out", &projectEndpointError{endpoint: endpointDefinitions, project: p, err: api(404)}, "CircleCI Things Not Found",
			[]string{"pipeline-definitions", "CircleCI Server does not serve pipeline definitions", "Set project_ids to leave the project out"},
			[]string{"include_", "does not document"}},
		{"400 schedules", &projectEndpointError{endpoint: endpointSchedules, project: p, err: api(400)}, "CircleCI Refused to List Things",
			[]string{"CircleCI refused GET /api/v2/project/{project-slug}/schedule of project gh/acme/web", "project_ids"}, nil},
		{"another error keeps the generic wording", api(403), "CircleCI Denied Access to Things", []string{"CircleCI says no."}, []string{"project_ids"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := projectEndpointDiagnostic(tc.err, "Things")
			if d.Summary() != tc.wantSummary {
				t.Errorf("summary %q, want %q", d.Summary(), tc.wantSummary)
			}
			for _, w := range tc.want {
				if !strings.Contains(d.Detail(), w) {
					t.Errorf("detail lacks %q:\n%s", w, d.Detail())
				}
			}
			for _, n := range tc.not {
				if strings.Contains(d.Detail(), n) {
					t.Errorf("detail must not contain %q:\n%s", n, d.Detail())
				}
			}
		})
	}
}

func TestNotApplicableWarning(t *testing.T) {
	if d := notApplicableWarning(map[string][]string{}); len(d) != 0 {
		t.Errorf("no projects, want no warning: %v", d)
	}
	slugs := make([]string, maxListedPeople+3)
	for i := range slugs {
		slugs[i] = "gh/acme/p" + string(rune('a'+i))
	}
	d := notApplicableWarning(map[string][]string{"schedules": {"gh/acme/web"}, "checkout_keys": slugs})
	if len(d) != 2 || d[0].Summary() != "CircleCI Says checkout_keys Does Not Apply to Some Projects" {
		t.Fatalf("want one warning per attribute, sorted: %v", d)
	}
	if !strings.Contains(d[0].Detail(), "and 3 more") || !strings.Contains(d[1].Detail(), "gh/acme/web") ||
		!strings.Contains(d[1].Detail(), `not_applicable lists "schedules"`) {
		t.Errorf("details:\n%s\n%s", d[0].Detail(), d[1].Detail())
	}
}
