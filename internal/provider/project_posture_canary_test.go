package provider

// The project-credential and trigger canaries: the fake serves a project
// variable's masked value, a project API token (where CircleCI returns
// null) and a webhook trigger's URL with its secret in the path and query.
// None may appear in state, outputs, diagnostics or TRACE logs, on success
// or when a body holding them cannot be read.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

var postureCanaries = []string{projectVarCanary, apiTokenCanary, webhookSecret, webhookURLPath}

// noPostureCanaryInState fails if any canary is in the state (outputs
// included), or if the state lacks what the canaries sit beside.
type noPostureCanaryInState struct{}

func (noPostureCanaryInState) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil {
		resp.Error = fmt.Errorf("no state to check")
		return
	}
	b, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = fmt.Errorf("marshalling the state: %w", err)
		return
	}
	for _, must := range []string{"AWS_SECRET_ACCESS_KEY", "deploy-bot", testTriggerHook, "variables_by_project"} {
		if !strings.Contains(string(b), must) {
			resp.Error = fmt.Errorf("the state lacks %q, the check would prove nothing: %.300s", must, b)
			return
		}
	}
	for _, c := range postureCanaries {
		if strings.Contains(string(b), c) {
			resp.Error = fmt.Errorf("the state contains the canary %q", c)
			return
		}
	}
}

// Not parallel: t.Setenv (the log settings).
func TestAccProjectPostureCanaries(t *testing.T) {
	cases := []struct {
		name  string
		fault *fakeapi.Fault
		want  []string // nil: success
	}{
		{name: "success"},
		{name: "malformed variables page", fault: &fakeapi.Fault{Path: fakeapi.ProjectEnvVarsPath(testSlugAPI), Times: -1, Status: http.StatusOK,
			Body: `{"items":[{"name":"AWS_SECRET_ACCESS_KEY","value":"` + projectVarCanary + `"}]}}`},
			want: []string{"Unreadable CircleCI Response", "/envvar", "unexpected data after the JSON value"}},
		{name: "variable without a name", fault: &fakeapi.Fault{Path: fakeapi.ProjectEnvVarsPath(testSlugWeb), Times: -1, Status: http.StatusOK,
			Body: `{"items":[{"value":"` + projectVarCanary + `"}],"next_page_token":null}`},
			want: []string{"Unreadable CircleCI Response", "has no name"}},
		{name: "token without a scope", fault: &fakeapi.Fault{Path: fakeapi.ProjectAPITokensPath(testSlugAPI), Times: -1, Status: http.StatusOK,
			Body: `[{"id":"a1","label":"x","token":"` + apiTokenCanary + `"}]`},
			want: []string{"Unreadable CircleCI Response", "has no scope"}},
		{name: "malformed trigger page", fault: &fakeapi.Fault{Path: fakeapi.TriggersPath(testProjectAPI, testDefBuild), Times: -1, Status: http.StatusOK,
			Body: `{"items":[{"id":"` + testTriggerHook + `","event_source":{"provider":"webhook","webhook":{"url":"https://h` + webhookURLPath + `?secret=` + webhookSecret + `"}}}],}`},
			want: []string{"Unreadable CircleCI Response", "/triggers", "malformed JSON"}},
		{name: "webhook trigger without an id", fault: &fakeapi.Fault{Path: fakeapi.TriggersPath(testProjectAPI, testDefBuild), Times: -1, Status: http.StatusOK,
			Body: `{"items":[{"event_source":{"provider":"webhook","webhook":{"url":"https://h` + webhookURLPath + `?secret=` + webhookSecret + `"}}}]}`},
			want: []string{"Unreadable CircleCI Response", "no UUID id"}},
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
data "circleci_project_credentials" "test" {}

data "circleci_pipeline_triggers" "test" {}

# The exposure joins the same variables (and the contexts'): its state must
# hold no masked value either.
data "circleci_secret_exposure" "test" {}

output "exposed_names" {
  value = flatten([for s in data.circleci_secret_exposure.test.secrets : s.variable_names])
}

output "variables_by_project" {
  value = { for p in data.circleci_project_credentials.test.projects : p.name => [for v in (p.environment_variables != null ? p.environment_variables : []) : v.name] }
}

output "triggers" {
  value = flatten([for p in data.circleci_pipeline_triggers.test.projects : [for d in (p.definitions != null ? p.definitions : []) : d.triggers]])
}
`
				step := resource.TestStep{Config: config}
				var captured errorCapture
				tcase := resource.TestCase{PreCheck: func() { testAccPreCheck(t) }, ProtoV6ProviderFactories: testAccProtoV6ProviderFactories}
				if tc.want == nil {
					step.ConfigStateChecks = []statecheck.StateCheck{
						noPostureCanaryInState{},
						statecheck.ExpectKnownOutputValueAtPath("variables_by_project", tfjsonpath.New("web"), stringList("NPM_TOKEN")),
					}
				} else {
					tcase.ErrorCheck = captured.check
				}
				tcase.Steps = []resource.TestStep{step}
				resource.Test(t, tcase)

				if tc.want != nil {
					assertError(t, captured.err, tc.want, postureCanaries)
				}
				probes := []string{fakeapi.ProjectEnvVarsPath(testSlugAPI), fakeapi.ProjectAPITokensPath(testSlugAPI), fakeapi.TriggersPath(testProjectAPI, testDefBuild)}
				if tc.fault != nil {
					probes = []string{tc.fault.Path}
				}
				for _, p := range probes {
					if s.RequestCount(p) == 0 {
						t.Fatalf("%s was never read: the canary would prove nothing", p)
					}
				}
				logs := readLogs(t, dir)
				all := strings.Join(mapValues(logs), "\n")
				for _, want := range append([]string{"[TRACE]", "CircleCI API response", "/envvar", "/token", "/triggers"}, mode.mustLog...) {
					if tc.fault != nil && strings.HasPrefix(want, "/") && !strings.Contains(tc.fault.Path, want) {
						continue // a failed read may stop before the other endpoints
					}
					if !strings.Contains(all, want) {
						t.Errorf("the logs do not contain %q, so they do not cover what they must (files: %v)", want, mapKeys(logs))
					}
				}
				for _, c := range postureCanaries {
					if i := strings.Index(all, c); i >= 0 {
						t.Errorf("the logs contain the canary %q: …%s…", c, all[max(0, i-300):min(len(all), i+80)])
					}
				}
			})
		}
	}
}
