package provider

// Reliability through the CLI: retries, rate limits, server and transport
// failures, unusable bodies and pagination, against the fake CircleCI API
// with injected faults. Every case asserts what the user sees (state, or the
// error text) and how many requests the fake saw.
//
// Request counts. A step that fails stops at its first read, so the count is
// exact. A step that succeeds reads its data sources several times (plan,
// apply, the follow-up plans, the final destroy), and how many depends on
// the CLI; those configs carry a probe data source on another endpoint, read
// exactly as often as the one under test, so the expected count is
// "one request per page per read, plus the retries", with no CLI-specific
// constant.

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

var (
	membersPath      = circleci.OrgRoleGrantsPath(testOrgID)
	emptyMembersPath = circleci.OrgRoleGrantsPath(testEmptyOrgID)
	jsonHeader       = http.Header{"Content-Type": {"application/json"}}
)

// relTarget is the data source a case reads, with a probe read alongside.
type relTarget struct {
	path   string // endpoint under test
	config string // the data source under test, named "test"
	probe  string // a data source on probePath, named "probe"
	// probePath gets exactly one request per read of the probe.
	probePath string
}

var (
	orgsTarget = relTarget{
		path:      collabPath,
		config:    `data "circleci_organizations" "test" {}`,
		probe:     fmt.Sprintf(`data "circleci_org_members" "probe" { organization_id = %q }`, testEmptyOrgID),
		probePath: emptyMembersPath,
	}
	membersTarget = relTarget{
		path:      membersPath,
		config:    fmt.Sprintf(`data "circleci_org_members" "test" { organization_id = %q }`, testOrgID),
		probe:     `data "circleci_organizations" "probe" {}`,
		probePath: collabPath,
	}
)

// relCase is one reliability case. Exactly one of checks (success) and
// wantErr (failure) is set.
type relCase struct {
	name       string
	target     relTarget
	maxRetries int
	timeout    string // request_timeout; "1s" when empty
	// faults is called just before the step runs (so that times, such as an
	// HTTP-date Retry-After, are fresh).
	faults func(s *fakeapi.Server) []fakeapi.Fault

	// Success: the state checks, the pages each read takes, and the extra
	// requests (retries) made on top of pagesPerRead per read.
	checks       []statecheck.StateCheck
	pagesPerRead int // 1 when 0
	extra        int

	// Failure: the error must contain wantErr in order (expectError) and
	// none of notErr, after exactly requests requests to the target path.
	wantErr  []string
	notErr   []string
	requests int

	// after runs extra assertions on the fake.
	after func(t *testing.T, s *fakeapi.Server)
}

func relProviderConfig(s *fakeapi.Server, maxRetries int, timeout string) string {
	if timeout == "" {
		timeout = "1s"
	}
	return providerConfig(s, fmt.Sprintf("max_retries = %d", maxRetries), fmt.Sprintf("request_timeout = %q", timeout))
}

func runRelCases(t *testing.T, cases []relCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			success := tc.wantErr == nil
			config := relProviderConfig(s, tc.maxRetries, tc.timeout) + tc.target.config + "\n"
			if success {
				config += tc.target.probe + "\n"
			}
			var captured errorCapture
			tcase := resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					PreConfig: func() {
						if tc.faults != nil {
							s.Inject(tc.faults(s)...)
						}
					},
					Config:            config,
					ConfigStateChecks: tc.checks,
				}},
			}
			if !success {
				tcase.ErrorCheck = captured.check
			}
			resource.ParallelTest(t, tcase)

			got := s.RequestCount(tc.target.path)
			if success {
				reads := s.RequestCount(tc.target.probePath)
				if reads == 0 {
					t.Fatalf("the probe data source was never read")
				}
				pages := max(tc.pagesPerRead, 1)
				if want := reads*pages + tc.extra; got != want {
					t.Errorf("requests to %s = %d, want %d (%d reads × %d page(s) + %d retries)", tc.target.path, got, want, reads, pages, tc.extra)
				}
			} else {
				assertError(t, captured.err, tc.wantErr, tc.notErr)
				if got != tc.requests {
					t.Errorf("requests to %s = %d, want %d", tc.target.path, got, tc.requests)
				}
			}
			if tc.after != nil {
				tc.after(t, s)
			}
		})
	}
}

// always is a fault on path that applies to every request.
func always(f fakeapi.Fault) func(*fakeapi.Server) []fakeapi.Fault {
	return func(*fakeapi.Server) []fakeapi.Fault {
		f.Times = -1
		return []fakeapi.Fault{f}
	}
}

// allMembersCheck is the fixture's 7 members, each exactly once, sorted.
func allMembersCheck() []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("members"), fixtureMembers()),
		statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("member_count"), knownvalue.Int64Exact(7)),
		statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("admin_count"), knownvalue.Int64Exact(3)),
	}
}

