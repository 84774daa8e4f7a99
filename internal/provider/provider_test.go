package provider

import (
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// Fixed ids of the acceptance fixture.
const (
	testToken        = "test-token-3c1e"
	testOrgID        = "1e5f6a0c-7b0d-4c7e-9a35-3f0e8c1b2a10" // standalone (circleci), 7 members over 3 pages
	testGitHubOrgID  = "ad9ba7fb-2f4e-4b59-8a8e-1d2c3b4a5f60" // github: members not listed (403)
	testEmptyOrgID   = "0c8e2a4b-6d1f-4e3a-9b7c-5a6d7e8f9a0b" // standalone, no members
	testUnknownOrgID = "99999999-9999-4999-8999-999999999999" // not visible: 404
)

// testFixture is the acceptance tests' data: small, but with every quirk of
// the real API (hyphenated vcs-type, null ids, empty emails, unknown roles,
// unsorted mixed-case logins, page tokens that need URL-encoding).
func testFixture() *fakeapi.Fixture {
	id := func(s string) *string { return &s }
	return withPostureCredentialsData(withSettingsData(withAccessData(&fakeapi.Fixture{
		Token: testToken,
		Me:    fakeapi.User{ID: "5e1d9c6a-0000-4000-8000-000000000001", Login: "octocat", Name: "The Octocat"},
		Collaborations: []fakeapi.Collaboration{
			{ID: id(testOrgID), VCSType: "circleci", Name: "acme-std", AvatarURL: "https://avatars.example/acme-std.png", Slug: "circleci/Xy12AbCd"},
			{ID: id(testGitHubOrgID), VCSType: "github", Name: "acme", AvatarURL: "https://avatars.example/acme.png", Slug: "gh/acme"},
			{ID: nil, VCSType: "github", Name: "octocat", AvatarURL: "", Slug: "gh/octocat"},
			{ID: id(testEmptyOrgID), VCSType: "circleci", Name: "empty-std", AvatarURL: "https://avatars.example/e.png", Slug: "circleci/EmptyOrg"},
			{ID: id("7a7a7a7a-1111-4222-8333-444455556666"), VCSType: "bitbucket", Name: "acme-bb", AvatarURL: "https://avatars.example/bb.png", Slug: "bb/acme-bb"},
		},
		Members: map[string][]fakeapi.RoleGrant{
			testOrgID: {
				{UserID: "6b0e0000-0000-4000-8000-00000000000a", Username: "zoe", Email: "zoe@example.com", Role: "org-admin"},
				{UserID: "6b0e0000-0000-4000-8000-00000000000b", Username: "Bob", Email: "", Role: "org-contributor"},
				{UserID: "6b0e0000-0000-4000-8000-00000000000c", Username: "alice", Email: "alice@example.com", Role: "org-admin"},
				{UserID: "6b0e0000-0000-4000-8000-00000000000d", Username: "carol", Email: "", Role: "org-viewer"},
				{UserID: "6b0e0000-0000-4000-8000-00000000000e", Username: "dave", Email: "dave@example.com", Role: "org-security-auditor"},
				{UserID: "6b0e0000-0000-4000-8000-000000000002", Username: "bob", Email: "bob2@example.com", Role: "org-contributor"},
				{UserID: "6b0e0000-0000-4000-8000-000000000001", Username: "bob", Email: "bob1@example.com", Role: "org-viewer"},
			},
			testEmptyOrgID: {},
		},
		Users: []fakeapi.User{
			{ID: "6b0e0000-0000-4000-8000-00000000000a", Login: "zoe-gh", Name: "Zoe Z"},
			{ID: "6b0e0000-0000-4000-8000-00000000000b", Login: "Bob-gh", Name: "Bob B"},
			{ID: "6b0e0000-0000-4000-8000-00000000000c", Login: "alice-gh", Name: "Alice A"},
			{ID: "6b0e0000-0000-4000-8000-00000000000d", Login: "carol-gh", Name: ""},
			{ID: "6b0e0000-0000-4000-8000-00000000000e", Login: "dave-gh", Name: "Dave D"},
			{ID: "6b0e0000-0000-4000-8000-000000000002", Login: "bob2-gh", Name: "Bob Two"},
			{ID: "6b0e0000-0000-4000-8000-000000000001", Login: "bob1-gh", Name: "Bob One"},
		},
		PageSize: 3,
	})))
}

func member(id, login string, email any, role string) knownvalue.Check {
	var e knownvalue.Check = knownvalue.Null()
	if s, ok := email.(string); ok {
		e = knownvalue.StringExact(s)
	}
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id": knownvalue.StringExact(id), "login": knownvalue.StringExact(login), "email": e, "role": knownvalue.StringExact(role),
		"name": knownvalue.Null(), "vcs_login": knownvalue.Null(),
	})
}

// stringList checks a list of exactly the strings ss, in order.
func stringList(ss ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(ss))
	for i, s := range ss {
		checks[i] = knownvalue.StringExact(s)
	}
	return knownvalue.ListExact(checks)
}

// fixtureMembers is the acceptance fixture's organization as the data source
// must show it: every member once, sorted by lower-cased login then id, roles
// normalised, an unknown role kept, empty emails null.
func fixtureMembers() knownvalue.Check {
	return knownvalue.ListExact([]knownvalue.Check{
		member("6b0e0000-0000-4000-8000-00000000000c", "alice", "alice@example.com", "admin"),
		member("6b0e0000-0000-4000-8000-000000000001", "bob", "bob1@example.com", "viewer"),
		member("6b0e0000-0000-4000-8000-000000000002", "bob", "bob2@example.com", "contributor"),
		member("6b0e0000-0000-4000-8000-00000000000b", "Bob", nil, "contributor"),
		member("6b0e0000-0000-4000-8000-00000000000d", "carol", nil, "viewer"),
		member("6b0e0000-0000-4000-8000-00000000000e", "dave", "dave@example.com", "org-security-auditor"),
		member("6b0e0000-0000-4000-8000-00000000000a", "zoe", "zoe@example.com", "admin"),
	})
}
