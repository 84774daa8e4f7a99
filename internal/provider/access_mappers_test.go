package provider

import (
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

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
