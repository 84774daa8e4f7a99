package provider

import (
	"fmt"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// The acceptance fixture's access data (groups, contexts, projects) for
// testOrgID, kept here so that it stays one self-contained block.
const (
	// truncatedValueCanary is what the fake serves as a context variable's
	// truncated_value: it must appear in no state, output, diagnostic or log.
	truncatedValueCanary = "tv-canary-4b7d1e9a-NEVER-KEEP"

	testUserErin = "6b0e0000-0000-4000-8000-00000000000f" // no org role; in a group and granted on a project

	testGroupReleaseManagers = "9a000000-0000-4000-8000-000000000001"
	testGroupAuditors        = "9a000000-0000-4000-8000-000000000002"
	testGroupPlatform        = "9a000000-0000-4000-8000-000000000003"

	testContextAWSProd    = "c0000000-0000-4000-8000-000000000001"
	testContextShared     = "c0000000-0000-4000-8000-000000000002"
	testContextAllMembers = "c0000000-0000-4000-8000-000000000003"
	testContextBig        = "c0000000-0000-4000-8000-000000000004" // 150 names, page token ignored
	testContextOdd        = "c0000000-0000-4000-8000-000000000005" // an unknown restriction type
	testContextGitHub     = "c0000000-0000-4000-8000-000000000006"
	testContextDeployWeb  = "c0000000-0000-4000-8000-000000000007" // a project restriction only: admins only
	testContextMainOnly   = "c0000000-0000-4000-8000-000000000008" // an expression only: admins only, conditional
	testContextStaging    = "c0000000-0000-4000-8000-000000000009" // All members and a project

	testProjectAPI   = "70000000-0000-4000-8000-000000000001"
	testProjectWeb   = "70000000-0000-4000-8000-000000000002"
	testProjectDocs  = "70000000-0000-4000-8000-000000000003"
	testProjectInfra = "70000000-0000-4000-8000-000000000004"

	testBranchExpression = `pipeline.git.branch == "main"`
)

func withAccessData(f *fakeapi.Fixture) *fakeapi.Fixture {
	name := func(s string) *string { return &s }
	f.Users = append(f.Users, fakeapi.User{ID: testUserErin, Login: "erin-gh", Name: "Erin E"})
	f.Groups = map[string][]fakeapi.Group{
		testOrgID: {
			{ID: testGroupReleaseManagers, Name: "release-managers", Description: "Ship to production", Members: []fakeapi.GroupMember{
				{UserID: "6b0e0000-0000-4000-8000-00000000000d", Username: "carol", Email: ""},
				{UserID: "6b0e0000-0000-4000-8000-00000000000b", Username: "Bob", Email: ""},
			}},
			{ID: testGroupPlatform, Name: "platform", Description: "", Members: []fakeapi.GroupMember{
				{UserID: "6b0e0000-0000-4000-8000-000000000001", Username: "bob", Email: "bob1@example.com"},
				{UserID: "6b0e0000-0000-4000-8000-000000000001", Username: "bob", Email: "bob1@example.com"}, // listed twice: once
			}},
			{ID: testGroupAuditors, Name: "Auditors", Description: "Read-only reviewers", Members: []fakeapi.GroupMember{
				{UserID: testUserErin, Username: "erin", Email: "erin@example.com"},
				{UserID: "6b0e0000-0000-4000-8000-00000000000e", Username: "dave", Email: "dave@example.com"},
			}},
		},
	}
	big := make([]fakeapi.EnvVar, 150)
	for i := range big {
		big[i] = fakeapi.EnvVar{Variable: fmt.Sprintf("VAR_%03d", i), TruncatedValue: truncatedValueCanary}
	}
	f.Contexts = map[string][]fakeapi.Context{
		testOrgID: {
			{ID: testContextAWSProd, Name: "aws-prod", CreatedAt: "2024-01-02T03:04:05.000Z",
				EnvVars: []fakeapi.EnvVar{
					{Variable: "AWS_SECRET_ACCESS_KEY", TruncatedValue: truncatedValueCanary},
					{Variable: "AWS_ACCESS_KEY_ID", TruncatedValue: truncatedValueCanary},
				},
				Restrictions: []fakeapi.Restriction{
					{ID: "e0000000-0000-4000-8000-000000000001", Type: "project", Value: testProjectAPI, Name: name("api")},
					{ID: "e0000000-0000-4000-8000-000000000002", Type: "group", Value: testGroupReleaseManagers, Name: name("release-managers")},
					{ID: "e0000000-0000-4000-8000-000000000003", Type: "expression", Value: testBranchExpression, Name: name("")},
				}},
			{ID: testContextShared, Name: "shared", CreatedAt: "2024-01-03T00:00:00.000Z",
				EnvVars: []fakeapi.EnvVar{{Variable: "NPM_TOKEN", TruncatedValue: truncatedValueCanary}}},
			{ID: testContextAllMembers, Name: "gcp-all", CreatedAt: "2024-01-04T00:00:00.000Z",
				EnvVars: []fakeapi.EnvVar{{Variable: "GCP_SERVICE_KEY", TruncatedValue: truncatedValueCanary}},
				Restrictions: []fakeapi.Restriction{
					{ID: "e0000000-0000-4000-8000-000000000004", Type: "group", Value: testOrgID, Name: name("All members")},
				}},
			{ID: testContextBig, Name: "big", CreatedAt: "2024-01-05T00:00:00.000Z", EnvVars: big, IgnorePageToken: true,
				Restrictions: []fakeapi.Restriction{
					{ID: "e0000000-0000-4000-8000-000000000005", Type: "group", Value: testGroupAuditors, Name: nil},
				}},
			{ID: testContextOdd, Name: "odd", CreatedAt: "2024-01-06T00:00:00.000Z",
				Restrictions: []fakeapi.Restriction{
					{ID: "e0000000-0000-4000-8000-000000000006", Type: "branch-pattern", Value: "release/*", Name: nil},
				}},
			{ID: testContextDeployWeb, Name: "deploy-web", CreatedAt: "2024-01-07T00:00:00.000Z",
				Restrictions: []fakeapi.Restriction{
					{ID: "e0000000-0000-4000-8000-000000000007", Type: "project", Value: testProjectWeb, Name: name("web")},
				}},
			{ID: testContextMainOnly, Name: "main-only", CreatedAt: "2024-01-08T00:00:00.000Z",
				Restrictions: []fakeapi.Restriction{
					{ID: "e0000000-0000-4000-8000-000000000008", Type: "expression", Value: testBranchExpression, Name: name("")},
				}},
			{ID: testContextStaging, Name: "staging", CreatedAt: "2024-01-09T00:00:00.000Z",
				EnvVars: []fakeapi.EnvVar{{Variable: "STAGING_DB_PASSWORD", TruncatedValue: truncatedValueCanary}},
				Restrictions: []fakeapi.Restriction{
					{ID: "e0000000-0000-4000-8000-000000000009", Type: "group", Value: testOrgID, Name: name("All members")},
					{ID: "e0000000-0000-4000-8000-00000000000a", Type: "project", Value: testProjectWeb, Name: name("web")},
				}},
		},
		testGitHubOrgID: {
			{ID: testContextGitHub, Name: "gh-deploy", CreatedAt: "2024-02-01T00:00:00.000Z",
				EnvVars: []fakeapi.EnvVar{{Variable: "DEPLOY_TOKEN", TruncatedValue: truncatedValueCanary}}},
		},
	}
	f.Projects = map[string][]fakeapi.Project{
		testOrgID: {
			{ID: testProjectAPI, Slug: "circleci/" + testOrgID + "/" + testProjectAPI, Name: "api",
				UserGrants: []fakeapi.RoleGrant{
					{UserID: "6b0e0000-0000-4000-8000-00000000000b", Username: "Bob", Email: "", Role: "project-admin"},
				},
				GroupGrants: []fakeapi.ProjectGroupGrant{{ID: testGroupReleaseManagers, Name: "release-managers", Role: "project-admin"}}},
			{ID: testProjectWeb, Slug: "gh/acme-std/web", Name: "web",
				UserGrants: []fakeapi.RoleGrant{
					{UserID: "6b0e0000-0000-4000-8000-000000000001", Username: "bob", Email: "bob1@example.com", Role: "PROJECT-CONTRIBUTOR"},
					{UserID: testUserErin, Username: "erin", Email: "erin@example.com", Role: "project-viewer"},
				}},
			{ID: testProjectDocs, Slug: "gh/acme-std/Docs", Name: "Docs",
				GroupGrants: []fakeapi.ProjectGroupGrant{{ID: testGroupAuditors, Name: "Auditors", Role: "project-viewer"}}},
			{ID: testProjectInfra, Slug: "circleci/" + testOrgID + "/" + testProjectInfra, Name: "infra",
				UserGrants: []fakeapi.RoleGrant{
					{UserID: "6b0e0000-0000-4000-8000-00000000000a", Username: "zoe", Email: "zoe@example.com", Role: "project-owner"},
				}},
		},
	}
	return f
}
