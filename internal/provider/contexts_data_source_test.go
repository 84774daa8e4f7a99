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

const contextsAddr = "data.circleci_contexts.test"

func contextsConfig(s *fakeapi.Server, args string) string {
	return providerConfig(s) + fmt.Sprintf("\ndata \"circleci_contexts\" \"test\" {\n%s\n}\n", args)
}

func restriction(id, typ, value string, name any) knownvalue.Check {
	var n knownvalue.Check = knownvalue.Null()
	if s, ok := name.(string); ok {
		n = knownvalue.StringExact(s)
	}
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id": knownvalue.StringExact(id), "type": knownvalue.StringExact(typ), "value": knownvalue.StringExact(value), "name": n,
	})
}

type ctxWant struct {
	id, name, createdAt string
	vars                knownvalue.Check // list of names, or Null
	complete            knownvalue.Check
	restrictions        []knownvalue.Check
	all, adminsOnly     bool
	conditional         bool
	groups, projects    []string
	exprs               []string
}

func (w ctxWant) check() knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id": knownvalue.StringExact(w.id), "name": knownvalue.StringExact(w.name), "created_at": knownvalue.StringExact(w.createdAt),
		"environment_variables": w.vars, "environment_variables_complete": w.complete,
		"restrictions": knownvalue.ListExact(w.restrictions), "all_members": knownvalue.Bool(w.all),
		"admins_only": knownvalue.Bool(w.adminsOnly), "conditional": knownvalue.Bool(w.conditional),
		"group_ids": stringList(w.groups...), "project_ids": stringList(w.projects...), "expressions": stringList(w.exprs...),
	})
}

func firstNames(n int) knownvalue.Check {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("VAR_%03d", i)
	}
	return stringList(names...)
}

// fixtureContexts is the acceptance fixture's contexts as circleci_contexts
// must show them, with or without variable names.
func fixtureContexts(withVars bool) []knownvalue.Check {
	vars := func(c knownvalue.Check) knownvalue.Check {
		if !withVars {
			return knownvalue.Null()
		}
		return c
	}
	complete := func(b bool) knownvalue.Check {
		if !withVars {
			return knownvalue.Null()
		}
		return knownvalue.Bool(b)
	}
	return []knownvalue.Check{
		ctxWant{id: testContextAWSProd, name: "aws-prod", createdAt: "2024-01-02T03:04:05.000Z",
			vars: vars(stringList("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")), complete: complete(true),
			restrictions: []knownvalue.Check{
				restriction("e0000000-0000-4000-8000-000000000003", "expression", testBranchExpression, nil),
				restriction("e0000000-0000-4000-8000-000000000002", "group", testGroupReleaseManagers, "release-managers"),
				restriction("e0000000-0000-4000-8000-000000000001", "project", testProjectAPI, "api"),
			},
			all: false, conditional: true, groups: []string{testGroupReleaseManagers}, projects: []string{testProjectAPI},
			exprs: []string{testBranchExpression}}.check(),
		ctxWant{id: testContextBig, name: "big", createdAt: "2024-01-05T00:00:00.000Z",
			vars: vars(firstNames(100)), complete: complete(false),
			restrictions: []knownvalue.Check{restriction("e0000000-0000-4000-8000-000000000005", "group", testGroupAuditors, nil)},
			all:          false, groups: []string{testGroupAuditors}}.check(),
		ctxWant{id: testContextDeployWeb, name: "deploy-web", createdAt: "2024-01-07T00:00:00.000Z",
			vars: vars(stringList()), complete: complete(true),
			restrictions: []knownvalue.Check{restriction("e0000000-0000-4000-8000-000000000007", "project", testProjectWeb, "web")},
			adminsOnly:   true, projects: []string{testProjectWeb}}.check(),
		ctxWant{id: testContextAllMembers, name: "gcp-all", createdAt: "2024-01-04T00:00:00.000Z",
			vars: vars(stringList("GCP_SERVICE_KEY")), complete: complete(true),
			restrictions: []knownvalue.Check{restriction("e0000000-0000-4000-8000-000000000004", "group", testOrgID, "All members")},
			all:          true, groups: []string{testOrgID}}.check(),
		ctxWant{id: testContextMainOnly, name: "main-only", createdAt: "2024-01-08T00:00:00.000Z",
			vars: vars(stringList()), complete: complete(true),
			restrictions: []knownvalue.Check{restriction("e0000000-0000-4000-8000-000000000008", "expression", testBranchExpression, nil)},
			adminsOnly:   true, conditional: true, exprs: []string{testBranchExpression}}.check(),
		ctxWant{id: testContextOdd, name: "odd", createdAt: "2024-01-06T00:00:00.000Z",
			vars: vars(stringList()), complete: complete(true),
			restrictions: []knownvalue.Check{restriction("e0000000-0000-4000-8000-000000000006", "branch-pattern", "release/*", nil)},
			adminsOnly:   true, conditional: true}.check(),
		ctxWant{id: testContextShared, name: "shared", createdAt: "2024-01-03T00:00:00.000Z",
			vars: vars(stringList("NPM_TOKEN")), complete: complete(true), restrictions: []knownvalue.Check{}, adminsOnly: true}.check(),
		ctxWant{id: testContextStaging, name: "staging", createdAt: "2024-01-09T00:00:00.000Z",
			vars: vars(stringList("STAGING_DB_PASSWORD")), complete: complete(true),
			restrictions: []knownvalue.Check{
				restriction("e0000000-0000-4000-8000-000000000009", "group", testOrgID, "All members"),
				restriction("e0000000-0000-4000-8000-00000000000a", "project", testProjectWeb, "web"),
			},
			all: true, groups: []string{testOrgID}, projects: []string{testProjectWeb}}.check(),
	}
}

