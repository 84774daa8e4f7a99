package provider

// The token canary: a recognisable token must never appear in the logs (at
// TRACE), in the CLI's error output, or in the state, on success and failure
// paths, whether the token comes from the provider block or CIRCLECI_TOKEN.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

const (
	canaryToken      = "canary-7f3a9c1e-DO-NOT-LOG"
	canaryWrongToken = "canary-wrong-5b2d8e40-DO-NOT-LOG"
)

// canarySecrets are every token value the canary must never find.
var canarySecrets = []string{canaryToken, canaryWrongToken}

// noSecretInState fails if any secret appears anywhere in the state JSON.
type noSecretInState struct{ secrets []string }

func (c noSecretInState) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil {
		resp.Error = fmt.Errorf("no state to check")
		return
	}
	b, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = fmt.Errorf("marshalling the state: %w", err)
		return
	}
	if len(b) < 100 || !strings.Contains(string(b), "circleci_org_members") {
		resp.Error = fmt.Errorf("the state looks empty, the check would prove nothing: %s", b)
		return
	}
	for _, s := range c.secrets {
		if strings.Contains(string(b), s) {
			resp.Error = fmt.Errorf("the state contains the API token %q", s)
			return
		}
	}
}

// Log destinations. terraform-plugin-testing sends the logs of the provider
// under test (which runs in this process) to TF_LOG_PATH at TF_LOG's level;
// TF_ACC_LOG_PATH instead collects the CLI's own TRACE log and the
// provider's in one file (and then takes precedence over TF_LOG_PATH).
type canaryLogMode struct {
	name string
	env  func(dir string) map[string]string
	// mustLog is what the logs must also hold in this mode.
	mustLog []string
}

var canaryLogModes = []canaryLogMode{
	{name: "TF_LOG_PATH", env: func(dir string) map[string]string {
		return map[string]string{"TF_LOG": "TRACE", "TF_LOG_PATH": filepath.Join(dir, "provider.log"), "TF_ACC_LOG_PATH": ""}
	}},
	{name: "TF_ACC_LOG_PATH", env: func(dir string) map[string]string {
		return map[string]string{"TF_LOG": "TRACE", "TF_LOG_PATH": "", "TF_ACC_LOG_PATH": filepath.Join(dir, "cli-and-provider.log")}
	}, mustLog: []string{"Go runtime version"}}, // a line of the CLI's own log
}

type canaryCase struct {
	name string
	// tokenInBlock puts token in the provider block; otherwise in CIRCLECI_TOKEN.
	tokenInBlock bool
	token        string // the token the provider is configured with
	maxRetries   int
	faults       []fakeapi.Fault
	wantErr      []string // nil: the step must succeed
	// wantRequests is the least number of requests the fake must see.
	wantRequests int
}

// Not parallel: t.Setenv (the log settings and CIRCLECI_TOKEN).
func TestAccTokenCanary(t *testing.T) {
	cases := []canaryCase{
		{name: "success token in provider block", tokenInBlock: true, token: canaryToken, wantRequests: 4},
		{name: "success token in CIRCLECI_TOKEN", token: canaryToken, wantRequests: 4},
		{
			name: "500 forever token in CIRCLECI_TOKEN", token: canaryToken, maxRetries: 1,
			faults:       []fakeapi.Fault{{Times: -1, Status: http.StatusInternalServerError, Body: `{"message":"Internal server error."}`}},
			wantErr:      []string{"CircleCI Server Error", "answered 500 after 2 attempt(s)", "Internal server error."},
			wantRequests: 2,
		},
		{
			name: "401 wrong token in provider block", tokenInBlock: true, token: canaryWrongToken, maxRetries: 1,
			wantErr:      []string{"CircleCI Rejected the API Token", "401", "Invalid token provided."},
			wantRequests: 1,
		},
		{
			name: "401 wrong token in CIRCLECI_TOKEN", token: canaryWrongToken, maxRetries: 1,
			wantErr:      []string{"CircleCI Rejected the API Token", "401", "Invalid token provided."},
			wantRequests: 1,
		},
	}
	for _, mode := range canaryLogModes {
		for _, tc := range cases {
			t.Run(mode.name+"/"+tc.name, func(t *testing.T) {
				runCanary(t, mode, tc)
			})
		}
	}
}

