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
	canaryRun{
		config: func(s *fakeapi.Server) string {
			return providerConfig(s, fmt.Sprintf("organization_id = %q\nmax_retries = 0", testOrgID)) + `
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
		},
		state:            noPostureCanaryInState{},
		checks:           []statecheck.StateCheck{statecheck.ExpectKnownOutputValueAtPath("variables_by_project", tfjsonpath.New("web"), stringList("NPM_TOKEN"))},
		canaries:         postureCanaries,
		probes:           []string{fakeapi.ProjectEnvVarsPath(testSlugAPI), fakeapi.ProjectAPITokensPath(testSlugAPI), fakeapi.TriggersPath(testProjectAPI, testDefBuild)},
		mustLog:          []string{"/envvar", "/token", "/triggers"},
		faultStopsOthers: true,
	}.run(t, []secretCase{
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
	})
}
