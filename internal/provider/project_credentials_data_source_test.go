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

const credentialsAddr = "data.circleci_project_credentials.test"

func credentialsConfig(s *fakeapi.Server, args string) string {
	return providerConfig(s, fmt.Sprintf("organization_id = %q\nmax_retries = 0", testOrgID)) +
		fmt.Sprintf("\ndata \"circleci_project_credentials\" \"test\" {\n%s\n}\n", args)
}

func str(s string) knownvalue.Check { return knownvalue.StringExact(s) }

func envVar(name string, createdAt any) knownvalue.Check {
	var at knownvalue.Check = knownvalue.Null()
	if s, ok := createdAt.(string); ok {
		at = str(s)
	}
	return knownvalue.ObjectExact(map[string]knownvalue.Check{"name": str(name), "created_at": at})
}

type credWant struct {
	id, slug, name    string
	env, keys, tokens knownvalue.Check
	notApplicable     []string
}

func (w credWant) check() knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id": str(w.id), "slug": str(w.slug), "name": str(w.name),
		"environment_variables": w.env, "checkout_keys": w.keys, "api_tokens": w.tokens,
		"not_applicable": stringList(w.notApplicable...),
	})
}

var (
	noneListed = knownvalue.ListExact([]knownvalue.Check{})
	apiEnv     = knownvalue.ListExact([]knownvalue.Check{envVar("AWS_SECRET_ACCESS_KEY", "2024-05-01T10:00:00Z"), envVar("LEGACY_TOKEN", nil)})
	apiTokens  = knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id": str("a1b2c3d4e5"), "label": str("deploy-bot"), "scope": str("all")})})
	webEnv  = knownvalue.ListExact([]knownvalue.Check{envVar("NPM_TOKEN", "2023-04-14T21:20:14Z")})
	webKeys = knownvalue.ListExact([]knownvalue.Check{
		knownvalue.ObjectExact(map[string]knownvalue.Check{"type": str("deploy-key"), "fingerprint": str("SHA256:Zm9v/+bar"),
			"preferred": knownvalue.Bool(true), "created_at": str("2024-02-02T08:00:00Z")}),
		knownvalue.ObjectExact(map[string]knownvalue.Check{"type": str("github-user-key"), "fingerprint": str("c9:1e:aa"),
			"preferred": knownvalue.Bool(false), "created_at": str("2024-02-03T08:00:00Z")}),
	})
	webTokens = knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id": str("f6e5d4"), "label": knownvalue.Null(), "scope": str("status")})})
)

func TestAccProjectCredentialsDataSource_basic(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: credentialsConfig(s, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(credentialsAddr, tfjsonpath.New("include_environment_variables"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(credentialsAddr, tfjsonpath.New("include_checkout_keys"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(credentialsAddr, tfjsonpath.New("include_api_tokens"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(credentialsAddr, tfjsonpath.New("project_ids"), knownvalue.Null()),
				// In the order of circleci_projects; a standalone project's
				// checkout keys are null and not_applicable, never [].
				statecheck.ExpectKnownValue(credentialsAddr, tfjsonpath.New("projects"), knownvalue.ListExact([]knownvalue.Check{
					credWant{id: testProjectAPI, slug: testSlugAPI, name: "api", env: apiEnv, keys: knownvalue.Null(), tokens: apiTokens,
						notApplicable: []string{"checkout_keys"}}.check(),
					credWant{id: testProjectInfra, slug: testSlugInfra, name: "infra", env: noneListed, keys: knownvalue.Null(), tokens: noneListed,
						notApplicable: []string{"checkout_keys"}}.check(),
					credWant{id: testProjectDocs, slug: testSlugDocs, name: "Docs", env: noneListed, keys: noneListed, tokens: noneListed}.check(),
					credWant{id: testProjectWeb, slug: testSlugWeb, name: "web", env: webEnv, keys: webKeys, tokens: webTokens}.check(),
				})),
			},
		}},
	})
	runs := s.RequestCount(fakeapi.ProjectAPITokensPath(testSlugAPI))
	if runs == 0 {
		t.Fatal("no API tokens read")
	}
	// Once per run and project; a standalone project's checkout keys never.
	for path, want := range map[string]int{
		fakeapi.ProjectEnvVarsPath(testSlugAPI):    runs,
		fakeapi.ProjectEnvVarsPath(testSlugWeb):    runs,
		fakeapi.CheckoutKeysPath(testSlugWeb):      runs,
		fakeapi.CheckoutKeysPath(testSlugAPI):      0,
		fakeapi.CheckoutKeysPath(testSlugInfra):    0,
		fakeapi.ProjectAPITokensPath(testSlugDocs): runs,
	} {
		if n := s.RequestCount(path); n != want {
			t.Errorf("%s: %d requests in %d runs, want %d", path, n, runs, want)
		}
	}
}

func TestAccProjectCredentialsDataSource_selectionAndIncludes(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: credentialsConfig(s, fmt.Sprintf("project_ids = [%q, %q]\ninclude_environment_variables = false\ninclude_api_tokens = false",
				testProjectWeb, testProjectAPI)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(credentialsAddr, tfjsonpath.New("projects"), knownvalue.ListExact([]knownvalue.Check{
					credWant{id: testProjectAPI, slug: testSlugAPI, name: "api", env: knownvalue.Null(), keys: knownvalue.Null(), tokens: knownvalue.Null(),
						notApplicable: []string{"checkout_keys"}}.check(),
					credWant{id: testProjectWeb, slug: testSlugWeb, name: "web", env: knownvalue.Null(), keys: webKeys, tokens: knownvalue.Null()}.check(),
				})),
				checkFunc(func() error {
					for _, p := range []string{fakeapi.ProjectEnvVarsPath(testSlugWeb), fakeapi.ProjectAPITokensPath(testSlugWeb), fakeapi.CheckoutKeysPath(testSlugDocs)} {
						if n := s.RequestCount(p); n != 0 {
							return fmt.Errorf("%s: %d requests, want none", p, n)
						}
					}
					return nil
				}),
			},
		}, {
			Config:      credentialsConfig(s, fmt.Sprintf("project_ids = [%q]", "70000000-0000-4000-8000-0000000000ff")),
			ExpectError: expectError("Project Not in Organization", "70000000-0000-4000-8000-0000000000ff"),
		}},
	})
}

