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

// Client tests of the settings endpoints share postureFixture: project
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
