package provider

import "fmt"

// Endpoint hints for the access data sources: groups, contexts, projects and
// their fan-outs. Each says which endpoint failed, whether CircleCI documents
// it, and what to do on 400/403/404. Whether an endpoint is documented comes
// from the catalog (endpoints_catalog.go), added by describeError.

// oauthGroups is what a failed groups read means on an OAuth organization.
const oauthGroups = "CircleCI does not list its groups: its security groups are the VCS's teams (GitHub teams), " +
	"so read them from GitHub or Bitbucket instead."

// oauthProjects is what a failed project grants read means on an OAuth organization.
const oauthProjects = "its projects take roles from the VCS, and CircleCI does not list them: read them from GitHub or Bitbucket instead. " +
	"Only standalone organizations (vcs_type \"circleci\") have project role grants listed by CircleCI."

func groupsHints(orgID string) endpointHints {
	return endpointHints{
		what:  "Groups",
		oauth: oauthGroups,
		orgID: orgID,
		forbidden: fmt.Sprintf("The token's user cannot read the groups of organization %s (GET /api/v2/organizations/{id}/groups): "+
			"check the ID (circleci_organizations lists the organizations the token can see) and that the token's user is a member. "+
			"CircleCI answers 403, not 404, for an organization the token cannot see.", orgID),
		notFound: "CircleCI does not serve groups here (GET /api/v2/organizations/{id}/groups). CircleCI Server does not have this " +
			"endpoint; on CircleCI cloud, check the host setting.",
	}
}

func groupMembersHints(orgID string) endpointHints {
	what := fmt.Sprintf("the members of a group of organization %s (GET {app_host}/private/ciam/orgs/{org_id}/groups/{group_id}/users, "+
		"named in the error below). ", orgID)
	return endpointHints{
		what:  "Group Members",
		oauth: oauthGroups,
		orgID: orgID,
		forbidden: "The token's user cannot read " + what + "Reading group members may need an organization admin's token. " +
			"Set include_members = false to read the groups without their members.",
		notFound: "CircleCI found no " + what + "The group may have been deleted during the run: run again. " +
			"Set include_members = false to read the groups without their members.",
		badRequest: "CircleCI does not list group members for this organization; groups exist only in standalone organizations " +
			"(vcs_type \"circleci\").",
	}
}

func contextsHints(orgID string) endpointHints {
	return endpointHints{
		what:  "Contexts",
		orgID: orgID,
		forbidden: fmt.Sprintf("The token's user cannot list the contexts of organization %s (GET /api/v2/context?owner-id=…): "+
			"check the ID (circleci_organizations lists the organizations the token can see) and that the token's user is a member. "+
			"CircleCI answers 403, not 404, for an organization or context the token cannot see.", orgID),
		notFound: "CircleCI does not serve the contexts listing here (GET /api/v2/context). Check the host setting.",
	}
}

func contextDetailsHints() endpointHints {
	what := "a context's restrictions or environment variable names (GET /api/v2/context/{id}/restrictions or " +
		"/environment-variable, the context named in the error below). "
	return endpointHints{
		what: "Context Details",
		forbidden: "The token's user cannot read " + what + "CircleCI answers 403 (not 404) for a context that does not exist: " +
			"it may have been deleted during the run, so run again. If it persists, the token's user may lack access to the context. " +
			"Set include_environment_variables = false to skip the variable names.",
		notFound: "CircleCI does not serve " + what + "Check the host setting; older CircleCI Server releases lack the restrictions endpoint.",
	}
}

func projectsHints(orgID string) endpointHints {
	return endpointHints{
		what:  "Projects",
		orgID: orgID,
		forbidden: fmt.Sprintf("The token's user cannot list the projects of organization %s (GET /api/private/project): check the ID "+
			"(circleci_organizations lists the organizations the token can see) and that the token's user is a member.", orgID),
		notFound: "CircleCI does not serve the projects listing here (GET /api/private/project). Check the host setting.",
	}
}

func projectGrantsHints(orgID string) endpointHints {
	what := fmt.Sprintf("the role grants of a project of organization %s (GET {app_host}/private/ciam/orgs/{org_id}/projects/{project_id}/role-grants "+
		"or GET /api/v2/organizations/{org_id}/projects/{project_id}/groups, named in the error below). ", orgID)
	return endpointHints{
		what:  "Project Role Grants",
		oauth: oauthProjects,
		orgID: orgID,
		forbidden: "The token's user cannot read " + what + "CircleCI answers 403, not 404, for a project that does not exist: check " +
			"project_id (circleci_projects lists them); a project deleted during the run also does this, so run again. Reading grants " +
			"may need an organization admin's token.",
		notFound:   "CircleCI does not serve " + what + "CircleCI Server does not have the group grants endpoint.",
		badRequest: "CircleCI does not list project role grants for this organization.",
	}
}
