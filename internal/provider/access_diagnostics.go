package provider

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

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

// orgSettingsHints: the v3 settings endpoint is read by CircleCI's CLI but
// not in its published v2 reference; v3 answers 404 (not 403) for an
// organization the token cannot see, and CircleCI Server does not serve v3.
func orgSettingsHints(orgID string) endpointHints {
	why := "The provider reads is_context_group_restriction_required there, because it decides who may use a context without " +
		"a group restriction; it never assumes the setting is off. Set include_contexts = false to read access without contexts. " +
		"CircleCI's CLI reads this endpoint, but CircleCI's published API reference does not document it, so it may have changed: " +
		"if the error persists with an organization admin's token, please report it."
	return endpointHints{
		what: "Organization Settings",
		notFound: fmt.Sprintf("CircleCI found no organization %s that this token can see (GET /api/v3/orgs/{org_id}/settings; "+
			"API v3 answers 404, not 403, for an organization the token cannot see). Check the ID (circleci_organizations lists "+
			"the organizations the token's user belongs to) and that the token's user is a member. CircleCI Server does not serve "+
			"API v3. ", orgID) + why,
		forbidden: fmt.Sprintf("The token's user cannot read the settings of organization %s (GET /api/v3/orgs/{org_id}/settings). ",
			orgID) + why,
	}
}

// roleGrantsNotUnderstood is the error for role grants no organization can
// have (checkOrgRoleGrants): read as they are, they would report no admin.
func roleGrantsNotUnderstood(orgID string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("CircleCI's Member Listing Was Not Understood",
		sanitizeDetail(fmt.Sprintf("GET {app_host}/private/ciam/orgs/%s/role-grants (an endpoint CircleCI's web app uses and does not "+
			"document) answered, but not with an answer an organization can have: %s. The provider does not report an "+
			"organization without admins. Check that the token's user is a member of organization %s with a role that can see "+
			"members, and run again; if it persists, CircleCI may have changed the endpoint or its role names: please report it.",
			orgID, err, orgID)))
}

// unrecognizedRolesWarning names the roles the provider does not recognise,
// with the people who hold each (by login and id), and what it assumed.
func unrecognizedRolesWarning(orgID string, holders roleHolders) diag.Diagnostic {
	var b strings.Builder
	for _, role := range holders.sorted() {
		people := make([]person, 0, len(holders[role]))
		for id, login := range holders[role] {
			people = append(people, person{ID: id, Login: login})
		}
		slices.SortFunc(people, func(a, c person) int { return byLogin(a.Login, a.ID, c.Login, c.ID) })
		fmt.Fprintf(&b, "\n  %q: %d person(s): %s", role, len(people), listPeople(people))
	}
	return diag.NewWarningDiagnostic("CircleCI Gave Roles the Provider Does Not Recognise",
		sanitizeDetail(fmt.Sprintf("The grants of organization %s use role(s) other than CircleCI's admin, contributor and viewer:%s\n"+
			"The provider treats each as admin, so that no one is reported with less access than they may have: they count "+
			"as admins and may use and edit every context. Check these grants in CircleCI; if CircleCI has added a role, please "+
			"report it so that the provider learns what it grants.", orgID, b.String())))
}
