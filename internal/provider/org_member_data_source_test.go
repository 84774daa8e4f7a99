package provider

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

func TestFindMembers(t *testing.T) {
	grants := []circleci.RoleGrant{
		{UserID: "6b0e0000-0000-4000-8000-00000000000a", Username: "Alice", Email: "alice@example.com", Role: "org-admin"},
		{UserID: "6b0e0000-0000-4000-8000-00000000000b", Username: "bob", Email: "", Role: "org-viewer"},
		{UserID: "6b0e0000-0000-4000-8000-00000000000c", Username: "BOB", Email: "shared@example.com", Role: "org-contributor"},
		{UserID: "6b0e0000-0000-4000-8000-00000000000d", Username: "carol", Email: "Shared@Example.com", Role: "org-contributor"},
	}
	members := membersToModel(grants, "").members
	tests := []struct {
		name   string
		q      memberQuery
		logins []string
	}{
		{"id, any case", memberQuery{"id", "6B0E0000-0000-4000-8000-00000000000A"}, []string{"Alice"}},
		{"login, any case", memberQuery{"login", "alice"}, []string{"Alice"}},
		{"login shared by two", memberQuery{"login", "Bob"}, []string{"bob", "BOB"}},
		{"email, any case", memberQuery{"email", "ALICE@example.COM"}, []string{"Alice"}},
		{"email shared by two", memberQuery{"email", "shared@example.com"}, []string{"BOB", "carol"}},
		{"no such login", memberQuery{"login", "ghost"}, nil},
		{"an empty email never matches", memberQuery{"email", ""}, nil},
		{"login is not email", memberQuery{"email", "alice"}, nil},
		{"id is not login", memberQuery{"login", "6b0e0000-0000-4000-8000-00000000000a"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var logins []string
			for _, m := range findMembers(members, tc.q) {
				logins = append(logins, m.Login.ValueString())
			}
			if !reflect.DeepEqual(logins, tc.logins) {
				t.Errorf("matched %v, want %v", logins, tc.logins)
			}
		})
	}
}

func TestMemberQueryFrom(t *testing.T) {
	s := types.StringValue
	tests := []struct {
		m    OrgMemberDataSourceModel
		want memberQuery
	}{
		{OrgMemberDataSourceModel{MemberModel: MemberModel{ID: s("i"), Login: types.StringNull(), Email: types.StringNull()}}, memberQuery{"id", "i"}},
		{OrgMemberDataSourceModel{MemberModel: MemberModel{ID: types.StringNull(), Login: s("l"), Email: types.StringNull()}}, memberQuery{"login", "l"}},
		{OrgMemberDataSourceModel{MemberModel: MemberModel{ID: types.StringNull(), Login: types.StringNull(), Email: s("e@x")}}, memberQuery{"email", "e@x"}},
	}
	for _, tc := range tests {
		if got := memberQueryFrom(tc.m); got != tc.want {
			t.Errorf("memberQueryFrom(%+v) = %+v, want %+v", tc.m, got, tc.want)
		}
	}
}

func TestOrgMemberToModel(t *testing.T) {
	m := MemberModel{ID: types.StringValue("i"), Login: types.StringValue("alice"), Email: types.StringNull(),
		Role: types.StringValue("admin"), Name: types.StringValue("Alice A"), VCSLogin: types.StringValue("alice-gh")}
	found := orgMemberToModel("org", types.BoolValue(true), m, true)
	want := OrgMemberDataSourceModel{OrganizationID: types.StringValue("org"), IncludeDetails: types.BoolValue(true),
		Found: types.BoolValue(true), MemberModel: m}
	if found != want {
		t.Errorf("found: got %+v, want %+v", found, want)
	}
	// Not found: every attribute of the member is null, the lookup key included.
	notFound := orgMemberToModel("org", types.BoolNull(), m, false)
	null := types.StringNull()
	want = OrgMemberDataSourceModel{OrganizationID: types.StringValue("org"), IncludeDetails: types.BoolNull(), Found: types.BoolValue(false),
		MemberModel: MemberModel{ID: null, Login: null, Email: null, Role: null, Name: null, VCSLogin: null}}
	if notFound != want {
		t.Errorf("not found: got %+v, want %+v", notFound, want)
	}
}

const memberAddr = "data.circleci_org_member.test"

func memberLookupConfig(s *fakeapi.Server, args string, providerExtra ...string) string {
	return providerConfig(s, providerExtra...) + fmt.Sprintf("data \"circleci_org_member\" \"test\" {\n%s\n}\n", args)
}

// memberChecks checks every attribute of the looked-up member; nil means null.
func memberChecks(orgID string, found bool, attrs map[string]any) []statecheck.StateCheck {
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(memberAddr, tfjsonpath.New("found"), knownvalue.Bool(found)),
		statecheck.ExpectKnownValue(memberAddr, tfjsonpath.New("organization_id"), knownvalue.StringExact(orgID)),
	}
	for _, k := range []string{"id", "login", "email", "role", "name", "vcs_login"} {
		var c knownvalue.Check = knownvalue.Null()
		if v, ok := attrs[k].(string); ok {
			c = knownvalue.StringExact(v)
		}
		checks = append(checks, statecheck.ExpectKnownValue(memberAddr, tfjsonpath.New(k), c))
	}
	return checks
}

