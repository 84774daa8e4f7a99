package provider

// The project selection shared by every project-scoped posture data source
// (circleci_project_settings, circleci_project_credentials,
// circleci_pipeline_triggers): the optional project_ids argument, the
// projects it selects (in the order of circleci_projects), and which API
// family applies to each project, decided from the project's own slug.

import (
	"context"
	"errors"
	"fmt"
	"sort"
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

// Diagnostics of the per-project posture endpoints.

// Diagnostics of the per-project endpoints of circleci_project_credentials
// and circleci_pipeline_triggers: which endpoint failed, for which project,
// whether CircleCI documents it, and what to do.

// projectEndpoint names one per-project endpoint: the attribute it fills,
// its path pattern, and how to leave it out.
type projectEndpoint struct {
	attr       string // environment_variables, checkout_keys, …
	path       string // GET pattern, as the docs name it
	documented bool
	skip       string // how to read without it; "" when it cannot be skipped
	// onServer says whether CircleCI Server serves it, for a 404.
	onServer string
}

var (
	endpointEnvVars = projectEndpoint{attr: "environment_variables", path: "GET /api/v2/project/{project-slug}/envvar", documented: true,
		skip: "include_environment_variables = false", onServer: "CircleCI Server serves it too. "}
	endpointCheckoutKeys = projectEndpoint{attr: "checkout_keys", path: "GET /api/v2/project/{project-slug}/checkout-key", documented: true,
		skip: "include_checkout_keys = false", onServer: "CircleCI Server serves it too. "}
	endpointAPITokens = projectEndpoint{attr: "api_tokens", path: "GET /api/v1.1/project/{project-slug}/token",
		skip: "include_api_tokens = false", onServer: "Whether CircleCI Server serves it is not known. "}
	endpointSchedules = projectEndpoint{attr: "schedules", path: "GET /api/v2/project/{project-slug}/schedule", documented: true,
		onServer: "CircleCI Server does not serve legacy schedules. "}
	// Pipeline definitions and triggers are in CircleCI's current API
	// reference, though not in the OpenAPI copy the fake is checked against.
	endpointDefinitions = projectEndpoint{attr: "definitions", path: "GET /api/v2/projects/{project_id}/pipeline-definitions " +
		"and …/pipeline-definitions/{id}/triggers", documented: true, onServer: "CircleCI Server does not serve pipeline definitions or triggers. "}
)

// projectEndpointError is a failed per-project read: the endpoint and the
// project it was read for.
type projectEndpointError struct {
	endpoint projectEndpoint
	project  scopedProject
	err      error
}

func (e *projectEndpointError) Error() string { return e.err.Error() }
func (e *projectEndpointError) Unwrap() error { return e.err }

// projectEndpointDiagnostic is the error diagnostic of a failed
// per-project read, with advice for that endpoint and project.
func projectEndpointDiagnostic(err error, what string) diag.Diagnostic {
	var pe *projectEndpointError
	if !errors.As(err, &pe) {
		return errorDiagnostic(err, endpointHints{what: what})
	}
	e, p := pe.endpoint, pe.project
	where := fmt.Sprintf("%s of project %s (%s, %s). ", e.path, p.Slug, p.Name, p.ID)
	doc := ""
	if !e.documented {
		doc = "CircleCI does not document this endpoint (v1.1; the provider reads it as the community tool circleci-org-migration-cli does), so it may have changed. "
	}
	skip := ""
	if e.skip != "" {
		skip = "Set " + e.skip + " to read without it, or project_ids to leave the project out. "
	} else {
		skip = "Set project_ids to leave the project out. "
	}
	h := endpointHints{
		what:      what,
		forbidden: "The token's user cannot read " + where + "The user may lack access to the project, or a role that can read its " + e.attr + " (CircleCI does not publish which). " + skip + doc,
		notFound: "CircleCI found no " + where + "The project may have been deleted or renamed during the run: run again. " +
			e.onServer + skip + doc,
		badRequest: "CircleCI refused " + where + skip + doc,
	}
	return errorDiagnostic(err, h)
}

// notApplicableWarning says which projects CircleCI answered 400 "not
// supported for this project" for, on an endpoint the project's slug says
// applies: the attribute is null for them, not an empty list.
func notApplicableWarning(byEndpoint map[string][]string) diag.Diagnostics {
	var diags diag.Diagnostics
	attrs := make([]string, 0, len(byEndpoint))
	for a := range byEndpoint {
		attrs = append(attrs, a)
	}
	sort.Strings(attrs)
	for _, a := range attrs {
		slugs := byEndpoint[a]
		listed, more := slugs, ""
		if len(slugs) > maxListedPeople {
			listed, more = slugs[:maxListedPeople], fmt.Sprintf(" and %d more", len(slugs)-maxListedPeople)
		}
		diags.AddWarning("CircleCI Says "+a+" Does Not Apply to Some Projects",
			sanitizeDetail(fmt.Sprintf("CircleCI answered 400 \"not supported for this project\" when asked for the %s of %d project(s): %s%s. "+
				"Their %s is null, and not_applicable lists %q: CircleCI did not say they hold none. "+
				"Nothing needs doing unless you expected them to have %s.",
				a, len(slugs), strings.Join(listed, ", "), more, a, a, a)))
	}
	return diags
}

// projectTriggers is what was read for one project; nil was not asked for.
type projectTriggers struct {
	schedules   *circleci.ProjectListing[circleci.Schedule]
	definitions circleci.ProjectListing[circleci.DefinitionTriggers]
}

// legacySchedulesApply: the legacy schedule API is for GitHub OAuth and
// Bitbucket Cloud projects, not standalone ones. A slug of another form is
// read (toward more exposure).
func legacySchedulesApply(f projectFamily) bool { return !f.isStandalone() }

func readProjectTriggers(ctx context.Context, c *circleci.Client, p scopedProject) (projectTriggers, error) {
	var out projectTriggers
	tag := func(e projectEndpoint, err error) error {
		return &projectEndpointError{endpoint: e, project: p, err: err}
	}
	if legacySchedulesApply(p.Family) {
		l, err := c.Schedules(ctx, p.Slug)
		if err != nil {
			return out, tag(endpointSchedules, err)
		}
		out.schedules = &l
	}
	defs, err := c.PipelineDefinitionsWithTriggers(ctx, p.ID)
	if err != nil {
		return out, tag(endpointDefinitions, err)
	}
	out.definitions = defs
	return out, nil
}
