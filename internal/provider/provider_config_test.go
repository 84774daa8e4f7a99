package provider

import (
	"fmt"
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

// clearProviderEnv unsets every variable the provider reads, so a test sees
// only what it sets.
func clearProviderEnv(t *testing.T) {
	for _, e := range []string{EnvToken, EnvTokenAlt, EnvHost, EnvHostAlt, EnvAppHost, EnvOrgID, EnvMaxRetries, EnvRequestTimeout, EnvMaxConcurrency} {
		t.Setenv(e, "")
	}
}

func orgCountCheck(n int) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(orgsAddr, tfjsonpath.New("organizations"), knownvalue.ListSizeExact(n))
}

// Not parallel: these tests set environment variables.
func TestAccProvider_environmentFallbacks(t *testing.T) {
	s := newTestServer(t)
	cases := map[string]map[string]string{
		"CIRCLECI_TOKEN and CIRCLECI_HOST with /api/v2/": {EnvToken: testToken, EnvHost: s.URL() + "/api/v2/"},
		"CIRCLE_TOKEN and CIRCLE_HOST":                   {EnvTokenAlt: testToken, EnvHostAlt: s.URL()},
		"CIRCLECI_TOKEN wins over CIRCLE_TOKEN":          {EnvToken: testToken, EnvTokenAlt: "wrong-token", EnvHost: s.URL() + "/api/v2"},
		"CIRCLECI_HOST wins over CIRCLE_HOST":            {EnvToken: testToken, EnvHost: s.URL(), EnvHostAlt: "https://unreachable.invalid"},
	}
	for name, env := range cases {
		t.Run(name, func(t *testing.T) {
			clearProviderEnv(t)
			for k, v := range env {
				t.Setenv(k, v)
			}
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:            `data "circleci_organizations" "test" {}`,
					ConfigStateChecks: []statecheck.StateCheck{orgCountCheck(5)},
				}},
			})
		})
	}
}

func TestAccProvider_missingToken(t *testing.T) {
	s := newTestServer(t)
	clearProviderEnv(t)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      fmt.Sprintf("provider \"circleci\" {\n  host = %q\n}\n", s.URL()) + `data "circleci_organizations" "test" {}`,
			ExpectError: expectError(`Missing CircleCI API Token`, `api_token`, `CIRCLECI_TOKEN`, `CIRCLE_TOKEN`),
		}},
	})
	if n := s.RequestCount(""); n != 0 {
		t.Errorf("requests = %d, want 0", n)
	}
}

func TestAccProvider_appHost(t *testing.T) {
	// The request counts checked after the subtests are only meaningful when
	// resource.Test ran them, which it does only with TF_ACC set.
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skip("acceptance test: set TF_ACC=1 and TF_ACC_TERRAFORM_PATH (make test / make testacc)")
	}
	api := newTestServer(t)
	app := newTestServer(t) // a separate origin for the members endpoint
	t.Run("attribute", func(t *testing.T) {
		clearProviderEnv(t)
		resource.Test(t, resource.TestCase{
			PreCheck:                 func() { testAccPreCheck(t) },
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config: providerConfig(api, fmt.Sprintf("app_host = %q", app.URL())) +
					fmt.Sprintf(`data "circleci_org_members" "test" { organization_id = %q }`, testOrgID),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("member_count"), knownvalue.Int64Exact(7)),
				},
			}},
		})
	})
	t.Run("CIRCLECI_APP_HOST", func(t *testing.T) {
		clearProviderEnv(t)
		t.Setenv(EnvAppHost, app.URL()+"/")
		resource.Test(t, resource.TestCase{
			PreCheck:                 func() { testAccPreCheck(t) },
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config: providerConfig(api) + fmt.Sprintf(`data "circleci_org_members" "test" { organization_id = %q }`, testOrgID),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("member_count"), knownvalue.Int64Exact(7)),
				},
			}},
		})
	})
	path := circleci.OrgRoleGrantsPath(testOrgID)
	if n := api.RequestCount(path); n != 0 {
		t.Errorf("the members endpoint went to host (%d requests), want app_host only", n)
	}
	if n := app.RequestCount(path); n == 0 {
		t.Error("app_host saw no members request")
	}
}

