package provider

import (
	"context"
	"slices"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

var _ datasource.DataSourceWithConfigure = (*ProjectSettingsDataSource)(nil)

// ProjectSettingsDataSource reads the settings, OIDC overrides and webhooks
// of every project of an organization (or those of project_ids).
type ProjectSettingsDataSource struct {
	data *providerData
}

// ProjectSettingsDataSourceModel is the data source's state.
type ProjectSettingsDataSourceModel struct {
	OrganizationID types.String           `tfsdk:"organization_id"`
	ProjectIDs     []string               `tfsdk:"project_ids"`
	Projects       []ProjectSettingsModel `tfsdk:"projects"`
}

// ProjectSettingsModel is one project's settings.
type ProjectSettingsModel struct {
	ID                         types.String        `tfsdk:"id"`
	Slug                       types.String        `tfsdk:"slug"`
	Name                       types.String        `tfsdk:"name"`
	AutocancelBuilds           types.Bool          `tfsdk:"autocancel_builds"`
	BuildForkPRs               types.Bool          `tfsdk:"build_fork_prs"`
	BuildPRsOnly               types.Bool          `tfsdk:"build_prs_only"`
	DisableSSH                 types.Bool          `tfsdk:"disable_ssh"`
	ForksReceiveSecretEnvVars  types.Bool          `tfsdk:"forks_receive_secret_env_vars"`
	OSS                        types.Bool          `tfsdk:"oss"`
	SetGitHubStatus            types.Bool          `tfsdk:"set_github_status"`
	SetupWorkflows             types.Bool          `tfsdk:"setup_workflows"`
	WriteSettingsRequiresAdmin types.Bool          `tfsdk:"write_settings_requires_admin"`
	PROnlyBranchOverrides      []string            `tfsdk:"pr_only_branch_overrides"`
	OtherSettings              []OtherSettingModel `tfsdk:"other_settings"`
	SecretsExposedToForks      types.Bool          `tfsdk:"secrets_exposed_to_forks"`
	OIDCAudience               []string            `tfsdk:"oidc_audience"` // nil (null): not customised
	OIDCTTL                    types.String        `tfsdk:"oidc_ttl"`
	Webhooks                   []WebhookModel      `tfsdk:"webhooks"`
}

// OtherSettingModel is a boolean setting CircleCI added after this provider
// was written.
type OtherSettingModel struct {
	Name    types.String `tfsdk:"name"`
	Enabled types.Bool   `tfsdk:"enabled"`
}

// WebhookModel is one outbound webhook: never its URL's path or query, never
// its signing secret.
type WebhookModel struct {
	ID               types.String `tfsdk:"id"`
	Name             types.String `tfsdk:"name"`
	Events           []string     `tfsdk:"events"`
	VerifyTLS        types.Bool   `tfsdk:"verify_tls"`
	HasSigningSecret types.Bool   `tfsdk:"has_signing_secret"`
	URLScheme        types.String `tfsdk:"url_scheme"`
	URLHost          types.String `tfsdk:"url_host"`
}

// NewProjectSettingsDataSource is the data source's constructor.
func NewProjectSettingsDataSource() datasource.DataSource { return &ProjectSettingsDataSource{} }

func (d *ProjectSettingsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_project_settings"
}

// projectSettingDescriptions are the advanced settings, each described as
// CircleCI's v2 OpenAPI description (getProjectSettings) describes it.
var projectSettingDescriptions = map[string]string{
	"autocancel_builds": "Except on the default branch, a new pipeline on a branch cancels the running ones (CircleCI: " +
		"\"cancel running pipelines on a branch when a new pipeline starts on that branch\").",
	"build_fork_prs":                "Pipelines run for pull requests from forks.",
	"build_prs_only":                "Only branches with an open pull request build (besides `pr_only_branch_overrides`).",
	"disable_ssh":                   "Re-running a job with SSH is disabled. While `false`, anyone who can re-run a job can open a shell in it, with the job's secrets.",
	"forks_receive_secret_env_vars": "Pipelines of forked pull requests run with this project's configuration, environment variables and secrets.",
	"oss": "Free and Open Source: the project's builds are visible to others, in the web UI and through the API. " +
		"CircleCI lets it be read, not changed, through this API.",
	"set_github_status":             "The status of every pushed commit is reported to the VCS.",
	"setup_workflows":               "Dynamic configuration (setup workflows) is enabled.",
	"write_settings_requires_admin": "Only organization admins may change these settings. While `false`, any member who can write to the project can.",
}

func (d *ProjectSettingsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	project := map[string]schema.Attribute{
		"id":   computedString("Project ID (a UUID)."),
		"slug": computedString("The project's slug, as `circleci_projects` gives it."),
		"name": computedString("The project's name."),
		"pr_only_branch_overrides": schema.ListAttribute{
			MarkdownDescription: "Branches that always build even with `build_prs_only`, sorted (CircleCI returns them in an order of its own).",
			ElementType:         types.StringType, Computed: true,
		},
		"other_settings": schema.ListNestedAttribute{
			MarkdownDescription: "Boolean settings of the `advanced` block that this provider does not know yet, sorted by `name`: " +
				"a setting CircleCI adds is kept here, never dropped. Empty when there are none. A new setting that is not a boolean " +
				"fails the read.",
			Computed: true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"name":    computedString("The setting's name, as CircleCI spells it."),
				"enabled": computedBool("Its value."),
			}},
		},
		"secrets_exposed_to_forks": computedBool("`build_fork_prs` and `forks_receive_secret_env_vars` both true: anyone who can open a pull " +
			"request from a fork runs this project's pipelines with its environment variables and secrets (the contexts the " +
			"configuration names are still subject to their restrictions). CircleCI's v2 OpenAPI description (getProjectSettings) " +
			"gives both settings without a limit by project type; `forks_receive_secret_env_vars` defaults to `true` on private " +
			"projects unless set (CircleCI-Labs' provider, project data-source docs). Fork builds are a GitHub and Bitbucket Cloud " +
			"(OAuth) feature; for standalone projects (GitHub App, GitLab, Bitbucket Data Center: a `circleci/…` slug) the evidence does not say whether " +
			"CircleCI builds forks at all, so the value is computed from the settings the same way, toward more exposure."),
		"oidc_audience": schema.ListAttribute{
			MarkdownDescription: "The project's custom `aud` claim for OIDC tokens, overriding the organization's " +
				"(`GET /api/v2/org/{organization_id}/project/{id}/oidc-custom-claims`). Null when the project does not customise it: " +
				"the organization's claim (`circleci_org_settings.oidc_audience`), or CircleCI's default, applies.",
			ElementType: types.StringType, Computed: true,
		},
		"oidc_ttl": computedString("The project's custom lifetime of OIDC tokens (e.g. `1h`), overriding the organization's; null when not customised."),
		"webhooks": schema.ListNestedAttribute{
			MarkdownDescription: "The project's outbound webhooks (`GET /api/v2/webhook?scope-id={id}&scope-type=project`), sorted by " +
				"lower-cased `name`, then `id`. A webhook URL often carries a secret in its path or query: only its scheme and host are " +
				"kept, and the signing secret only as `has_signing_secret`.",
			Computed: true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"id":   computedString("Webhook ID."),
				"name": computedString("The webhook's name."),
				"events": schema.ListAttribute{
					MarkdownDescription: "The events that send it (`workflow-completed`, `job-completed`), sorted.",
					ElementType:         types.StringType, Computed: true,
				},
				"verify_tls":         computedBool("CircleCI verifies the destination's TLS certificate. While `false`, anyone on the network path can read the events."),
				"has_signing_secret": computedBool("A signing secret is set, so the receiver can check that events come from CircleCI (CircleCI masks the secret; it is never read)."),
				"url_scheme":         computedString("The destination URL's scheme, lower-cased: `https` or `http`."),
				"url_host":           computedString("The destination URL's host, lower-cased, with its port if the URL names one. Never the path, query or user info."),
			}},
		},
	}
	for name, desc := range projectSettingDescriptions {
		project[name] = computedBool("`advanced." + name + "`: " + desc)
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The settings of every project of an organization (or of `project_ids`): the `advanced` block of " +
			"`GET /api/v2/project/{slug}/settings` (documented by CircleCI, marked experimental), the project's OIDC claim overrides, " +
			"and its outbound webhooks. Three requests per project, at most `max_concurrency` at a time, each read once per run. " +
			"These endpoints apply to every kind of project (OAuth and standalone). An answer the provider does not fully " +
			"understand (a missing setting, a value of another type) fails the read, naming the endpoint and the project.",
		Attributes: map[string]schema.Attribute{
			"organization_id": organizationIDAttribute(),
			"project_ids":     projectIDsAttribute(),
			"projects": schema.ListNestedAttribute{
				MarkdownDescription: "One entry per project, in the order of `circleci_projects` (lower-cased `slug`, then `id`).",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: project},
			},
		},
	}
}