// A retryable answer (429 with Retry-After) on page 2 of 3, then normal
// answers: the read resumes at page 2 and succeeds after exactly one retry.
// (Each form of wait and each retryable status: the client's retry tests.)
func TestAccReliability_retryThenSuccess(t *testing.T) {
	runRelCases(t, []relCase{{
		name:   "429 on page 2",
		target: membersTarget,
		faults: func(*fakeapi.Server) []fakeapi.Fault {
			return []fakeapi.Fault{{Path: membersPath, Skip: 1, Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"1"}}, Body: rateLimitBody}}
		},
		maxRetries:   2,
		checks:       allMembersCheck(),
		pagesPerRead: 3,
		extra:        1, // the first read took 4 requests, every later read 3
	}})
}

// Answers that end the read, one per family of diagnostic: a rate limit that
// never lifts, a server error that persists, a status that is never retried.
// (Every status: the client's tests; every wording: diagnostics_test.go.)
func TestAccReliability_errorStatuses(t *testing.T) {
	cases := []relCase{
		{
			name:     "429 forever",
			faults:   always(fakeapi.Fault{Path: collabPath, Status: 429, Body: rateLimitBody}),
			wantErr:  []string{"CircleCI Rate Limit Exceeded", "429 Too Many Requests to all 3 attempts", collabPath, "unexpected 429", `"Rate limit exceeded."`, "after 3 attempts"},
			notErr:   []string{"giving up after"},
			requests: 3,
		},
		{
			name:     "500 forever",
			faults:   always(fakeapi.Fault{Path: collabPath, Status: 500, Body: `{"message":"Internal server error."}`}),
			wantErr:  []string{"CircleCI Server Error", "answered 500 after 3 attempt(s)", "status.circleci.com", collabPath, "Internal server error."},
			notErr:   []string{"giving up after"},
			requests: 3,
		},
		{
			name:     "400",
			faults:   always(fakeapi.Fault{Path: collabPath, Status: 400, Body: `{"errors":[{"type":"invalid","value":"page-token"}]}`}),
			wantErr:  []string{"Unexpected CircleCI Response", "answered 400", collabPath, "invalid: page-token"},
			requests: 1,
		},
	}
	for i := range cases {
		cases[i].target = orgsTarget
		cases[i].maxRetries = 2
	}
	runRelCases(t, cases)
}

// An answer that never comes, a body that cannot be used, a body that never
// ends: one case per family, as above.
func TestAccReliability_transportAndBodies(t *testing.T) {
	cases := []relCase{
		{
			name:     "slower than request_timeout",
			faults:   always(fakeapi.Fault{Path: collabPath, Delay: 3 * time.Second}),
			wantErr:  []string{"CircleCI Request Timed Out", "request_timeout", "CIRCLECI_REQUEST_TIMEOUT", collabPath, "per-attempt timeout of 1s"},
			requests: 1,
		},
		{
			name:     "truncated JSON",
			faults:   always(fakeapi.Fault{Path: collabPath, Status: 200, Header: jsonHeader, Body: `[{"id":"` + testOrgID + `","vcs-type":"circleci","na`}),
			wantErr:  []string{"Unreadable CircleCI Response", collabPath, "truncated JSON"},
			notErr:   []string{"unexpected end of JSON input"},
			requests: 1,
		},
		{
			name:     "endless body",
			timeout:  "30s",
			faults:   always(fakeapi.Fault{Path: collabPath, EndlessBody: true}),
			wantErr:  []string{"CircleCI Response Too Large", "larger than the 16777216 bytes", collabPath},
			requests: 1,
		},
	}
	for i := range cases {
		cases[i].target = orgsTarget
	}
	runRelCases(t, cases)
}

// The fake is closed: nothing listens on its port.
func TestAccReliability_connectionRefused(t *testing.T) {
	s := fakeapi.New(testFixture())
	s.Close()
	var captured errorCapture
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		ErrorCheck:               captured.check,
		Steps: []resource.TestStep{{
			Config: relProviderConfig(s, 1, "1s") + orgsTarget.config,
		}},
	})
	// The closed fake cannot count: the error says how many attempts failed.
	assertError(t, captured.err, []string{"Could Not Reach CircleCI", "host and app_host", collabPath, "request failed (after 2 attempts)", "connection refused"}, nil)
}

// A redirect to another origin is not followed: the token would go with it.
func TestAccReliability_redirectToAnotherHost(t *testing.T) {
	s := newTestServer(t)
	other := newTestServer(t)
	s.Inject(fakeapi.Fault{Path: collabPath, Times: -1, Status: http.StatusFound, Header: http.Header{"Location": {other.URL() + collabPath}}})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      relProviderConfig(s, 2, "1s") + orgsTarget.config,
			ExpectError: expectError("CircleCI Redirected to Another Host", "API token is never sent", "host and app_host", other.URL()),
		}},
	})
	if n := s.RequestCount(collabPath); n != 1 {
		t.Errorf("requests to %s = %d, want 1 (a refused redirect is not retried)", collabPath, n)
	}
	if n := other.RequestCount(""); n != 0 {
		t.Errorf("the other host saw %d requests, want 0", n)
	}
}
