package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

// TestResolveConfig covers every configuration rule without a CLI: each
// attribute, its environment variables and their order, its default, and
// its invalid and unknown values. The CLI wiring is tested once in
// provider_config_test.go.
func TestResolveConfig(t *testing.T) {
	const (
		tok   = "token-from-config"
		envT  = "token-from-env"
		orgID = "3f1c7b4e-0d2a-4c5e-9b8f-1a2b3c4d5e6f"
	)
	// model is a provider block with only api_token set.
	model := func(edit func(*CircleCIProviderModel)) CircleCIProviderModel {
		m := CircleCIProviderModel{
			APIToken: types.StringValue(tok), Host: types.StringNull(), AppHost: types.StringNull(),
			OrganizationID: types.StringNull(), MaxRetries: types.Int64Null(), RequestTimeout: types.StringNull(),
			MaxConcurrency: types.Int64Null(),
		}
		if edit != nil {
			edit(&m)
		}
		return m
	}
	noToken := func(m *CircleCIProviderModel) { m.APIToken = types.StringNull() }
	defaults := circleci.Config{
		Token: tok, Host: circleci.DefaultHost, MaxRetries: circleci.DefaultMaxRetries,
		RequestTimeout: circleci.DefaultRequestTimeout, MaxConcurrency: circleci.DefaultMaxConcurrency,
	}
	type wantErr struct {
		attr, summary string
		detail        []string
	}
	tests := []struct {
		name    string
		model   CircleCIProviderModel
		env     map[string]string
		want    func(*circleci.Config) // edits the defaults
		wantOrg string
		errs    []wantErr
	}{
		{name: "defaults", model: model(nil)},

		// api_token
		{name: "CIRCLECI_TOKEN", model: model(noToken), env: map[string]string{EnvToken: envT},
			want: func(c *circleci.Config) { c.Token = envT }},
		{name: "CIRCLE_TOKEN", model: model(noToken), env: map[string]string{EnvTokenAlt: envT},
			want: func(c *circleci.Config) { c.Token = envT }},
		{name: "CIRCLECI_TOKEN wins over CIRCLE_TOKEN", model: model(noToken), env: map[string]string{EnvToken: envT, EnvTokenAlt: "other"},
			want: func(c *circleci.Config) { c.Token = envT }},
		{name: "an empty CIRCLECI_TOKEN counts as unset", model: model(noToken), env: map[string]string{EnvToken: "", EnvTokenAlt: envT},
			want: func(c *circleci.Config) { c.Token = envT }},
		{name: "api_token wins over CIRCLECI_TOKEN", model: model(nil), env: map[string]string{EnvToken: envT}},
		{name: "no token", model: model(noToken),
			errs: []wantErr{{"api_token", "Missing CircleCI API Token", []string{"api_token", EnvToken, EnvTokenAlt, "Personal API Tokens"}}}},
		{name: "api_token empty", model: model(func(m *CircleCIProviderModel) { m.APIToken = types.StringValue("") }),
			errs: []wantErr{{"api_token", "Missing CircleCI API Token", nil}}},
		{name: "api_token only whitespace", model: model(func(m *CircleCIProviderModel) { m.APIToken = types.StringValue("   ") }),
			errs: []wantErr{{"api_token", "Invalid CircleCI API Token", []string{"provider's api_token attribute", "empty or only whitespace"}}}},
		{name: "CIRCLECI_TOKEN with a newline", model: model(noToken), env: map[string]string{EnvToken: "abc-canary-token\n"},
			errs: []wantErr{{"api_token", "Invalid CircleCI API Token", []string{"CIRCLECI_TOKEN environment variable", "line break"}}}},

		// host
		{name: "host with /api/v2/", model: model(func(m *CircleCIProviderModel) { m.Host = types.StringValue("https://CircleCI.example.com/api/v2/") }),
			want: func(c *circleci.Config) { c.Host = "https://circleci.example.com" }},
		{name: "host empty is the default", model: model(func(m *CircleCIProviderModel) { m.Host = types.StringValue("") })},
		{name: "CIRCLECI_HOST", model: model(nil), env: map[string]string{EnvHost: "http://127.0.0.1:8080/api/v2"},
			want: func(c *circleci.Config) { c.Host = "http://127.0.0.1:8080" }},
		{name: "CIRCLE_HOST", model: model(nil), env: map[string]string{EnvHostAlt: "https://a.example"},
			want: func(c *circleci.Config) { c.Host = "https://a.example" }},
		{name: "CIRCLECI_HOST wins over CIRCLE_HOST", model: model(nil), env: map[string]string{EnvHost: "https://a.example", EnvHostAlt: "https://b.example"},
			want: func(c *circleci.Config) { c.Host = "https://a.example" }},
		{name: "host wins over CIRCLECI_HOST", model: model(func(m *CircleCIProviderModel) { m.Host = types.StringValue("https://a.example") }),
			env: map[string]string{EnvHost: "https://b.example"}, want: func(c *circleci.Config) { c.Host = "https://a.example" }},
		{name: "host plain http to a remote host", model: model(func(m *CircleCIProviderModel) { m.Host = types.StringValue("http://circleci.example.com") }),
			errs: []wantErr{{"host", "Invalid CircleCI Host", []string{"provider's host attribute", "loopback", "use https://"}}}},
		{name: "host with a path", model: model(func(m *CircleCIProviderModel) { m.Host = types.StringValue("https://circleci.example.com/some/path") }),
			errs: []wantErr{{"host", "Invalid CircleCI Host", []string{"without a path", "https://circleci.example.com."}}}},
		{name: "host with a port out of range", model: model(func(m *CircleCIProviderModel) { m.Host = types.StringValue("https://circleci.example.com:70000") }),
			errs: []wantErr{{"host", "Invalid CircleCI Host", []string{"port must be between 1 and 65535"}}}},
		{name: "host with the default port", model: model(func(m *CircleCIProviderModel) { m.Host = types.StringValue("https://CircleCI.com:443/api/v2") })},
		{name: "CIRCLECI_HOST plain http", model: model(nil), env: map[string]string{EnvHost: "http://circleci.example.com"},
			errs: []wantErr{{"host", "Invalid CircleCI Host", []string{"CIRCLECI_HOST environment variable", "use https://"}}}},

		// app_host
		{name: "app_host", model: model(func(m *CircleCIProviderModel) { m.AppHost = types.StringValue("https://app.example.com/") }),
			want: func(c *circleci.Config) { c.AppHost = "https://app.example.com" }},
		{name: "CIRCLECI_APP_HOST", model: model(nil), env: map[string]string{EnvAppHost: "https://app.example.com"},
			want: func(c *circleci.Config) { c.AppHost = "https://app.example.com" }},
		{name: "app_host plain http", model: model(func(m *CircleCIProviderModel) { m.AppHost = types.StringValue("http://app.example.com") }),
			errs: []wantErr{{"app_host", "Invalid CircleCI App Host", []string{"app host from the provider's app_host attribute", "use https://", circleci.DefaultCloudAppHost}}}},

		// organization_id
		{name: "organization_id", model: model(func(m *CircleCIProviderModel) { m.OrganizationID = types.StringValue(orgID) }), wantOrg: orgID},
		{name: "CIRCLECI_ORG_ID", model: model(nil), env: map[string]string{EnvOrgID: orgID}, wantOrg: orgID},
		{name: "organization_id wins over CIRCLECI_ORG_ID", model: model(func(m *CircleCIProviderModel) { m.OrganizationID = types.StringValue(orgID) }),
			env: map[string]string{EnvOrgID: "99999999-9999-4999-8999-999999999999"}, wantOrg: orgID},
		{name: "CIRCLECI_ORG_ID not a UUID", model: model(nil), env: map[string]string{EnvOrgID: "gh/acme"},
			errs: []wantErr{{"organization_id", "Invalid Organization ID", []string{"CIRCLECI_ORG_ID environment variable", "UUID", "not a name or slug"}}}},

		// max_retries
		{name: "max_retries 0", model: model(func(m *CircleCIProviderModel) { m.MaxRetries = types.Int64Value(0) }),
			want: func(c *circleci.Config) { c.MaxRetries = 0 }},
		{name: "CIRCLECI_MAX_RETRIES with spaces", model: model(nil), env: map[string]string{EnvMaxRetries: " 7 "},
			want: func(c *circleci.Config) { c.MaxRetries = 7 }},
		{name: "blank CIRCLECI_MAX_RETRIES is the default", model: model(nil), env: map[string]string{EnvMaxRetries: "  "}},
		{name: "max_retries wins over CIRCLECI_MAX_RETRIES", model: model(func(m *CircleCIProviderModel) { m.MaxRetries = types.Int64Value(2) }),
			env: map[string]string{EnvMaxRetries: "9"}, want: func(c *circleci.Config) { c.MaxRetries = 2 }},
		{name: "max_retries out of range", model: model(func(m *CircleCIProviderModel) { m.MaxRetries = types.Int64Value(99) }),
			errs: []wantErr{{"max_retries", "Invalid Maximum Retries", []string{"between 0 and 10"}}}},
		{name: "CIRCLECI_MAX_RETRIES not a number", model: model(nil), env: map[string]string{EnvMaxRetries: "lots"},
			errs: []wantErr{{"max_retries", "Invalid Maximum Retries", []string{"CIRCLECI_MAX_RETRIES", "whole number between 0 and 10"}}}},
		{name: "CIRCLECI_MAX_RETRIES out of range", model: model(nil), env: map[string]string{EnvMaxRetries: "11"},
			errs: []wantErr{{"max_retries", "Invalid Maximum Retries", []string{"whole number between 0 and 10"}}}},

		// request_timeout
		{name: "request_timeout", model: model(func(m *CircleCIProviderModel) { m.RequestTimeout = types.StringValue("2m") }),
			want: func(c *circleci.Config) { c.RequestTimeout = 2 * time.Minute }},
		{name: "CIRCLECI_REQUEST_TIMEOUT", model: model(nil), env: map[string]string{EnvRequestTimeout: "45s"},
			want: func(c *circleci.Config) { c.RequestTimeout = 45 * time.Second }},
		{name: "request_timeout not a duration", model: model(func(m *CircleCIProviderModel) { m.RequestTimeout = types.StringValue("soon") }),
			errs: []wantErr{{"request_timeout", "Invalid Request Timeout", []string{"provider's request_timeout attribute", `such as "30s"`}}}},
		{name: "request_timeout too short", model: model(func(m *CircleCIProviderModel) { m.RequestTimeout = types.StringValue("1ms") }),
			errs: []wantErr{{"request_timeout", "Invalid Request Timeout", []string{"between 1s and 10m0s"}}}},
		{name: "CIRCLECI_REQUEST_TIMEOUT without a unit", model: model(nil), env: map[string]string{EnvRequestTimeout: "30"},
			errs: []wantErr{{"request_timeout", "Invalid Request Timeout", []string{"CIRCLECI_REQUEST_TIMEOUT environment variable", `such as "30s"`}}}},

		// max_concurrency
		{name: "max_concurrency", model: model(func(m *CircleCIProviderModel) { m.MaxConcurrency = types.Int64Value(64) }),
			want: func(c *circleci.Config) { c.MaxConcurrency = 64 }},
		{name: "CIRCLECI_MAX_CONCURRENCY", model: model(nil), env: map[string]string{EnvMaxConcurrency: "3"},
			want: func(c *circleci.Config) { c.MaxConcurrency = 3 }},
		{name: "CIRCLECI_MAX_CONCURRENCY 0", model: model(nil), env: map[string]string{EnvMaxConcurrency: "0"},
			errs: []wantErr{{"max_concurrency", "Invalid Maximum Concurrency", []string{"CIRCLECI_MAX_CONCURRENCY", "between 1 and 64"}}}},

		// Every invalid value is reported, not just the first.
		{name: "several errors at once", model: model(noToken),
			env: map[string]string{EnvHost: "ftp://x", EnvMaxRetries: "-1", EnvRequestTimeout: "1h"},
			errs: []wantErr{
				{"api_token", "Missing CircleCI API Token", nil},
				{"host", "Invalid CircleCI Host", []string{`scheme "ftp"`}},
				{"max_retries", "Invalid Maximum Retries", nil},
				{"request_timeout", "Invalid Request Timeout", []string{"between 1s and 10m0s"}},
			}},
	}

	// A value only known after apply, for each attribute: refused with the
	// attribute's environment variable as the way out, before anything else.
	unknowns := []struct {
		attr, env string
		edit      func(*CircleCIProviderModel)
	}{
		{"api_token", EnvToken, func(m *CircleCIProviderModel) { m.APIToken = types.StringUnknown() }},
		{"host", EnvHost, func(m *CircleCIProviderModel) { m.Host = types.StringUnknown() }},
		{"app_host", EnvAppHost, func(m *CircleCIProviderModel) { m.AppHost = types.StringUnknown() }},
		{"organization_id", EnvOrgID, func(m *CircleCIProviderModel) { m.OrganizationID = types.StringUnknown() }},
		{"max_retries", EnvMaxRetries, func(m *CircleCIProviderModel) { m.MaxRetries = types.Int64Unknown() }},
		{"request_timeout", EnvRequestTimeout, func(m *CircleCIProviderModel) { m.RequestTimeout = types.StringUnknown() }},
		{"max_concurrency", EnvMaxConcurrency, func(m *CircleCIProviderModel) { m.MaxConcurrency = types.Int64Unknown() }},
	}
	for _, u := range unknowns {
		tests = append(tests, struct {
			name    string
			model   CircleCIProviderModel
			env     map[string]string
			want    func(*circleci.Config)
			wantOrg string
			errs    []wantErr
		}{
			name: u.attr + " unknown", model: model(u.edit),
			// A bad environment value is not looked at: the unknown value stops first.
			env:  map[string]string{EnvMaxRetries: "lots"},
			errs: []wantErr{{u.attr, "Unknown CircleCI Provider Setting: " + u.attr, []string{"only known after apply", u.env}}},
		})
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lookupEnv := func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }
			cfg, org, diags := resolveConfig(tc.model, lookupEnv)

			for _, d := range diags {
				for _, secret := range []string{tok, envT, "abc-canary-token"} {
					if strings.Contains(d.Summary()+d.Detail(), secret) {
						t.Errorf("a diagnostic quotes the token: %s: %s", d.Summary(), d.Detail())
					}
				}
			}
			if len(tc.errs) > 0 {
				assertAttributeErrors(t, diags, len(tc.errs))
				for i, w := range tc.errs {
					if i >= len(diags) {
						break
					}
					d := diags[i]
					if got := diagPath(d); got != w.attr || d.Summary() != w.summary {
						t.Errorf("error %d: %s %q, want %s %q", i, got, d.Summary(), w.attr, w.summary)
					}
					for _, part := range w.detail {
						if !strings.Contains(d.Detail(), part) {
							t.Errorf("error %d (%s): detail %q lacks %q", i, d.Summary(), d.Detail(), part)
						}
					}
				}
				return
			}
			if diags.HasError() || len(diags) > 0 {
				t.Fatalf("unexpected diagnostics: %v", diags)
			}
			want := defaults
			if tc.want != nil {
				tc.want(&want)
			}
			if cfg.Token != want.Token || cfg.Host != want.Host || cfg.AppHost != want.AppHost || cfg.MaxRetries != want.MaxRetries ||
				cfg.RequestTimeout != want.RequestTimeout || cfg.MaxConcurrency != want.MaxConcurrency {
				t.Errorf("config = %+v\nwant     %+v", cfg, want)
			}
			if org != tc.wantOrg {
				t.Errorf("organization = %q, want %q", org, tc.wantOrg)
			}
		})
	}
}

func assertAttributeErrors(t *testing.T, diags diag.Diagnostics, n int) {
	t.Helper()
	if diags.ErrorsCount() != n || len(diags) != n {
		for _, d := range diags {
			t.Logf("%s [%s]: %s: %s", d.Severity(), diagPath(d), d.Summary(), d.Detail())
		}
		t.Fatalf("%d diagnostics (%d errors), want %d errors", len(diags), diags.ErrorsCount(), n)
	}
}

// diagPath is the attribute a diagnostic points at, "" for none.
func diagPath(d diag.Diagnostic) string {
	if p, ok := d.(diag.DiagnosticWithPath); ok {
		return p.Path().String()
	}
	return ""
}
