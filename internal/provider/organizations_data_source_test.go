package provider

import (
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

const orgsAddr = "data.circleci_organizations.test"

func TestAccOrganizationsDataSource_all(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(s) + `data "circleci_organizations" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(orgsAddr, tfjsonpath.New("organizations"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": knownvalue.StringExact("7a7a7a7a-1111-4222-8333-444455556666"), "name": knownvalue.StringExact("acme-bb"),
						"slug": knownvalue.StringExact("bb/acme-bb"), "vcs_type": knownvalue.StringExact("bitbucket"),
						"avatar_url": knownvalue.StringExact("https://avatars.example/bb.png"),
					}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"slug": knownvalue.StringExact("circleci/EmptyOrg")}),
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": knownvalue.StringExact(testOrgID), "name": knownvalue.StringExact("acme-std"),
						"slug": knownvalue.StringExact("circleci/Xy12AbCd"), "vcs_type": knownvalue.StringExact("circleci"),
						"avatar_url": knownvalue.StringExact("https://avatars.example/acme-std.png"),
					}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"slug": knownvalue.StringExact("gh/acme"), "vcs_type": knownvalue.StringExact("github")}),
					// The user's personal account: never set up on CircleCI, so no id, and no avatar.
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": knownvalue.Null(), "name": knownvalue.StringExact("octocat"), "slug": knownvalue.StringExact("gh/octocat"),
						"vcs_type": knownvalue.StringExact("github"), "avatar_url": knownvalue.Null(),
					}),
				})),
				statecheck.ExpectKnownValue(orgsAddr, tfjsonpath.New("ids"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact("7a7a7a7a-1111-4222-8333-444455556666"),
					knownvalue.StringExact(testEmptyOrgID),
					knownvalue.StringExact(testOrgID),
					knownvalue.StringExact(testGitHubOrgID),
				})),
				statecheck.ExpectKnownValue(orgsAddr, tfjsonpath.New("vcs_type"), knownvalue.Null()),
			},
		}},
	})
}

func TestAccOrganizationsDataSource_vcsTypeFilter(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(s) + `data "circleci_organizations" "test" { vcs_type = "circleci" }`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orgsAddr, tfjsonpath.New("organizations"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue(orgsAddr, tfjsonpath.New("ids"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact(testEmptyOrgID), knownvalue.StringExact(testOrgID),
					})),
				},
			},
			{
				// Compared without regard to case; a null id stays out of ids.
				Config: providerConfig(s) + `data "circleci_organizations" "test" { vcs_type = "GitHub" }`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orgsAddr, tfjsonpath.New("organizations"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue(orgsAddr, tfjsonpath.New("ids"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact(testGitHubOrgID),
					})),
				},
			},
			{
				Config: providerConfig(s) + `data "circleci_organizations" "test" { vcs_type = "gitlab" }`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orgsAddr, tfjsonpath.New("organizations"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue(orgsAddr, tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
				},
			},
		},
	})
}

func TestAccOrganizationsDataSource_emptyVCSType(t *testing.T) {
	s := newTestServer(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      providerConfig(s) + `data "circleci_organizations" "test" { vcs_type = "" }`,
			ExpectError: expectError(`vcs_type`, `at least 1`),
		}},
	})
	if n := s.RequestCount(""); n != 0 {
		t.Errorf("an invalid argument must fail before any request; the fake saw %d", n)
	}
}

// The API spells the key "vcs-type"; some proxies and older servers send
// "vcs_type". Both must read the same.
func TestAccOrganizationsDataSource_snakeCaseVCSType(t *testing.T) {
	s := newTestServer(t)
	s.Inject(fakeapi.Fault{
		Path: "/api/v2/me/collaborations", Times: -1, Status: http.StatusOK,
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   `[{"id":"` + testOrgID + `","vcs_type":"circleci","name":"acme-std","avatar_url":null,"slug":"circleci/Xy12AbCd","unknown_field":{"x":1}}]`,
	})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(s) + `data "circleci_organizations" "test" { vcs_type = "circleci" }`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(orgsAddr, tfjsonpath.New("organizations").AtSliceIndex(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id": knownvalue.StringExact(testOrgID), "name": knownvalue.StringExact("acme-std"),
					"slug": knownvalue.StringExact("circleci/Xy12AbCd"), "vcs_type": knownvalue.StringExact("circleci"),
					"avatar_url": knownvalue.Null(),
				})),
			},
		}},
	})
}