func TestAccOrgMemberDataSource_lookups(t *testing.T) {
	s := newTestServer(t)
	org := fmt.Sprintf("organization_id = %q\n", testOrgID)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: memberLookupConfig(s, org+`login = "ALICE"`),
				ConfigStateChecks: memberChecks(testOrgID, true, map[string]any{
					"id": "6b0e0000-0000-4000-8000-00000000000c", "login": "alice", "email": "alice@example.com", "role": "admin"}),
			},
			{
				// The provider's default organization; email without regard to case.
				Config: memberLookupConfig(s, `email = "Zoe@Example.COM"`, fmt.Sprintf("organization_id = %q", testOrgID)),
				ConfigStateChecks: memberChecks(testOrgID, true, map[string]any{
					"id": "6b0e0000-0000-4000-8000-00000000000a", "login": "zoe", "email": "zoe@example.com", "role": "admin"}),
			},
			{
				// By id in upper case, with user details; a role CircleCI added later is kept.
				Config: memberLookupConfig(s, org+`id = "6B0E0000-0000-4000-8000-00000000000E"`+"\ninclude_user_details = true"),
				ConfigStateChecks: memberChecks(testOrgID, true, map[string]any{
					"id": "6b0e0000-0000-4000-8000-00000000000e", "login": "dave", "email": "dave@example.com",
					"role": "org-security-auditor", "name": "Dave D", "vcs_login": "dave-gh"}),
			},
		},
	})
	if n := s.RequestCount(fakeapi.UserPath("6b0e0000-0000-4000-8000-00000000000e")); n == 0 {
		t.Error("include_user_details never looked the member up")
	}
	if n := s.RequestCount(fakeapi.UserPath("6b0e0000-0000-4000-8000-00000000000c")); n != 0 {
		t.Errorf("without include_user_details a user was looked up %d times", n)
	}
}

// Not found is not an error: found is false and every attribute is null.
func TestAccOrgMemberDataSource_notFound(t *testing.T) {
	s := newTestServer(t)
	org := fmt.Sprintf("organization_id = %q\n", testOrgID)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            memberLookupConfig(s, org+`login = "ghost"`+"\ninclude_user_details = true"),
				ConfigStateChecks: memberChecks(testOrgID, false, nil),
			},
			{
				Config:            memberLookupConfig(s, org+`email = "nobody@example.com"`),
				ConfigStateChecks: memberChecks(testOrgID, false, nil),
			},
			{
				// An organization that lists no member at all is not "not found": it is an answer no organization can give.
				Config:      memberLookupConfig(s, fmt.Sprintf("organization_id = %q\nid = %q", testEmptyOrgID, "6b0e0000-0000-4000-8000-00000000000a")),
				ExpectError: expectError("Member Listing Was Not Understood", testEmptyOrgID, "at least one admin"),
			},
		},
	})
	if n := s.RequestCount(""); n == 0 {
		t.Fatal("the fake saw no request")
	}
	for _, r := range s.Requests() {
		if strings.HasPrefix(r.Path, "/api/v2/user/") {
			t.Errorf("a member that was not found was looked up: %s", r.Path)
		}
	}
}

func TestAccOrgMemberDataSource_ambiguous(t *testing.T) {
	f := testFixture()
	f.Members[testOrgID] = append(f.Members[testOrgID],
		fakeapi.RoleGrant{UserID: "6b0e0000-0000-4000-8000-0000000000f1", Username: "alice-bot", Email: "Alice@Example.com", Role: "org-viewer"})
	s := newFixtureServer(t, f)
	org := fmt.Sprintf("organization_id = %q\n", testOrgID)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: memberLookupConfig(s, org+`email = "alice@example.com"`),
				ExpectError: expectError("Ambiguous Organization Member", `email = "alice@example.com"`,
					"2 members of organization "+testOrgID+` have the email "alice@example.com"`, "by id", "circleci_org_members"),
			},
			{
				Config:      memberLookupConfig(s, org+`login = "bob"`),
				ExpectError: expectError("Ambiguous Organization Member", `3 members of organization `+testOrgID+` have the login "bob"`),
			},
		},
	})
}

func TestAccOrgMemberDataSource_invalidArguments(t *testing.T) {
	s := newTestServer(t)
	org := fmt.Sprintf("organization_id = %q\n", testOrgID)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      memberLookupConfig(s, org),
				ExpectError: expectError("Missing Attribute Configuration", "with data.circleci_org_member.test", "[id,login,email]", "which member"),
			},
			{
				Config:      memberLookupConfig(s, org+"login = \"alice\"\nemail = \"alice@example.com\""),
				ExpectError: expectError("Invalid Attribute Combination", "with data.circleci_org_member.test", `login = "alice"`, "[id,login,email]"),
			},
			{
				Config:      memberLookupConfig(s, org+`id = "alice"`),
				ExpectError: expectError("Invalid User ID", `id = "alice"`, "UUID", "login or email"),
			},
			{
				Config:      memberLookupConfig(s, org+`email = "alice"`),
				ExpectError: expectError("Invalid Email Address", `email = "alice"`),
			},
			{
				Config:      memberLookupConfig(s, `organization_id = "acme"`+"\nlogin = \"alice\""),
				ExpectError: expectError("Invalid UUID", `organization_id = "acme"`, "not a name or slug"),
			},
		},
	})
	if n := s.RequestCount(""); n != 0 {
		t.Errorf("invalid arguments must fail before any request; the fake saw %d", n)
	}
}

