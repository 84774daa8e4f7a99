package provider

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

var _ datasource.DataSourceWithConfigure = (*OrgSettingsDataSource)(nil)

// OrgSettingsDataSource reads an organization's settings: its toggles, OIDC
// claims, audit-log streams and, on request, SSO enforcement.
type OrgSettingsDataSource struct {
	data *providerData
}

// OrgSettingsDataSourceModel is the data source's state. Each toggle is an
// attribute under CircleCI's own name.
type OrgSettingsDataSourceModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	IncludeSSO     types.Bool   `tfsdk:"include_sso"`
	IncludeAudit   types.Bool   `tfsdk:"include_audit_log_streams"`

	EnableAIAgents                      types.Bool `tfsdk:"enable_ai_agents"`
	EnableAIErrorSummarization          types.Bool `tfsdk:"enable_ai_error_summarization"`
	EnableCertifiedPublicOrbs           types.Bool `tfsdk:"enable_certified_public_orbs"`
	EnableChunkIPRanges                 types.Bool `tfsdk:"enable_chunk_ip_ranges"`
	EnableImageBrownouts                types.Bool `tfsdk:"enable_image_brownouts"`
	EnableMinorAIFeatures               types.Bool `tfsdk:"enable_minor_ai_features"`
	EnablePrivateOrbs                   types.Bool `tfsdk:"enable_private_orbs"`
	EnableResourceClassBrownouts        types.Bool `tfsdk:"enable_resource_class_brownouts"`
	EnableUncertifiedPublicOrbs         types.Bool `tfsdk:"enable_uncertified_public_orbs"`
	EnableUnversionedConfig             types.Bool `tfsdk:"enable_unversioned_config"`
	IsBitbucketWorkspaceMemberOrgMember types.Bool `tfsdk:"is_bitbucket_workspace_member_org_member"`
	IsContextGroupRestrictionRequired   types.Bool `tfsdk:"is_context_group_restriction_required"`
	IsRunnerTermsOfServiceAccepted      types.Bool `tfsdk:"is_runner_terms_of_service_accepted"`
	IsRunningDisabled                   types.Bool `tfsdk:"is_running_disabled"`
	IsUserCheckoutKeysDisabled          types.Bool `tfsdk:"is_user_checkout_keys_disabled"`

	OtherSettings   types.Map             `tfsdk:"other_settings"`
	OIDCAudience    []string              `tfsdk:"oidc_audience"` // nil (null): not customised
	OIDCTTL         types.String          `tfsdk:"oidc_ttl"`
	AuditLogStreams []AuditLogStreamModel `tfsdk:"audit_log_streams"`
	SSOEnforced     types.Bool            `tfsdk:"sso_enforced"`
}

// AuditLogStreamModel is one audit-log streaming configuration: where it
// goes and its state, never its credentials or role.
type AuditLogStreamModel struct {
	ID               types.String `tfsdk:"id"`
	TargetType       types.String `tfsdk:"target_type"`
	Disabled         types.Bool   `tfsdk:"disabled"`
	ConnectionStatus types.String `tfsdk:"connection_status"`
	Bucket           types.String `tfsdk:"bucket"`
}

// orgToggle is one known toggle: its name, what it means (with the source),
// and where it sits in the model.
type orgToggle struct {
	name, desc string
	field      func(*OrgSettingsDataSourceModel) *types.Bool
}

