package provider

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
	"github.com/circleci-access/terraform-provider-circleci/internal/validators"
)

// Environment variables read when an attribute is not set in configuration.
const (
	EnvToken          = "CIRCLECI_TOKEN"
	EnvTokenAlt       = "CIRCLE_TOKEN"
	EnvHost           = "CIRCLECI_HOST"
	EnvHostAlt        = "CIRCLE_HOST"
	EnvAppHost        = "CIRCLECI_APP_HOST"
	EnvOrgID          = "CIRCLECI_ORG_ID"
	EnvMaxRetries     = "CIRCLECI_MAX_RETRIES"
	EnvRequestTimeout = "CIRCLECI_REQUEST_TIMEOUT"
	EnvMaxConcurrency = "CIRCLECI_MAX_CONCURRENCY"
)

const (
	minRequestTimeout = 1 * time.Second
	maxRequestTimeout = 10 * time.Minute
	maxMaxRetries     = 10
	maxMaxConcurrency = 64
)

// resolveConfig turns the provider block and the environment (lookupEnv,
// os.LookupEnv in the provider) into the client's configuration and the
// default organization, in the order the house style sets: refuse unknown
// values, then each setting from its attribute, else its environment
// variables, else its default, each checked. It reads nothing else, so every
// rule is table-tested without a CLI (config_test.go). The returned
// configuration has no UserAgent or Logger; Configure adds them.
func resolveConfig(m CircleCIProviderModel, lookupEnv func(string) (string, bool)) (circleci.Config, string, diag.Diagnostics) {
	var diags diag.Diagnostics
	r := resolver{lookupEnv: lookupEnv, diags: &diags}

	for _, u := range []struct {
		unknown   bool
		attr, env string
	}{
		{m.APIToken.IsUnknown(), "api_token", EnvToken},
		{m.Host.IsUnknown(), "host", EnvHost},
		{m.AppHost.IsUnknown(), "app_host", EnvAppHost},
		{m.OrganizationID.IsUnknown(), "organization_id", EnvOrgID},
		{m.MaxRetries.IsUnknown(), "max_retries", EnvMaxRetries},
		{m.RequestTimeout.IsUnknown(), "request_timeout", EnvRequestTimeout},
		{m.MaxConcurrency.IsUnknown(), "max_concurrency", EnvMaxConcurrency},
	} {
		if u.unknown {
			summary, detail := unknownValueError(u.attr, u.env)
			diags.AddAttributeError(path.Root(u.attr), summary, detail)
		}
	}
	if diags.HasError() {
		return circleci.Config{}, "", diags
	}

	cfg := circleci.Config{
		Token:          r.token(m.APIToken),
		Host:           r.host(m.Host, "host", "Invalid CircleCI Host", circleci.DefaultHost, EnvHost, EnvHostAlt),
		AppHost:        r.host(m.AppHost, "app_host", "Invalid CircleCI App Host", "", EnvAppHost),
		MaxRetries:     int(r.int64(m.MaxRetries, EnvMaxRetries, "max_retries", "Invalid Maximum Retries", circleci.DefaultMaxRetries, 0, maxMaxRetries)),
		RequestTimeout: r.duration(m.RequestTimeout),
		MaxConcurrency: int(r.int64(m.MaxConcurrency, EnvMaxConcurrency, "max_concurrency", "Invalid Maximum Concurrency", circleci.DefaultMaxConcurrency, 1, maxMaxConcurrency)),
	}
	orgID := r.orgID(m.OrganizationID)
	if diags.HasError() {
		return circleci.Config{}, "", diags
	}
	return cfg, orgID, diags
}

// unknownValueError is the error for a provider attribute only known after apply.
func unknownValueError(attr, envVar string) (string, string) {
	return "Unknown CircleCI Provider Setting: " + attr,
		fmt.Sprintf("The provider cannot be configured because %q depends on a value that is only known after apply. "+
			"Set it to a value known at plan time, apply its source first (-target), or unset it and use the %s environment variable.",
			attr, envVar)
}

// resolver resolves one setting at a time, adding an attribute error for
// each unusable value.
type resolver struct {
	lookupEnv func(string) (string, bool)
	diags     *diag.Diagnostics
}