// CircleCI's 400 "not supported for this project" on a project whose slug
// says the endpoint applies: null and not_applicable, not [] (and a warning).
func TestAccProjectCredentialsDataSource_notSupported(t *testing.T) {
	s := newTestServer(t)
	s.Inject(fakeapi.Fault{Path: fakeapi.CheckoutKeysPath(testSlugWeb), Times: -1, Status: http.StatusBadRequest,
		Body: `{"message":"` + fakeapi.MsgNotSupportedForProject + `"}`})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: credentialsConfig(s, fmt.Sprintf("project_ids = [%q]", testProjectWeb)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(credentialsAddr, tfjsonpath.New("projects"), knownvalue.ListExact([]knownvalue.Check{
					credWant{id: testProjectWeb, slug: testSlugWeb, name: "web", env: webEnv, keys: knownvalue.Null(), tokens: webTokens,
						notApplicable: []string{"checkout_keys"}}.check(),
				})),
			},
		}},
	})
}

func TestAccProjectCredentialsDataSource_faults(t *testing.T) {
	cases := []struct {
		name   string
		faults []fakeapi.Fault
		want   []string
	}{
		{"403 on variables", []fakeapi.Fault{{Path: fakeapi.ProjectEnvVarsPath(testSlugWeb), Status: 403, Body: `{"message":"Permission denied."}`}},
			[]string{"CircleCI Denied Access to Project Credentials", "GET /api/v2/project/{project-slug}/envvar of project gh/acme-std/web",
				"include_environment_variables = false", "/api/v2/project/gh/acme-std/web/envvar: unexpected 403"}},
		{"404 on API tokens", []fakeapi.Fault{{Path: fakeapi.ProjectAPITokensPath(testSlugDocs), Status: 404, Body: `{"message":"Project not found."}`}},
			[]string{"CircleCI Project Credentials Not Found", "/token of project gh/acme-std/Docs", "include_api_tokens = false",
				"does not document this endpoint"}},
		{"malformed checkout key", []fakeapi.Fault{{Path: fakeapi.CheckoutKeysPath(testSlugWeb), Status: 200,
			Body: `{"items":[{"type":"deploy-key","preferred":true}],"next_page_token":null}`}},
			[]string{"Unreadable CircleCI Response", "checkout-key", "has no fingerprint"}},
		{"page 2 of variables fails", []fakeapi.Fault{
			{Path: fakeapi.ProjectEnvVarsPath(testSlugAPI), Status: 200, Body: `{"items":[{"name":"A","value":"xxxx1234"}],"next_page_token":"p2"}`},
			{Path: fakeapi.ProjectEnvVarsPath(testSlugAPI), Status: 502, Body: `{"message":"Bad gateway."}`},
		}, []string{"CircleCI Server Error", "envvar (page 2): unexpected 502"}},
		{"429", []fakeapi.Fault{{Path: fakeapi.ProjectAPITokensPath(testSlugWeb), Status: 429, Body: rateLimitBody}},
			[]string{"CircleCI Rate Limit Exceeded", "/api/v1.1/project/gh/acme-std/web/token: unexpected 429"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			s.Inject(tc.faults...)
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: credentialsConfig(s, ""), ExpectError: expectError(tc.want...)}},
			})
		})
	}
}
