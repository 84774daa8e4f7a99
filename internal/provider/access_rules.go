package provider

import (
	"slices"
)

// accessRules is CircleCI's documented rules, word for word as the README,
// the schema and the docs state them.
const accessRules = "Roles rank viewer < contributor < admin (a role CircleCI adds later ranks below viewer and " +
	"never raises access); the highest of a person's org role, direct grant and group grants applies on each project; " +
	"org admins may use every context; nobody whose highest role anywhere is viewer may use a context; otherwise a " +
	"person may use a context that is open to all members or restricted to a group they belong to."

// AccessRulesMarkdown is the rules as circleci_org_access applies them: the
// documented ones, and what follows from them for the cases they leave open.
const AccessRulesMarkdown = accessRules + " " +
	"A person whose highest role anywhere is one CircleCI added later, or who has no role at all, may use no context either. " +
	"Project and expression restrictions are reported, not evaluated."

// maxRole is the higher of two normalised roles ("" for none) by higherRole.
// roleRank (org_members_data_source.go) ranks a role CircleCI adds later
// below viewer, like no role: in the rules it never raises access.
func maxRole(a, b string) string {
	if a == "" || (b != "" && higherRole(b, a)) {
		return b
	}
	return a
}

// projectGrantFacts are one person's grants on one project.
type projectGrantFacts struct {
	Direct string            // the direct grant's normalised role; "" for none
	Groups map[string]string // group name → the normalised role that group has on the project, for groups the person is in
}

// contextFacts is what decides who may use a context.
type contextFacts struct {
	AllMembers bool     // no group restriction, or the "All members" group
	GroupIDs   []string // the group restrictions
}

// personFacts are everything that grants one person access.
type personFacts struct {
	OrgRole  string                       // normalised; "" when the person has no org role
	GroupIDs map[string]bool              // the groups the person belongs to
	Projects map[string]projectGrantFacts // by project id
}

// projectAccess is a person's effective role on a project, where it is
// higher than their org role, and the grants that give it.
type projectAccess struct {
	Role string
	Via  []string // sorted: "direct", "group:<name>"
}

// personAccess is what the rules give one person.
type personAccess struct {
	Projects map[string]projectAccess // only projects where the effective role is above the org role
	Contexts []bool                   // may use contexts[i]
	Admin    bool                     // org admin, or effective admin of at least one project
}

// applyAccessRules applies AccessRulesMarkdown to one person and the
// organization's contexts. It is pure: everything it needs is in its input.
func applyAccessRules(p personFacts, contexts []contextFacts) personAccess {
	orgRank := roleRank(p.OrgRole)
	highest := orgRank
	out := personAccess{Projects: map[string]projectAccess{}, Contexts: make([]bool, len(contexts)), Admin: p.OrgRole == RoleAdmin}
	for id, g := range p.Projects {
		best, role := roleRank(g.Direct), g.Direct
		for _, r := range g.Groups {
			if roleRank(r) > best {
				best, role = roleRank(r), r
			}
		}
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
		highest = max(highest, best)
		if role == RoleAdmin {
			out.Admin = true
		}
	}
	for i, c := range contexts {
		switch {
		case p.OrgRole == RoleAdmin:
			out.Contexts[i] = true
		case highest < roleRank(RoleContributor):
			out.Contexts[i] = false
		default:
			out.Contexts[i] = c.AllMembers || slices.ContainsFunc(c.GroupIDs, func(id string) bool { return p.GroupIDs[id] })
		}
	}
	return out
}
