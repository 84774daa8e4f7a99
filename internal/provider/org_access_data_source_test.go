package provider

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

const accessAddr = "data.circleci_org_access.test"

type userWant struct {
	id, login    string
	email        any // string or nil
	orgRole      any // string or nil
	groups       []string
	projectRoles []knownvalue.Check // nil: null
	contexts     []string           // nil: null
}

func (w userWant) check() knownvalue.Check {
	var pr, cx knownvalue.Check = knownvalue.Null(), knownvalue.Null()
	if w.projectRoles != nil {
		pr = knownvalue.ListExact(w.projectRoles)
	}
	if w.contexts != nil {
		cx = stringList(w.contexts...)
	}
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id": knownvalue.StringExact(w.id), "login": knownvalue.StringExact(w.login), "email": optString(w.email),
		"org_role": optString(w.orgRole), "groups": stringList(w.groups...), "project_roles": pr, "contexts": cx,
	})
}

func projectRole(id, slug, role string, via ...string) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"project_id": knownvalue.StringExact(id), "project_slug": knownvalue.StringExact(slug),
		"role": knownvalue.StringExact(role), "via": stringList(via...),
	})
}

// fixtureAccessUsers is the acceptance fixture's organization as
// circleci_org_access must show it.
func fixtureAccessUsers(withProjects, withContexts bool) []knownvalue.Check {
	apiSlug := "circleci/" + testOrgID + "/" + testProjectAPI
	open := []string{"gcp-all", "odd", "shared"}
	all := []string{"aws-prod", "big", "gcp-all", "odd", "shared"}
	roles := func(rs ...knownvalue.Check) []knownvalue.Check {
		if !withProjects {
			return nil
		}
		if rs == nil {
			return []knownvalue.Check{}
		}
		return rs
	}
	ctx := func(names ...string) []string {
		if !withContexts {
			return nil
		}
		if names == nil {
			return []string{}
		}
		return names
	}
	// Without project grants, carol and bob1 are viewers everywhere and may use no context.
	viewerCtx := func(names ...string) []string {
		if !withProjects {
			return ctx()
		}
		return ctx(names...)
	}
	users := []userWant{
		{id: "6b0e0000-0000-4000-8000-00000000000c", login: "alice", email: "alice@example.com", orgRole: "admin",
			projectRoles: roles(), contexts: ctx(all...)},
		{id: "6b0e0000-0000-4000-8000-000000000001", login: "bob", email: "bob1@example.com", orgRole: "viewer", groups: []string{"platform"},
			projectRoles: roles(projectRole(testProjectWeb, "gh/acme-std/web", "contributor", "direct")), contexts: viewerCtx(open...)},
		{id: "6b0e0000-0000-4000-8000-000000000002", login: "bob", email: "bob2@example.com", orgRole: "contributor",
			projectRoles: roles(), contexts: ctx(open...)},
		{id: "6b0e0000-0000-4000-8000-00000000000b", login: "Bob", orgRole: "contributor", groups: []string{"release-managers"},
			projectRoles: roles(projectRole(testProjectAPI, apiSlug, "admin", "direct", "group:release-managers")),
			contexts:     ctx("aws-prod", "gcp-all", "odd", "shared")},
		// The group-granted project admin: an org viewer, admin of api through release-managers.
		{id: "6b0e0000-0000-4000-8000-00000000000d", login: "carol", orgRole: "viewer", groups: []string{"release-managers"},
			projectRoles: roles(projectRole(testProjectAPI, apiSlug, "admin", "group:release-managers")),
			contexts:     viewerCtx("aws-prod", "gcp-all", "odd", "shared")},
		{id: "6b0e0000-0000-4000-8000-00000000000e", login: "dave", email: "dave@example.com", orgRole: "org-security-auditor", groups: []string{"Auditors"},
			projectRoles: roles(projectRole(testProjectDocs, "gh/acme-std/Docs", "viewer", "group:Auditors")), contexts: ctx()},
		{id: "6b0e0000-0000-4000-8000-00000000000a", login: "zoe", email: "zoe@example.com", orgRole: "admin",
			projectRoles: roles(), contexts: ctx(all...)},
	}
	if withProjects { // erin has no org role: she appears through a group and a project grant
		erin := userWant{id: testUserErin, login: "erin", email: "erin@example.com", orgRole: nil, groups: []string{"Auditors"},
			projectRoles: roles(
				projectRole(testProjectDocs, "gh/acme-std/Docs", "viewer", "group:Auditors"),
				projectRole(testProjectWeb, "gh/acme-std/web", "viewer", "direct")),
			contexts: ctx()}
		users = append(users[:6], append([]userWant{erin}, users[6:]...)...)
	} else {
		erin := userWant{id: testUserErin, login: "erin", email: "erin@example.com", orgRole: nil, groups: []string{"Auditors"}, contexts: ctx()}
		users = append(users[:6], append([]userWant{erin}, users[6:]...)...)
	}
	out := make([]knownvalue.Check, len(users))
	for i, u := range users {
		out[i] = u.check()
	}
	return out
}

func accessContext(id, name string, all bool, logins, projects, exprs []string) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id": knownvalue.StringExact(id), "name": knownvalue.StringExact(name), "all_members": knownvalue.Bool(all),
		"logins": stringList(logins...), "project_ids": stringList(projects...), "expressions": stringList(exprs...),
	})
}

