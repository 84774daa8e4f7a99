package provider

// The project selection shared by every project-scoped posture data source
// (circleci_project_settings, circleci_project_credentials,
// circleci_pipeline_triggers): the optional project_ids argument, the
// projects it selects (in the order of circleci_projects), and which API
// family applies to each project, decided from the project's own slug.

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
	"github.com/circleci-access/terraform-provider-circleci/internal/validators"
)

// projectIDsAttribute is the optional project_ids argument: a list of
// project UUIDs, each checked at plan time (before any request). Null means
// every project of the organization.
func projectIDsAttribute() schema.ListAttribute {
	return schema.ListAttribute{
		MarkdownDescription: "Read only these projects (project IDs, UUIDs; `circleci_projects` lists them). Each must be a project " +
			"of the organization, else the read fails naming it; an ID given twice is read once. `projects` keeps the order of " +
			"`circleci_projects` whatever the order here. Default: every project of the organization.",
		ElementType: types.StringType,
		Optional:    true,
		Validators: []validator.List{
			listvalidator.NoNullValues(),
			listvalidator.ValueStringsAre(validators.UUID("The ids attribute of data source circleci_projects lists an organization's projects.")),
		},
	}
}

// projectFamily is the kind of CircleCI project a slug names, which decides
// which endpoints apply to it. It is read from the project's own slug, never
// from the organization's type: a gh/… project can live in a standalone
// organization.
type projectFamily string

const (
	// familyGitHubOAuth: gh/<org>/<repo> (or github/…), a project of the
	// GitHub OAuth integration.
	familyGitHubOAuth projectFamily = "github"
	// familyBitbucketOAuth: bb/<org>/<repo> (or bitbucket/…), a Bitbucket
	// Cloud OAuth project.
	familyBitbucketOAuth projectFamily = "bitbucket"
	// familyStandalone: circleci/<org>/<project>, a standalone project
	// (GitHub App, GitLab, Bitbucket Data Center).
	familyStandalone projectFamily = "circleci"
	// familyUnknown: any other prefix. CircleCI documents none, so every
	// endpoint is read as if it applied: toward more exposure, never a
	// "not applicable" that could hide something.
	familyUnknown projectFamily = ""
)

// projectFamilyOf is the family of a project slug, by its first segment
// (case-insensitive): gh and github, bb and bitbucket, circleci (CircleCI's
// how-to-find-ids page and the v2 OpenAPI project-slug parameter).
func projectFamilyOf(slug string) projectFamily {
	vcs, _, _ := strings.Cut(slug, "/")
	switch strings.ToLower(vcs) {
	case "gh", "github":
		return familyGitHubOAuth
	case "bb", "bitbucket":
		return familyBitbucketOAuth
	case "circleci":
		return familyStandalone
	}
	return familyUnknown
}

// isOAuth reports a GitHub or Bitbucket OAuth project.
func (f projectFamily) isOAuth() bool { return f == familyGitHubOAuth || f == familyBitbucketOAuth }

// isStandalone reports a standalone (circleci/…) project.
func (f projectFamily) isStandalone() bool { return f == familyStandalone }

// scopedProject is one project a project-scoped data source reads.
type scopedProject struct {
	circleci.Project
	Family projectFamily
}

// readProjectScope returns the projects to read: every project of the
// organization, or those of ids (when ids is not nil), always in the order
// of circleci_projects (lower-cased slug, then id), each once. It reads the
// organization's projects listing once per run (shared with
// circleci_projects and circleci_org_access). An id that is not a project of
// the organization is an attribute error naming it; ok is false when the
// read must stop.
func readProjectScope(ctx context.Context, c *circleci.Client, orgID string, ids []string, diags *diag.Diagnostics) ([]scopedProject, bool) {
	projects, err := c.Projects(ctx, orgID)
	if err != nil {
		diags.Append(errorDiagnostic(err, projectsHints(orgID)))
		return nil, false
	}
	return selectProjects(orgID, projects, ids, diags)
}

// selectProjects is readProjectScope's pure part.
func selectProjects(orgID string, projects []circleci.Project, ids []string, diags *diag.Diagnostics) ([]scopedProject, bool) {
	var wanted map[string]bool
	if ids != nil {
		known := make(map[string]bool, len(projects))
		for _, p := range projects {
			known[strings.ToLower(p.ID)] = true
		}
		wanted = make(map[string]bool, len(ids))
		for i, id := range ids {
			id = strings.ToLower(id)
			if !known[id] {
				diags.AddAttributeError(path.Root("project_ids").AtListIndex(i), "Project Not in Organization",
					fmt.Sprintf("Project %s is not among the projects of organization %s that the token can see "+
						"(GET /api/private/project, which CircleCI does not document). Check project_ids: the ids attribute of "+
						"circleci_projects lists the organization's projects. Nothing was read for the other projects.", id, orgID))
				continue
			}
			wanted[id] = true
		}
		if diags.HasError() {
			return nil, false
		}
	}
	sorted := sortedProjects(projects)
	out := make([]scopedProject, 0, len(sorted))
	for _, p := range sorted {
		if wanted != nil && !wanted[strings.ToLower(p.ID)] {
			continue
		}
		out = append(out, scopedProject{Project: p, Family: projectFamilyOf(p.Slug)})
	}
	return out, true
}

// scopedProjectIDs are the ids of projects, in order.
func scopedProjectIDs(projects []scopedProject) []string {
	ids := make([]string, len(projects))
	for i, p := range projects {
		ids[i] = p.ID
	}
	return ids
}

// ProjectReadError is a failed read of one project's endpoint: its text
// names the project by slug and id before the client's error, which names
// the endpoint.
type ProjectReadError struct {
	ID, Slug string
	Err      error
}

func (e *ProjectReadError) Error() string {
	return "project " + e.Slug + " (" + e.ID + "): " + e.Err.Error()
}
func (e *ProjectReadError) Unwrap() error { return e.Err }

// projectError wraps err (nil stays nil) with the project it is about.
func projectError(p scopedProject, err error) error {
	if err == nil {
		return nil
	}
	return &ProjectReadError{ID: p.ID, Slug: p.Slug, Err: err}
}
