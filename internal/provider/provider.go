// Package provider implements the circleci Terraform/OpenTofu provider: its
// configuration and its data sources. HTTP lives in internal/circleci.
package provider

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

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

var _ provider.Provider = (*CircleCIProvider)(nil)

// CircleCIProvider is the provider implementation.
type CircleCIProvider struct {
	version string
}

// CircleCIProviderModel is the provider configuration.
type CircleCIProviderModel struct {
	APIToken       types.String `tfsdk:"api_token"`
	Host           types.String `tfsdk:"host"`
	AppHost        types.String `tfsdk:"app_host"`
	OrganizationID types.String `tfsdk:"organization_id"`
	MaxRetries     types.Int64  `tfsdk:"max_retries"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
	MaxConcurrency types.Int64  `tfsdk:"max_concurrency"`
}

// providerData is what Configure hands to every data source: one shared
// client, and what the data sources need besides it.
type providerData struct {
	client         *circleci.Client
	organizationID string
	// token is kept only to mask it in logs written with a read's context.
	token string
}

// New returns the provider factory; version is set by ldflags at release
// and is "test" in tests.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &CircleCIProvider{version: version} }
}

func (p *CircleCIProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "circleci"
	resp.Version = p.version
}

func (p *CircleCIProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads who has access to a CircleCI organization, and at what level. " +
			"The provider is read-only: it has data sources and no resources.",
		Attributes: map[string]schema.Attribute{
			"api_token": schema.StringAttribute{
				MarkdownDescription: "A CircleCI **personal** API token (User Settings → Personal API Tokens), sent in the " +
					"`Circle-Token` header. Project and organization tokens cannot read organization members. " +
					"Falls back to the `" + EnvToken + "` environment variable, then `" + EnvTokenAlt + "`.",
				Optional:  true,
				Sensitive: true,
			},
			"host": schema.StringAttribute{
				MarkdownDescription: "Origin of the CircleCI API, e.g. `https://circleci.example.com` for CircleCI Server. " +
					"A trailing `/api/v2` is accepted and removed, as are the default port and a trailing dot; a port must be 1–65535. " +
					"Plain `http://` is accepted only for loopback hosts. " +
					"Falls back to `" + EnvHost + "`, then `" + EnvHostAlt + "`. Default: `" + circleci.DefaultHost + "`.",
				Optional: true,
			},
			"app_host": schema.StringAttribute{
				MarkdownDescription: "Origin of the endpoint that lists organization members (served by CircleCI's web app). " +
					"Falls back to `" + EnvAppHost + "`. Default: `" + circleci.DefaultCloudAppHost + "` when `host` is `" +
					circleci.DefaultHost + "`, otherwise the same as `host` (CircleCI Server serves both).",
				Optional: true,
			},
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "Default organization (a UUID) for organization-scoped data sources such as " +
					"`circleci_org_members`. Falls back to `" + EnvOrgID + "`.",
				Optional:   true,
				Validators: []validator.String{validators.UUID()},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a request is retried after a connection error, a 429 "+
					"or a 500/502/503/504, with exponential backoff; `0` disables retries. Between 0 and %d. "+
					"Falls back to `%s`. Default: `%d`.", maxMaxRetries, EnvMaxRetries, circleci.DefaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, maxMaxRetries)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Time limit for each attempt of a request, body included, as a duration "+
					"such as `\"30s\"` or `\"2m\"`, between %s and %s. Falls back to `%s`. Default: `\"%s\"`.",
					minRequestTimeout, maxRequestTimeout, EnvRequestTimeout, circleci.DefaultRequestTimeout),
				Optional:   true,
				Validators: []validator.String{validators.Duration(minRequestTimeout, maxRequestTimeout)},
			},
			"max_concurrency": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("The most per-user requests (`include_user_details`) in flight at once, "+
					"across all data sources. Between 1 and %d. Falls back to `%s`. Default: `%d`.",
					maxMaxConcurrency, EnvMaxConcurrency, circleci.DefaultMaxConcurrency),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(1, maxMaxConcurrency)},
			},
		},
	}
}