// orgToggles are the toggles of GET /api/v3/orgs/{id}/settings that
// CircleCI's CLI (internal/cmd/org/settings.go) and CircleCI-Labs' provider
// (organization_settings.go) read; every one must be in an answer.
var orgToggles = []orgToggle{
	{"enable_ai_agents", "AI agents are enabled.", func(m *OrgSettingsDataSourceModel) *types.Bool { return &m.EnableAIAgents }},
	{"enable_ai_error_summarization", "AI summaries of job errors are enabled.", func(m *OrgSettingsDataSourceModel) *types.Bool { return &m.EnableAIErrorSummarization }},
	{"enable_certified_public_orbs", "Pipelines may use CircleCI-certified public orbs.", func(m *OrgSettingsDataSourceModel) *types.Bool { return &m.EnableCertifiedPublicOrbs }},
	{"enable_chunk_ip_ranges", "Chunked IP ranges are enabled.", func(m *OrgSettingsDataSourceModel) *types.Bool { return &m.EnableChunkIPRanges }},
	{"enable_image_brownouts", "The organization opts in to scheduled brownouts of deprecated images.", func(m *OrgSettingsDataSourceModel) *types.Bool { return &m.EnableImageBrownouts }},
	{"enable_minor_ai_features", "Minor AI features are enabled.", func(m *OrgSettingsDataSourceModel) *types.Bool { return &m.EnableMinorAIFeatures }},
	{"enable_private_orbs", "The organization may publish and use private orbs (CLI: \"Allow use of private orbs\").", func(m *OrgSettingsDataSourceModel) *types.Bool { return &m.EnablePrivateOrbs }},
	{"enable_resource_class_brownouts", "The organization opts in to scheduled brownouts of deprecated resource classes.", func(m *OrgSettingsDataSourceModel) *types.Bool { return &m.EnableResourceClassBrownouts }},
	{"enable_uncertified_public_orbs", "Pipelines may use public orbs that CircleCI has not certified: third-party code that runs with the job's secrets.", func(m *OrgSettingsDataSourceModel) *types.Bool { return &m.EnableUncertifiedPublicOrbs }},
	{"enable_unversioned_config", "An API trigger may bring its own configuration instead of the repository's (CircleCI's CLI: \"Allow triggering " +
		"pipelines without a config file\"; CircleCI-Labs' provider maps it to allow_api_trigger_with_config). Anyone who can trigger a " +
		"pipeline through the API can then run any configuration with the project's secrets.", func(m *OrgSettingsDataSourceModel) *types.Bool { return &m.EnableUnversionedConfig }},
	{"is_bitbucket_workspace_member_org_member", "Members of the Bitbucket workspace count as organization members (Bitbucket only).", func(m *OrgSettingsDataSourceModel) *types.Bool { return &m.IsBitbucketWorkspaceMemberOrgMember }},
	{"is_context_group_restriction_required", "Every context must carry a group restriction; a context without one is usable by nobody " +
		"(CircleCI's CLI: \"Require context group restriction\").", func(m *OrgSettingsDataSourceModel) *types.Bool { return &m.IsContextGroupRestrictionRequired }},
	{"is_runner_terms_of_service_accepted", "The self-hosted runner terms of service are accepted, which self-hosted runner resource classes and tokens need.", func(m *OrgSettingsDataSourceModel) *types.Bool { return &m.IsRunnerTermsOfServiceAccepted }},
	{"is_running_disabled", "The organization runs no pipelines (CircleCI's CLI: \"Disable all builds\").", func(m *OrgSettingsDataSourceModel) *types.Bool { return &m.IsRunningDisabled }},
	{"is_user_checkout_keys_disabled", "User checkout keys are forbidden: deploy keys are the only checkout credential (CircleCI-Labs' provider, checkout_key.go).", func(m *OrgSettingsDataSourceModel) *types.Bool { return &m.IsUserCheckoutKeysDisabled }},
}

// NewOrgSettingsDataSource is the data source's constructor.
func NewOrgSettingsDataSource() datasource.DataSource { return &OrgSettingsDataSource{} }

func (d *OrgSettingsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_org_settings"
}