func TestAccProvider_invalidSettings(t *testing.T) {
	s := newTestServer(t)
	clearProviderEnv(t)
	cases := []struct {
		name, provider string
		want           []string
	}{
		{"plain http to a remote host", `host = "http://circleci.example.com"`, []string{`Invalid CircleCI Host`, `loopback`, `use https://`}},
		{"host with a path", `host = "https://circleci.example.com/some/path"`, []string{`Invalid CircleCI Host`, `without a path`}},
		{"app_host plain http", `host = "https://circleci.example.com"` + "\n" + `app_host = "http://app.example.com"`, []string{`Invalid CircleCI App Host`, `use https://`}},
		{"max_retries out of range", `max_retries = 99`, []string{`max_retries`, `between 0 and 10`}},
		{"request_timeout not a duration", `request_timeout = "soon"`, []string{`Invalid Duration`, `such as "30s"`}},
		{"request_timeout too short", `request_timeout = "1ms"`, []string{`between 1s and 10m0s`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      fmt.Sprintf("provider \"circleci\" {\n  api_token = %q\n  %s\n}\n", testToken, tc.provider) + `data "circleci_organizations" "test" {}`,
					ExpectError: expectError(tc.want...),
				}},
			})
		})
	}
	if n := s.RequestCount(""); n != 0 {
		t.Errorf("requests = %d, want 0", n)
	}
}

func TestAccProvider_invalidSettingsFromEnv(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"CIRCLECI_HOST plain http", map[string]string{EnvToken: testToken, EnvHost: "http://circleci.example.com"}, []string{`Invalid CircleCI Host`, `CIRCLECI_HOST environment variable`, `use https://`}},
		{"CIRCLECI_ORG_ID not a UUID", map[string]string{EnvToken: testToken, EnvOrgID: "gh/acme"}, []string{`Invalid Organization ID`, `CIRCLECI_ORG_ID environment variable`, `UUID`}},
		{"CIRCLECI_MAX_RETRIES not a number", map[string]string{EnvToken: testToken, EnvMaxRetries: "lots"}, []string{`CIRCLECI_MAX_RETRIES`, `whole number between 0 and 10`}},
		{"CIRCLECI_REQUEST_TIMEOUT not a duration", map[string]string{EnvToken: testToken, EnvRequestTimeout: "30"}, []string{`CIRCLECI_REQUEST_TIMEOUT environment variable`, `such as "30s"`}},
		{"CIRCLECI_TOKEN with a newline", map[string]string{EnvToken: "abc-canary-token\n"}, []string{`Invalid CircleCI API Token`, `CIRCLECI_TOKEN environment variable`, `line break`}},
		{"CIRCLECI_TOKEN only whitespace", map[string]string{EnvToken: "   "}, []string{`Invalid CircleCI API Token`, `empty or only whitespace`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clearProviderEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      `data "circleci_organizations" "test" {}`,
					ExpectError: expectError(tc.want...),
				}},
			})
		})
	}
}

func TestAccProvider_rejectedToken(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf("provider \"circleci\" {\n  api_token = \"not-the-right-token\"\n  host = %q\n}\n", s.URL()) +
				`data "circleci_organizations" "test" {}`,
			ExpectError: expectError(`CircleCI Rejected the API Token`, `401`, `personal API token`, `Invalid token provided`),
		}},
	})
	if n := s.RequestCount("/api/v2/me/collaborations"); n != 1 {
		t.Errorf("a 401 must not be retried: requests = %d, want 1", n)
	}
}

// A provider setting only known after apply is refused with an attribute
// error that says how to fix it, never sent as an empty value.
func TestAccProvider_unknownValue(t *testing.T) {
	s := newTestServer(t)
	clearProviderEnv(t)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			// timestamp() is unknown until apply.
			Config: fmt.Sprintf(`
provider "circleci" {
  api_token = timestamp()
  host      = %q
}
data "circleci_organizations" "test" {}
`, s.URL()),
			ExpectError: expectError(`Unknown CircleCI Provider Setting: api_token`, `only known after apply`, `CIRCLECI_TOKEN`),
		}},
	})
}