func TestAccOrgAccessDataSource_basic(t *testing.T) {
	s := newTestServer(t)
	everyone := []string{"alice", "bob", "bob", "Bob", "carol", "zoe"}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)) + `
data "circleci_org_access" "test" {}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("organization_id"), knownvalue.StringExact(testOrgID)),
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("include_projects"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("include_contexts"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("users"), knownvalue.ListExact(fixtureAccessUsers(true, true))),
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("admin_logins"), stringList("alice", "Bob", "carol", "zoe")),
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("contexts"), knownvalue.ListExact([]knownvalue.Check{
					accessContext(testContextAWSProd, "aws-prod", false, []string{"alice", "Bob", "carol", "zoe"}, []string{testProjectAPI}, []string{testBranchExpression}),
					accessContext(testContextBig, "big", false, []string{"alice", "zoe"}, nil, nil),
					accessContext(testContextAllMembers, "gcp-all", true, everyone, nil, nil),
					accessContext(testContextOdd, "odd", true, everyone, nil, nil),
					accessContext(testContextShared, "shared", true, everyone, nil, nil),
				})),
			},
		}},
	})
}

// With include_projects and include_contexts false, no project or context
// endpoint is called; carol, admin only through a project group grant, is
// then not an admin.
func TestAccOrgAccessDataSource_withoutProjectsOrContexts(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)) + `
data "circleci_org_access" "test" {
  include_projects = false
  include_contexts = false
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("users"), knownvalue.ListExact(fixtureAccessUsers(false, false))),
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("admin_logins"), stringList("alice", "zoe")),
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("contexts"), knownvalue.Null()),
			},
		}},
	})
	for _, r := range s.Requests() {
		switch {
		case r.Path == fakeapi.PathProjects, r.Path == fakeapi.PathContexts,
			r.Path == fakeapi.ProjectRoleGrantsPath(testOrgID, testProjectAPI), r.Path == fakeapi.ProjectGroupsPath(testOrgID, testProjectAPI),
			r.Path == fakeapi.ContextRestrictionsPath(testContextAWSProd):
			t.Errorf("a project or context endpoint was called: %s", r.Path)
		}
	}
	if s.RequestCount(fakeapi.GroupsPath(testOrgID)) == 0 {
		t.Error("groups were not read")
	}
}

func TestAccOrgAccessDataSource_errors(t *testing.T) {
	cases := []accessErrorCase{
		{name: "OAuth organization: no role grants", org: testGitHubOrgID,
			want: []string{"CircleCI Denied Access to Organization Members", "GitHub or Bitbucket"}},
		{name: "a project's group grants fail", org: testOrgID,
			fault: &fakeapi.Fault{Path: fakeapi.ProjectGroupsPath(testOrgID, testProjectDocs), Times: -1, Status: http.StatusForbidden, Body: `{"message":"Permission denied."}`},
			want:  []string{"CircleCI Denied Access to Project Role Grants", "/projects/" + testProjectDocs + "/groups"}},
		{name: "a project grants a group the listing lacks", org: testOrgID,
			fault: &fakeapi.Fault{Path: fakeapi.ProjectGroupsPath(testOrgID, testProjectDocs), Times: -1, Status: http.StatusOK,
				Body: `{"items":[{"id":"9a000000-0000-4000-8000-0000000000ff","name":"ghost","role":"project-admin"}]}`},
			want: []string{"Inconsistent CircleCI Access Data", "names group 9a000000-0000-4000-8000-0000000000ff", "run again"}},
	}
	runAccessErrorCases(t, func(s *fakeapi.Server, org string) string {
		return providerConfig(s) + fmt.Sprintf("data \"circleci_org_access\" \"test\" {\n  organization_id = %q\n}\n", org)
	}, cases)
}

// All six member and access data sources on one organization in one run:
// exactly one request per page of each listing and one per fan-out.
func TestAccOneSweepAllAccessDataSources(t *testing.T) {
	s := newTestServer(t)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)) + fmt.Sprintf(`
data "circleci_org_members" "all" {}
data "circleci_groups" "all" {}
data "circleci_contexts" "all" {}
data "circleci_projects" "all" {}
data "circleci_project_members" "api" {
  project_id = %q
}
data "circleci_org_access" "all" {}
data "circleci_org_access" "again" {
  include_contexts = false
}
`, testProjectAPI),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.circleci_org_access.all", tfjsonpath.New("admin_logins"), stringList("alice", "Bob", "carol", "zoe")),
				statecheck.ExpectKnownValue("data.circleci_org_access.again", tfjsonpath.New("admin_logins"), stringList("alice", "Bob", "carol", "zoe")),
				statecheck.ExpectKnownValue("data.circleci_projects.all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(4)),
			},
		}},
	})
	runs := s.RequestCount(fakeapi.GroupsPath(testOrgID))
	if runs == 0 {
		t.Fatal("groups never listed")
	}
	want := groupsAndContextsSweep()
	want[fakeapi.RoleGrantsPath(testOrgID)] = 3 // 7 members, 3 per page
	want[fakeapi.PathProjects] = 2              // 4 projects, 3 per page
	for _, p := range []string{testProjectAPI, testProjectWeb, testProjectDocs, testProjectInfra} {
		want[fakeapi.ProjectRoleGrantsPath(testOrgID, p)] = 1
		want[fakeapi.ProjectGroupsPath(testOrgID, p)] = 1
	}
	for k := range want {
		want[k] *= runs
	}
	assertRequests(t, s, want)
}