// unknownValueError is the error for a provider attribute only known after apply.
func unknownValueError(attr, envVar string) (string, string) {
	return "Unknown CircleCI Provider Setting: " + attr,
		fmt.Sprintf("The provider cannot be configured because %q depends on a value that is only known after apply. "+
			"Set it to a value known at plan time, apply its source first (-target), or unset it and use the %s environment variable.",
			attr, envVar)
}

func (p *CircleCIProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg CircleCIProviderModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	unknown := []struct {
		unknown bool
		attr    string
		env     string
	}{
		{cfg.APIToken.IsUnknown(), "api_token", EnvToken},
		{cfg.Host.IsUnknown(), "host", EnvHost},
		{cfg.AppHost.IsUnknown(), "app_host", EnvAppHost},
		{cfg.OrganizationID.IsUnknown(), "organization_id", EnvOrgID},
		{cfg.MaxRetries.IsUnknown(), "max_retries", EnvMaxRetries},
		{cfg.RequestTimeout.IsUnknown(), "request_timeout", EnvRequestTimeout},
		{cfg.MaxConcurrency.IsUnknown(), "max_concurrency", EnvMaxConcurrency},
	}
	for _, u := range unknown {
		if u.unknown {
			summary, detail := unknownValueError(u.attr, u.env)
			resp.Diagnostics.AddAttributeError(path.Root(u.attr), summary, detail)
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	token := stringSetting(cfg.APIToken, EnvToken, EnvTokenAlt)
	host := stringSetting(cfg.Host, EnvHost, EnvHostAlt)
	appHost := stringSetting(cfg.AppHost, EnvAppHost)
	orgID := stringSetting(cfg.OrganizationID, EnvOrgID)

	switch token.value {
	case "":
		resp.Diagnostics.AddAttributeError(path.Root("api_token"), "Missing CircleCI API Token",
			"The provider needs a CircleCI personal API token. Set api_token in the provider block, or the "+
				EnvToken+" or "+EnvTokenAlt+" environment variable. Create one in CircleCI under User Settings → Personal API Tokens.")
	default:
		if err := circleci.ValidateToken(token.value); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("api_token"), "Invalid CircleCI API Token",
				fmt.Sprintf("The API token from %s is not usable: %s. Copy the token again from CircleCI (User Settings → Personal API Tokens).",
					token.source("api_token"), err))
		}
	}

	if host.value == "" {
		host.value = circleci.DefaultHost
	}
	normHost, err := circleci.NormalizeHost(host.value)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("host"), "Invalid CircleCI Host",
			fmt.Sprintf("The host from %s is not usable: %s. Use an origin such as %s or https://circleci.example.com.",
				host.source("host"), err, circleci.DefaultHost))
	}
	normApp := ""
	if appHost.value != "" {
		if normApp, err = circleci.NormalizeHost(appHost.value); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("app_host"), "Invalid CircleCI App Host",
				fmt.Sprintf("The app host from %s is not usable: %s. Use an origin such as %s.",
					appHost.source("app_host"), err, circleci.DefaultCloudAppHost))
		}
	}
	if orgID.value != "" && !circleci.IsUUID(orgID.value) {
		resp.Diagnostics.AddAttributeError(path.Root("organization_id"), "Invalid Organization ID",
			fmt.Sprintf("The organization ID from %s must be a UUID such as 3f1c7b4e-0d2a-4c5e-9b8f-1a2b3c4d5e6f, not a name or slug.",
				orgID.source("organization_id")))
	}

	maxRetries := int64Setting(cfg.MaxRetries, EnvMaxRetries, "max_retries", "Invalid Maximum Retries",
		circleci.DefaultMaxRetries, 0, maxMaxRetries, &resp.Diagnostics)
	maxConcurrency := int64Setting(cfg.MaxConcurrency, EnvMaxConcurrency, "max_concurrency", "Invalid Maximum Concurrency",
		circleci.DefaultMaxConcurrency, 1, maxMaxConcurrency, &resp.Diagnostics)

	timeout := circleci.DefaultRequestTimeout
	timeoutSetting := stringSetting(cfg.RequestTimeout, EnvRequestTimeout)
	if timeoutSetting.value != "" {
		if msg := validators.CheckDuration(timeoutSetting.value, minRequestTimeout, maxRequestTimeout); msg != "" {
			resp.Diagnostics.AddAttributeError(path.Root("request_timeout"), "Invalid Request Timeout",
				"The request timeout from "+timeoutSetting.source("request_timeout")+" is not usable. "+msg)
		} else {
			timeout, _ = time.ParseDuration(timeoutSetting.value)
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	client, err := circleci.New(circleci.Config{
		Token:          token.value,
		Host:           normHost,
		AppHost:        normApp,
		UserAgent:      fmt.Sprintf("terraform-provider-circleci/%s (+https://registry.terraform.io/providers/%s)", p.version, registryPath),
		MaxRetries:     int(maxRetries),
		RequestTimeout: timeout,
		MaxConcurrency: int(maxConcurrency),
		Logger:         tflogLogger{},
	})
	if err != nil {
		// Every input was validated above; reaching this is a provider bug.
		resp.Diagnostics.AddError("Unable to Create CircleCI API Client",
			"An unexpected error occurred when creating the CircleCI API client. This is a bug in the provider, please report it.\n\n"+
				"Error: "+err.Error())
		return
	}
	tflog.Debug(ctx, "configured CircleCI client", map[string]any{
		"host": client.Host(), "app_host": client.AppHost(), "max_retries": maxRetries, "request_timeout": timeout.String(),
		"max_concurrency": maxConcurrency,
	})

	data := &providerData{client: client, organizationID: orgID.value, token: token.value}
	resp.DataSourceData = data
	resp.ResourceData = data
}

func (p *CircleCIProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewOrganizationsDataSource,
		NewOrgMembersDataSource,
		NewMeDataSource,
		NewOrganizationDataSource,
		NewOrgMemberDataSource,
	}
}

