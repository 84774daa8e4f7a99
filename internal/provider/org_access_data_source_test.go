package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

const accessAddr = "data.circleci_org_access.test"

type userWant struct {
	id, login     string
	email         any // string or nil
	orgRole       any // string or nil
	groups        []string
	projectRoles  []knownvalue.Check // nil: null
	contextAccess [][2]string        // name, via joined by ","; nil: null
}

func (w userWant) check(contextIDs map[string]string) knownvalue.Check {
	var pr, cx, ca knownvalue.Check = knownvalue.Null(), knownvalue.Null(), knownvalue.Null()
	if w.projectRoles != nil {
		pr = knownvalue.ListExact(w.projectRoles)
	}
	if w.contextAccess != nil {
		names := []string{}
		access := []knownvalue.Check{}
		for _, c := range w.contextAccess {
			names = append(names, c[0])
			access = append(access, knownvalue.ObjectExact(map[string]knownvalue.Check{
				"id": knownvalue.StringExact(contextIDs[c[0]]), "name": knownvalue.StringExact(c[0]),
				"via": stringList(strings.Split(c[1], ",")...),
			}))
		}
		cx, ca = stringList(names...), knownvalue.ListExact(access)
	}
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id": knownvalue.StringExact(w.id), "login": knownvalue.StringExact(w.login), "email": optString(w.email),
		"org_role": optString(w.orgRole), "groups": stringList(w.groups...), "project_roles": pr, "contexts": cx, "context_access": ca,
	})
}

func projectRole(id, slug, name, role string, via ...string) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"project_id": knownvalue.StringExact(id), "project_slug": knownvalue.StringExact(slug), "project_name": knownvalue.StringExact(name),
		"role": knownvalue.StringExact(role), "via": stringList(via...),
	})
}

// The acceptance fixture's people, in the order of users.
const (
	idAlice = "6b0e0000-0000-4000-8000-00000000000c" // org admin
	idBob1  = "6b0e0000-0000-4000-8000-000000000001" // bob, org viewer, contributor on web
	idBob2  = "6b0e0000-0000-4000-8000-000000000002" // bob, org contributor
	idBobB  = "6b0e0000-0000-4000-8000-00000000000b" // Bob, org contributor in release-managers, admin of api
	idCarol = "6b0e0000-0000-4000-8000-00000000000d" // org viewer in release-managers, admin of api through it
	idDave  = "6b0e0000-0000-4000-8000-00000000000e" // org-security-auditor: an unrecognised role, treated as admin
	idZoe   = "6b0e0000-0000-4000-8000-00000000000a" // org admin
)

var fixtureContextIDs = map[string]string{
	"aws-prod": testContextAWSProd, "big": testContextBig, "deploy-web": testContextDeployWeb, "gcp-all": testContextAllMembers,
	"main-only": testContextMainOnly, "odd": testContextOdd, "shared": testContextShared, "staging": testContextStaging,
}

