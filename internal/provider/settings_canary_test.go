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

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
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
	cases := []struct {
		name  string
		fault *fakeapi.Fault
		want  []string // nil: success
	}{
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
	}
	for _, mode := range canaryLogModes {
		for _, tc := range cases {
			t.Run(mode.name+"/"+tc.name, func(t *testing.T) {
				dir := t.TempDir()
				for k, v := range mode.env(dir) {
					t.Setenv(k, v)
				}
				t.Setenv("TF_LOG_PATH_MASK", "")
				s := newTestServer(t)
				if tc.fault != nil {
					s.Inject(*tc.fault)
				}
				config := providerConfig(s, fmt.Sprintf("organization_id = %q\nmax_retries = 0", testOrgID)) + `
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
				step := resource.TestStep{Config: config}
				var captured errorCapture
				tcase := resource.TestCase{PreCheck: func() { testAccPreCheck(t) }, ProtoV6ProviderFactories: testAccProtoV6ProviderFactories}
				if tc.want == nil {
					step.ConfigStateChecks = []statecheck.StateCheck{noSettingsCanaryInState{}}
				} else {
					tcase.ErrorCheck = captured.check
				}
				tcase.Steps = []resource.TestStep{step}
				resource.Test(t, tcase)

				if tc.want != nil {
					assertError(t, captured.err, tc.want, settingsCanaries)
				}
				probe := fakeapi.PathWebhooks // a path that served the canaries
				if tc.fault != nil {
					probe = tc.fault.Path
				}
				if n := s.RequestCount(probe); n == 0 {
					t.Fatal("the canary's endpoint was never read: the canary would prove nothing")
				}
				logs := readLogs(t, dir)
				all := strings.Join(mapValues(logs), "\n")
				for _, want := range append([]string{"[TRACE]", "CircleCI API response", "/api/v2/webhook"}, mode.mustLog...) {
					if !strings.Contains(all, want) {
						t.Errorf("the logs do not contain %q, so they do not cover what they must (files: %v)", want, mapKeys(logs))
					}
				}
				for _, c := range settingsCanaries {
					if i := strings.Index(all, c); i >= 0 {
						t.Errorf("the logs contain the canary %q: …%s…", c, all[max(0, i-300):min(len(all), i+80)])
					}
				}
			})
		}
	}
}
