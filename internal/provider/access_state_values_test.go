package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

// The access, projects, groups and contexts models build the same state as State.Set makes
// of them: with every nested list filled, and with the lists that
// include_projects and include_contexts leave null.
func TestStateWithoutReflection_access(t *testing.T) {
	ctx := context.Background()
	s := newFixtureServer(t, scaledAccessFixture(12, 10, 3, 5))
	c, err := circleci.New(circleci.Config{Token: testToken, Host: s.URL(), MaxConcurrency: 4})
	if err != nil {
		t.Fatal(err)
	}
	d := &OrgAccessDataSource{data: &providerData{client: c, token: testToken}}
	access := func(projects, contexts bool) stateValuer {
		in, err := readOrgAccess(ctx, d.data, testOrgID, projects, contexts)
		if err != nil {
			t.Fatal(err)
		}
		m, _, err := orgAccessToModel(in)
		if err != nil {
			t.Fatal(err)
		}
		m.OrganizationID, m.IncludeProjects, m.IncludeContexts = types.StringValue(testOrgID), types.BoolValue(projects), types.BoolValue(contexts)
		return m
	}
	full := access(true, true)
	if m, ok := full.(*OrgAccessDataSourceModel); !ok || len(m.Users) == 0 || len(m.Contexts) == 0 || len(m.Users[1].ProjectRoles) == 0 {
		t.Fatalf("the fixture should give users with project roles and contexts: %+v", full)
	}
	groups, err := c.Groups(ctx, testOrgID)
	if err != nil {
		t.Fatal(err)
	}
	members, err := c.AllGroupMembers(ctx, testOrgID, groupIDs(groups))
	if err != nil {
		t.Fatal(err)
	}
	contexts, err := c.Contexts(ctx, testOrgID)
	if err != nil {
		t.Fatal(err)
	}
	details, err := c.AllContextDetails(ctx, contextIDs(contexts), false)
	if err != nil {
		t.Fatal(err)
	}
	withEnv, err := c.AllContextDetails(ctx, contextIDs(contexts), true)
	if err != nil {
		t.Fatal(err)
	}
	ctxModels := contextsToModel(contexts, details, testOrgID)
	if len(ctxModels) == 0 || len(ctxModels[0].Restrictions) == 0 {
		t.Fatalf("the fixture should give contexts with restrictions: %+v", ctxModels)
	}
	projects, ids := projectsToModel([]circleci.Project{{ID: "p2", Slug: "gh/o/b", Name: "b"}, {ID: "p1", Slug: "gh/o/a", Name: "a"}})
	tests := []struct {
		name  string
		ds    datasource.DataSource
		model stateValuer
	}{
		{"org_access, all", NewOrgAccessDataSource(), full},
		{"org_access, no projects or contexts", NewOrgAccessDataSource(), access(false, false)},
		{"projects", NewProjectsDataSource(), ProjectsDataSourceModel{OrganizationID: types.StringValue(testOrgID), Projects: projects, IDs: ids}},
		{"groups, with members", NewGroupsDataSource(), GroupsDataSourceModel{OrganizationID: types.StringValue(testOrgID),
			IncludeMembers: types.BoolValue(true), Groups: groupsToModel(groups, members, true)}},
		{"groups, without members", NewGroupsDataSource(), GroupsDataSourceModel{OrganizationID: types.StringValue(testOrgID),
			IncludeMembers: types.BoolValue(false), Groups: groupsToModel(groups, nil, false)}},
		{"contexts", NewContextsDataSource(), ContextsDataSourceModel{OrganizationID: types.StringValue(testOrgID), Name: types.StringNull(),
			IncludeEnvVars: types.BoolValue(false), Contexts: ctxModels}},
		{"contexts, with variable names", NewContextsDataSource(), ContextsDataSourceModel{OrganizationID: types.StringValue(testOrgID),
			Name: types.StringNull(), IncludeEnvVars: types.BoolValue(true), Contexts: contextsToModel(contexts, withEnv, testOrgID)}},
		{"contexts, none", NewContextsDataSource(), ContextsDataSourceModel{OrganizationID: types.StringValue(testOrgID),
			Name: types.StringValue("nope"), IncludeEnvVars: types.BoolValue(true)}},
		{"projects, none", NewProjectsDataSource(), ProjectsDataSourceModel{OrganizationID: types.StringValue(testOrgID)}},
		{"project_members", NewProjectMembersDataSource(), ProjectMembersDataSourceModel{OrganizationID: types.StringValue(testOrgID),
			ProjectID: types.StringValue(testProjectAPI),
			Members:   projectMembersToModel([]circleci.RoleGrant{{UserID: "u2", Username: "b", Role: "project-admin"}, {UserID: "u1", Username: "a", Email: "a@x", Role: "project-viewer"}}),
			Groups:    projectGroupsToModel([]circleci.ProjectGroupGrant{{ID: "g1", Name: "ops", Role: "project-contributor"}})}},
		{"project_members, none", NewProjectMembersDataSource(), ProjectMembersDataSourceModel{OrganizationID: types.StringValue(testOrgID),
			ProjectID: types.StringValue(testProjectAPI), Members: projectMembersToModel(nil), Groups: projectGroupsToModel(nil)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { assertSameAsStateSet(t, tc.ds, tc.model) })
	}
}
