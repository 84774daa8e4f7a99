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

const orgSettingsAddr = "data.circleci_org_settings.test"

func orgSettingsCheck(attr string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(orgSettingsAddr, tfjsonpath.New(attr), v)
}

func TestAccOrgSettingsDataSource_basic(t *testing.T) {
	s := newTestServer(t)
	config := providerConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)) + "data \"circleci_org_settings\" \"test\" {\n  %s\n}\n"
	checks := []statecheck.StateCheck{
		orgSettingsCheck("organization_id", knownvalue.StringExact(testOrgID)),
		orgSettingsCheck("is_context_group_restriction_required", knownvalue.Bool(false)),
		orgSettingsCheck("enable_uncertified_public_orbs", knownvalue.Bool(true)),
		orgSettingsCheck("enable_private_orbs", knownvalue.Bool(true)),
		orgSettingsCheck("is_user_checkout_keys_disabled", knownvalue.Bool(false)),
		orgSettingsCheck("other_settings", knownvalue.MapExact(map[string]knownvalue.Check{})),
		orgSettingsCheck("oidc_audience", stringList("sts.amazonaws.com")),
		orgSettingsCheck("oidc_ttl", knownvalue.StringExact("1h")),
		orgSettingsCheck("audit_log_streams", knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id": knownvalue.StringExact(testAuditStream), "target_type": knownvalue.StringExact("S3"), "disabled": knownvalue.Bool(false),
			"connection_status": knownvalue.StringExact("CONNECTED"), "bucket": knownvalue.StringExact("acme-audit"),
		})})),
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf(config, ""),
				ConfigStateChecks: append(checks, orgSettingsCheck("sso_enforced", knownvalue.Null()), orgSettingsCheck("include_sso", knownvalue.Null()),
					checkFunc(func() error {
						if n := s.RequestCount(fakeapi.SSOEnforcedPath(testOrgID)); n != 0 {
							return fmt.Errorf("%d SSO requests without include_sso", n)
						}
						return nil
					})),
			},
			{
				Config:            fmt.Sprintf(config, "include_sso = true"),
				ConfigStateChecks: append(checks, orgSettingsCheck("sso_enforced", knownvalue.Bool(true))),
			},
			{
				Config: fmt.Sprintf(config, "include_audit_log_streams = false"),
				ConfigStateChecks: []statecheck.StateCheck{
					orgSettingsCheck("audit_log_streams", knownvalue.Null()),
					orgSettingsCheck("include_audit_log_streams", knownvalue.Bool(false)),
					orgSettingsCheck("oidc_ttl", knownvalue.StringExact("1h")),
				},
			},
		},
	})
}

// An organization that customises nothing: null claims, no streams, SSO
// not enforced; a toggle CircleCI adds is kept in other_settings.
func TestAccOrgSettingsDataSource_notCustomised(t *testing.T) {
	fx := testFixture()
	toggles := fakeapi.DefaultOrgSettings()
	toggles["enable_new_thing"] = true
	toggles["is_context_group_restriction_required"] = true
	fx.OrgSettings = map[string]map[string]bool{testEmptyOrgID: toggles}
	s := newFixtureServer(t, fx)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(s) + fmt.Sprintf("data \"circleci_org_settings\" \"test\" {\n  organization_id = %q\n  include_sso = true\n}\n", testEmptyOrgID),
			ConfigStateChecks: []statecheck.StateCheck{
				orgSettingsCheck("is_context_group_restriction_required", knownvalue.Bool(true)),
				orgSettingsCheck("other_settings", knownvalue.MapExact(map[string]knownvalue.Check{"enable_new_thing": knownvalue.Bool(true)})),
				orgSettingsCheck("oidc_audience", knownvalue.Null()),
				orgSettingsCheck("oidc_ttl", knownvalue.Null()),
				orgSettingsCheck("audit_log_streams", knownvalue.ListExact([]knownvalue.Check{})),
				orgSettingsCheck("sso_enforced", knownvalue.Bool(false)),
			},
		}},
	})
}

