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
	"strings"
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

// once is a fault on path that applies to one request.
func once(path string, status int, header http.Header, body string) func(*fakeapi.Server) []fakeapi.Fault {
	return func(*fakeapi.Server) []fakeapi.Fault {
		return []fakeapi.Fault{{Path: path, Status: status, Header: header, Body: body}}
	}
}

// always is a fault on path that applies to every request.
func always(f fakeapi.Fault) func(*fakeapi.Server) []fakeapi.Fault {
	return func(*fakeapi.Server) []fakeapi.Fault {
		f.Times = -1
		return []fakeapi.Fault{f}
	}
}

// orgIDsCheck is the fixture's organizations, read correctly.
func orgIDsCheck() statecheck.StateCheck {
	return statecheck.ExpectKnownValue(orgsAddr, tfjsonpath.New("ids"), knownvalue.ListExact([]knownvalue.Check{
		knownvalue.StringExact("7a7a7a7a-1111-4222-8333-444455556666"),
		knownvalue.StringExact(testEmptyOrgID),
		knownvalue.StringExact(testOrgID),
		knownvalue.StringExact(testGitHubOrgID),
	}))
}

// allMembersCheck is the fixture's 7 members, each exactly once, sorted.
func allMembersCheck() []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("members"), fixtureMembers()),
		statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("member_count"), knownvalue.Int64Exact(7)),
		statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("admin_count"), knownvalue.Int64Exact(2)),
	}
}

// Retryable answers (429 with every form of wait, 500/502/503/504) once,
// then a normal answer: the read succeeds after exactly one retry.
func TestAccReliability_retryThenSuccess(t *testing.T) {
	rl := func(h http.Header) func(*fakeapi.Server) []fakeapi.Fault {
		return once(collabPath, http.StatusTooManyRequests, h, rateLimitBody)
	}
	cases := []relCase{
		{name: "429 Retry-After seconds", faults: rl(http.Header{"Retry-After": {"1"}})},
		{name: "429 Retry-After HTTP-date", faults: func(*fakeapi.Server) []fakeapi.Fault {
			// A couple of seconds ahead: the step's plan starts right after.
			date := time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat)
			return rl(http.Header{"Retry-After": {date}})(nil)
		}},
		{name: "429 Retry-After garbage", faults: rl(http.Header{"Retry-After": {"soon-ish"}})},
		{name: "429 Retry-After negative", faults: rl(http.Header{"Retry-After": {"-5"}})},
		{name: "429 Retry-After empty", faults: rl(http.Header{"Retry-After": {""}})},
		{name: "429 X-RateLimit-Reset only", faults: rl(http.Header{"X-RateLimit-Reset": {"1"}})},
		{name: "500", faults: once(collabPath, 500, nil, `{"message":"Internal server error."}`)},
		{name: "502", faults: once(collabPath, 502, nil, `{"message":"Bad gateway."}`)},
		{name: "503", faults: once(collabPath, 503, nil, `{"message":"Service unavailable."}`)},
		{name: "504", faults: once(collabPath, 504, nil, `{"message":"Gateway timeout."}`)},
	}
	for i := range cases {
		cases[i].target = orgsTarget
		cases[i].maxRetries = 2
		cases[i].checks = []statecheck.StateCheck{orgIDsCheck(), orgCountCheck(5)}
		cases[i].extra = 1 // the first read took 2 requests, every later read 1
	}
	runRelCases(t, cases)
}

