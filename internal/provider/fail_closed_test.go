package provider

// Fail closed, through the CLI: one acceptance test per family of the
// fail-closed review (shape, token echo, pacing, body retry, roles and
// duplicates, deleted users). Each failed on the provider before it; the
// mechanics are tested in internal/circleci, the wording in
// diagnostics_test.go.

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

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// failClosedStep runs one step that must fail with wantErr.
func failClosedStep(t *testing.T, config string, wantErr ...string) {
	t.Helper()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{{Config: config, ExpectError: expectError(wantErr...)}},
	})
}

// Regression: a 200 without "items", and a null collaborations body, read as
// an organization with no members and no admins, so every admin-count
// policy passed.
func TestAccFailClosed_shape(t *testing.T) {
	members := fmt.Sprintf(`data "circleci_org_members" "test" { organization_id = %q }`, testOrgID)
	orgs := `data "circleci_organizations" "test" {}`
	cases := []struct {
		name, path, body, config string
		want                     []string
	}{
		{"members without items", membersPath, `{}`, members,
			[]string{"Unreadable CircleCI Response", membersPath, `expected a JSON object with an "items" array`}},
		{"members with only a message", membersPath, `{"message":"Service degraded."}`, members,
			[]string{"Unreadable CircleCI Response", membersPath, `no "items"`}},
		{"members under another key", membersPath, `{"data":[]}`, members,
			[]string{"Unreadable CircleCI Response", membersPath, `no "items"`}},
		{"a member without a UUID", membersPath, `{"items":[{"user_id":"alice","username":"alice","role":"org-admin"}]}`, members,
			[]string{"Unreadable CircleCI Response", membersPath, "not a UUID"}},
		{"collaborations null", collabPath, `null`, orgs,
			[]string{"Unreadable CircleCI Response", collabPath, "expected a JSON array, got JSON null"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			s.Inject(fakeapi.Fault{Path: tc.path, Times: -1, Status: http.StatusOK, Header: jsonHeader, Body: tc.body})
			failClosedStep(t, providerConfig(s)+tc.config, tc.want...)
			if n := s.RequestCount(tc.path); n != 1 {
				t.Errorf("requests to %s = %d, want 1 (a bad 200 is not retried)", tc.path, n)
			}
		})
	}
}

// Regression: the token was printed verbatim when the server quoted it
// back. The fake echoes the request's token in every error body; the
// canary checks the CLI's error output, the TRACE logs of the CLI and the
// provider, and (where the read succeeds after a retry) the state.
// Not parallel: the canary sets environment variables.
func TestAccFailClosed_tokenEcho(t *testing.T) {
	tok := fakeapi.TokenPlaceholder
	html := http.Header{"Content-Type": {"text/html"}}
	cases := []canaryCase{
		{
			name: "401 JSON message", tokenInBlock: true, token: canaryToken,
			faults:       []fakeapi.Fault{{Times: -1, Status: 401, Body: `{"message":"Invalid token provided: ` + tok + `"}`}},
			wantErr:      []string{"CircleCI Rejected the API Token", "Invalid token provided: [REDACTED]"},
			wantRequests: 1,
		},
		{
			name: "400 errors value", token: canaryToken,
			faults:       []fakeapi.Fault{{Times: -1, Status: 400, Body: `{"errors":[{"type":"header","value":"Circle-Token ` + tok + `"}]}`}},
			wantErr:      []string{"Unexpected CircleCI Response", "Circle-Token [REDACTED]"},
			wantRequests: 1,
		},
		{
			name: "502 HTML page", tokenInBlock: true, token: canaryToken,
			faults: []fakeapi.Fault{{Times: -1, Status: 502, Header: html,
				Body: "<html><body>" + strings.Repeat("upstream ", 20) + tok + " " + fakeapi.TokenURLPlaceholder + "</body></html>"}},
			wantErr:      []string{"CircleCI Server Error", "502"},
			wantRequests: 1,
		},
		{
			name: "200 malformed JSON", token: canaryToken,
			faults:       []fakeapi.Fault{{Times: -1, Status: 200, Header: jsonHeader, Body: `{"token":"` + tok + `" oops`}},
			wantErr:      []string{"Unreadable CircleCI Response", "malformed JSON"},
			wantRequests: 1,
		},
		{
			// A 500 first, so that the logs hold a response line too.
			name: "malformed header line", tokenInBlock: true, token: canaryToken, maxRetries: 1,
			faults: []fakeapi.Fault{
				{Status: 500, Body: `{"message":"` + tok + `"}`},
				{Times: -1, Raw: "HTTP/1.1 502 Bad Gateway\r\nX-Broken " + tok + strings.Repeat("y", 512<<10) + "\r\n\r\n"},
			},
			wantErr:      []string{"Could Not Reach CircleCI", "after 2 attempts"},
			wantRequests: 2,
		},
		{
			// The first answer of each endpoint echoes it; the retry succeeds,
			// so the state is checked too.
			name: "echoed then retried", token: canaryToken, maxRetries: 1,
			faults: []fakeapi.Fault{
				{Path: collabPath, Status: 502, Header: html, Body: "<html>" + tok + "</html>"},
				{Path: membersPath, Status: 503, Body: `{"message":"` + tok + `"}`},
			},
			wantRequests: 6,
		},
	}
	mode := canaryLogModes[len(canaryLogModes)-1] // the CLI's and the provider's logs in one file
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			runCanary(t, mode, tc)
		})
	}
}