func (d *ProjectSettingsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureClient(req, resp)
}

// projectSettingsRead is what the fan-out reads for one project.
type projectSettingsRead struct {
	settings *circleci.ProjectSettings
	claims   *circleci.OIDCClaims
	webhooks []circleci.Webhook
}

func (d *ProjectSettingsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state ProjectSettingsDataSourceModel
	ctx, orgID, ok := beginOrgRead(ctx, req, resp, d.data, &state, &state.OrganizationID)
	if !ok {
		return
	}
	projects, ok := readProjectScope(ctx, d.data.client, orgID, state.ProjectIDs, &resp.Diagnostics)
	if !ok {
		return
	}
	reads, err := readProjectSettings(ctx, d.data.client, orgID, projects)
	if err != nil {
		resp.Diagnostics.Append(errorDiagnostic(err, projectSettingsHints(orgID)))
		return
	}
	state.OrganizationID = types.StringValue(orgID)
	state.Projects = make([]ProjectSettingsModel, len(projects))
	for i, p := range projects {
		r := reads[p.ID]
		state.Projects[i] = projectSettingsToModel(p, r.settings, r.claims, r.webhooks)
	}
	resp.Diagnostics.Append(setState(ctx, &resp.State, state)...)
}

// readProjectSettings reads the three endpoints of each project, every
// request under the client's bound; the first failure names its project.
func readProjectSettings(ctx context.Context, c *circleci.Client, orgID string, projects []scopedProject) (map[string]projectSettingsRead, error) {
	type key struct {
		project int
		part    int // 0 settings, 1 OIDC claims, 2 webhooks
	}
	keys := make([]key, 0, 3*len(projects))
	for i := range projects {
		keys = append(keys, key{i, 0}, key{i, 1}, key{i, 2})
	}
	got, err := circleci.FanOut(ctx, keys, func(ctx context.Context, k key) (projectSettingsRead, error) {
		p := projects[k.project]
		var r projectSettingsRead
		var err error
		switch k.part {
		case 0:
			r.settings, err = c.ProjectSettings(ctx, p.Slug)
		case 1:
			r.claims, err = c.ProjectOIDCClaims(ctx, orgID, p.ID)
		default:
			r.webhooks, err = c.ProjectWebhooks(ctx, p.ID)
		}
		return r, projectError(p, err)
	})
	if err != nil {
		return nil, err
	}
	out := make(map[string]projectSettingsRead, len(projects))
	for i, p := range projects {
		out[p.ID] = projectSettingsRead{settings: got[key{i, 0}].settings, claims: got[key{i, 1}].claims, webhooks: got[key{i, 2}].webhooks}
	}
	return out, nil
}

