package provider

// An organization's members, from the run's one listing of its role grants:
// the model every members data source shows, and the user lookups of
// include_user_details.

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

// MemberModel is one member.
type MemberModel struct {
	ID    types.String `tfsdk:"id"`
	Login types.String `tfsdk:"login"`
	Email types.String `tfsdk:"email"`
	Role  types.String `tfsdk:"role"`
	// Name and VCSLogin are set only with include_user_details.
	Name     types.String `tfsdk:"name"`
	VCSLogin types.String `tfsdk:"vcs_login"`
}

// readOrgMembers is the organization's members with the given role (all
// when empty), from the run's one listing of its role grants (shared by
// every members data source through the client's memo).
func readOrgMembers(ctx context.Context, data *providerData, orgID, role string, diags *diag.Diagnostics) (membersResult, bool) {
	grants, err := data.client.OrgRoleGrants(ctx, orgID)
	if err != nil {
		diags.Append(errorDiagnostic(err, membersHints(orgID)))
		return membersResult{}, false
	}
	if err := checkOrgRoleGrants(grants); err != nil {
		diags.Append(roleGrantsNotUnderstood(orgID, err))
		return membersResult{}, false
	}
	return membersToModel(grants, role), true
}

// addMemberDetails fills name and vcs_login of members from user lookups
// (include_user_details). A deleted user (404) keeps nulls and adds one
// warning for all of them; any other failure is an error, and false.
func addMemberDetails(ctx context.Context, data *providerData, orgID string, members []MemberModel, diags *diag.Diagnostics) bool {
	ids := make([]string, len(members))
	for i, mm := range members {
		ids[i] = mm.ID.ValueString()
	}
	users, err := data.client.Users(ctx, ids)
	if err != nil {
		diags.Append(errorDiagnostic(err, userHints(err)))
		return false
	}
	if missing := addUserDetails(members, users); len(missing) > 0 {
		diags.Append(deletedMembersWarning(orgID, peopleByID(members, missing)))
	}
	return true
}

type membersResult struct {
	members    []MemberModel
	logins     []string
	adminCount int         // admins and holders of unrecognised roles (assumed admin)
	holders    roleHolders // of unrecognised roles
}

// membersToModel turns role grants into members: one per user (a user
// CircleCI lists more than once keeps the highest of their roles, and the
// first non-empty email), sorted by lower-cased login then id; keeps those
// with the given role (all when empty; compared as NormalizeRole reads
// roles, case-insensitively); and counts the admins of the whole
// organization, each once.
func membersToModel(grants []circleci.RoleGrant, role string) membersResult {
	type member struct {
		grant circleci.RoleGrant
		role  string
	}
	byID := make(map[string]int, len(grants))
	unique := make([]member, 0, len(grants))
	for _, g := range grants {
		r := NormalizeRole(g.Role)
		key := strings.ToLower(g.UserID)
		i, seen := byID[key]
		if !seen {
			byID[key] = len(unique)
			unique = append(unique, member{grant: g, role: r})
			continue
		}
		m := &unique[i]
		email := m.grant.Email
		if higherRole(r, m.role) {
			m.grant, m.role = g, r
		}
		if m.grant.Email == "" {
			m.grant.Email = cmp.Or(email, g.Email)
		}
	}
	slices.SortStableFunc(unique, func(a, b member) int {
		return byLogin(a.grant.Username, a.grant.UserID, b.grant.Username, b.grant.UserID)
	})
	want := NormalizeRole(role)
	res := membersResult{members: make([]MemberModel, 0, len(unique)), logins: make([]string, 0, len(unique)), holders: roleHolders{}}
	for _, g := range grants {
		res.holders.add(NormalizeRole(g.Role), g.UserID, g.Username)
	}
	for _, m := range unique {
		if roleRank(m.role) == rankAdmin {
			res.adminCount++
		}
		if role != "" && !strings.EqualFold(m.role, want) && (want != RoleAdmin || roleRank(m.role) != rankAdmin) {
			continue // role = "admin" keeps the roles assumed admin too: an allowlist of admins must see them
		}
		res.members = append(res.members, MemberModel{
			ID:       types.StringValue(m.grant.UserID),
			Login:    types.StringValue(m.grant.Username),
			Email:    stringOrNull(m.grant.Email),
			Role:     types.StringValue(m.role),
			Name:     types.StringNull(),
			VCSLogin: types.StringNull(),
		})
		res.logins = append(res.logins, m.grant.Username)
	}
	return res
}

// addUserDetails fills name and vcs_login from user lookups. A user the
// lookup could not find (nil in users: CircleCI answered 404) keeps nulls,
// and its id is returned, in the members' order.
func addUserDetails(members []MemberModel, users map[string]*circleci.User) (missing []string) {
	for i := range members {
		id := members[i].ID.ValueString()
		u := users[id]
		if u == nil {
			missing = append(missing, id)
			continue
		}
		members[i].Name = stringOrNull(u.Name)
		members[i].VCSLogin = stringOrNull(u.Login)
	}
	return missing
}

// state is one member.
func (m MemberModel) state() stateVal { return stateObject(m.attrs()...) }

// attrs are the member's attributes.
func (m MemberModel) attrs() []stateField {
	return []stateField{
		stateAttr("id", stateString(m.ID)),
		stateAttr("login", stateString(m.Login)),
		stateAttr("email", stateString(m.Email)),
		stateAttr("role", stateString(m.Role)),
		stateAttr("name", stateString(m.Name)),
		stateAttr("vcs_login", stateString(m.VCSLogin)),
	}
}

// peopleByID is the members whose ids are in ids, in the order of ids, each
// with the login the members listing gave (empty when it gave none).
func peopleByID(members []MemberModel, ids []string) []person {
	login := make(map[string]string, len(members))
	for _, m := range members {
		login[m.ID.ValueString()] = m.Login.ValueString()
	}
	out := make([]person, len(ids))
	for i, id := range ids {
		out[i] = person{ID: id, Login: login[id]}
	}
	return out
}