func runCanary(t *testing.T, mode canaryLogMode, tc canaryCase) {
	dir := t.TempDir()
	for k, v := range mode.env(dir) {
		t.Setenv(k, v)
	}
	t.Setenv("TF_LOG_PATH_MASK", "")
	for _, e := range []string{EnvToken, EnvTokenAlt, EnvHost, EnvHostAlt, EnvAppHost, EnvOrgID, EnvMaxRetries, EnvRequestTimeout} {
		t.Setenv(e, "")
	}

	fx := testFixture()
	fx.Token = canaryToken
	s := newFixtureServer(t, fx)
	s.Inject(tc.faults...)

	tokenAttr := ""
	if tc.tokenInBlock {
		tokenAttr = fmt.Sprintf("api_token = %q", tc.token)
	} else {
		t.Setenv(EnvToken, tc.token)
	}
	config := fmt.Sprintf(`
provider "circleci" {
  %s
  host            = %q
  max_retries     = %d
  request_timeout = "1s"
}

data "circleci_organizations" "test" {}

data "circleci_org_members" "test" {
  organization_id = %q
}
`, tokenAttr, s.URL(), tc.maxRetries, testOrgID)

	step := resource.TestStep{Config: config}
	var captured errorCapture
	tcase := resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
	}
	if tc.wantErr == nil {
		step.ConfigStateChecks = []statecheck.StateCheck{
			noSecretInState{secrets: canarySecrets},
			statecheck.ExpectKnownValue("data.circleci_org_members.test", tfjsonpath.New("member_count"), knownvalue.Int64Exact(7)),
			statecheck.ExpectKnownValue("data.circleci_organizations.test", tfjsonpath.New("organizations"), knownvalue.ListSizeExact(5)),
		}
	} else {
		tcase.ErrorCheck = captured.check
	}
	tcase.Steps = []resource.TestStep{step}
	resource.Test(t, tcase)

	// The error the CLI printed (its stderr): right, and without the token.
	if tc.wantErr != nil {
		assertError(t, captured.err, tc.wantErr, nil)
		if captured.err != nil {
			for _, secret := range canarySecrets {
				if strings.Contains(captured.err.Error(), secret) {
					t.Errorf("the CLI's error output contains the API token %q:\n%s", secret, captured.err)
				}
			}
		}
	}
	if n := s.RequestCount(""); n < tc.wantRequests {
		t.Errorf("the fake saw %d requests, want at least %d: the token was not exercised", n, tc.wantRequests)
	}

	// The logs: present, at TRACE, with the request headers logged redacted,
	// and without the token.
	logs := readLogs(t, dir)
	if len(logs) == 0 {
		t.Fatalf("no log was written to %s: the canary would prove nothing", dir)
	}
	all := strings.Join(mapValues(logs), "\n")
	for _, want := range append([]string{
		"[TRACE]",                 // TRACE-level lines
		"sdk.framework",           // from the provider under test (terraform-plugin-framework)
		"CircleCI API request",    // the client's own request log line, with its headers
		"CircleCI API response",   // and response log line
		"Circle-Token:[REDACTED]", // the header that carries the token, redacted
	}, mode.mustLog...) {
		if !strings.Contains(all, want) {
			t.Errorf("the logs do not contain %q, so they do not cover what they must (files: %v)", want, mapKeys(logs))
		}
	}
	for name, text := range logs {
		text = withoutHarnessConfigEcho(text)
		for _, secret := range canarySecrets {
			if i := strings.Index(text, secret); i >= 0 {
				start := strings.LastIndex(text[:i], "\n20") + 1 // the log entry's first line (timestamp)
				end := min(len(text), i+len(secret)+80)
				t.Errorf("log %s contains the API token %q in:\n%s…", name, secret, text[start:min(end, start+600)])
			}
		}
	}
}

// harnessConfigEcho starts the log entry in which terraform-plugin-testing
// (not the provider, not the CLI) echoes the configuration the test wrote,
// api_token literal included.
const harnessConfigEcho = "sdk.helper_resource: Setting Terraform configuration:"

// withoutHarnessConfigEcho drops the harness's echo of the test's own
// configuration from a log: every other entry is searched for the token.
// Entries start with a timestamp at the start of a line.
func withoutHarnessConfigEcho(text string) string {
	var out []string
	skipping := false
	for _, line := range strings.SplitAfter(text, "\n") {
		if len(line) > 4 && line[:2] == "20" && line[4] == '-' { // a new entry
			skipping = strings.Contains(line, harnessConfigEcho)
		}
		if !skipping {
			out = append(out, line)
		}
	}
	return strings.Join(out, "")
}

// readLogs returns every file written under dir, by name.
func readLogs(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path) //nolint:gosec // G304: a log file under the test's own temp dir
		if err != nil {
			return err
		}
		if len(b) > 0 {
			out[filepath.Base(path)] = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("reading the logs: %v", err)
	}
	return out
}

func mapKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func mapValues(m map[string]string) []string {
	vals := make([]string, 0, len(m))
	for _, k := range mapKeys(m) {
		vals = append(vals, m[k])
	}
	return vals
}