func TestAccContextsDataSource_basic(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: contextsConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(contextsAddr, tfjsonpath.New("organization_id"), knownvalue.StringExact(testOrgID)),
				statecheck.ExpectKnownValue(contextsAddr, tfjsonpath.New("include_environment_variables"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(contextsAddr, tfjsonpath.New("name"), knownvalue.Null()),
				statecheck.ExpectKnownValue(contextsAddr, tfjsonpath.New("contexts"), knownvalue.ListExact(fixtureContexts(true))),
			},
		}},
	})
	// Contexts over two pages; the ignored page token costs one more
	// request, and no more. The step is several provider runs (plan, apply,
	// refresh): count per run, by the restrictions read once per run.
	runs := s.RequestCount(fakeapi.ContextRestrictionsPath(testContextBig))
	if n := s.RequestCount(fakeapi.PathContexts); runs == 0 || n != 3*runs {
		t.Errorf("%d contexts requests in %d runs, want 3 pages per run", n, runs)
	}
	if n := s.RequestCount(fakeapi.ContextEnvVarsPath(testContextBig)); n != 2*runs {
		t.Errorf("%d requests for the big context's variables in %d runs, want 2 per run", n, runs)
	}
}

func TestAccContextsDataSource_byNameWithoutVariables(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)) + `
data "circleci_contexts" "test" {
  include_environment_variables = false
}

data "circleci_contexts" "named" {
  name = "gcp-all"
}

data "circleci_contexts" "none" {
  name = "GCP-ALL"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(contextsAddr, tfjsonpath.New("contexts"), knownvalue.ListExact(fixtureContexts(false))),
				statecheck.ExpectKnownValue("data.circleci_contexts.named", tfjsonpath.New("contexts"), knownvalue.ListExact(fixtureContexts(true)[3:4])),
				statecheck.ExpectKnownValue("data.circleci_contexts.none", tfjsonpath.New("contexts"), knownvalue.ListSizeExact(0)),
			},
		}},
	})
	// Only the named context's variables were read.
	for _, id := range []string{testContextAWSProd, testContextBig, testContextShared, testContextOdd, testContextDeployWeb,
		testContextMainOnly, testContextStaging} {
		if n := s.RequestCount(fakeapi.ContextEnvVarsPath(id)); n != 0 {
			t.Errorf("variables of context %s read %d times; only gcp-all's were asked for", id, n)
		}
	}
	runs := s.RequestCount(fakeapi.ContextRestrictionsPath(testContextAllMembers))
	if n := s.RequestCount(fakeapi.ContextEnvVarsPath(testContextAllMembers)); runs == 0 || n != runs {
		t.Errorf("gcp-all's variables read %d times in %d runs, want once per run", n, runs)
	}
}

func TestAccContextsDataSource_oauthOrganization(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: contextsConfig(s, fmt.Sprintf("organization_id = %q", testGitHubOrgID)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(contextsAddr, tfjsonpath.New("contexts"), knownvalue.ListExact([]knownvalue.Check{
					ctxWant{id: testContextGitHub, name: "gh-deploy", createdAt: "2024-02-01T00:00:00.000Z",
						vars: stringList("DEPLOY_TOKEN"), complete: knownvalue.Bool(true), restrictions: []knownvalue.Check{}, adminsOnly: true}.check(),
				})),
			},
		}},
	})
}

func TestAccContextsDataSource_errors(t *testing.T) {
	cases := []accessErrorCase{
		{name: "unknown organization: 403", org: testUnknownOrgID,
			want: []string{"CircleCI Denied Access to Contexts", "cannot list the contexts of organization " + testUnknownOrgID, "403, not 404", "Permission denied."}},
		{name: "restrictions of a vanished context: 403", org: testOrgID,
			fault: &fakeapi.Fault{Times: -1, Path: fakeapi.ContextRestrictionsPath(testContextShared), Status: http.StatusForbidden, Body: `{"message":"Permission denied."}`},
			want:  []string{"CircleCI Denied Access to Context Details", "403 (not 404)", "deleted during the run", "/api/v2/context/" + testContextShared + "/restrictions"}},
		{name: "variables page 2 fails", org: testOrgID,
			fault: &fakeapi.Fault{Path: fakeapi.ContextEnvVarsPath(testContextBig), Skip: 1, Status: http.StatusForbidden, Body: `{"message":"Permission denied."}`},
			want:  []string{"CircleCI Denied Access to Context Details", "/environment-variable", "page 2"}},
		{name: "contexts page 2 without items", org: testOrgID,
			fault: &fakeapi.Fault{Path: fakeapi.PathContexts, Skip: 1, Status: http.StatusOK, Body: `{"items":[{"id":"not-a-uuid","name":"x","created_at":"2024-01-01T00:00:00Z"}],"next_page_token":null}`},
			want:  []string{"Unreadable CircleCI Response", "GET /api/v2/context (page 2)", "no UUID id"}},
		{name: "restrictions 404 (older CircleCI Server)", org: testOrgID,
			fault: &fakeapi.Fault{Times: -1, Path: fakeapi.ContextRestrictionsPath(testContextOdd), Status: http.StatusNotFound, Body: `{"message":"Not found."}`},
			want:  []string{"CircleCI Context Details Not Found", "Check the host setting"}},
	}
	runAccessErrorCases(t, func(s *fakeapi.Server, org string) string {
		return contextsConfig(s, fmt.Sprintf("organization_id = %q", org))
	}, cases)
}