// setting is a configuration value and where it came from.
type setting struct {
	value string
	env   string // the environment variable it came from, "" for configuration
}

func (s setting) source(attr string) string {
	if s.env != "" {
		return "the " + s.env + " environment variable"
	}
	return "the provider's " + attr + " attribute"
}

// str returns the configured value, or else the first non-empty
// environment variable among envs.
func (r resolver) str(v types.String, envs ...string) setting {
	if !v.IsNull() {
		return setting{value: v.ValueString()}
	}
	for _, e := range envs {
		if val, ok := r.lookupEnv(e); ok && val != "" {
			return setting{value: val, env: e}
		}
	}
	return setting{}
}

func (r resolver) token(v types.String) string {
	s := r.str(v, EnvToken, EnvTokenAlt)
	if s.value == "" {
		r.diags.AddAttributeError(path.Root("api_token"), "Missing CircleCI API Token",
			"The provider needs a CircleCI personal API token. Set api_token in the provider block, or the "+
				EnvToken+" or "+EnvTokenAlt+" environment variable. Create one in CircleCI under User Settings → Personal API Tokens.")
		return ""
	}
	if err := circleci.ValidateToken(s.value); err != nil {
		r.diags.AddAttributeError(path.Root("api_token"), "Invalid CircleCI API Token",
			fmt.Sprintf("The API token from %s is not usable: %s. Copy the token again from CircleCI (User Settings → Personal API Tokens).",
				s.source("api_token"), err))
	}
	return s.value
}

// host returns the normalised origin (circleci.NormalizeHost), def when
// nothing is set.
func (r resolver) host(v types.String, attr, summary, def string, envs ...string) string {
	s := r.str(v, envs...)
	if s.value == "" {
		return def
	}
	norm, err := circleci.NormalizeHost(s.value)
	if err != nil {
		example := circleci.DefaultHost + " or https://circleci.example.com"
		if attr == "app_host" {
			example = circleci.DefaultCloudAppHost
		}
		r.diags.AddAttributeError(path.Root(attr), summary,
			fmt.Sprintf("The %s from %s is not usable: %s. Use an origin such as %s.",
				strings.ReplaceAll(attr, "_", " "), s.source(attr), err, example))
	}
	return norm
}

func (r resolver) orgID(v types.String) string {
	s := r.str(v, EnvOrgID)
	if s.value != "" && !validators.IsUUID(s.value) {
		r.diags.AddAttributeError(path.Root("organization_id"), "Invalid Organization ID",
			fmt.Sprintf("The organization ID from %s must be a UUID such as 3f1c7b4e-0d2a-4c5e-9b8f-1a2b3c4d5e6f, not a name or slug.",
				s.source("organization_id")))
	}
	return s.value
}

func (r resolver) duration(v types.String) time.Duration {
	s := r.str(v, EnvRequestTimeout)
	if s.value == "" {
		return circleci.DefaultRequestTimeout
	}
	if msg := validators.CheckDuration(s.value, minRequestTimeout, maxRequestTimeout); msg != "" {
		r.diags.AddAttributeError(path.Root("request_timeout"), "Invalid Request Timeout",
			"The request timeout from "+s.source("request_timeout")+" is not usable. "+msg)
		return circleci.DefaultRequestTimeout
	}
	d, _ := time.ParseDuration(s.value) // checked just above
	return d
}

// int64 returns the configured value, else the environment variable's
// (blank counts as unset), else def.
func (r resolver) int64(v types.Int64, env, attr, summary string, def, lo, hi int64) int64 {
	if !v.IsNull() {
		n := v.ValueInt64()
		if n < lo || n > hi { // the schema's validator has said so already
			r.diags.AddAttributeError(path.Root(attr), summary, fmt.Sprintf("The %s attribute must be between %d and %d.", attr, lo, hi))
		}
		return n
	}
	raw, ok := r.lookupEnv(env)
	if !ok || strings.TrimSpace(raw) == "" {
		return def
	}
	n, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	if err != nil || n < lo || n > hi {
		r.diags.AddAttributeError(path.Root(attr), summary,
			fmt.Sprintf("The %s environment variable must be a whole number between %d and %d.", env, lo, hi))
		return def
	}
	return n
}