// The truncated_value canary: CircleCI's environment-variable listing sends
// the tail of each secret (truncated_value). The fake serves a recognisable
// one; it must appear in no state, output, diagnostic or TRACE log.

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
	canaryRun{
		config: func(s *fakeapi.Server) string {
			return providerConfig(s, fmt.Sprintf("organization_id = %q\nmax_retries = 0", testOrgID)) + `
data "circleci_contexts" "test" {}

output "names_by_context" {
  value = { for c in data.circleci_contexts.test.contexts : c.name => c.environment_variables }
}
`
		},
		state: noCanaryInState{canary: truncatedValueCanary},
		checks: []statecheck.StateCheck{
			statecheck.ExpectKnownOutputValueAtPath("names_by_context", tfjsonpath.New("shared"), stringList("NPM_TOKEN")),
			statecheck.ExpectKnownValue(contextsAddr, tfjsonpath.New("contexts"), knownvalue.ListSizeExact(8)),
		},
		canaries: []string{truncatedValueCanary},
		probes:   []string{fakeapi.ContextEnvVarsPath(testContextAWSProd)}, // a path that served the canary
		mustLog:  []string{"/environment-variable"},
	}.run(t, []secretCase{
		{name: "success"},
		{name: "malformed variables page", fault: &fakeapi.Fault{Path: fakeapi.ContextEnvVarsPath(testContextAWSProd), Times: -1, Status: http.StatusOK,
			Body: `{"items":[{"variable":"AWS_SECRET_ACCESS_KEY","truncated_value":"xxxx` + truncatedValueCanary + `"}`},
			want: []string{"Unreadable CircleCI Response", "/environment-variable", "truncated JSON"}},
		{name: "variable without a name", fault: &fakeapi.Fault{Path: fakeapi.ContextEnvVarsPath(testContextShared), Times: -1, Status: http.StatusOK,
			Body: `{"items":[{"truncated_value":"xxxx` + truncatedValueCanary + `","context_id":"` + testContextShared + `"}],"next_page_token":null}`},
			want: []string{"Unreadable CircleCI Response", "no name"}},
	})
}

// secretCase is one read of a secret-canary test: success, or a fault and the
// parts its error must show.
type secretCase struct {
	name  string
	fault *fakeapi.Fault
	want  []string // nil: success
}

// canaryRun is a secret-canary test: the configuration, what the state must
// show on success, the canaries that must appear nowhere (state,
// diagnostics, TRACE logs), the paths that must have served them, and what the
// logs must hold to cover what they must.
type canaryRun struct {
	config   func(s *fakeapi.Server) string
	checks   []statecheck.StateCheck // on success, beside the state's own check
	state    statecheck.StateCheck   // the canaries are not in the state
	canaries []string
	probes   []string // read, or the canary would prove nothing; a fault's path replaces them
	mustLog  []string // beside "[TRACE]" and "CircleCI API response"
	// faultStopsOthers: a fault on one endpoint may stop the read before the
	// others, so their paths in mustLog are not required then.
	faultStopsOthers bool
}

// run runs every case under every log mode. Not parallel: t.Setenv.
func (r canaryRun) run(t *testing.T, cases []secretCase) {
	t.Helper()
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
				step := resource.TestStep{Config: r.config(s)}
				var captured errorCapture
				tcase := resource.TestCase{PreCheck: func() { testAccPreCheck(t) }, ProtoV6ProviderFactories: testAccProtoV6ProviderFactories}
				if tc.want == nil {
					step.ConfigStateChecks = append([]statecheck.StateCheck{r.state}, r.checks...)
				} else {
					tcase.ErrorCheck = captured.check
				}
				tcase.Steps = []resource.TestStep{step}
				resource.Test(t, tcase)

				if tc.want != nil {
					assertError(t, captured.err, tc.want, r.canaries)
				}
				probes := r.probes
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
				for _, want := range append(append([]string{"[TRACE]", "CircleCI API response"}, r.mustLog...), mode.mustLog...) {
					if r.faultStopsOthers && tc.fault != nil && strings.HasPrefix(want, "/") && !strings.Contains(tc.fault.Path, want) {
						continue // a failed read may stop before the other endpoints
					}
					if !strings.Contains(all, want) {
						t.Errorf("the logs do not contain %q, so they do not cover what they must (files: %v)", want, mapKeys(logs))
					}
				}
				for _, c := range r.canaries {
					if i := strings.Index(all, c); i >= 0 {
						t.Errorf("the logs contain the canary %q: …%s…", c, all[max(0, i-300):min(len(all), i+80)])
					}
				}
			})
		}
	}
}
