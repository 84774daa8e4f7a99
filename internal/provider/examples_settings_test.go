package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
	"github.com/circleci-access/terraform-provider-circleci/tools/cliharness"
)

// useSettingsFake is useDemoFake for the acceptance fixture, whose projects
// and organization break the settings rules in every way the examples test.
// Not parallel: it sets environment variables.
func useSettingsFake(t *testing.T, fx *fakeapi.Fixture) {
	t.Helper()
	s := newFixtureServer(t, fx)
	clearProviderEnv(t)
	t.Setenv(EnvToken, fx.Token)
	t.Setenv(EnvHost, s.URL())
	t.Setenv(EnvOrgID, testOrgID)
	namespace, _, _ := strings.Cut(cliharness.Source, "/")
	t.Setenv(resource.EnvTfAccProviderNamespace, namespace)
}

// The settings data sources' snippets, with the provider page's example.
func TestAccExamples_settingsSnippets(t *testing.T) {
	useSettingsFake(t, testFixture())
	provider := readExample(t, "provider")
	vars := config.Variables{"circleci_token": config.StringVariable("unused: the aliased provider is not used")}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:          provider + readExample(t, "data-sources/circleci_org_settings"),
			ConfigVariables: vars,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("context_group_restriction_required", knownvalue.Bool(false)),
				statecheck.ExpectKnownOutputValue("sso_enforced", knownvalue.Bool(true)),
				statecheck.ExpectKnownOutputValue("api_triggers_bring_their_own_config", knownvalue.Bool(false)),
				statecheck.ExpectKnownOutputValue("audit_log_buckets", stringList("acme-audit")),
			},
		}, {
			Config:          provider + readExample(t, "data-sources/circleci_project_settings"),
			ConfigVariables: vars,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("projects_passing_secrets_to_forks", stringList("circleci/"+testOrgID+"/"+testProjectAPI)),
				statecheck.ExpectKnownOutputValue("projects_allowing_ssh_reruns", stringList(
					"circleci/"+testOrgID+"/"+testProjectAPI, "circleci/"+testOrgID+"/"+testProjectInfra, "gh/acme-std/Docs")),
				statecheck.ExpectKnownOutputValue("webhook_destinations", knownvalue.MapExact(map[string]knownvalue.Check{
					"circleci/" + testOrgID + "/" + testProjectAPI: stringList(
						"http://audit.example:8080", "https://beta.example", "https://hooks.example.com", "https://zeta.example"),
				})),
			},
		}},
	})
}

// examples/settings-policy warns on an organization that breaks both rules,
// and is silent on one that keeps them.
func TestAccExamples_settingsPolicy(t *testing.T) {
	t.Run("both rules broken: two warnings, exit 0", func(t *testing.T) {
		h := newCLIRunner(t)
		h.useFake(testFixture(), testOrgID)
		dir := h.copyExample("settings-policy")
		res := h.tf(dir, "apply", "-auto-approve", "-input=false", "-no-color")
		if res.exitCode != 0 {
			t.Fatalf("apply failed; a failed check must only warn\n%s", res)
		}
		res.assertContains(t, "Check block assertion failed",
			"Projects pass their secrets to pull requests from forks: circleci/"+testOrgID+"/"+testProjectAPI+".",
			"The organization does not require a group restriction on every context",
		)
		if strings.Contains(res.output(), "does not enforce SAML single sign-on") {
			t.Errorf("SSO is enforced in the fixture, yet the check warns\n%s", res)
		}
	})
	t.Run("both rules kept: no warning", func(t *testing.T) {
		h := newCLIRunner(t)
		fx := testFixture()
		s := fx.ProjectSettings[testProjectAPI]
		s.ForksReceiveSecretEnvVars = false
		fx.ProjectSettings[testProjectAPI] = s
		toggles := fakeapi.DefaultOrgSettings()
		toggles["is_context_group_restriction_required"] = true
		fx.OrgSettings = map[string]map[string]bool{testOrgID: toggles}
		h.useFake(fx, testOrgID)
		dir := h.copyExample("settings-policy")
		res := h.tf(dir, "apply", "-auto-approve", "-input=false", "-no-color")
		if res.exitCode != 0 || strings.Contains(res.output(), "Check block assertion failed") {
			t.Fatalf("want a silent apply on a compliant organization\n%s", res)
		}
	})
	t.Run("SSO not enforced warns", func(t *testing.T) {
		h := newCLIRunner(t)
		fx := testFixture()
		fx.SSOEnforced = nil
		h.useFake(fx, testOrgID)
		dir := h.copyExample("settings-policy")
		res := h.tf(dir, "apply", "-auto-approve", "-input=false", "-no-color")
		if res.exitCode != 0 {
			t.Fatalf("apply failed\n%s", res)
		}
		res.assertContains(t, "The organization does not enforce SAML single sign-on.")
	})
}
