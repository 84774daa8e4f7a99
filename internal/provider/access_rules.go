package provider

import (
	"slices"
	"strings"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

// accessRules is CircleCI's rules, with the source of each, word for word as
// the README, the schema and the docs state them.
const accessRules = "**Roles.** Roles rank viewer < contributor < admin. On each project a person's effective role is the " +
	"highest of their org role, their direct grant on the project and their groups' grants on it (CircleCI's roles overview: " +
	"org roles apply to every project, project roles grant more on one project, and \"the highest role always applies\"). " +
	"**Using a context.** A person may use a context when all of these hold: " +
	"(1) they have an org role (CircleCI's contexts guide: \"the person running the workflow must be a member of the organization\"); " +
	"(2) if they are an org admin, always, whatever the group and project restrictions, subject only to (5) (roles overview: " +
	"organization admins \"have unrestricted access to all contexts\"); " +
	"(3) otherwise, the context has the \"All members\" group restriction or a group restriction naming a group they belong to; " +
	"with no group restriction at all, only org admins may use it (contexts guide: \"To make a context available only to the " +
	"administrators of the organization, you may remove all of the groups associated with a context\"); " +
	"(4) the context has no project restriction and their effective role is at least contributor on some project (an org " +
	"contributor is contributor on every project), or their effective role is at least contributor on one of its restricting " +
	"projects (roles overview: viewers cannot use contexts; circleci-docs pull request #10754: each restriction type is " +
	"evaluated on its own and every configured type must pass, several groups or several projects are alternatives, several " +
	"expressions must all hold, and after a project restriction only workflows of the listed projects may use the context); " +
	"(5) when the organization setting `is_context_group_restriction_required` is on, a context with no group restriction " +
	"may be used by nobody, admins included, until an admin adds one (circleci-docs pull request #9912); " +
	"(6) expression restrictions test pipeline values and cannot be evaluated from the API: a person who passes (1) to (5) is " +
	"listed, and the context is `conditional`. " +
	"**Editing a context** (adding, replacing or removing its variables; creating or deleting contexts): org admins, and org " +
	"contributors who pass (3); project roles never grant it (CircleCI's roles-and-permissions matrix; contexts guide: on a " +
	"group-restricted context only members of its groups may add or remove variables)."

// AccessRulesMarkdown is the rules as circleci_org_access applies them:
// CircleCI's, then the provider's own assumptions for what they leave open,
// each toward more access.
const AccessRulesMarkdown = accessRules + " " +
	"**The provider's own assumptions**, each toward more access, never less: " + unrecognizedRoleRule + " " +
	"That a group's grant on a project combines with a person's direct grant and org role by the same \"highest role\" rule " +
	"is the provider's reading of the roles overview. An admin of one project is counted among `admin_ids`."

// projectGrantFacts are one person's grants on one project.
type projectGrantFacts struct {
	Direct string            // the direct grant's normalised role; "" for none
	Groups map[string]string // group name → the normalised role that group has on the project, for groups the person is in
}

// contextFacts is what decides who may use and edit a context.
type contextFacts struct {
	AllMembers  bool              // has the "All members" group restriction (its value is the organization's id)
	Groups      map[string]string // the other group restrictions: lower-cased group id → group name
	Projects    map[string]string // the project restrictions: project id → project name
	Expressions bool              // has at least one expression restriction
}

// hasGroupRestriction reports whether the context has any group
// restriction, "All members" included.
func (c contextFacts) hasGroupRestriction() bool { return c.AllMembers || len(c.Groups) > 0 }

// orgFacts are the organization settings the rules read.
type orgFacts struct {
	GroupRestrictionRequired bool // is_context_group_restriction_required
}

// personFacts are everything that grants one person access.
type personFacts struct {
	OrgRole  string                       // normalised; "" when the person has no org role
	GroupIDs map[string]bool              // lower-cased ids of the groups the person belongs to
	Projects map[string]projectGrantFacts // by project id
}

// projectAccess is a person's effective role on a project, where it is
// higher than their org role, and the grants that give it.
type projectAccess struct {
	Role string
	Via  []string // sorted: "direct", "group:<name>"
}

// contextAccess is what one person may do with one context.
type contextAccess struct {
	Use  bool
	Via  []string // when Use: why, sorted ("org-admin", "org-role:<role>", "all-members", "group:<name>", "project:<name>")
	Edit bool
}

// personAccess is what the rules give one person.
type personAccess struct {
	Projects map[string]projectAccess // only projects where the effective role is above the org role
	Contexts []contextAccess          // for contexts[i]
	Admin    bool                     // org admin, or effective admin of at least one project
}

// applyAccessRules applies AccessRulesMarkdown to one person, the
// organization's contexts and its settings. It is pure: everything it needs
// is in its input.
func applyAccessRules(p personFacts, contexts []contextFacts, org orgFacts) personAccess {
	orgRank := roleRank(p.OrgRole)
	out := personAccess{Projects: map[string]projectAccess{}, Contexts: make([]contextAccess, len(contexts)), Admin: orgRank == rankAdmin}
	projectRank := map[string]int{} // effective rank where a grant raises it
	for id, g := range p.Projects {
		role := g.Direct
		for _, r := range g.Groups {
			role = maxRole(role, r)
		}
		best := roleRank(role)
		if best <= orgRank {
			continue // the org role already gives as much
		}
		var via []string
		if roleRank(g.Direct) == best {
			via = append(via, "direct")
		}
		for name, r := range g.Groups {
			if roleRank(r) == best {
				via = append(via, "group:"+name)
			}
		}
		slices.Sort(via)
		out.Projects[id] = projectAccess{Role: role, Via: via}
		projectRank[id] = best
		if best == rankAdmin {
			out.Admin = true
		}
	}
	effective := func(projectID string) int { return max(orgRank, projectRank[projectID]) }
	contributorSomewhere := orgRank >= rankContributor
	for _, r := range projectRank {
		contributorSomewhere = contributorSomewhere || r >= rankContributor
	}
	for i, c := range contexts {
		out.Contexts[i] = contextRule(p, c, org, orgRank, effective, contributorSomewhere)
	}
	return out
}

// contextRule is rules (1) to (5) and the edit rule for one context.
func contextRule(p personFacts, c contextFacts, org orgFacts, orgRank int, effective func(string) int, contributorSomewhere bool) contextAccess {
	var a contextAccess
	if orgRank == rankNone { // (1)
		return a
	}
	// (3), the group dimension, as the edit rule also needs it.
	var groupVia []string
	if c.AllMembers {
		groupVia = append(groupVia, "all-members")
	}
	for id, name := range c.Groups {
		if p.GroupIDs[id] {
			groupVia = append(groupVia, "group:"+name)
		}
	}
	groupOK := len(groupVia) > 0
	switch orgRank {
	case rankAdmin:
		a.Edit = true
	case rankContributor:
		a.Edit = groupOK
	}
	if org.GroupRestrictionRequired && !c.hasGroupRestriction() { // (5)
		return a
	}
	if orgRank == rankAdmin { // (2)
		a.Use = true
		if p.OrgRole == RoleAdmin {
			a.Via = []string{"org-admin"}
		} else {
			a.Via = []string{"org-role:" + p.OrgRole}
		}
		return a
	}
	if !groupOK { // (3)
		return a
	}
	// (4), the project dimension.
	var projectVia []string
	if len(c.Projects) == 0 {
		if !contributorSomewhere {
			return a
		}
	} else {
		for id, name := range c.Projects {
			if effective(id) >= rankContributor {
				projectVia = append(projectVia, "project:"+name)
			}
		}
		if len(projectVia) == 0 {
			return a
		}
	}
	a.Use = true
	a.Via = append(groupVia, projectVia...)
	slices.Sort(a.Via)
	a.Via = slices.Compact(a.Via)
	return a
}

func contextIDs(contexts []circleci.Context) []string {
	ids := make([]string, len(contexts))
	for i, c := range contexts {
		ids[i] = c.ID
	}
	return ids
}

// contextRestrictions is what a context's restrictions say about who may
// use it (AccessRulesMarkdown).
type contextRestrictions struct {
	// allMembers: a group restriction whose value is the organization's id
	// (the built-in "All members" group).
	allMembers bool
	groupIDs   []string // every group restriction's value, sorted, never nil
	projectIDs []string
	// expressions are reported, not evaluated.
	expressions []string
	// otherTypes: a restriction type CircleCI added later. It can only limit
	// use further (every configured type must pass), so it makes the context
	// conditional, like an expression.
	otherTypes bool
}

// adminsOnly: no group restriction at all, so only org admins may use the
// context (or nobody, when the organization requires a group restriction).
func (r contextRestrictions) adminsOnly() bool { return len(r.groupIDs) == 0 }

// conditional: use also depends on something the API cannot evaluate.
func (r contextRestrictions) conditional() bool { return len(r.expressions) > 0 || r.otherTypes }

func restrictionsOf(rs []circleci.Restriction, orgID string) contextRestrictions {
	var groups, projects, exprs []string
	other := false
	for _, r := range rs {
		switch strings.ToLower(r.Type) {
		case circleci.RestrictionGroup:
			groups = append(groups, r.Value)
		case circleci.RestrictionProject:
			projects = append(projects, r.Value)
		case circleci.RestrictionExpression:
			exprs = append(exprs, r.Value)
		default:
			other = true
		}
	}
	all := slices.ContainsFunc(groups, func(g string) bool { return strings.EqualFold(g, orgID) })
	return contextRestrictions{allMembers: all, groupIDs: sortedStrings(groups), projectIDs: sortedStrings(projects),
		expressions: sortedStrings(exprs), otherTypes: other}
}
