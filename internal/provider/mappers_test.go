package provider

import (
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

func strPtr(s string) *string { return &s }

func TestOrganizationsToModel(t *testing.T) {
	collabs := []circleci.Collaboration{
		{ID: strPtr("b"), VCSType: "github", Name: "acme", Slug: "gh/acme", AvatarURL: "https://a/acme"},
		{ID: nil, VCSType: "github", Name: "octocat", Slug: "gh/octocat"},
		{ID: strPtr("a"), VCSType: "circleci", Name: "std", Slug: "circleci/Xy12"},
		{ID: strPtr(""), VCSType: "bitbucket", Name: "bb", Slug: "bb/bb"},
		{ID: strPtr("c"), VCSType: "GitHub", Name: "zz", Slug: "gh/acme"}, // same slug: then by name
	}
	tests := []struct {
		name      string
		vcsType   string
		wantSlugs []string
		wantIDs   []string
	}{
		{"all, sorted by slug then name", "", []string{"bb/bb", "circleci/Xy12", "gh/acme", "gh/acme", "gh/octocat"}, []string{"a", "b", "c"}},
		{"vcs type ignores case", "github", []string{"gh/acme", "gh/acme", "gh/octocat"}, []string{"b", "c"}},
		{"no match", "gitlab", []string{}, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			orgs, ids := organizationsToModel(collabs, tc.vcsType)
			slugs := make([]string, len(orgs))
			for i, o := range orgs {
				slugs[i] = o.Slug.ValueString()
			}
			if !reflect.DeepEqual(slugs, tc.wantSlugs) {
				t.Errorf("slugs = %v, want %v", slugs, tc.wantSlugs)
			}
			if !reflect.DeepEqual(ids, tc.wantIDs) {
				t.Errorf("ids = %v, want %v", ids, tc.wantIDs)
			}
		})
	}
	orgs, _ := organizationsToModel(collabs, "")
	if !orgs[0].ID.IsNull() {
		t.Errorf("an empty id must be null, got %v", orgs[0].ID)
	}
	if !orgs[4].ID.IsNull() || !orgs[4].AvatarURL.IsNull() {
		t.Errorf("null id and empty avatar must be null: %+v", orgs[4])
	}
	if got := orgs[2].AvatarURL; got != types.StringValue("https://a/acme") {
		t.Errorf("avatar_url = %v", got)
	}
	if collabs[0].Slug != "gh/acme" {
		t.Error("the input slice must not be reordered: it may be shared by other reads")
	}
}