func (p *CircleCIProvider) Resources(context.Context) []func() resource.Resource {
	return nil
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

// stringSetting returns the configured value, or else the first non-empty
// environment variable among envs.
func stringSetting(v types.String, envs ...string) setting {
	if !v.IsNull() && !v.IsUnknown() {
		return setting{value: v.ValueString()}
	}
	for _, e := range envs {
		if val := os.Getenv(e); val != "" {
			return setting{value: val, env: e}
		}
	}
	return setting{}
}

// int64Setting returns the configured value, else the environment
// variable's, else def; a bad environment value adds an attribute error.
func int64Setting(v types.Int64, env, attr, summary string, def, lo, hi int64, diags *diag.Diagnostics) int64 {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueInt64()
	}
	raw, ok := os.LookupEnv(env)
	if !ok || strings.TrimSpace(raw) == "" {
		return def
	}
	n, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	if err != nil || n < lo || n > hi {
		diags.AddAttributeError(path.Root(attr), summary,
			fmt.Sprintf("The %s environment variable must be a whole number between %d and %d.", env, lo, hi))
		return def
	}
	return n
}

// tflogLogger sends the client's events to tflog with the request's
// context, which carries the token masks set by each read.
//
// Calls are serialised: with masks set, terraform-plugin-log (v0.11) rewrites
// the field map stored in the context in place, so concurrent log calls with
// one context (the client's parallel user lookups share their read's
// context) would write that map concurrently and crash the provider.
type tflogLogger struct{}

var tflogMu sync.Mutex

func (tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflogMu.Lock()
	defer tflogMu.Unlock()
	tflog.Debug(ctx, msg, fields)
}

// withTokenMasked returns ctx with the token masked from every log message
// and field value written with it.
func withTokenMasked(ctx context.Context, token string) context.Context {
	if token == "" {
		return ctx
	}
	ctx = tflog.MaskMessageStrings(ctx, token)
	ctx = tflog.MaskAllFieldValuesStrings(ctx, token)
	return tflog.MaskFieldValuesWithFieldKeys(ctx, "Circle-Token", "circle-token", "Authorization", "authorization", "api_token")
}