// projectSettingsToModel maps one project's answers; claims nil or not
// customised give null OIDC attributes.
func projectSettingsToModel(p scopedProject, s *circleci.ProjectSettings, claims *circleci.OIDCClaims, hooks []circleci.Webhook) ProjectSettingsModel {
	m := ProjectSettingsModel{
		ID: types.StringValue(p.ID), Slug: types.StringValue(p.Slug), Name: types.StringValue(p.Name),
		AutocancelBuilds:           types.BoolValue(s.AutocancelBuilds),
		BuildForkPRs:               types.BoolValue(s.BuildForkPRs),
		BuildPRsOnly:               types.BoolValue(s.BuildPRsOnly),
		DisableSSH:                 types.BoolValue(s.DisableSSH),
		ForksReceiveSecretEnvVars:  types.BoolValue(s.ForksReceiveSecretEnvVars),
		OSS:                        types.BoolValue(s.OSS),
		SetGitHubStatus:            types.BoolValue(s.SetGitHubStatus),
		SetupWorkflows:             types.BoolValue(s.SetupWorkflows),
		WriteSettingsRequiresAdmin: types.BoolValue(s.WriteSettingsRequiresAdmin),
		PROnlyBranchOverrides:      sortedStrings(s.PROnlyBranchOverrides),
		OtherSettings:              otherSettingsToModel(s.Other),
		SecretsExposedToForks:      types.BoolValue(s.BuildForkPRs && s.ForksReceiveSecretEnvVars),
		OIDCTTL:                    types.StringNull(),
		Webhooks:                   webhooksToModel(hooks),
	}
	if claims != nil {
		if claims.Audience != nil {
			m.OIDCAudience = slices.Clone(claims.Audience)
		}
		if claims.TTL != "" {
			m.OIDCTTL = types.StringValue(claims.TTL)
		}
	}
	return m
}