func TestNormalizeRole(t *testing.T) {
	for in, want := range map[string]string{
		"org-admin": "admin", "org-contributor": "contributor", "org-viewer": "viewer",
		"org-security-auditor": "org-security-auditor", "": "", "admin": "admin",
		// Regression: ORG-ADMIN was an unknown role, not an admin.
		"ORG-ADMIN": "admin", "Org-Contributor": "contributor", " org-viewer ": "viewer", "ORG-SECURITY-AUDITOR": "ORG-SECURITY-AUDITOR",
		"project-admin": "admin", "PROJECT-CONTRIBUTOR": "contributor", "Project-Viewer": "viewer", "project-owner": "project-owner",
	} {
		if got := NormalizeRole(in); got != want {
			t.Errorf("NormalizeRole(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMembersToModel(t *testing.T) {
	grants := []circleci.RoleGrant{
		{UserID: "3", Username: "zoe", Role: "org-admin", Email: "z@x"},
		{UserID: "2", Username: "Bob", Role: "org-contributor"},
		{UserID: "1", Username: "bob", Role: "org-viewer", Email: "b@x"},
		{UserID: "4", Username: "alice", Role: "org-admin"},
		{UserID: "5", Username: "eve", Role: "org-auditor"},
	}
	tests := []struct {
		role       string
		wantLogins []string
		wantRoles  []string
	}{
		{"", []string{"alice", "bob", "Bob", "eve", "zoe"}, []string{"admin", "viewer", "contributor", "org-auditor", "admin"}},
		{"admin", []string{"alice", "eve", "zoe"}, []string{"admin", "org-auditor", "admin"}}, // an unrecognised role is assumed admin
		{"contributor", []string{"Bob"}, []string{"contributor"}},
		{"viewer", []string{"bob"}, []string{"viewer"}},
		{"org-contributor", []string{"Bob"}, []string{"contributor"}},
		{"ADMIN", []string{"alice", "eve", "zoe"}, []string{"admin", "org-auditor", "admin"}},
		{"org-auditor", []string{"eve"}, []string{"org-auditor"}},
		{"ORG-AUDITOR", []string{"eve"}, []string{"org-auditor"}},
		{"org-owner", []string{}, []string{}},
	}
	for _, tc := range tests {
		t.Run("role="+tc.role, func(t *testing.T) {
			m := membersToModel(grants, tc.role)
			roles := make([]string, len(m.members))
			for i, mm := range m.members {
				roles[i] = mm.Role.ValueString()
				if !mm.Name.IsNull() || !mm.VCSLogin.IsNull() {
					t.Errorf("name and vcs_login must be null without user details: %+v", mm)
				}
			}
			if !reflect.DeepEqual(m.logins, tc.wantLogins) || !reflect.DeepEqual(roles, tc.wantRoles) {
				t.Errorf("logins %v roles %v, want %v %v", m.logins, roles, tc.wantLogins, tc.wantRoles)
			}
			if m.adminCount != 3 {
				t.Errorf("adminCount = %d, want 3 (two admins, and eve's unrecognised role) whatever the role filter", m.adminCount)
			}
			if got := m.holders.sorted(); !reflect.DeepEqual(got, []string{"org-auditor"}) {
				t.Errorf("unrecognised roles %v, want [org-auditor] whatever the role filter", got)
			}
		})
	}
	m := membersToModel(grants, "")
	if !m.members[2].Email.IsNull() || m.members[1].Email.ValueString() != "b@x" {
		t.Errorf("empty email must be null: %+v %+v", m.members[1], m.members[2])
	}
	if grants[0].UserID != "3" {
		t.Error("the input slice must not be reordered: it is shared by other reads of the run")
	}
	if empty := membersToModel(nil, ""); empty.members == nil || empty.logins == nil {
		t.Error("an empty organization must give empty lists, not null ones")
	}
}

// Regression: a user CircleCI listed twice was listed and counted twice.
func TestMembersToModelDuplicates(t *testing.T) {
	const a, b, c = "6b0e0000-0000-4000-8000-00000000000a", "6b0e0000-0000-4000-8000-00000000000b", "6b0e0000-0000-4000-8000-00000000000c"
	grants := []circleci.RoleGrant{
		{UserID: a, Username: "ann", Role: "org-viewer", Email: ""},
		{UserID: b, Username: "ben", Role: "org-admin"},
		{UserID: a, Username: "ann", Role: "ORG-ADMIN", Email: ""},
		{UserID: strings.ToUpper(b), Username: "ben", Role: "org-admin", Email: "ben@x"},
		{UserID: a, Username: "ann", Role: "org-contributor", Email: "ann@x"},
		{UserID: c, Username: "cat", Role: "org-zeta"},
		{UserID: c, Username: "cat", Role: "org-alpha"},
		{UserID: c, Username: "cat", Role: "org-viewer"},
	}
	m := membersToModel(grants, "")
	var got []string
	for _, mm := range m.members {
		got = append(got, mm.Login.ValueString()+":"+mm.Role.ValueString()+":"+mm.Email.ValueString())
	}
	// cat's unrecognised roles rank with admin: cat is counted as one.
	want := []string{"ann:admin:ann@x", "ben:admin:ben@x", "cat:org-alpha:"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("members %v, want %v", got, want)
	}
	if m.adminCount != 3 || len(m.logins) != 3 {
		t.Errorf("adminCount %d, logins %v; want 3 admins (cat assumed one), 3 logins", m.adminCount, m.logins)
	}
	// Between unknown roles the choice does not depend on the API's order.
	for _, order := range [][]string{{"org-zeta", "org-alpha"}, {"org-alpha", "org-zeta"}} {
		m := membersToModel([]circleci.RoleGrant{{UserID: c, Username: "cat", Role: order[0]}, {UserID: c, Username: "cat", Role: order[1]}}, "")
		if r := m.members[0].Role.ValueString(); r != "org-alpha" {
			t.Errorf("order %v: role %q, want org-alpha", order, r)
		}
	}
}

func TestAddUserDetails(t *testing.T) {
	m := membersToModel([]circleci.RoleGrant{
		{UserID: "1", Username: "a", Role: "org-admin"}, {UserID: "2", Username: "b", Role: "org-admin"},
	}, "")
	missing := addUserDetails(m.members, map[string]*circleci.User{"1": {ID: "1", Login: "a-gh", Name: "A"}, "2": {ID: "2", Login: "b-gh"}})
	if len(missing) != 0 {
		t.Errorf("missing %v, want none", missing)
	}
	if m.members[0].Name.ValueString() != "A" || m.members[0].VCSLogin.ValueString() != "a-gh" {
		t.Errorf("member 0 = %+v", m.members[0])
	}
	if !m.members[1].Name.IsNull() || m.members[1].VCSLogin.ValueString() != "b-gh" {
		t.Errorf("an empty name must be null: %+v", m.members[1])
	}
}

// Deleted users (nil in the lookup) keep null details and are reported.
func TestAddUserDetailsDeleted(t *testing.T) {
	m := membersToModel([]circleci.RoleGrant{
		{UserID: "1", Username: "a", Role: "org-admin"}, {UserID: "2", Username: "b", Role: "org-admin"}, {UserID: "3", Username: "c", Role: "org-admin"},
	}, "")
	missing := addUserDetails(m.members, map[string]*circleci.User{"1": nil, "2": {ID: "2", Login: "b-gh", Name: "B"}, "3": nil})
	if !reflect.DeepEqual(missing, []string{"1", "3"}) {
		t.Errorf("missing %v, want [1 3]", missing)
	}
	if !m.members[0].Name.IsNull() || !m.members[0].VCSLogin.IsNull() || m.members[1].Name.ValueString() != "B" {
		t.Errorf("members %+v", m.members)
	}
}

const mapOrg = "0a000000-0000-4000-8000-000000000000"

func TestGroupsToModel(t *testing.T) {
	groups := []circleci.Group{
		{ID: "g3", Name: "beta", Description: "b"},
		{ID: "g2", Name: "Alpha"},
		{ID: "g1", Name: "alpha", Description: "first"},
	}
	members := map[string][]circleci.GroupMember{
		"g1": {
			{UserID: "u2", Username: "bob", Email: "b@x"},
			{UserID: "u1", Username: "Bob"},
			{UserID: "u3", Username: "alice"},
			{UserID: "u2", Username: "bob", Email: "b@x"}, // repeated: once
		},
	}
	t.Run("with members", func(t *testing.T) {
		got := groupsToModel(groups, members, true)
		var order []string
		for _, g := range got {
			order = append(order, g.ID.ValueString())
		}
		if !reflect.DeepEqual(order, []string{"g1", "g2", "g3"}) {
			t.Errorf("order %v, want lower-cased name then id", order)
		}
		if !got[1].Description.IsNull() || got[0].Description.ValueString() != "first" {
			t.Errorf("descriptions %v %v; empty must be null", got[0].Description, got[1].Description)
		}
		want := []GroupMemberModel{
			{ID: types.StringValue("u3"), Login: types.StringValue("alice"), Email: types.StringNull()},
			{ID: types.StringValue("u1"), Login: types.StringValue("Bob"), Email: types.StringNull()},
			{ID: types.StringValue("u2"), Login: types.StringValue("bob"), Email: types.StringValue("b@x")},
		}
		if !reflect.DeepEqual(got[0].Members, want) || got[0].MemberCount.ValueInt64() != 3 {
			t.Errorf("members %+v (count %v), want %+v", got[0].Members, got[0].MemberCount, want)
		}
		if got[1].Members == nil || len(got[1].Members) != 0 || got[1].MemberCount.ValueInt64() != 0 {
			t.Errorf("a group without members: %+v; want an empty list and 0", got[1])
		}
	})
	t.Run("without members", func(t *testing.T) {
		for _, g := range groupsToModel(groups, nil, false) {
			if g.Members != nil || !g.MemberCount.IsNull() {
				t.Errorf("group %s: members %v, count %v; want null", g.ID, g.Members, g.MemberCount)
			}
		}
	})
}

func TestRestrictionsOf(t *testing.T) {
	r := func(typ, value string) circleci.Restriction {
		return circleci.Restriction{ID: typ + value, Type: typ, Value: value}
	}
	tests := []struct {
		name                         string
		rs                           []circleci.Restriction
		all, adminsOnly, conditional bool
		group, proj, expr            []string
	}{
		{"no restrictions: admins only", nil, false, true, false, []string{}, []string{}, []string{}},
		{"projects and expressions alone: admins only, conditional", []circleci.Restriction{r("project", "p2"), r("expression", "x"), r("project", "p1")},
			false, true, true, []string{}, []string{"p1", "p2"}, []string{"x"}},
		{"a group", []circleci.Restriction{r("group", "g1")}, false, false, false, []string{"g1"}, []string{}, []string{}},
		{"All members (the org id)", []circleci.Restriction{r("group", mapOrg)}, true, false, false, []string{mapOrg}, []string{}, []string{}},
		{"All members among other groups", []circleci.Restriction{r("group", "g2"), r("group", mapOrg)}, true, false, false, []string{mapOrg, "g2"}, []string{}, []string{}},
		{"org id in upper case", []circleci.Restriction{r("GROUP", "0A000000-0000-4000-8000-000000000000")}, true, false, false,
			[]string{"0A000000-0000-4000-8000-000000000000"}, []string{}, []string{}},
		{"a type CircleCI adds later makes it conditional", []circleci.Restriction{r("group", mapOrg), r("branch", "main")}, true, false, true,
			[]string{mapOrg}, []string{}, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := restrictionsOf(tc.rs, mapOrg)
			if got.allMembers != tc.all || got.adminsOnly() != tc.adminsOnly || got.conditional() != tc.conditional ||
				!reflect.DeepEqual(got.groupIDs, tc.group) || !reflect.DeepEqual(got.projectIDs, tc.proj) || !reflect.DeepEqual(got.expressions, tc.expr) {
				t.Errorf("got %+v (admins only %v, conditional %v), want all=%v adminsOnly=%v conditional=%v groups=%v projects=%v expressions=%v",
					got, got.adminsOnly(), got.conditional(), tc.all, tc.adminsOnly, tc.conditional, tc.group, tc.proj, tc.expr)
			}
		})
	}
}

func TestContextsToModel(t *testing.T) {
	n := func(s string) *string { return &s }
	contexts := []circleci.Context{{ID: "c2", Name: "b"}, {ID: "c3", Name: "B"}, {ID: "c1", Name: "b"}}
	details := map[string]circleci.ContextDetails{
		"c1": {
			Restrictions: []circleci.Restriction{
				{ID: "r3", Type: "project", Value: "p", Name: n("api")},
				{ID: "r1", Type: "expression", Value: "z", Name: n("")},
				{ID: "r2", Type: "expression", Value: "a", Name: nil},
			},
			EnvVars: &circleci.EnvVarNames{Names: []string{"Z", "A"}, Complete: true},
		},
		"c2": {EnvVars: &circleci.EnvVarNames{Names: []string{"X"}, Complete: false}},
	}
	got := contextsToModel(contexts, details, mapOrg)
	var order []string
	for _, c := range got {
		order = append(order, c.ID.ValueString())
	}
	if !reflect.DeepEqual(order, []string{"c3", "c1", "c2"}) {
		t.Errorf("order %v, want by name (case-sensitive) then id", order)
	}
	c1 := got[1]
	if !reflect.DeepEqual(c1.EnvironmentVariables, []string{"A", "Z"}) || !c1.EnvVarsComplete.ValueBool() {
		t.Errorf("c1 variables %v complete %v", c1.EnvironmentVariables, c1.EnvVarsComplete)
	}
	var rs []string
	for _, r := range c1.Restrictions {
		rs = append(rs, r.ID.ValueString())
	}
	if !reflect.DeepEqual(rs, []string{"r2", "r1", "r3"}) || !c1.Restrictions[0].Name.IsNull() || !c1.Restrictions[1].Name.IsNull() ||
		c1.Restrictions[2].Name.ValueString() != "api" {
		t.Errorf("restrictions %+v, want by type then value, empty names null", c1.Restrictions)
	}
	if got[2].EnvVarsComplete.ValueBool() || got[2].EnvVarsComplete.IsNull() {
		t.Errorf("c2 complete = %v, want false", got[2].EnvVarsComplete)
	}
	if got[0].EnvironmentVariables != nil || !got[0].EnvVarsComplete.IsNull() || got[0].Restrictions == nil {
		t.Errorf("c3 (variables not read): %+v; want null variables and flag, an empty restriction list", got[0])
	}
}

func TestOrgAccessToModel(t *testing.T) {
	base := func() *orgAccessInput {
		return &orgAccessInput{
			orgID: mapOrg,
			grants: []circleci.RoleGrant{
				{UserID: "u1", Username: "amy", Role: "ORG-VIEWER"},
				{UserID: "u1", Username: "amy", Role: "org-contributor"}, // repeated: the highest applies
				{UserID: "u2", Username: "ben", Role: "org-viewer"},
			},
			groups:       []circleci.Group{{ID: "g1", Name: "ops"}},
			groupMembers: map[string][]circleci.GroupMember{"g1": {{UserID: "u2", Username: "ben"}}},
			projects:     []circleci.Project{{ID: "p1", Slug: "gh/o/p1"}},
			projGrants:   map[string]circleci.ProjectGrants{},
			contexts:     []circleci.Context{{ID: "c1", Name: "ctx"}},
			ctxDetails:   map[string]circleci.ContextDetails{"c1": {Restrictions: []circleci.Restriction{{Type: "group", Value: "g1"}}}},
			withProjects: true, withContexts: true,
		}
	}
	t.Run("All members granted on a project reaches every org member", func(t *testing.T) {
		in := base()
		in.projGrants["p1"] = circleci.ProjectGrants{Groups: []circleci.ProjectGroupGrant{{ID: mapOrg, Name: "All members", Role: "project-admin"}}}
		m, _, err := orgAccessToModel(in)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(m.AdminLogins, []string{"amy", "ben"}) {
			t.Errorf("admin_logins = %v", m.AdminLogins)
		}
		if m.Users[0].OrgRole.ValueString() != "contributor" || m.Users[0].ProjectRoles[0].Via[0] != "group:All members" {
			t.Errorf("amy = %+v", m.Users[0])
		}
		// ben: viewer in the org, admin of p1, member of ops: may use ctx.
		if !reflect.DeepEqual(m.Contexts[0].Logins, []string{"ben"}) {
			t.Errorf("ctx logins = %v, want [ben]", m.Contexts[0].Logins)
		}
	})
	t.Run("without include_projects, nothing project grants can change is listed", func(t *testing.T) {
		in := base()
		in.withProjects, in.projects = false, nil
		m, _, err := orgAccessToModel(in)
		if err != nil {
			t.Fatal(err)
		}
		if m.AdminIDs != nil || m.AdminLogins != nil || m.Projects != nil || m.Contexts[0].UserIDs != nil || m.Contexts[0].Logins != nil {
			t.Errorf("admins %v %v projects %v context users %v %v: want all null", m.AdminIDs, m.AdminLogins, m.Projects,
				m.Contexts[0].UserIDs, m.Contexts[0].Logins)
		}
		for _, u := range m.Users {
			if u.ProjectRoles != nil || u.Contexts != nil || u.ContextAccess != nil {
				t.Errorf("user %s: project_roles %v contexts %v context_access %v: want null", u.Login, u.ProjectRoles, u.Contexts, u.ContextAccess)
			}
		}
		// Editing never depends on project grants: amy is an org contributor, not in ops.
		if m.Contexts[0].EditorIDs == nil || len(m.Contexts[0].EditorIDs) != 0 {
			t.Errorf("editor_ids = %#v, want an empty list", m.Contexts[0].EditorIDs)
		}
	})
	t.Run("unrecognised roles count as admin and are collected", func(t *testing.T) {
		in := base()
		in.grants = append(in.grants, circleci.RoleGrant{UserID: "u3", Username: "cy", Role: "org_admin"})
		in.projGrants["p1"] = circleci.ProjectGrants{Users: []circleci.RoleGrant{{UserID: "u1", Username: "amy", Role: "project-owner"}}}
		m, holders, err := orgAccessToModel(in)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(m.UnrecognizedRoles, []string{"org_admin", "project-owner"}) || len(holders["org_admin"]) != 1 {
			t.Errorf("unrecognized_roles = %v, holders %v", m.UnrecognizedRoles, holders)
		}
		if !reflect.DeepEqual(m.AdminLogins, []string{"amy", "cy"}) || !reflect.DeepEqual(m.AdminIDs, []string{"u1", "u3"}) {
			t.Errorf("admins = %v %v, want amy (project-owner) and cy (org_admin)", m.AdminLogins, m.AdminIDs)
		}
		if !reflect.DeepEqual(m.Projects[0].AdminIDs, []string{"u1", "u3"}) || !reflect.DeepEqual(m.Projects[0].ContributorIDs, []string{}) {
			t.Errorf("project p1 admins %v contributors %v", m.Projects[0].AdminIDs, m.Projects[0].ContributorIDs)
		}
	})
	t.Run("a grant naming an unknown group fails", func(t *testing.T) {
		in := base()
		in.projGrants["p1"] = circleci.ProjectGrants{Groups: []circleci.ProjectGroupGrant{{ID: "gX", Name: "ghost", Role: "project-admin"}}}
		if _, _, err := orgAccessToModel(in); err == nil {
			t.Error("no error: the ghost group's members would be missing from admin_logins")
		}
	})
	t.Run("a restriction naming an unknown group fails", func(t *testing.T) {
		in := base()
		in.ctxDetails["c1"] = circleci.ContextDetails{Restrictions: []circleci.Restriction{{Type: "group", Value: "gX"}}}
		if _, _, err := orgAccessToModel(in); err == nil {
			t.Error("no error: who may use the context would be under-reported")
		}
	})
}