// lookupSweep runs one configuration on the fixture and returns the requests
// the fake saw for the members listing, /me and the organization.
func lookupSweep(t *testing.T, dataSources string) (listing, me, org int) {
	t.Helper()
	s := newTestServer(t)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(s) + dataSources,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.circleci_org_members.all", tfjsonpath.New("member_count"), knownvalue.Int64Exact(7)),
			},
		}},
	})
	return s.RequestCount(circleci.OrgRoleGrantsPath(testOrgID)), s.RequestCount(fakeapi.PathMe),
		s.RequestCount(fakeapi.OrganizationRequestPath(testOrgSlug))
}

// Three circleci_org_member and two circleci_org_members on one organization
// in one run cost one listing: exactly what a single circleci_org_members
// costs. Several circleci_me and circleci_organization blocks likewise cost
// one request each per run.
func TestAccOneSweepForLookups(t *testing.T) {
	org := fmt.Sprintf(`
data "circleci_organization" "o0" { slug = %q }
data "circleci_org_members" "all" { organization_id = data.circleci_organization.o0.id }
`, testOrgSlug)
	oneL, oneMe, oneOrg := lookupSweep(t, org+meConfig(1))
	manyL, manyMe, manyOrg := lookupSweep(t, org+meConfig(2)+fmt.Sprintf(`
data "circleci_organization" "o1" { slug = %q }
data "circleci_org_members" "admins" {
  organization_id = data.circleci_organization.o1.id
  role            = "admin"
}
data "circleci_org_member" "alice" {
  organization_id = data.circleci_organization.o0.id
  login           = "alice"
}
data "circleci_org_member" "zoe" {
  organization_id = data.circleci_organization.o1.id
  email           = "zoe@example.com"
}
data "circleci_org_member" "ghost" {
  organization_id = %q
  login           = "ghost"
}
`, testOrgSlug, testOrgID))
	t.Logf("role-grants, /me, organization requests: one of each %d, %d, %d; many %d, %d, %d", oneL, oneMe, oneOrg, manyL, manyMe, manyOrg)
	if oneL == 0 || oneL%3 != 0 {
		t.Fatalf("one circleci_org_members: %d role-grants requests, want a positive multiple of 3 pages", oneL)
	}
	if oneMe == 0 || oneOrg == 0 {
		t.Fatalf("baseline made %d /me and %d organization requests; the configuration did not read them", oneMe, oneOrg)
	}
	if manyL != oneL {
		t.Errorf("3 circleci_org_member + 2 circleci_org_members made %d role-grants requests; one circleci_org_members made %d: want equal", manyL, oneL)
	}
	// Absolute: every run that read /me (once) walked the 3 pages once.
	if manyL != 3*manyMe {
		t.Errorf("%d role-grants requests over %d runs: want exactly one 3-page listing per run", manyL, manyMe)
	}
	if manyMe != oneMe || manyOrg != oneOrg {
		t.Errorf("2 circleci_me and 2 circleci_organization made %d and %d requests; one of each made %d and %d: want equal",
			manyMe, manyOrg, oneMe, oneOrg)
	}
}

// A member whose user record is gone (404 on /api/v2/user/{id}) is still
// found, with name and vcs_login null (and a warning), as in
// circleci_org_members; another failure of the lookup fails the read.
func TestAccOrgMemberDataSource_deletedUser(t *testing.T) {
	const deleted = "6b0e0000-0000-4000-8000-00000000000c" // alice
	fx := testFixture()
	fx.DeleteUser(deleted)
	s := newFixtureServer(t, fx)
	args := fmt.Sprintf("organization_id = %q\ninclude_user_details = true\n", testOrgID)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: memberLookupConfig(s, args+`login = "alice"`),
				ConfigStateChecks: memberChecks(testOrgID, true, map[string]any{
					"id": deleted, "login": "alice", "email": "alice@example.com", "role": "admin"}),
			},
			{
				PreConfig: func() {
					s.Inject(fakeapi.Fault{Path: fakeapi.UserPath("6b0e0000-0000-4000-8000-00000000000a"), Times: -1, Status: 403,
						Body: `{"message":"Permission denied."}`})
				},
				Config:      memberLookupConfig(s, args+`login = "zoe"`),
				ExpectError: expectError("CircleCI Denied Access to User 6b0e0000-0000-4000-8000-00000000000a", "403"),
			},
		},
	})
	if s.RequestCount(fakeapi.UserPath(deleted)) == 0 {
		t.Error("the deleted user was never looked up")
	}
}