// fixtureAccessUsers is the acceptance fixture's organization as
// circleci_org_access must show it (the rules: AccessRulesMarkdown).
func fixtureAccessUsers(withProjects, withContexts, settingOn bool) []knownvalue.Check {
	apiSlug := "circleci/" + testOrgID + "/" + testProjectAPI
	roles := func(rs ...knownvalue.Check) []knownvalue.Check {
		if !withProjects {
			return nil
		}
		if rs == nil {
			return []knownvalue.Check{}
		}
		return rs
	}
	ctx := func(access ...[2]string) [][2]string {
		if !withContexts || !withProjects {
			return nil
		}
		if access == nil {
			return [][2]string{}
		}
		return access
	}
	// Admins (rule 2) use every context, but none without a group
	// restriction when the organization requires one (rule 5).
	admin := func(via string) [][2]string {
		var out [][2]string
		for _, name := range []string{"aws-prod", "big", "deploy-web", "gcp-all", "main-only", "odd", "shared", "staging"} {
			if settingOn && (name == "deploy-web" || name == "main-only" || name == "odd" || name == "shared") {
				continue
			}
			out = append(out, [2]string{name, via})
		}
		return ctx(out...)
	}
	users := []userWant{
		{id: idAlice, login: "alice", email: "alice@example.com", orgRole: "admin", projectRoles: roles(), contextAccess: admin("org-admin")},
		// An org viewer, contributor on web: All members contexts (rules 3 and 4), staging through web.
		{id: idBob1, login: "bob", email: "bob1@example.com", orgRole: "viewer", groups: []string{"platform"},
			projectRoles:  roles(projectRole(testProjectWeb, "gh/acme-std/web", "web", "contributor", "direct")),
			contextAccess: ctx([2]string{"gcp-all", "all-members"}, [2]string{"staging", "all-members,project:web"})},
		{id: idBob2, login: "bob", email: "bob2@example.com", orgRole: "contributor", projectRoles: roles(),
			contextAccess: ctx([2]string{"gcp-all", "all-members"}, [2]string{"staging", "all-members,project:web"})},
		{id: idBobB, login: "Bob", orgRole: "contributor", groups: []string{"release-managers"},
			projectRoles: roles(projectRole(testProjectAPI, apiSlug, "api", "admin", "direct", "group:release-managers")),
			contextAccess: ctx([2]string{"aws-prod", "group:release-managers,project:api"}, [2]string{"gcp-all", "all-members"},
				[2]string{"staging", "all-members,project:web"})},
		// The group-granted project admin: an org viewer, admin of api through release-managers; not a contributor on web.
		{id: idCarol, login: "carol", orgRole: "viewer", groups: []string{"release-managers"},
			projectRoles:  roles(projectRole(testProjectAPI, apiSlug, "api", "admin", "group:release-managers")),
			contextAccess: ctx([2]string{"aws-prod", "group:release-managers,project:api"}, [2]string{"gcp-all", "all-members"})},
		// An unrecognised org role ranks as admin: no project raises it, every context.
		{id: idDave, login: "dave", email: "dave@example.com", orgRole: "org-security-auditor", groups: []string{"Auditors"},
			projectRoles: roles(), contextAccess: admin("org-role:org-security-auditor")},
		// No org role (rule 1): no context, whatever her groups and grants.
		{id: testUserErin, login: "erin", email: "erin@example.com", orgRole: nil, groups: []string{"Auditors"},
			projectRoles: roles(
				projectRole(testProjectDocs, "gh/acme-std/Docs", "Docs", "viewer", "group:Auditors"),
				projectRole(testProjectWeb, "gh/acme-std/web", "web", "viewer", "direct")),
			contextAccess: ctx()},
		{id: idZoe, login: "zoe", email: "zoe@example.com", orgRole: "admin", projectRoles: roles(), contextAccess: admin("org-admin")},
	}
	out := make([]knownvalue.Check, len(users))
	for i, u := range users {
		out[i] = u.check(fixtureContextIDs)
	}
	return out
}

// accessContext is one context as circleci_org_access shows it; users nil
// means null (without include_projects).
func accessContext(id, name string, all, adminsOnly, conditional bool, users, editors []string, projects, exprs []string) knownvalue.Check {
	logins := map[string]string{idAlice: "alice", idBob1: "bob", idBob2: "bob", idBobB: "Bob", idCarol: "carol", idDave: "dave", idZoe: "zoe"}
	ids, names := knownvalue.Check(knownvalue.Null()), knownvalue.Check(knownvalue.Null())
	if users != nil {
		var ls []string
		for _, u := range users {
			ls = append(ls, logins[u])
		}
		ids, names = stringList(users...), stringList(ls...)
	}
	var els []string
	for _, u := range editors {
		els = append(els, logins[u])
	}
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id": knownvalue.StringExact(id), "name": knownvalue.StringExact(name), "all_members": knownvalue.Bool(all),
		"admins_only": knownvalue.Bool(adminsOnly), "conditional": knownvalue.Bool(conditional),
		"user_ids": ids, "logins": names, "editor_ids": stringList(editors...), "editor_logins": stringList(els...),
		"project_ids": stringList(projects...), "expressions": stringList(exprs...),
	})
}

