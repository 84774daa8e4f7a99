// Package provider implements the circleci Terraform/OpenTofu provider: its
// configuration and its data sources. HTTP lives in internal/circleci.
package provider

import (
	"context"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
	"github.com/circleci-access/terraform-provider-circleci/internal/validators"
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
				MarkdownDescription: "Origin of the web-app endpoints that list organization members, group members and " +
					"project user grants (served by CircleCI's web app). " +
					"Falls back to `" + EnvAppHost + "`. Default: `" + circleci.DefaultCloudAppHost + "` when `host` is `" +
					circleci.DefaultHost + "`, otherwise the same as `host` (CircleCI Server serves both).",
				Optional: true,
			},
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "Default organization (a UUID) for organization-scoped data sources such as " +
					"`circleci_org_members`. Falls back to `" + EnvOrgID + "`.",
				Optional:   true,
				Validators: []validator.String{validators.UUID("The ids attribute of data source circleci_organizations lists the organizations the token can see.")},
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
				MarkdownDescription: fmt.Sprintf("The most fan-out requests (per user with `include_user_details`, per group, "+
					"per context, per project) in flight at once, across all data sources. Between 1 and %d. Falls back to `%s`. Default: `%d`.",
					maxMaxConcurrency, EnvMaxConcurrency, circleci.DefaultMaxConcurrency),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(1, maxMaxConcurrency)},
			},
		},
	}
}

// Configure reads the provider block, resolves it with the environment
// (resolveConfig, config.go) and hands one shared client to the data sources.
func (p *CircleCIProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m CircleCIProviderModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg, orgID, diags := resolveConfig(m, os.LookupEnv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.UserAgent = fmt.Sprintf("terraform-provider-circleci/%s (+https://registry.terraform.io/providers/%s)", p.version, registryPath)
	cfg.Logger = tflogLogger{}
	client, err := circleci.New(cfg)
	if err != nil {
		// resolveConfig validated every input; reaching this is a provider bug.
		resp.Diagnostics.AddError("Unable to Create CircleCI API Client",
			"An unexpected error occurred when creating the CircleCI API client. This is a bug in the provider, please report it.\n\n"+
				"Error: "+err.Error())
		return
	}
	tflog.Debug(ctx, "configured CircleCI client", map[string]any{
		"host": client.Host(), "app_host": client.AppHost(), "max_retries": cfg.MaxRetries,
		"request_timeout": cfg.RequestTimeout.String(), "max_concurrency": cfg.MaxConcurrency,
	})
	resp.DataSourceData = &providerData{client: client, organizationID: orgID, token: cfg.Token}
}

func (p *CircleCIProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewOrganizationsDataSource,
		NewOrgMembersDataSource,
		NewGroupsDataSource,
		NewContextsDataSource,
		NewProjectsDataSource,
		NewProjectMembersDataSource,
		NewOrgAccessDataSource,
		NewMeDataSource,
		NewOrganizationDataSource,
		NewOrgMemberDataSource,
		NewProjectCredentialsDataSource,
		NewPipelineTriggersDataSource,
		NewSecretExposureDataSource,
		NewOrgSettingsDataSource,
		NewProjectSettingsDataSource,
	}
}

func (p *CircleCIProvider) Resources(context.Context) []func() resource.Resource {
	return nil
}

// RegistryAddress is the provider's source address, served by main.go and
// used in every example's required_providers block.
const RegistryAddress = "registry.terraform.io/" + registryPath

const registryPath = "circleci-access/circleci"