// Regression: after one answer with Remaining 0 and a one-hour reset,
// every later request waited the full 60 s cap, although every later answer
// said 4,999 were left. The pages of one read must follow each other at
// once: under the old pacer each waited 60 s.
func TestAccFailClosed_pacing(t *testing.T) {
	s := newTestServer(t)
	s.Inject(
		fakeapi.Fault{Path: membersPath, Header: http.Header{"X-RateLimit-Remaining": {"0"}, "X-RateLimit-Reset": {"3600"}}},
		fakeapi.Fault{Path: membersPath, Times: -1, Header: http.Header{"X-RateLimit-Remaining": {"4999"}, "X-RateLimit-Reset": {"3600"}}},
	)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: membersConfig(s, fmt.Sprintf("organization_id = %q", testOrgID)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("members"), fixtureMembers()),
			},
		}},
	})
	var times []time.Time
	for _, r := range s.Requests() {
		if r.Path == membersPath {
			times = append(times, r.Time)
		}
	}
	if len(times) < 3 || len(times)%3 != 0 {
		t.Fatalf("%d members requests, want three pages per read", len(times))
	}
	// The pages of the first read: the old pacer held pages 2 and 3 for the
	// 60 s cap each. 30 s is far above any scheduling delay.
	for i := 1; i < 3; i++ {
		if gap := times[i].Sub(times[i-1]); gap > 30*time.Second {
			t.Errorf("page %d was sent %s after page %d: the pacer waited on a budget the next answer had renewed", i+1, gap, i)
		}
	}
}

// Regression: a connection reset or a per-attempt timeout while the body
// was read was not retried, so one bad page sank the listing.
func TestAccFailClosed_bodyRetry(t *testing.T) {
	body := rolePage(`null`, testFixture().Members[testOrgID]...)
	cases := []struct {
		name  string
		fault fakeapi.Fault
	}{
		{"reset mid-body", fakeapi.Fault{Path: membersPath, Skip: 1, Status: 200, Header: jsonHeader, Body: body, PartialBody: 40}},
		{"timeout mid-body", fakeapi.Fault{Path: membersPath, Skip: 1, Status: 200, Header: jsonHeader, Body: body, PartialBody: 40, StallBody: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t)
			s.Inject(tc.fault)
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: providerConfig(s, `max_retries = 1`, `request_timeout = "1s"`) +
						fmt.Sprintf(`data "circleci_org_members" "test" { organization_id = %q }`, testOrgID),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("members"), fixtureMembers()),
					},
				}},
			})
			// The first read: page 1, page 2 cut, page 2 again, page 3.
			var toks []string
			for _, r := range s.Requests() {
				if r.Path == membersPath {
					toks = append(toks, r.PageToken)
				}
			}
			p2 := fakeapi.PageToken(testOrgID, 3)
			if len(toks) < 4 || toks[1] != p2 || toks[2] != p2 {
				t.Errorf("page tokens %q, want page 2 asked twice in the first read", toks)
			}
		})
	}
}