// fixtureAccessContexts is the fixture's contexts; users nil when
// include_projects is false.
func fixtureAccessContexts(withProjects, settingOn bool) knownvalue.Check {
	admins := []string{idAlice, idDave, idZoe}
	users := func(ids ...string) []string {
		if !withProjects {
			return nil
		}
		return append([]string{}, ids...)
	}
	adminsOnly := func() []string { // rule 3, or nobody under rule 5
		if settingOn {
			return users()
		}
		return users(admins...)
	}
	if !withProjects {
		adminsOnly = func() []string { return nil }
	}
	return knownvalue.ListExact([]knownvalue.Check{
		accessContext(testContextAWSProd, "aws-prod", false, false, true, users(idAlice, idBobB, idCarol, idDave, idZoe),
			[]string{idAlice, idBobB, idDave, idZoe}, []string{testProjectAPI}, []string{testBranchExpression}),
		accessContext(testContextBig, "big", false, false, false, users(admins...), admins, nil, nil),
		accessContext(testContextDeployWeb, "deploy-web", false, true, false, adminsOnly(), admins, []string{testProjectWeb}, nil),
		accessContext(testContextAllMembers, "gcp-all", true, false, false, users(idAlice, idBob1, idBob2, idBobB, idCarol, idDave, idZoe),
			[]string{idAlice, idBob2, idBobB, idDave, idZoe}, nil, nil),
		accessContext(testContextMainOnly, "main-only", false, true, true, adminsOnly(), admins, nil, []string{testBranchExpression}),
		accessContext(testContextOdd, "odd", false, true, true, adminsOnly(), admins, nil, nil),
		accessContext(testContextShared, "shared", false, true, false, adminsOnly(), admins, nil, nil),
		accessContext(testContextStaging, "staging", true, false, false, users(idAlice, idBob1, idBob2, idBobB, idDave, idZoe),
			[]string{idAlice, idBob2, idBobB, idDave, idZoe}, []string{testProjectWeb}, nil),
	})
}

func accessProject(id, name, slug string, admins, contributors []string) knownvalue.Check {
	logins := map[string]string{idAlice: "alice", idBob1: "bob", idBob2: "bob", idBobB: "Bob", idCarol: "carol", idDave: "dave", idZoe: "zoe"}
	ls := func(ids []string) knownvalue.Check {
		var out []string
		for _, id := range ids {
			out = append(out, logins[id])
		}
		return stringList(out...)
	}
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id": knownvalue.StringExact(id), "name": knownvalue.StringExact(name), "slug": knownvalue.StringExact(slug),
		"admin_ids": stringList(admins...), "admin_logins": ls(admins), "contributor_ids": stringList(contributors...),
		"contributor_logins": ls(contributors),
	})
}

func TestAccOrgAccessDataSource_basic(t *testing.T) {
	s := newTestServer(t)
	admins := []string{idAlice, idDave, idZoe}
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
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("context_group_restriction_required"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("users"), knownvalue.ListExact(fixtureAccessUsers(true, true, false))),
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("admin_ids"), stringList(idAlice, idBobB, idCarol, idDave, idZoe)),
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("admin_logins"), stringList("alice", "Bob", "carol", "dave", "zoe")),
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("unrecognized_roles"), stringList("org-security-auditor", "project-owner")),
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("contexts"), fixtureAccessContexts(true, false)),
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("projects"), knownvalue.ListExact([]knownvalue.Check{
					accessProject(testProjectAPI, "api", "circleci/"+testOrgID+"/"+testProjectAPI,
						[]string{idAlice, idBobB, idCarol, idDave, idZoe}, []string{idBob2}),
					accessProject(testProjectInfra, "infra", "circleci/"+testOrgID+"/"+testProjectInfra, admins, []string{idBob2, idBobB}),
					accessProject(testProjectDocs, "Docs", "gh/acme-std/Docs", admins, []string{idBob2, idBobB}),
					accessProject(testProjectWeb, "web", "gh/acme-std/web", admins, []string{idBob1, idBob2, idBobB}),
				})),
			},
		}},
	})
}

