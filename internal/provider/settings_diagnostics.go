package provider

import "fmt"

// Endpoint hints for the settings data sources (circleci_org_settings,
// circleci_project_settings): which endpoint failed, whether CircleCI
// documents it, and what to do on 400/403/404.

func projectSettingsHints(orgID string) endpointHints {
	what := fmt.Sprintf("a project of organization %s (named in the error below, with the endpoint: GET /api/v2/project/{slug}/settings, "+
		"GET /api/v2/org/{org_id}/project/{project_id}/oidc-custom-claims or GET /api/v2/webhook, all documented by CircleCI). ", orgID)
	return endpointHints{
		what: "Project Settings",
		forbidden: "The token's user cannot read the settings of " + what + "Reading project settings needs a user who can see the " +
			"project (for webhooks and OIDC claims, often a project or organization admin). Use a personal API token of an organization " +
			"admin, or narrow project_ids to the projects the user can read.",
		notFound: "CircleCI found no settings for " + what + "The project may have been deleted during the run (run again), or the " +
			"token's user cannot see it: CircleCI answers 404 for both. On CircleCI Server, check the host setting.",
		badRequest: "CircleCI does not serve this endpoint for " + what + "The provider does not guess what the project's settings are: " +
			"leave the project out of project_ids, and report it if the project is an ordinary one.",
	}
}

func orgSettingsReadHints(orgID string) endpointHints {
	return endpointHints{
		what: "Organization Settings",
		notFound: fmt.Sprintf("CircleCI found no settings of organization %s that this token can see (GET /api/v3/orgs/{id}/settings): "+
			"API v3 answers 404, not 403, for an organization the token cannot see. Check the ID (circleci_organizations lists the "+
			"organizations the token can see). CircleCI Server does not serve API v3: this data source needs CircleCI cloud. ", orgID) +
			"This endpoint is not in CircleCI's published API v2 reference (CircleCI's CLI reads it), so it may also have changed.",
		forbidden: fmt.Sprintf("The token's user cannot read the settings of organization %s (GET /api/v3/orgs/{id}/settings). "+
			"Reading organization settings may need an organization admin's token. ", orgID) +
			"This endpoint is not in CircleCI's published API v2 reference (CircleCI's CLI reads it), so it may also have changed.",
	}
}

func orgOIDCHints(orgID string) endpointHints {
	what := fmt.Sprintf("the OIDC custom claims of organization %s (GET /api/v2/org/{org_id}/oidc-custom-claims, documented). ", orgID)
	return endpointHints{
		what:      "Organization OIDC Claims",
		forbidden: "The token's user cannot read " + what + "Check the ID (circleci_organizations lists the organizations the token can see); reading the claims may need an organization admin's token.",
		notFound:  "CircleCI does not serve " + what + "Check the host setting.",
	}
}

func auditLogHints(orgID string) endpointHints {
	what := fmt.Sprintf("the audit-log streaming configurations of organization %s (GET /api/v2/organizations/{org_id}/audit-log/configs). ", orgID)
	return endpointHints{
		what: "Audit-Log Streams",
		forbidden: "The token's user cannot read " + what + "Audit-log streaming is a Scale-plan feature and its configuration an " +
			"organization admin's: use an organization admin's token, or set include_audit_log_streams = false to read the other " +
			"settings without them.",
		notFound: "CircleCI does not serve " + what + "CircleCI Server does not have this endpoint; on CircleCI cloud, check the host setting. " +
			"Set include_audit_log_streams = false to read the other settings without them.",
	}
}

func ssoHints(orgID string) endpointHints {
	what := fmt.Sprintf("whether organization %s enforces SSO (GET {app_host}/private/ciam/orgs/{org_id}/sso/enforced). ", orgID)
	return endpointHints{
		what: "SSO Enforcement",
		forbidden: "The token's user cannot read " + what + "If the organization enforces SSO, the personal API token must be authorised " +
			"for it (CircleCI → User Settings → Personal API Tokens). Set include_sso = false to read the other settings without it.",
		notFound: "CircleCI does not serve " + what + "CircleCI Server does not have this endpoint; on CircleCI cloud, check the app_host " +
			"setting. Set include_sso = false to read the other settings without it.",
	}
}

// undocumentedEndpointError marks an error of an endpoint CircleCI does not
// document, so that every diagnostic about it says so, whatever its class
// (a status, an unreadable body, a timeout).
type undocumentedEndpointError struct{ err error }

func (e *undocumentedEndpointError) Error() string {
	return e.err.Error() + " (an endpoint CircleCI does not document: it may have changed)"
}

func (e *undocumentedEndpointError) Unwrap() error { return e.err }

// undocumentedEndpoint wraps err (nil stays nil).
func undocumentedEndpoint(err error) error {
	if err == nil {
		return nil
	}
	return &undocumentedEndpointError{err: err}
}
