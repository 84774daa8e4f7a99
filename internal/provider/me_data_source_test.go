package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

func TestMeToModel(t *testing.T) {
	tests := []struct {
		name string
		in   circleci.User
		want MeDataSourceModel
	}{
		{"all set", circleci.User{ID: "u", Login: "octocat", Name: "The Octocat"},
			MeDataSourceModel{ID: types.StringValue("u"), Login: types.StringValue("octocat"), Name: types.StringValue("The Octocat")}},
		{"no name is null", circleci.User{ID: "u", Login: "octocat"},
			MeDataSourceModel{ID: types.StringValue("u"), Login: types.StringValue("octocat"), Name: types.StringNull()}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := meToModel(&tc.in); got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

const meAddr = "data.circleci_me.test"

func TestAccMeDataSource_basic(t *testing.T) {
	s := newTestServer(t)
	me := testFixture().Me
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(s) + `data "circleci_me" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(meAddr, tfjsonpath.New("id"), knownvalue.StringExact(me.ID)),
				statecheck.ExpectKnownValue(meAddr, tfjsonpath.New("login"), knownvalue.StringExact(me.Login)),
				statecheck.ExpectKnownValue(meAddr, tfjsonpath.New("name"), knownvalue.StringExact(me.Name)),
			},
		}},
	})
}

// A project or organization token gets 403 on /me: the error says a personal
// API token is needed, and the 403 is not retried.
func TestAccMeDataSource_projectToken(t *testing.T) {
	f := testFixture()
	f.MeForbidden = true
	s := newFixtureServer(t, f)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(s) + `data "circleci_me" "test" {}`,
			ExpectError: expectError("CircleCI Denied Access to Current User", "403 Forbidden", "project or organization token",
				"personal API token", "GET /api/v2/me", fakeapi.MsgPermissionDenied),
		}},
	})
	if n := s.RequestCount(fakeapi.PathMe); n != 1 {
		t.Errorf("/me requests = %d, want 1 (a 403 is not retried)", n)
	}
}

// meConfig is n circleci_me blocks.
func meConfig(n int) string {
	out := ""
	for i := range n {
		out += fmt.Sprintf("data \"circleci_me\" \"m%d\" {}\n", i)
	}
	return out
}
