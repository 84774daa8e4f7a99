package provider

// The settings canaries: a webhook URL's path and query, a webhook's signing
// secret and an audit-log stream's credentials are served by the fake (the
// signing secret as if CircleCI ever sent it unmasked); none may appear in
// any state, output, diagnostic or TRACE log.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// settingsCanaries are the values that must never be kept: the URL's path
// and its query separately, so that a URL kept in parts is caught too.
var settingsCanaries = []string{"url-path-canary-3f9a", "url-query-canary-8b2c", signingSecretCanary, auditConfigCanary}

// noSettingsCanaryInState fails if a canary appears in the state (outputs
// included), or if the state lacks what the canaries travel with.
type noSettingsCanaryInState struct{}

func (noSettingsCanaryInState) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil {
		resp.Error = fmt.Errorf("no state to check")
		return
	}
	b, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = fmt.Errorf("marshalling the state: %w", err)
		return
	}
	for _, want := range []string{"hooks.example.com", "audit.example:8080", "acme-audit", "webhook_hosts"} {
		if !strings.Contains(string(b), want) {
			resp.Error = fmt.Errorf("the state lacks %q, the check would prove nothing: %.300s", want, b)
			return
		}
	}
	for _, c := range settingsCanaries {
		if strings.Contains(string(b), c) {
			resp.Error = fmt.Errorf("the state contains the canary %q", c)
		}
	}
}

// Not parallel: t.Setenv (the log settings).
func TestAccSettingsCanary(t *testing.T) {
	item := func(extra string) string {
		return `{"items":[{"id":"` + testWebhookRelay + `","name":"x","url":"https://hooks.example.com` + webhookURLCanary +
			`","events":["job-completed"]` + extra + `}],"next_page_token":null}`
	}
	canaryRun{
		config: func(s *fakeapi.Server) string {
			return providerConfig(s, fmt.Sprintf("organization_id = %q\nmax_retries = 0", testOrgID)) + `
data "circleci_project_settings" "test" {}
data "circleci_org_settings" "test" {
  include_sso = true
}

output "webhook_hosts" {
  value = { for p in data.circleci_project_settings.test.projects : p.slug => [for w in p.webhooks : "${w.url_scheme}://${w.url_host}"] }
}

output "audit_buckets" {
  value = data.circleci_org_settings.test.audit_log_streams[*].bucket
}
`
		},
		state:    noSettingsCanaryInState{},
		checks:   nil,
		canaries: settingsCanaries,
		probes:   []string{fakeapi.PathWebhooks},
		mustLog:  []string{"/api/v2/webhook"},
	}.run(t, []secretCase{
		{name: "success"},
		{name: "malformed webhooks page", fault: &fakeapi.Fault{Path: fakeapi.PathWebhooks, Times: -1, Status: http.StatusOK,
			Body: strings.TrimSuffix(item(`,"verify_tls":true,"signing_secret":"`+signingSecretCanary+`"`), "}")},
			want: []string{"Unreadable CircleCI Response", "/api/v2/webhook", "truncated JSON"}},
		{name: "webhook without verify_tls", fault: &fakeapi.Fault{Path: fakeapi.PathWebhooks, Times: -1, Status: http.StatusOK,
			Body: item(`,"signing_secret":"` + signingSecretCanary + `"`)},
			want: []string{"Unreadable CircleCI Response", `no "verify_tls"`}},
		{name: "webhook URL of another scheme", fault: &fakeapi.Fault{Path: fakeapi.PathWebhooks, Times: -1, Status: http.StatusOK,
			Body: strings.Replace(item(`,"verify_tls":true,"signing_secret":"`+signingSecretCanary+`"`), "https://", "ftp://", 1)},
			want: []string{"Unreadable CircleCI Response", "not an absolute http(s) URL", "not shown"}},
		{name: "audit-log stream without a status", fault: &fakeapi.Fault{Path: fakeapi.AuditLogConfigsPath(testOrgID), Times: -1, Status: http.StatusOK,
			Body: `{"items":[{"id":"x","target_type":"S3","is_disabled":false,"config":{"secret_access_key":"` + auditConfigCanary + `"}}]}`},
			want: []string{"Unreadable CircleCI Response", `no "connection_status"`}},
	})
}
