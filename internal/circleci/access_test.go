package circleci

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

const (
	accGroupA   = "9a000000-0000-4000-8000-000000000001"
	accGroupB   = "9a000000-0000-4000-8000-000000000002"
	accCtxSmall = "c0000000-0000-4000-8000-000000000001"
	accCtxBig   = "c0000000-0000-4000-8000-000000000002" // 150 names, token honoured
	accCtxStuck = "c0000000-0000-4000-8000-000000000003" // 150 names, token ignored
	accOAuthOrg = "aa0db185-cf50-4dff-9bca-ea41bd02079a" // the demo's gh/acme
	tvCanary    = "tv-canary-client-0c4f"
)

func envVars(n int) []fakeapi.EnvVar {
	out := make([]fakeapi.EnvVar, n)
	for i := range out {
		out[i] = fakeapi.EnvVar{Variable: fmt.Sprintf("V%03d", i), TruncatedValue: tvCanary}
	}
	return out
}

// accessFixture: testOrg with two groups, three contexts over two pages.
func accessFixture() *fakeapi.Fixture {
	fx := pagedFixture(3, 2)
	n := func(s string) *string { return &s }
	fx.Groups = map[string][]fakeapi.Group{testOrg: {
		{ID: accGroupA, Name: "a", Members: []fakeapi.GroupMember{{UserID: "00000000-0000-4000-8000-000000000001", Username: "user1"}}},
		{ID: accGroupB, Name: "b", Description: "bee"},
	}}
	fx.Contexts = map[string][]fakeapi.Context{testOrg: {
		{ID: accCtxSmall, Name: "small", EnvVars: envVars(2), Restrictions: []fakeapi.Restriction{
			{ID: "e0000000-0000-4000-8000-000000000001", Type: "group", Value: accGroupA, Name: n("a")},
			{ID: "e0000000-0000-4000-8000-000000000002", Type: "expression", Value: "true", Name: n("")},
		}},
		{ID: accCtxBig, Name: "big", EnvVars: envVars(150)},
		{ID: accCtxStuck, Name: "stuck", EnvVars: envVars(150), IgnorePageToken: true},
	}}
	return fx
}

func TestAccessListingsFailClosed(t *testing.T) {
	tests := []struct {
		name  string
		fault fakeapi.Fault
		call  func(*Client) error
		want  string
	}{
		{"variables page 2 fails", fakeapi.Fault{Path: fakeapi.ContextEnvVarsPath(accCtxBig), Skip: 1, Times: -1, Status: 500, Body: `{"message":"Internal server error."}`},
			func(c *Client) error { _, err := c.ContextEnvVarNames(context.Background(), accCtxBig); return err }, "page 2"},
		{"variables repeat a token with other names", fakeapi.Fault{Path: fakeapi.ContextEnvVarsPath(accCtxBig), Skip: 1, Status: 200,
			Body: `{"items":[{"variable":"OTHER","context_id":"` + accCtxBig + `"}],"next_page_token":"` + "x" + `"}`},
			func(c *Client) error { _, err := c.ContextEnvVarNames(context.Background(), accCtxBig); return err }, ""},
		{"variable without a name", fakeapi.Fault{Path: fakeapi.ContextEnvVarsPath(accCtxSmall), Status: 200, Body: `{"items":[{"truncated_value":"xxxx` + tvCanary + `"}],"next_page_token":null}`},
			func(c *Client) error { _, err := c.ContextEnvVarNames(context.Background(), accCtxSmall); return err }, "no name"},
		{"malformed variables", fakeapi.Fault{Path: fakeapi.ContextEnvVarsPath(accCtxSmall), Status: 200, Body: `{"items":[{"variable":"A","truncated_value":"xxxx` + tvCanary + `"}}`},
			func(c *Client) error { _, err := c.ContextEnvVarNames(context.Background(), accCtxSmall); return err }, "malformed JSON"},
		{"restriction without a type", fakeapi.Fault{Path: fakeapi.ContextRestrictionsPath(accCtxSmall), Status: 200, Body: `{"items":[{"id":"e0000000-0000-4000-8000-000000000001","restriction_value":"x"}]}`},
			func(c *Client) error { _, err := c.ContextRestrictions(context.Background(), accCtxSmall); return err }, "no restriction_type"},
		{"context without an id", fakeapi.Fault{Path: fakeapi.PathContexts, Status: 200, Body: `{"items":[{"name":"x","created_at":"2024-01-01T00:00:00Z"}],"next_page_token":null}`},
			func(c *Client) error { _, err := c.Contexts(context.Background(), testOrg); return err }, "no UUID id"},
		{"contexts page 2 fails", fakeapi.Fault{Path: fakeapi.PathContexts, Skip: 1, Times: -1, Status: 403, Body: `{"message":"Permission denied."}`},
			func(c *Client) error { _, err := c.Contexts(context.Background(), testOrg); return err }, "403"},
		{"group with a non-UUID id", fakeapi.Fault{Path: fakeapi.GroupsPath(testOrg), Status: 200, Body: `{"items":[{"id":"g1","name":"x"}],"next_page_token":null}`},
			func(c *Client) error { _, err := c.Groups(context.Background(), testOrg); return err }, "no UUID id"},
		{"group member with userId", fakeapi.Fault{Path: fakeapi.GroupMembersPath(testOrg, accGroupA), Status: 200, Body: `{"items":[{"userId":"00000000-0000-4000-8000-000000000001","username":"u"}]}`},
			func(c *Client) error { _, err := c.GroupMembers(context.Background(), testOrg, accGroupA); return err }, "no UUID user_id"},
		{"group members 404", fakeapi.Fault{Path: fakeapi.GroupMembersPath(testOrg, accGroupB), Status: 404, Body: `{"message":"Not found."}`},
			func(c *Client) error {
				_, err := c.AllGroupMembers(context.Background(), testOrg, []string{accGroupA, accGroupB})
				return err
			}, "404"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newFake(t, accessFixture())
			s.Inject(tc.fault)
			c := newTestClient(t, s.URL(), func(cfg *Config) { cfg.MaxRetries = 0 })
			err := tc.call(c)
			if err == nil {
				t.Fatal("no error: a listing CircleCI did not fully answer was accepted")
			}
			var inc *IncompleteListingError
			if errors.As(err, &inc) {
				t.Fatalf("reported as the tolerated quirk: %v", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
			if strings.Contains(err.Error(), tvCanary) {
				t.Errorf("error contains the truncated_value: %v", err)
			}
		})
	}
}

func TestAccessFanOutIsBounded(t *testing.T) {
	fx := accessFixture()
	ids := make([]string, 30)
	for i := range ids {
		ids[i] = fmt.Sprintf("c1000000-0000-4000-8000-%012d", i)
		fx.Contexts[testOrg] = append(fx.Contexts[testOrg], fakeapi.Context{ID: ids[i], Name: fmt.Sprintf("ctx%d", i), EnvVars: envVars(1)})
	}
	fake, counter, url := newCountingFake(t, fx, 5*time.Millisecond)
	c := newTestClient(t, url, func(cfg *Config) { cfg.MaxConcurrency = 3 })
	var wg sync.WaitGroup
	for range 2 { // two reads at once share the bound and the requests
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.AllContextDetails(context.Background(), ids, true); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if p := counter.peak.Load(); p > 3 || p < 2 {
		t.Errorf("%d requests in flight at peak, want 2..3 (MaxConcurrency = 3)", p)
	}
	if n := fake.RequestCount(""); n != 2*len(ids) {
		t.Errorf("%d requests, want exactly %d (restrictions and variables of each context, once)", n, 2*len(ids))
	}
}
