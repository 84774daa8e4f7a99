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

// The provider reads its environment (every rule is in TestResolveConfig;
// this is the wiring). Not parallel: it sets environment variables.
func TestAccProvider_environmentFallbacks(t *testing.T) {
	s := newTestServer(t)
	clearProviderEnv(t)
	t.Setenv(EnvTokenAlt, testToken)
	t.Setenv(EnvHost, s.URL()+"/api/v2/")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:            `data "circleci_organizations" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{orgCountCheck(5)},
		}},
	})
}

// A configuration error reaches the CLI as an attribute error, before any
// request (every rule is in TestResolveConfig).
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
	path := circleci.OrgRoleGrantsPath(testOrgID)
	if n := api.RequestCount(path); n != 0 {
		t.Errorf("the members endpoint went to host (%d requests), want app_host only", n)
	}
	if n := app.RequestCount(path); n == 0 {
		t.Error("app_host saw no members request")
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