// Regression: ORG-ADMIN was not an admin, and a repeated grant listed and
// counted a user twice.
func TestAccFailClosed_rolesAndDuplicates(t *testing.T) {
	fx := testFixture()
	grants := fx.Members[testOrgID]
	grants[2].Role = "ORG-ADMIN" // alice
	// carol again, as an admin, and zoe again, as a viewer.
	grants = append(grants,
		fakeapi.RoleGrant{UserID: "6b0e0000-0000-4000-8000-00000000000d", Username: "carol", Role: "Org-Admin"},
		fakeapi.RoleGrant{UserID: "6b0e0000-0000-4000-8000-00000000000a", Username: "zoe", Email: "zoe@example.com", Role: "org-viewer"})
	fx.Members[testOrgID] = grants
	s := newFixtureServer(t, fx)
	org := fmt.Sprintf("organization_id = %q\n", testOrgID)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: membersConfig(s, org),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("logins"), stringList("alice", "bob", "bob", "Bob", "carol", "dave", "zoe")),
					statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("member_count"), knownvalue.Int64Exact(7)),
					// alice, carol, zoe, and dave's unrecognised role (assumed admin)
					statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("admin_count"), knownvalue.Int64Exact(4)),
				},
			},
			{
				Config: membersConfig(s, org+`role = "ADMIN"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("members"), knownvalue.ListExact([]knownvalue.Check{
						member("6b0e0000-0000-4000-8000-00000000000c", "alice", "alice@example.com", "admin"),
						member("6b0e0000-0000-4000-8000-00000000000d", "carol", nil, "admin"),
						// dave's unrecognised role is assumed admin: the filter keeps him.
						member("6b0e0000-0000-4000-8000-00000000000e", "dave", "dave@example.com", "org-security-auditor"),
						member("6b0e0000-0000-4000-8000-00000000000a", "zoe", "zoe@example.com", "admin"),
					})),
				},
			},
			{
				// A role the provider does not know can be filtered on.
				Config: membersConfig(s, org+`role = "org-security-auditor"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("logins"), stringList("dave")),
					statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("admin_count"), knownvalue.Int64Exact(4)),
				},
			},
		},
	})
}

// Regression: one deleted member (404 on /api/v2/user/{id}) failed the
// whole include_user_details read. It keeps null details (and the read
// warns); any other failure of a lookup still fails the read.
func TestAccFailClosed_deletedUser(t *testing.T) {
	const deleted = "6b0e0000-0000-4000-8000-00000000000d" // carol
	fx := testFixture()
	fx.DeleteUser(deleted)
	s := newFixtureServer(t, fx)
	args := fmt.Sprintf("organization_id = %q\ninclude_user_details = true\nrole = \"viewer\"", testOrgID)
	withDetails := func(id, login, email, name, vcs string) knownvalue.Check {
		n, v := knownvalue.Check(knownvalue.Null()), knownvalue.Check(knownvalue.Null())
		if name != "" {
			n, v = knownvalue.StringExact(name), knownvalue.StringExact(vcs)
		}
		e := knownvalue.Check(knownvalue.Null())
		if email != "" {
			e = knownvalue.StringExact(email)
		}
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id": knownvalue.StringExact(id), "login": knownvalue.StringExact(login), "email": e,
			"role": knownvalue.StringExact("viewer"), "name": n, "vcs_login": v,
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(s, "max_retries = 0") + "data \"circleci_org_members\" \"test\" {\n" + args + "\n}\n",
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(membersAddr, tfjsonpath.New("members"), knownvalue.ListExact([]knownvalue.Check{
						withDetails("6b0e0000-0000-4000-8000-000000000001", "bob", "bob1@example.com", "Bob One", "bob1-gh"),
						withDetails(deleted, "carol", "", "", ""),
					})),
				},
			},
			{
				PreConfig: func() {
					s.Inject(fakeapi.Fault{Path: fakeapi.UserPath("6b0e0000-0000-4000-8000-000000000001"), Times: -1, Status: 403,
						Body: `{"message":"Permission denied."}`})
				},
				Config:      providerConfig(s, "max_retries = 0") + "data \"circleci_org_members\" \"test\" {\n" + args + "\n}\n",
				ExpectError: expectError("CircleCI Denied Access to User 6b0e0000-0000-4000-8000-000000000001", "403"),
			},
		},
	})
}

// The "fails at once, run again after" diagnostic covers a 503 with a long
// Retry-After, like a 429; and a port outside 1-65535 is refused before
// any request.
func TestAccFailClosed_longUnavailableAndBadPort(t *testing.T) {
	t.Run("503 with a long Retry-After", func(t *testing.T) {
		s := newTestServer(t)
		s.Inject(fakeapi.Fault{Path: collabPath, Times: -1, Status: 503, Header: http.Header{"Retry-After": {"86400"}},
			Body: `{"message":"Service unavailable."}`})
		failClosedStep(t, providerConfig(s)+`data "circleci_organizations" "test" {}`,
			"CircleCI Temporarily Unavailable", "asked to wait 24h0m0s", "Run again after")
		if n := s.RequestCount(collabPath); n != 1 {
			t.Errorf("requests = %d, want 1 (a wait beyond the cap fails at once)", n)
		}
	})
	t.Run("port out of range", func(t *testing.T) {
		s := newTestServer(t)
		failClosedStep(t, fmt.Sprintf(`
provider "circleci" {
  api_token = %q
  host      = "https://circleci.example.com:99999"
}
data "circleci_organizations" "test" {}
`, testToken), "Invalid CircleCI Host", "port must be between 1 and 65535")
		if n := s.RequestCount(""); n != 0 {
			t.Errorf("requests = %d, want 0", n)
		}
	})
}
