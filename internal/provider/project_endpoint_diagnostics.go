package provider

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

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