func (d *OrgSettingsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"organization_id": organizationIDAttribute(),
		"include_sso": schema.BoolAttribute{
			MarkdownDescription: "Also read whether SAML single sign-on is enforced, from " +
				"`GET {app_host}/private/ciam/orgs/{organization_id}/sso/enforced`, an endpoint CircleCI does not document (its web app " +
				"uses it; one public client, the org migration CLI, reads it). With `false`, it is not called and `sso_enforced` is " +
				"null. Default: `false`.",
			Optional: true,
		},
		"include_audit_log_streams": schema.BoolAttribute{
			MarkdownDescription: "Read `audit_log_streams`. With `false`, the audit-log endpoint is not called and `audit_log_streams` " +
				"is null: for a token that may not read it (audit-log streaming is a Scale-plan feature, and its configuration an " +
				"organization admin's). Default: `true`.",
			Optional: true,
		},
		"other_settings": schema.MapAttribute{
			MarkdownDescription: "Toggles of the settings answer that this provider does not know yet, by CircleCI's name: a toggle " +
				"CircleCI adds is kept here, never dropped. Empty when there are none.",
			ElementType: types.BoolType,
			Computed:    true,
		},
		"oidc_audience": schema.ListAttribute{
			MarkdownDescription: "The organization's custom `aud` claim of its OIDC tokens (`GET /api/v2/org/{organization_id}/oidc-custom-claims`, " +
				"documented), in CircleCI's order. Null when not customised (CircleCI then answers with only the organization's id): " +
				"tokens carry CircleCI's default audience, the organization ID (CircleCI's OpenID Connect tokens docs). A project can override it (`circleci_project_settings`).",
			ElementType: types.StringType,
			Computed:    true,
		},
		"oidc_ttl": computedString("The organization's custom lifetime of its OIDC tokens (e.g. `1h`); null when not customised."),
		"audit_log_streams": schema.ListNestedAttribute{
			MarkdownDescription: "Where the organization streams its audit log (`GET /api/v2/organizations/{organization_id}/audit-log/configs`, " +
				"an endpoint CircleCI does not document; audit-log streaming is a Scale-plan feature), sorted by `target_type`, then `id`. " +
				"Empty when there are none; null when `include_audit_log_streams` is false. The stream's credentials, role and endpoint are never read into state.",
			Computed: true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"id":          computedString("The configuration's ID."),
				"target_type": computedString("Where it streams: `S3` or `S3_COMPATIBLE` (a value CircleCI adds is kept as it is)."),
				"disabled": schema.BoolAttribute{
					MarkdownDescription: "CircleCI's `is_disabled`: the stream is turned off.", Computed: true,
				},
				"connection_status": computedString("CircleCI's last view of the connection: `CONNECTED`, `DISCONNECTED`, `UNKNOWN` or `DISABLED`."),
				"bucket":            computedString("The bucket's name; null when CircleCI gives none."),
			}},
		},
		"sso_enforced": schema.BoolAttribute{
			MarkdownDescription: "SAML single sign-on is enforced: members must sign in through the identity provider, and personal API " +
				"tokens must be authorised for the organization. Read from an undocumented endpoint; null unless `include_sso` is true.",
			Computed: true,
		},
	}
	for _, t := range orgToggles {
		attrs[t.name] = schema.BoolAttribute{MarkdownDescription: "`" + t.name + "`: " + t.desc, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The settings of an organization: every toggle of `GET /api/v3/orgs/{organization_id}/settings` as an " +
			"attribute under CircleCI's own name, the organization's OIDC claims, its audit-log streams and, with `include_sso`, " +
			"whether SSO is enforced. Each endpoint is read once per run.\n\n" +
			"~> The settings endpoint (API v3) is not in CircleCI's published API v2 reference: CircleCI's own CLI " +
			"(`circleci org settings`) and CircleCI-Labs' provider read it. The audit-log and SSO endpoints are not documented either. " +
			"CircleCI may change them; none is served by CircleCI Server. A toggle missing from the answer, or a value that is not a " +
			"boolean, fails the read: the provider never reports a setting it did not read.",
		Attributes: attrs,
	}
}

func (d *OrgSettingsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureClient(req, resp)
}

