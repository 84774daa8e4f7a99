package provider

import (
	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// The acceptance fixture's settings data (project settings, OIDC claims,
// webhooks, audit-log streams, SSO) for testOrgID's projects, kept here so
// that it stays one self-contained block.
const (
	// webhookURLCanary is the path and query of a webhook's URL, and
	// signingSecretCanary a signing secret served as if unmasked: neither
	// may appear in any state, output, diagnostic or log.
	webhookURLCanary    = "/services/url-path-canary-3f9a?token=url-query-canary-8b2c"
	signingSecretCanary = "signing-secret-canary-1d7e-NEVER-KEEP"
	// auditConfigCanary is a credential in an audit-log stream's config.
	auditConfigCanary = "audit-credential-canary-6a4f-NEVER-KEEP"

	testWebhookRelay = "b0000000-0000-4000-8000-000000000001"
	testWebhookAudit = "b0000000-0000-4000-8000-000000000002"
	testAuditStream  = "a0000000-0000-4000-8000-000000000001"
)

func withSettingsData(f *fakeapi.Fixture) *fakeapi.Fixture {
	f.ProjectSettings = map[string]fakeapi.ProjectSettings{
		testProjectAPI: {BuildForkPRs: true, ForksReceiveSecretEnvVars: true, SetGitHubStatus: true, SetupWorkflows: true,
			PROnlyBranchOverrides: []string{"release", "main"}},
		testProjectWeb:   {BuildForkPRs: true, DisableSSH: true, WriteSettingsRequiresAdmin: true, AutocancelBuilds: true},
		testProjectDocs:  {OSS: true, BuildPRsOnly: true},
		testProjectInfra: {},
	}
	f.OrgOIDC = map[string]fakeapi.OIDCClaims{testOrgID: {Audience: []string{"sts.amazonaws.com"}, TTL: "1h"}}
	f.ProjectOIDC = map[string]fakeapi.OIDCClaims{testProjectAPI: {Audience: []string{"api-deploy", "sts.amazonaws.com"}, TTL: "30m"}}
	f.Webhooks = map[string][]fakeapi.Webhook{
		testProjectAPI: { // four: two pages of three
			{ID: testWebhookRelay, Name: "slack-relay", URL: "https://Hooks.Example.com" + webhookURLCanary,
				Events: []string{"workflow-completed", "job-completed"}, VerifyTLS: true, SigningSecret: signingSecretCanary},
			{ID: testWebhookAudit, Name: "audit", URL: "http://audit.example:8080" + webhookURLCanary, Events: []string{"job-completed"}},
			{ID: "b0000000-0000-4000-8000-000000000003", Name: "Zeta", URL: "https://zeta.example/hook", Events: []string{"workflow-completed"}, VerifyTLS: true, SigningSecret: "****"},
			{ID: "b0000000-0000-4000-8000-000000000004", Name: "beta", URL: "https://beta.example/hook", Events: []string{"workflow-completed"}, VerifyTLS: true},
		},
	}
	f.AuditLogConfigs = map[string][]fakeapi.AuditLogConfig{testOrgID: {
		{ID: testAuditStream, TargetType: "S3", ConnectionStatus: "CONNECTED",
			Config: map[string]string{"bucket_name": "acme-audit", "region": "eu-west-1", "arn": "arn:aws:iam::123456789012:role/" + auditConfigCanary,
				"secret_access_key": auditConfigCanary}},
	}}
	f.SSOEnforced = map[string]bool{testOrgID: true}
	return f
}
