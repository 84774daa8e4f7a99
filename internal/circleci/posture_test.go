package circleci

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// Client tests of the organization and project settings endpoints: project
// settings, OIDC claims, webhooks, audit-log streams, SSO enforcement.

const (
	pProject = "2c000000-0000-4000-8000-0000000000a1"
	pOther   = "2c000000-0000-4000-8000-0000000000a2"
	pSlug    = "gh/acme/api"
	// urlCanary is a webhook URL's path and query; secretCanary a signing
	// secret: neither may reach a value the client returns or an error.
	urlCanary    = "/services/T0/B0/url-canary-9d2e?token=query-canary-5c1a"
	secretCanary = "signing-secret-canary-7e3f"
)

func postureFixture() *fakeapi.Fixture {
	fx := fakeapi.DemoFixture()
	fx.PageSize = 2
	fx.Projects = map[string][]fakeapi.Project{testOrg: {
		{ID: pProject, Slug: pSlug, Name: "api"},
		{ID: pOther, Slug: "circleci/" + testOrg + "/" + pOther, Name: "other"},
	}}
	fx.Members = map[string][]fakeapi.RoleGrant{testOrg: grants(1)}
	fx.ProjectSettings = map[string]fakeapi.ProjectSettings{
		pProject: {BuildForkPRs: true, ForksReceiveSecretEnvVars: true, WriteSettingsRequiresAdmin: true, PROnlyBranchOverrides: []string{"release", "main"}},
	}
	fx.OrgOIDC = map[string]fakeapi.OIDCClaims{testOrg: {Audience: []string{"sts.amazonaws.com", "b"}, TTL: "1h"}}
	fx.Webhooks = map[string][]fakeapi.Webhook{pProject: {
		{ID: "2c000000-0000-4000-8000-0000000000b1", Name: "relay", URL: "https://Hooks.Example.com:8443" + urlCanary, Events: []string{"workflow-completed", "job-completed"}, VerifyTLS: true, SigningSecret: secretCanary},
		{ID: "2c000000-0000-4000-8000-0000000000b2", Name: "plain", URL: "http://user:pw@plain.example" + urlCanary, Events: []string{}},
		{ID: "2c000000-0000-4000-8000-0000000000b3", Name: "third", URL: "https://third.example/x", Events: []string{"job-completed"}, SigningSecret: "****"},
	}}
	fx.AuditLogConfigs = map[string][]fakeapi.AuditLogConfig{testOrg: {
		{ID: "2c000000-0000-4000-8000-0000000000c1", TargetType: "S3", ConnectionStatus: "CONNECTED",
			Config: map[string]string{"bucket_name": "audit", "arn": "arn:aws:iam::123:role/x", "secret_access_key": secretCanary}},
	}}
	fx.SSOEnforced = map[string]bool{testOrg: true}
	return fx
}

func TestProjectSettings(t *testing.T) {
	s := newFake(t, postureFixture())
	c := newTestClient(t, s.URL())
	got, err := c.ProjectSettings(context.Background(), pSlug)
	if err != nil {
		t.Fatal(err)
	}
	if !got.BuildForkPRs || !got.ForksReceiveSecretEnvVars || !got.WriteSettingsRequiresAdmin || got.OSS ||
		!slices.Equal(got.PROnlyBranchOverrides, []string{"main", "release"}) || len(got.Other) != 0 {
		t.Errorf("got %+v", got)
	}
	if _, err := c.ProjectSettings(context.Background(), pSlug); err != nil {
		t.Fatal(err)
	}
	if n := s.RequestCount(fakeapi.ProjectSettingsPath(pSlug)); n != 1 {
		t.Errorf("%d requests, want 1 (memoized)", n)
	}
	var ae *APIError
	if _, err := c.ProjectSettings(context.Background(), "circleci/"+testOrg+"/"+pOther); !errors.As(err, &ae) || ae.StatusCode != http.StatusNotFound {
		t.Errorf("a project without settings: %v, want the 404", err)
	}
}

func TestProjectSettingsFailClosed(t *testing.T) {
	all := `"autocancel_builds":false,"build_fork_prs":true,"build_prs_only":false,"disable_ssh":false,` +
		`"forks_receive_secret_env_vars":true,"oss":false,"set_github_status":true,"setup_workflows":true,"write_settings_requires_admin":false`
	for _, tc := range []struct {
		name, body, want string
		other            map[string]bool
	}{
		{"a new boolean setting is kept", `{"advanced":{` + all + `,"pr_only_branch_overrides":null,"enable_x":true}}`, "", map[string]bool{"enable_x": true}},
		{"no advanced block", `{}`, `no "advanced"`, nil},
		{"advanced is null", `{"advanced":null}`, `no "advanced"`, nil},
		{"a setting missing", `{"advanced":{` + strings.Replace(all, `"oss":false,`, "", 1) + `,"pr_only_branch_overrides":[]}}`, `advanced has no "oss"`, nil},
		{"a setting null", `{"advanced":{` + strings.Replace(all, `"oss":false`, `"oss":null`, 1) + `,"pr_only_branch_overrides":[]}}`, `advanced.oss: is JSON null`, nil},
		{"a setting as a string", `{"advanced":{` + strings.Replace(all, `"oss":false`, `"oss":"false"`, 1) + `,"pr_only_branch_overrides":[]}}`, `advanced.oss: is JSON string`, nil},
		{"no branch overrides", `{"advanced":{` + all + `}}`, `no "pr_only_branch_overrides"`, nil},
		{"a null branch", `{"advanced":{` + all + `,"pr_only_branch_overrides":["main",null]}}`, `not a list of strings`, nil},
		{"a new setting that is not a boolean", `{"advanced":{` + all + `,"pr_only_branch_overrides":[],"level":3}}`, `advanced.level, a setting the provider does not know`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newFake(t, postureFixture())
			s.Inject(fakeapi.Fault{Path: fakeapi.ProjectSettingsPath(pSlug), Status: 200, Body: tc.body})
			got, err := newTestClient(t, s.URL()).ProjectSettings(context.Background(), pSlug)
			if tc.want == "" {
				if err != nil || !maps.Equal(got.Other, tc.other) || len(got.PROnlyBranchOverrides) != 0 || got.PROnlyBranchOverrides == nil {
					t.Errorf("got %+v, %v", got, err)
				}
				return
			}
			var de *DecodeError
			if !errors.As(err, &de) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "/settings") {
				t.Errorf("error %v; want a DecodeError naming the endpoint and %q", err, tc.want)
			}
		})
	}
}