func (d *OrgSettingsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state OrgSettingsDataSourceModel
	ctx, orgID, ok := beginOrgRead(ctx, req, resp, d.data, &state, &state.OrganizationID)
	if !ok {
		return
	}
	c := d.data.client
	toggles, err := c.OrgSettings(ctx, orgID)
	if err != nil {
		resp.Diagnostics.Append(errorDiagnostic(undocumentedEndpoint(err), orgSettingsReadHints(orgID)))
		return
	}
	claims, err := c.OrgOIDCClaims(ctx, orgID)
	if err != nil {
		resp.Diagnostics.Append(errorDiagnostic(err, orgOIDCHints(orgID)))
		return
	}
	var streams []circleci.AuditLogStream // nil: not read
	if boolOr(state.IncludeAudit, true) {
		if streams, err = c.AuditLogStreams(ctx, orgID); err != nil {
			resp.Diagnostics.Append(errorDiagnostic(undocumentedEndpoint(err), auditLogHints(orgID)))
			return
		}
	}
	var sso *bool
	if boolOr(state.IncludeSSO, false) {
		on, err := c.SSOEnforced(ctx, orgID)
		if err != nil {
			resp.Diagnostics.Append(errorDiagnostic(undocumentedEndpoint(err), ssoHints(orgID)))
			return
		}
		sso = &on
	}
	m, err := orgSettingsToModel(orgID, toggles, claims, streams, sso)
	if err != nil {
		resp.Diagnostics.Append(errorDiagnostic(undocumentedEndpoint(err), orgSettingsReadHints(orgID)))
		return
	}
	m.IncludeSSO, m.IncludeAudit = state.IncludeSSO, state.IncludeAudit
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// orgSettingsToModel maps the answers of one organization (streams nil: not
// read, a null list; sso nil: not read, null). A known toggle
// missing from toggles is a *circleci.DecodeError naming the endpoint: the
// provider never reports a setting it did not read.
func orgSettingsToModel(orgID string, toggles map[string]bool, claims *circleci.OIDCClaims, streams []circleci.AuditLogStream, sso *bool) (OrgSettingsDataSourceModel, error) {
	m := OrgSettingsDataSourceModel{OrganizationID: types.StringValue(orgID), OIDCTTL: types.StringNull(), SSOEnforced: types.BoolNull()}
	var missing []string
	known := make(map[string]bool, len(orgToggles))
	for _, t := range orgToggles {
		known[t.name] = true
		v, ok := toggles[t.name]
		if !ok {
			missing = append(missing, t.name)
			continue
		}
		*t.field(&m) = types.BoolValue(v)
	}
	if len(missing) > 0 {
		return m, &circleci.DecodeError{Path: circleci.OrgSettingsPath(orgID), StatusCode: http.StatusOK,
			Reason: fmt.Sprintf("the settings have no %s: every setting the provider knows must be in the answer", strings.Join(quoted(missing), ", "))}
	}
	other := make(map[string]bool)
	for name, v := range toggles {
		if !known[name] {
			other[name] = v
		}
	}
	m.OtherSettings, _ = types.MapValueFrom(context.Background(), types.BoolType, other)
	if claims != nil {
		if claims.Audience != nil {
			m.OIDCAudience = slices.Clone(claims.Audience)
		}
		if claims.TTL != "" {
			m.OIDCTTL = types.StringValue(claims.TTL)
		}
	}
	if streams != nil {
		m.AuditLogStreams = auditLogStreamsToModel(streams)
	}
	if sso != nil {
		m.SSOEnforced = types.BoolValue(*sso)
	}
	return m, nil
}

func auditLogStreamsToModel(streams []circleci.AuditLogStream) []AuditLogStreamModel {
	sorted := slices.Clone(streams)
	slices.SortStableFunc(sorted, func(a, b circleci.AuditLogStream) int { return byName(a.TargetType, a.ID, b.TargetType, b.ID) })
	out := make([]AuditLogStreamModel, len(sorted))
	for i, s := range sorted {
		out[i] = AuditLogStreamModel{
			ID: types.StringValue(s.ID), TargetType: types.StringValue(s.TargetType), Disabled: types.BoolValue(s.Disabled),
			ConnectionStatus: types.StringValue(s.ConnectionStatus), Bucket: stringOrNull(s.Bucket),
		}
	}
	return out
}

func quoted(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