// Rule 5: with is_context_group_restriction_required on, a context without a
// group restriction is usable by nobody, admins included; editing is not
// affected.
func TestAccOrgAccessDataSource_groupRestrictionRequired(t *testing.T) {
	fx := testFixture()
	on := fakeapi.DefaultOrgSettings()
	on["is_context_group_restriction_required"] = true
	fx.OrgSettings = map[string]map[string]bool{testOrgID: on}
	s := newFixtureServer(t, fx)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)) + `
data "circleci_org_access" "test" {}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("context_group_restriction_required"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("users"), knownvalue.ListExact(fixtureAccessUsers(true, true, true))),
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("contexts"), fixtureAccessContexts(true, true)),
			},
		}},
	})
}

// With include_projects and include_contexts false, no project, context or
// settings endpoint is called, and nothing project grants could change is
// listed: carol, admin only through a project group grant, must not vanish
// from a shorter admin list, so the list is null.
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
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("users"), knownvalue.ListExact(fixtureAccessUsers(false, false, false))),
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("admin_logins"), knownvalue.Null()),
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("admin_ids"), knownvalue.Null()),
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("projects"), knownvalue.Null()),
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("unrecognized_roles"), knownvalue.Null()),
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("contexts"), knownvalue.Null()),
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("context_group_restriction_required"), knownvalue.Null()),
			},
		}},
	})
	for _, r := range s.Requests() {
		switch {
		case r.Path == fakeapi.PathProjects, r.Path == fakeapi.PathContexts, r.Path == fakeapi.OrgSettingsPath(testOrgID),
			r.Path == fakeapi.ProjectRoleGrantsPath(testOrgID, testProjectAPI), r.Path == fakeapi.ProjectGroupsPath(testOrgID, testProjectAPI),
			r.Path == fakeapi.ContextRestrictionsPath(testContextAWSProd):
			t.Errorf("a project, context or settings endpoint was called: %s", r.Path)
		}
	}
	if s.RequestCount(fakeapi.GroupsPath(testOrgID)) == 0 {
		t.Error("groups were not read")
	}
}

// Contexts without projects: who may edit is known (project grants never
// change it), who may use is not, so it is null, never a shorter list; a
// check that counts users fails on null instead of passing on less.
func TestAccOrgAccessDataSource_contextsWithoutProjects(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)) + `
data "circleci_org_access" "test" {
  include_projects = false
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("users"), knownvalue.ListExact(fixtureAccessUsers(false, true, false))),
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("contexts"), fixtureAccessContexts(false, false)),
				statecheck.ExpectKnownValue(accessAddr, tfjsonpath.New("admin_ids"), knownvalue.Null()),
			},
		}, {
			Config: providerConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)) + `
data "circleci_org_access" "test" {
  include_projects = false
}
output "admins" {
  value = 1
  precondition {
    condition     = length(data.circleci_org_access.test.admin_ids) <= 10
    error_message = "too many admins"
  }
}
`,
			ExpectError: regexp.MustCompile(`argument must not be null`),
		}},
	})
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
	cases = append(cases,
		accessErrorCase{name: "settings: 404, never assumed off", org: testOrgID,
			fault: &fakeapi.Fault{Path: fakeapi.OrgSettingsPath(testOrgID), Times: -1, Status: http.StatusNotFound,
				Body: `{"error":{"title":"Not Found","detail":"org not found"}}`},
			want: []string{"CircleCI Organization Settings Not Found", "/api/v3/orgs/{org_id}/settings", "include_contexts = false",
				"does not document", "Not Found: org not found"}},
		accessErrorCase{name: "settings: a toggle that is not a boolean", org: testOrgID,
			fault: &fakeapi.Fault{Path: fakeapi.OrgSettingsPath(testOrgID), Times: -1, Status: http.StatusOK,
				Header: http.Header{"Content-Type": {"application/json"}},
				Body:   `{"data":{"attributes":{"is_context_group_restriction_required":"yes"}}}`},
			want: []string{"Unreadable CircleCI Response", "/api/v3/orgs/" + testOrgID + "/settings", "expected a boolean"}},
		accessErrorCase{name: "role grants without an org-admin", org: testOrgID,
			fault: &fakeapi.Fault{Path: fakeapi.RoleGrantsPath(testOrgID), Times: -1, Status: http.StatusOK,
				Header: http.Header{"Content-Type": {"application/json"}},
				Body:   `{"items":[{"user_id":"` + idAlice + `","username":"alice","email":"","role":"org_admin"}],"next_page_token":null}`},
			want: []string{"Member Listing Was Not Understood", "role-grants", "none is org-admin", "an organization always has at least one admin"}},
	)
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
				statecheck.ExpectKnownValue("data.circleci_org_access.all", tfjsonpath.New("admin_logins"), stringList("alice", "Bob", "carol", "dave", "zoe")),
				statecheck.ExpectKnownValue("data.circleci_org_access.again", tfjsonpath.New("admin_logins"), stringList("alice", "Bob", "carol", "dave", "zoe")),
				statecheck.ExpectKnownValue("data.circleci_projects.all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(4)),
			},
		}},
	})
	want := groupsAndContextsSweep()
	want[fakeapi.RoleGrantsPath(testOrgID)] = 3 // 7 members, 3 per page
	want[fakeapi.PathProjects] = 2              // 4 projects, 3 per page
	want[fakeapi.OrgSettingsPath(testOrgID)] = 1
	for _, p := range []string{testProjectAPI, testProjectWeb, testProjectDocs, testProjectInfra} {
		want[fakeapi.ProjectRoleGrantsPath(testOrgID, p)] = 1
		want[fakeapi.ProjectGroupsPath(testOrgID, p)] = 1
	}
	assertSweepPerRun(t, s, fakeapi.GroupsPath(testOrgID), want)
}