func TestAccOrgSettingsDataSource_errors(t *testing.T) {
	toggles := func(drop string, extra string) string {
		body := `{"data":{"attributes":{`
		first := true
		for name, v := range fakeapi.DefaultOrgSettings() {
			if name == drop {
				continue
			}
			if !first {
				body += ","
			}
			first = false
			body += fmt.Sprintf("%q:%v", name, v)
		}
		return body + extra + `}}}`
	}
	forbidden := `{"message":"Permission denied."}`
	cases := []struct {
		name, org string
		sso       bool
		fault     *fakeapi.Fault
		want      []string
	}{
		{name: "unknown organization: v3 answers 404", org: testUnknownOrgID,
			want: []string{"CircleCI Organization Settings Not Found", "404, not 403", "CircleCI Server does not serve API v3", "does not document"}},
		{name: "a known toggle missing", org: testOrgID,
			fault: &fakeapi.Fault{Path: fakeapi.OrgSettingsPath(testOrgID), Times: -1, Status: http.StatusOK, Body: toggles("enable_ai_agents", "")},
			want:  []string{"Unreadable CircleCI Response", `the settings have no "enable_ai_agents"`, "does not document"}},
		{name: "a toggle that is not a boolean", org: testOrgID,
			fault: &fakeapi.Fault{Path: fakeapi.OrgSettingsPath(testOrgID), Times: -1, Status: http.StatusOK, Body: toggles("", `,"enable_x":"yes"`)},
			want:  []string{"Unreadable CircleCI Response", `"enable_x"`, "expected a boolean"}},
		{name: "OIDC claims 403", org: testOrgID,
			fault: &fakeapi.Fault{Path: fakeapi.OrgOIDCClaimsPath(testOrgID), Times: -1, Status: http.StatusForbidden, Body: `{"error":"Forbidden"}`},
			want:  []string{"CircleCI Denied Access to Organization OIDC Claims", "oidc-custom-claims", "Forbidden"}},
		{name: "audit-log configs 403 (not a Scale plan)", org: testOrgID,
			fault: &fakeapi.Fault{Path: fakeapi.AuditLogConfigsPath(testOrgID), Times: -1, Status: http.StatusForbidden, Body: `{"message":"Feature only available for scale orgs"}`},
			want:  []string{"CircleCI Denied Access to Audit-Log Streams", "Scale-plan", "include_audit_log_streams = false", "does not document", "Feature only available for scale orgs"}},
		{name: "audit-log config without a status", org: testOrgID,
			fault: &fakeapi.Fault{Path: fakeapi.AuditLogConfigsPath(testOrgID), Times: -1, Status: http.StatusOK,
				Body: `{"items":[{"id":"x","target_type":"S3","is_disabled":false,"config":{"secret_access_key":"` + auditConfigCanary + `"}}]}`},
			want: []string{"Unreadable CircleCI Response", `no "connection_status"`, "does not document"}},
		{name: "SSO 403", org: testOrgID, sso: true,
			fault: &fakeapi.Fault{Path: fakeapi.SSOEnforcedPath(testOrgID), Times: -1, Status: http.StatusForbidden, Body: forbidden},
			want:  []string{"CircleCI Denied Access to SSO Enforcement", "include_sso = false", "does not document"}},
		{name: "SSO unreadable", org: testOrgID, sso: true,
			fault: &fakeapi.Fault{Path: fakeapi.SSOEnforcedPath(testOrgID), Times: -1, Status: http.StatusOK, Body: `{"id":"x","enforced":"yes"}`},
			want:  []string{"Unreadable CircleCI Response", "/sso/enforced", "does not document"}},
		{name: "429 to every attempt", org: testOrgID,
			fault: &fakeapi.Fault{Path: fakeapi.OrgSettingsPath(testOrgID), Times: -1, Status: http.StatusTooManyRequests, Body: rateLimitBody},
			want:  []string{"CircleCI Rate Limit Exceeded", "/api/v3/orgs/"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			if tc.fault != nil {
				s.Inject(*tc.fault)
			}
			var captured errorCapture
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				ErrorCheck:               captured.check,
				Steps: []resource.TestStep{{
					Config: providerConfig(s, "max_retries = 0") +
						fmt.Sprintf("data \"circleci_org_settings\" \"test\" {\n  organization_id = %q\n  include_sso = %v\n}\n", tc.org, tc.sso),
				}},
			})
			assertError(t, captured.err, tc.want, []string{auditConfigCanary})
		})
	}
}