// Answers that end the read: a wait longer than the provider waits, a rate
// limit that never lifts, and statuses that are never retried.
func TestAccReliability_errorStatuses(t *testing.T) {
	later := func(*fakeapi.Server) []fakeapi.Fault {
		date := time.Now().Add(2 * time.Hour).UTC().Format(http.TimeFormat)
		return []fakeapi.Fault{{Path: collabPath, Times: -1, Status: 429, Header: http.Header{"Retry-After": {date}}, Body: rateLimitBody}}
	}
	cases := []relCase{
		{
			name:   "429 Retry-After 86400 fails fast",
			faults: always(fakeapi.Fault{Path: collabPath, Status: 429, Header: http.Header{"Retry-After": {"86400"}}, Body: rateLimitBody}),
			wantErr: []string{"CircleCI Rate Limit Exceeded", "asked to wait 24h0m0s", "longer than the provider waits",
				"Run again after", "UTC", collabPath, "unexpected 429", `"Rate limit exceeded."`},
			requests: 1,
		},
		{
			name:     "429 Retry-After HTTP-date hours ahead fails fast",
			faults:   later,
			wantErr:  []string{"CircleCI Rate Limit Exceeded", "asked to wait", "Run again after", collabPath, "Rate limit exceeded."},
			requests: 1,
		},
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
		{
			name:     "401",
			faults:   always(fakeapi.Fault{Path: collabPath, Status: 401, Body: `{"message":"Invalid token provided."}`}),
			wantErr:  []string{"CircleCI Rejected the API Token", "401 Unauthorized", "personal API token", collabPath, "Invalid token provided."},
			requests: 1,
		},
		{
			name:     "403",
			faults:   always(fakeapi.Fault{Path: collabPath, Status: 403, Body: `{"message":"Permission denied."}`}),
			wantErr:  []string{"CircleCI Denied Access to Organizations", "403 Forbidden", collabPath, "Permission denied."},
			requests: 1,
		},
		{
			name:     "404",
			faults:   always(fakeapi.Fault{Path: collabPath, Status: 404, Body: `{"message":"Not found."}`}),
			wantErr:  []string{"CircleCI Organizations Not Found", "404 Not Found", "host setting", collabPath, "Not found."},
			requests: 1,
		},
		{
			name:     "422",
			faults:   always(fakeapi.Fault{Path: collabPath, Status: 422, Body: `{"error":"Unprocessable."}`}),
			wantErr:  []string{"Unexpected CircleCI Response", "answered 422", collabPath, "Unprocessable."},
			requests: 1,
		},
		{
			name:     "501",
			faults:   always(fakeapi.Fault{Path: collabPath, Status: 501, Body: `{"message":"Not implemented."}`}),
			wantErr:  []string{"Unexpected CircleCI Response", "answered 501", collabPath, "Not implemented."},
			notErr:   []string{"usually temporary"},
			requests: 1,
		},
		{
			// A proxy's error page: the status and the page, not a JSON error.
			name: "HTML 502 page",
			faults: always(fakeapi.Fault{Path: collabPath, Status: 502, Header: http.Header{"Content-Type": {"text/html"}},
				Body: `<html><body><h1>502 Bad Gateway</h1></body></html>`}),
			wantErr:  []string{"CircleCI Server Error", "unexpected 502 (text/html)", "502 Bad Gateway"},
			notErr:   []string{"invalid character"},
			requests: 1,
		},
	}
	for i := range cases {
		cases[i].target = orgsTarget
		if cases[i].name != "HTML 502 page" {
			cases[i].maxRetries = 2
		}
	}
	runRelCases(t, cases)
}