func TestOIDCClaims(t *testing.T) {
	s := newFake(t, postureFixture())
	c := newTestClient(t, s.URL())
	org, err := c.OrgOIDCClaims(context.Background(), testOrg)
	if err != nil || !slices.Equal(org.Audience, []string{"sts.amazonaws.com", "b"}) || org.TTL != "1h" {
		t.Errorf("org claims %+v, %v", org, err)
	}
	p, err := c.ProjectOIDCClaims(context.Background(), testOrg, pProject)
	if err != nil || p.Audience != nil || p.TTL != "" {
		t.Errorf("project claims not customised: %+v, %v; want nil audience and empty ttl", p, err)
	}
	s.Inject(fakeapi.Fault{Path: fakeapi.ProjectOIDCClaimsPath(testOrg, pOther), Status: 200, Body: `{"org_id":"` + testOrg + `","ttl":"5m"}`})
	if p, err := c.ProjectOIDCClaims(context.Background(), testOrg, pOther); err != nil || p.TTL != "5m" {
		t.Errorf("claims without project_id (only org_id is required): %+v, %v", p, err)
	}
	for _, tc := range []struct{ name, body, want string }{
		{"no org_id", `{"audience":["a"]}`, `no "org_id"`},
		{"another project's claims", `{"org_id":"` + testOrg + `","project_id":"` + pProject + `","ttl":"1h"}`, `not the project asked for`},
		{"audience not a list", `{"org_id":"` + testOrg + `","project_id":"` + pOther + `","audience":"a"}`, "wrong type"},
		{"a null audience entry", `{"org_id":"` + testOrg + `","project_id":"` + pOther + `","audience":[null]}`, "holds a null"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.Inject(fakeapi.Fault{Path: fakeapi.ProjectOIDCClaimsPath(testOrg, pOther), Status: 200, Body: tc.body})
			_, err := newTestClient(t, s.URL()).ProjectOIDCClaims(context.Background(), testOrg, pOther)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "oidc-custom-claims") {
				t.Errorf("error %v; want one naming the endpoint and %q", err, tc.want)
			}
		})
	}
}

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

func TestAuditLogStreamsAndSSO(t *testing.T) {
	s := newFake(t, postureFixture())
	c := newTestClient(t, s.URL())
	got, err := c.AuditLogStreams(context.Background(), testOrg)
	if err != nil || len(got) != 1 || got[0] != (AuditLogStream{ID: "2c000000-0000-4000-8000-0000000000c1", TargetType: "S3", ConnectionStatus: "CONNECTED", Bucket: "audit"}) {
		t.Errorf("got %+v, %v", got, err)
	}
	s.Inject(fakeapi.Fault{Path: fakeapi.AuditLogConfigsPath(testOrg), Status: 200,
		Body: `{"items":[{"id":"x","target_type":"S3","connection_status":"CONNECTED","config":{"secret_access_key":"` + secretCanary + `"}}]}`})
	c2 := newTestClient(t, s.URL())
	if _, err := c2.AuditLogStreams(context.Background(), testOrg); err == nil || !strings.Contains(err.Error(), `no "is_disabled"`) || strings.Contains(err.Error(), secretCanary) {
		t.Errorf("error %v; want one about is_disabled without the config", err)
	}
	on, err := c.SSOEnforced(context.Background(), testOrg)
	if err != nil || !on {
		t.Errorf("sso %v, %v; want enforced", on, err)
	}
	s.Inject(fakeapi.Fault{Path: fakeapi.SSOEnforcedPath(testOrg), Status: 200, Body: `{"id":"` + testOrg + `","enforced":null}`})
	if _, err := c2.SSOEnforced(context.Background(), testOrg); err == nil || !strings.Contains(err.Error(), `no boolean "enforced"`) || !strings.Contains(err.Error(), "/sso/enforced") {
		t.Errorf("error %v; want one naming the endpoint", err)
	}
	var ae *APIError
	if _, err := c.SSOEnforced(context.Background(), "3b1f0a52-0000-4000-8000-000000000000"); !errors.As(err, &ae) || ae.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown org: %v, want 404", err)
	}
}