func otherSettingsToModel(other map[string]bool) []OtherSettingModel {
	names := make([]string, 0, len(other))
	for n := range other {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]OtherSettingModel, len(names))
	for i, n := range names {
		out[i] = OtherSettingModel{Name: types.StringValue(n), Enabled: types.BoolValue(other[n])}
	}
	return out
}

func webhooksToModel(hooks []circleci.Webhook) []WebhookModel {
	sorted := slices.Clone(hooks)
	slices.SortStableFunc(sorted, func(a, b circleci.Webhook) int { return byName(a.Name, a.ID, b.Name, b.ID) })
	out := make([]WebhookModel, len(sorted))
	for i, h := range sorted {
		out[i] = WebhookModel{
			ID: types.StringValue(h.ID), Name: types.StringValue(h.Name), Events: sortedStrings(h.Events),
			VerifyTLS: types.BoolValue(h.VerifyTLS), HasSigningSecret: types.BoolValue(h.HasSigningSecret),
			URLScheme: types.StringValue(h.URLScheme), URLHost: types.StringValue(h.URLHost),
		}
	}
	return out
}

func (m ProjectSettingsDataSourceModel) state() stateVal {
	return stateObject(
		stateAttr("organization_id", stateString(m.OrganizationID)),
		stateAttr("project_ids", stateStrings(m.ProjectIDs)),
		stateAttr("projects", stateList(m.Projects, ProjectSettingsModel.state)),
	)
}

func (p ProjectSettingsModel) state() stateVal {
	return stateObject(
		stateAttr("id", stateString(p.ID)),
		stateAttr("slug", stateString(p.Slug)),
		stateAttr("name", stateString(p.Name)),
		stateAttr("autocancel_builds", stateBool(p.AutocancelBuilds)),
		stateAttr("build_fork_prs", stateBool(p.BuildForkPRs)),
		stateAttr("build_prs_only", stateBool(p.BuildPRsOnly)),
		stateAttr("disable_ssh", stateBool(p.DisableSSH)),
		stateAttr("forks_receive_secret_env_vars", stateBool(p.ForksReceiveSecretEnvVars)),
		stateAttr("oss", stateBool(p.OSS)),
		stateAttr("set_github_status", stateBool(p.SetGitHubStatus)),
		stateAttr("setup_workflows", stateBool(p.SetupWorkflows)),
		stateAttr("write_settings_requires_admin", stateBool(p.WriteSettingsRequiresAdmin)),
		stateAttr("pr_only_branch_overrides", stateStrings(p.PROnlyBranchOverrides)),
		stateAttr("other_settings", stateList(p.OtherSettings, OtherSettingModel.state)),
		stateAttr("secrets_exposed_to_forks", stateBool(p.SecretsExposedToForks)),
		stateAttr("oidc_audience", stateStrings(p.OIDCAudience)),
		stateAttr("oidc_ttl", stateString(p.OIDCTTL)),
		stateAttr("webhooks", stateList(p.Webhooks, WebhookModel.state)),
	)
}

func (o OtherSettingModel) state() stateVal {
	return stateObject(stateAttr("name", stateString(o.Name)), stateAttr("enabled", stateBool(o.Enabled)))
}

func (w WebhookModel) state() stateVal {
	return stateObject(
		stateAttr("id", stateString(w.ID)),
		stateAttr("name", stateString(w.Name)),
		stateAttr("events", stateStrings(w.Events)),
		stateAttr("verify_tls", stateBool(w.VerifyTLS)),
		stateAttr("has_signing_secret", stateBool(w.HasSigningSecret)),
		stateAttr("url_scheme", stateString(w.URLScheme)),
		stateAttr("url_host", stateString(w.URLHost)),
	)
}