// Connections that fail, answers that never come or never end, and bodies
// that cannot be used.
func TestAccReliability_transportAndBodies(t *testing.T) {
	cases := []relCase{
		{
			name:       "connection reset",
			maxRetries: 1,
			faults:     always(fakeapi.Fault{Path: collabPath, Reset: true}),
			wantErr:    []string{"Could Not Reach CircleCI", "connection refused, reset", "host and app_host", collabPath, "after 2 attempts"},
			requests:   2,
		},
		{
			name:     "slower than request_timeout",
			faults:   always(fakeapi.Fault{Path: collabPath, Delay: 3 * time.Second}),
			wantErr:  []string{"CircleCI Request Timed Out", "request_timeout", "CIRCLECI_REQUEST_TIMEOUT", collabPath, "per-attempt timeout of 1s"},
			requests: 1,
		},
		{
			name:     "empty 200 body",
			faults:   always(fakeapi.Fault{Path: collabPath, Status: 200, Header: jsonHeader}),
			wantErr:  []string{"Unreadable CircleCI Response", collabPath, "unexpected 200 with an empty body, expected JSON"},
			requests: 1,
		},
		{
			name:     "200 text/plain",
			faults:   always(fakeapi.Fault{Path: collabPath, Status: 200, Header: http.Header{"Content-Type": {"text/plain"}}, Body: "all good"}),
			wantErr:  []string{"Unreadable CircleCI Response", collabPath, "unexpected 200 (text/plain), expected JSON", "all good"},
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
		{
			name: "unknown fields ignored",
			faults: always(fakeapi.Fault{Path: collabPath, Status: 200, Header: jsonHeader,
				Body: `[{"id":"` + testOrgID + `","vcs-type":"circleci","name":"acme-std","avatar_url":null,"slug":"circleci/Xy12AbCd",` +
					`"new_field":{"nested":[1,2,3]},"plan":"scale"}]`}),
			checks: []statecheck.StateCheck{
				orgCountCheck(1),
				statecheck.ExpectKnownValue(orgsAddr, tfjsonpath.New("ids"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(testOrgID)})),
			},
		},
		{
			name:     "wrong type",
			faults:   always(fakeapi.Fault{Path: collabPath, Status: 200, Header: jsonHeader, Body: `[{"id":5,"vcs-type":"circleci","name":"x","slug":"circleci/x"}]`}),
			wantErr:  []string{"Unreadable CircleCI Response", collabPath, "id has the wrong type: got JSON number, expected a string"},
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
	if n := s.RequestCount(""); n != 0 {
		t.Errorf("a closed fake saw %d requests", n)
	}
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

// rolePage is a role-grants page body with the given members of the
// fixture's standalone organization and next_page_token (raw JSON).
func rolePage(next string, grants ...fakeapi.RoleGrant) string {
	var items []string
	for _, g := range grants {
		items = append(items, fmt.Sprintf(`{"user_id":%q,"username":%q,"email":%q,"role":%q}`, g.UserID, g.Username, g.Email, g.Role))
	}
	return `{"items":[` + strings.Join(items, ",") + `],"next_page_token":` + next + `}`
}

// Pagination of the members listing (7 members in pages of 3).
func TestAccReliability_pagination(t *testing.T) {
	grants := testFixture().Members[testOrgID]
	tokA := fakeapi.PageToken(testOrgID, 3) // the fake's real token for page 2
	page := func(next string, g ...fakeapi.RoleGrant) fakeapi.Fault {
		return fakeapi.Fault{Path: membersPath, Status: 200, Header: jsonHeader, Body: rolePage(next, g...)}
	}
	twoMembers := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("logins"), knownvalue.ListExact([]knownvalue.Check{
			knownvalue.StringExact("Bob"), knownvalue.StringExact("zoe"),
		})),
		statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("member_count"), knownvalue.Int64Exact(2)),
	}
	cases := []relCase{
		{
			name:         "three pages merged",
			checks:       allMembersCheck(),
			pagesPerRead: 3,
			after: func(t *testing.T, s *fakeapi.Server) {
				// Each read asks for page 1, then the tokens in the order given.
				var toks []string
				for _, r := range s.Requests() {
					if r.Path == membersPath {
						toks = append(toks, r.PageToken)
					}
				}
				want := []string{"", tokA, fakeapi.PageToken(testOrgID, 6)}
				if len(toks) < 3 || toks[0] != want[0] || toks[1] != want[1] || toks[2] != want[2] {
					t.Errorf("page tokens of the first read = %q, want %q", toks[:min(3, len(toks))], want)
				}
			},
		},
		{
			name: "repeated page token A→A",
			faults: func(*fakeapi.Server) []fakeapi.Fault {
				f := page(`"`+tokA+`"`, grants[3])
				f.Skip = 1
				return []fakeapi.Fault{f}
			},
			wantErr:  []string{"Incomplete CircleCI Listing", "does not return a partial one", membersPath, "page 2", "page token it had already returned"},
			notErr:   []string{tokA},
			requests: 2,
		},
		{
			// Page 1 is the fake's own (next: A), page 2 gives B, page 3 gives A again.
			name: "cycling page token A→B→A",
			faults: func(*fakeapi.Server) []fakeapi.Fault {
				p2 := page(`"B+/="`, grants[3], grants[4], grants[5])
				p2.Skip = 1
				return []fakeapi.Fault{p2, page(`"`+tokA+`"`, grants[6])}
			},
			wantErr:  []string{"Incomplete CircleCI Listing", membersPath, "page 3", "page token it had already returned", "would never end"},
			notErr:   []string{tokA, "B+/="},
			requests: 3,
		},
		{
			name: `next_page_token ""`,
			faults: func(*fakeapi.Server) []fakeapi.Fault {
				f := page(`""`, grants[0], grants[1])
				f.Times = -1
				return []fakeapi.Fault{f}
			},
			checks: twoMembers,
		},
		{
			name: "next_page_token null",
			faults: func(*fakeapi.Server) []fakeapi.Fault {
				f := page(`null`, grants[0], grants[1])
				f.Times = -1
				return []fakeapi.Fault{f}
			},
			checks: twoMembers,
		},
		{
			name: "items null",
			faults: always(fakeapi.Fault{Path: membersPath, Status: 200, Header: jsonHeader,
				Body: `{"items":null,"next_page_token":null}`}),
			checks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("members"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("member_count"), knownvalue.Int64Exact(0)),
			},
		},
		{
			// The retry asks for page 2 again, not the listing from the start.
			name: "429 on page 2 resumes at page 2",
			faults: func(*fakeapi.Server) []fakeapi.Fault {
				return []fakeapi.Fault{{Path: membersPath, Skip: 1, Status: 429, Header: http.Header{"Retry-After": {"1"}}, Body: rateLimitBody}}
			},
			maxRetries:   2,
			checks:       allMembersCheck(),
			pagesPerRead: 3,
			extra:        1,
			after: func(t *testing.T, s *fakeapi.Server) {
				var toks []string
				for _, r := range s.Requests() {
					if r.Path == membersPath {
						toks = append(toks, r.PageToken)
					}
				}
				want := []string{"", tokA, tokA, fakeapi.PageToken(testOrgID, 6)}
				if len(toks) < 4 || strings.Join(toks[:4], " ") != strings.Join(want, " ") {
					t.Errorf("page tokens of the first read = %q, want %q", toks[:min(4, len(toks))], want)
				}
			},
		},
		{
			name: "unknown fields ignored",
			faults: always(fakeapi.Fault{Path: membersPath, Status: 200, Header: jsonHeader,
				Body: `{"items":[{"user_id":"6b0e0000-0000-4000-8000-00000000000a","username":"zoe","email":"","role":"org-admin",` +
					`"granted_at":"2024-01-01T00:00:00Z","scope":{"type":"org"}}],"next_page_token":null,"total":1,"links":{}}`}),
			checks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("members"), knownvalue.ListExact([]knownvalue.Check{
					member("6b0e0000-0000-4000-8000-00000000000a", "zoe", nil, "admin"),
				})),
			},
		},
		{
			name: "wrong type",
			faults: always(fakeapi.Fault{Path: membersPath, Status: 200, Header: jsonHeader,
				Body: `{"items":[{"user_id":"6b0e0000-0000-4000-8000-00000000000a","username":"zoe","email":"","role":5}],"next_page_token":null}`}),
			wantErr:  []string{"Unreadable CircleCI Response", membersPath, "role has the wrong type: got JSON number, expected a string"},
			requests: 1,
		},
	}
	for i := range cases {
		cases[i].target = membersTarget
	}
	runRelCases(t, cases)
}
