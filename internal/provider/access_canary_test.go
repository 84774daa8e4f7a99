package provider

// The truncated_value canary: CircleCI's environment-variable listing sends
// the tail of each secret (truncated_value). The fake serves a recognisable
// one; it must appear in no state, output, diagnostic or TRACE log.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// noCanaryInState fails if the canary appears in the state (outputs included).
type noCanaryInState struct{ canary string }

func (c noCanaryInState) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil {
		resp.Error = fmt.Errorf("no state to check")
		return
	}
	b, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = fmt.Errorf("marshalling the state: %w", err)
		return
	}
	if !strings.Contains(string(b), "AWS_SECRET_ACCESS_KEY") || !strings.Contains(string(b), "names_by_context") {
		resp.Error = fmt.Errorf("the state lacks the variable names or the output, the check would prove nothing: %.300s", b)
		return
	}
	if strings.Contains(string(b), c.canary) {
		resp.Error = fmt.Errorf("the state contains the truncated_value canary %q", c.canary)
	}
}

// Not parallel: t.Setenv (the log settings).
func TestAccTruncatedValueCanary(t *testing.T) {
	cases := []struct {
		name  string
		fault *fakeapi.Fault
		want  []string // nil: success
	}{
		{name: "success"},
		{name: "malformed variables page", fault: &fakeapi.Fault{Path: fakeapi.ContextEnvVarsPath(testContextAWSProd), Times: -1, Status: http.StatusOK,
			Body: `{"items":[{"variable":"AWS_SECRET_ACCESS_KEY","truncated_value":"xxxx` + truncatedValueCanary + `"}`},
			want: []string{"Unreadable CircleCI Response", "/environment-variable", "truncated JSON"}},
		{name: "variable without a name", fault: &fakeapi.Fault{Path: fakeapi.ContextEnvVarsPath(testContextShared), Times: -1, Status: http.StatusOK,
			Body: `{"items":[{"truncated_value":"xxxx` + truncatedValueCanary + `","context_id":"` + testContextShared + `"}],"next_page_token":null}`},
			want: []string{"Unreadable CircleCI Response", "no name"}},
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
data "circleci_contexts" "test" {}

output "names_by_context" {
  value = { for c in data.circleci_contexts.test.contexts : c.name => c.environment_variables }
}
`
				step := resource.TestStep{Config: config}
				var captured errorCapture
				tcase := resource.TestCase{PreCheck: func() { testAccPreCheck(t) }, ProtoV6ProviderFactories: testAccProtoV6ProviderFactories}
				if tc.want == nil {
					step.ConfigStateChecks = []statecheck.StateCheck{
						noCanaryInState{canary: truncatedValueCanary},
						statecheck.ExpectKnownOutputValueAtPath("names_by_context", tfjsonpath.New("shared"), stringList("NPM_TOKEN")),
						statecheck.ExpectKnownValue(contextsAddr, tfjsonpath.New("contexts"), knownvalue.ListSizeExact(8)),
					}
				} else {
					tcase.ErrorCheck = captured.check
				}
				tcase.Steps = []resource.TestStep{step}
				resource.Test(t, tcase)

				if tc.want != nil {
					assertError(t, captured.err, tc.want, []string{truncatedValueCanary})
				}
				probe := fakeapi.ContextEnvVarsPath(testContextAWSProd) // a path that served the canary
				if tc.fault != nil {
					probe = tc.fault.Path
				}
				if n := s.RequestCount(probe); n == 0 {
					t.Fatal("the variables were never read: the canary would prove nothing")
				}
				logs := readLogs(t, dir)
				all := strings.Join(mapValues(logs), "\n")
				for _, want := range append([]string{"[TRACE]", "CircleCI API response", "/environment-variable"}, mode.mustLog...) {
					if !strings.Contains(all, want) {
						t.Errorf("the logs do not contain %q, so they do not cover what they must (files: %v)", want, mapKeys(logs))
					}
				}
				if i := strings.Index(all, truncatedValueCanary); i >= 0 {
					t.Errorf("the logs contain the truncated_value canary: …%s…", all[max(0, i-300):min(len(all), i+80)])
				}
			})
		}
	}
}
