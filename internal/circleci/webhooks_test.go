package circleci

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

func TestProjectWebhooksKeepNoSecret(t *testing.T) {
	s := newFake(t, postureFixture())
	c := newTestClient(t, s.URL())
	got, err := c.ProjectWebhooks(context.Background(), pProject)
	if err != nil {
		t.Fatal(err)
	}
	want := []Webhook{
		{ID: "2c000000-0000-4000-8000-0000000000b1", Name: "relay", Events: []string{"job-completed", "workflow-completed"}, VerifyTLS: true, HasSigningSecret: true, URLScheme: "https", URLHost: "hooks.example.com:8443"},
		{ID: "2c000000-0000-4000-8000-0000000000b2", Name: "plain", Events: []string{}, URLScheme: "http", URLHost: "plain.example"},
		{ID: "2c000000-0000-4000-8000-0000000000b3", Name: "third", Events: []string{"job-completed"}, HasSigningSecret: true, URLScheme: "https", URLHost: "third.example"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if g, w := got[i], want[i]; g.ID != w.ID || g.Name != w.Name || !slices.Equal(g.Events, w.Events) || g.VerifyTLS != w.VerifyTLS ||
			g.HasSigningSecret != w.HasSigningSecret || g.URLScheme != w.URLScheme || g.URLHost != w.URLHost {
			t.Errorf("webhook %d = %+v, want %+v", i, g, w)
		}
	}
	if n := s.RequestCount(fakeapi.PathWebhooks); n != 2 {
		t.Errorf("%d requests, want 2 (two pages)", n)
	}
}

func TestProjectWebhooksFailClosed(t *testing.T) {
	item := func(kv string) string {
		return `{"items":[{"id":"2c000000-0000-4000-8000-0000000000b9","name":"x","url":"https://h.example` + urlCanary + `","events":["job-completed"]` + kv + `}],"next_page_token":null}`
	}
	for _, tc := range []struct {
		name, body, want string
		status, skip     int
	}{
		{"kebab-case keys are read", item(`,"verify-tls":false,"signing-secret":""`), "", 200, 0},
		{"no verify_tls", item(`,"signing_secret":""`), `no "verify_tls" (or "verify-tls")`, 200, 0},
		{"both spellings", item(`,"verify_tls":true,"verify-tls":true,"signing_secret":""`), `both "verify_tls" and "verify-tls"`, 200, 0},
		{"verify_tls as a string", item(`,"verify_tls":"yes","signing_secret":""`), "wrong type", 200, 0},
		{"no signing secret", item(`,"verify_tls":true`), `no "signing_secret"`, 200, 0},
		{"a url without a host", strings.Replace(item(`,"verify_tls":true,"signing_secret":"`+secretCanary+`"`), "https://h.example", "mailto:", 1), "not an absolute http(s) URL", 200, 0},
		{"malformed JSON on page 1", strings.TrimSuffix(item(`,"verify_tls":true,"signing_secret":"`+secretCanary+`"`), "}") + "]", "malformed JSON", 200, 0},
		{"page 2 fails", `{"message":"Internal server error."}`, "(page 2)", 500, 1},
		{"403 on page 1", `{"message":"Permission denied."}`, "unexpected 403", 403, 0},
		{"400 not supported for this project", `{"message":"This API is not supported for this project."}`, "not supported for this project", 400, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newFake(t, postureFixture())
			s.Inject(fakeapi.Fault{Path: fakeapi.PathWebhooks, Skip: tc.skip, Times: -1, Status: tc.status, Body: tc.body})
			got, err := newTestClient(t, s.URL(), func(c *Config) { c.MaxRetries = 0 }).ProjectWebhooks(context.Background(), pProject)
			if tc.want == "" {
				if err != nil || len(got) != 1 || got[0].VerifyTLS || got[0].HasSigningSecret {
					t.Errorf("got %+v, %v", got, err)
				}
				return
			}
			if err == nil || got != nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), fakeapi.PathWebhooks) {
				t.Fatalf("got %v, %v; want an error naming the endpoint and %q", got, err, tc.want)
			}
			for _, canary := range []string{"url-canary", "query-canary", secretCanary} {
				if strings.Contains(err.Error(), canary) {
					t.Errorf("the error holds %q: %v", canary, err)
				}
			}
		})
	}
}
