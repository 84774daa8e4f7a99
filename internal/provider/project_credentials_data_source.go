package provider

import (
	"cmp"
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

var _ datasource.DataSourceWithConfigure = (*ProjectCredentialsDataSource)(nil)

// ProjectCredentialsDataSource reads the secrets and keys each project holds
// outside contexts: environment variable names, checkout keys, API tokens.
type ProjectCredentialsDataSource struct {
	data *providerData
}

// ProjectCredentialsDataSourceModel is the data source's state.
type ProjectCredentialsDataSourceModel struct {
	OrganizationID      types.String              `tfsdk:"organization_id"`
	ProjectIDs          []string                  `tfsdk:"project_ids"`
	IncludeEnvVars      types.Bool                `tfsdk:"include_environment_variables"`
	IncludeCheckoutKeys types.Bool                `tfsdk:"include_checkout_keys"`
	IncludeAPITokens    types.Bool                `tfsdk:"include_api_tokens"`
	Projects            []ProjectCredentialsModel `tfsdk:"projects"`
}

// ProjectCredentialsModel is one project's credentials. A nil list is null:
// not read (its include_* is false) or not applicable (not_applicable
// names it).
type ProjectCredentialsModel struct {
	ID                   types.String           `tfsdk:"id"`
	Slug                 types.String           `tfsdk:"slug"`
	Name                 types.String           `tfsdk:"name"`
	EnvironmentVariables []ProjectEnvVarModel   `tfsdk:"environment_variables"`
	CheckoutKeys         []CheckoutKeyModel     `tfsdk:"checkout_keys"`
	APITokens            []ProjectAPITokenModel `tfsdk:"api_tokens"`
	NotApplicable        []string               `tfsdk:"not_applicable"`
}

// ProjectEnvVarModel is one project environment variable: never its value.
type ProjectEnvVarModel struct {
	Name      types.String `tfsdk:"name"`
	CreatedAt types.String `tfsdk:"created_at"`
}

// CheckoutKeyModel is one checkout key.
type CheckoutKeyModel struct {
	Type        types.String `tfsdk:"type"`
	Fingerprint types.String `tfsdk:"fingerprint"`
	Preferred   types.Bool   `tfsdk:"preferred"`
	CreatedAt   types.String `tfsdk:"created_at"`
}

// ProjectAPITokenModel is one project API token: never the token.
type ProjectAPITokenModel struct {
	ID    types.String `tfsdk:"id"`
	Label types.String `tfsdk:"label"`
	Scope types.String `tfsdk:"scope"`
}

// NewProjectCredentialsDataSource is the data source's constructor.
func NewProjectCredentialsDataSource() datasource.DataSource { return &ProjectCredentialsDataSource{} }

func (d *ProjectCredentialsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_project_credentials"
}

func (d *ProjectCredentialsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	include := func(what string) schema.Attribute {
		return schema.BoolAttribute{MarkdownDescription: "Read each project's " + what + ". Default: `true`.", Optional: true, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The secrets and keys each project of a CircleCI organization holds outside contexts: the **names** of its " +
			"environment variables (which, unlike a context's, have no restrictions: every job of the project gets them), its checkout " +
			"keys, and its API tokens. Values are never read: CircleCI's masked `value` of a variable (`xxxx` and the secret's last four " +
			"characters) and a token's secret are not kept, logged or stored.\n\n" +
			"This reads the organization's projects (`GET /api/private/project`, undocumented, shared with `circleci_projects`), then " +
			"for each project `GET /api/v2/project/{project-slug}/envvar` and `GET /api/v2/project/{project-slug}/checkout-key` " +
			"(documented) and `GET /api/v1.1/project/{project-slug}/token` (**undocumented**: CircleCI's v1.1 reference does not list " +
			"it; the community organization-migration tool AwesomeCICD/circleci-org-migration-cli reads it), at most `max_concurrency` requests at a time, each once per run.\n\n" +
			"Where CircleCI says an endpoint does not apply to a project, its attribute is **null**, never an empty list, and the " +
			"project's `not_applicable` names it:\n\n" +
			"- `checkout_keys` of a standalone project (slug `circleci/…`): CircleCI keeps checkout keys only for GitHub and Bitbucket " +
			"OAuth projects (`gh/…`, `bb/…`), and answers a standalone project's listing with an empty list that would read as \"no keys\" " +
			"(CircleCI-Labs' provider, confirmed against the live API). It is not requested.\n" +
			"- any of the three that CircleCI answers with 400 \"This API is not supported for this project.\"; a warning names the projects.\n\n" +
			"Whether an endpoint applies is decided from each project's own slug, not from the organization's type. A slug of another " +
			"form is read with every endpoint: toward more exposure.",
		Attributes: map[string]schema.Attribute{
			"organization_id":               organizationIDAttribute(),
			"project_ids":                   projectIDsAttribute(),
			"include_environment_variables": include("environment variable names (`environment_variables`)"),
			"include_checkout_keys":         include("checkout keys (`checkout_keys`)"),
			"include_api_tokens":            include("API tokens (`api_tokens`)"),
			"projects": schema.ListNestedAttribute{
				MarkdownDescription: "One entry per project, in the order of `circleci_projects` (lower-cased slug, then ID).",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":   computedString("Project ID (a UUID)."),
						"slug": computedString("The project's slug as CircleCI reports it: `gh/<org>/<repo>`, `bb/<org>/<repo>` or `circleci/<org-id>/<project-id>`."),
						"name": computedString("The project's name."),
						"environment_variables": schema.ListNestedAttribute{
							MarkdownDescription: "The project's environment variables, sorted by `name`; never their values. Null when " +
								"`include_environment_variables` is false, or when `not_applicable` lists `environment_variables`.",
							Computed: true,
							NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
								"name": computedString("The variable's name."),
								"created_at": computedString("When it was created (RFC 3339); null for variables CircleCI gives no time for " +
									"(those created before about 2023)."),
							}},
						},
						"checkout_keys": schema.ListNestedAttribute{
							MarkdownDescription: "The keys CircleCI checks the project's code out with, sorted by `type`, then `fingerprint`. " +
								"Null when `include_checkout_keys` is false, or when `not_applicable` lists `checkout_keys` (every standalone project).",
							Computed: true,
							NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
								"type": computedString("`deploy-key` (a key of the repository), or a user key: `github-user-key`, `bitbucket-user-key` " +
									"(a key of a person's VCS account, with that person's access to every repository they can read). A type " +
									"CircleCI adds later is kept as given."),
								"fingerprint": computedString("The key's fingerprint (MD5, as CircleCI lists it by default)."),
								"preferred": schema.BoolAttribute{MarkdownDescription: "Whether CircleCI checks out with this key. While the " +
									"organization setting `is_user_checkout_keys_disabled` is on, user keys are not marked preferred.", Computed: true},
								"created_at": computedString("When the key was added (RFC 3339); null when CircleCI gives no time."),
							}},
						},
						"api_tokens": schema.ListNestedAttribute{
							MarkdownDescription: "The project's API tokens, sorted by `label`, then `id`; never the token. Null when " +
								"`include_api_tokens` is false, or when `not_applicable` lists `api_tokens`. Read from an undocumented endpoint.",
							Computed: true,
							NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
								"id":    computedString("The token's ID (not the token)."),
								"label": computedString("The token's label; null when empty."),
								"scope": computedString("`status` (read build status), `view-builds` (\"Read Only\": v1 only) or `all` (\"Admin\": v1 only, " +
									"may trigger builds and change settings), as CircleCI's managing-api-tokens page describes them. A scope " +
									"CircleCI adds later is kept as given."),
							}},
						},
						"not_applicable": schema.ListAttribute{
							MarkdownDescription: "The attributes of this project that are null because they do not apply to it, sorted: " +
								"`checkout_keys` for a standalone project, and any CircleCI answered 400 \"not supported for this project\" " +
								"for. Empty when every attribute read applies.",
							ElementType: types.StringType,
							Computed:    true,
						},
					},
				},
			},
		},
	}
}

func (d *ProjectCredentialsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureClient(req, resp)
}

// projectCredentials is what was read for one project; a nil listing was
// not asked for.
type projectCredentials struct {
	envVars *circleci.ProjectListing[circleci.ProjectEnvVar]
	keys    *circleci.ProjectListing[circleci.CheckoutKey]
	tokens  *circleci.ProjectListing[circleci.ProjectAPIToken]
}

// credentialsToRead says which endpoints to read.
type credentialsToRead struct{ envVars, keys, tokens bool }

func (d *ProjectCredentialsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state ProjectCredentialsDataSourceModel
	ctx, orgID, ok := beginOrgRead(ctx, req, resp, d.data, &state, &state.OrganizationID)
	if !ok {
		return
	}
	read := credentialsToRead{
		envVars: boolOr(state.IncludeEnvVars, true),
		keys:    boolOr(state.IncludeCheckoutKeys, true),
		tokens:  boolOr(state.IncludeAPITokens, true),
	}
	projects, ok := readProjectScope(ctx, d.data.client, orgID, state.ProjectIDs, &resp.Diagnostics)
	if !ok {
		return
	}
	c := d.data.client
	got, err := circleci.FanOut(ctx, projects, func(ctx context.Context, p scopedProject) (projectCredentials, error) {
		return readProjectCredentials(ctx, c, p, read)
	})
	if err != nil {
		resp.Diagnostics.Append(projectEndpointDiagnostic(err, "Project Credentials"))
		return
	}
	state.OrganizationID = types.StringValue(orgID)
	state.IncludeEnvVars = types.BoolValue(read.envVars)
	state.IncludeCheckoutKeys = types.BoolValue(read.keys)
	state.IncludeAPITokens = types.BoolValue(read.tokens)
	var unexpected map[string][]string
	state.Projects, unexpected = projectCredentialsToModel(projects, got)
	resp.Diagnostics.Append(notApplicableWarning(unexpected)...)
	resp.Diagnostics.Append(setState(ctx, &resp.State, state)...)
}

// readProjectCredentials reads what read asks of one project, skipping
// checkout keys where the project's slug says they do not apply.
func readProjectCredentials(ctx context.Context, c *circleci.Client, p scopedProject, read credentialsToRead) (projectCredentials, error) {
	var out projectCredentials
	tag := func(e projectEndpoint, err error) error {
		return &projectEndpointError{endpoint: e, project: p, err: err}
	}
	if read.envVars {
		l, err := c.ProjectEnvVars(ctx, p.Slug)
		if err != nil {
			return out, tag(endpointEnvVars, err)
		}
		out.envVars = &l
	}
	if read.keys && checkoutKeysApply(p.Family) {
		l, err := c.CheckoutKeys(ctx, p.Slug)
		if err != nil {
			return out, tag(endpointCheckoutKeys, err)
		}
		out.keys = &l
	}
	if read.tokens {
		l, err := c.ProjectAPITokens(ctx, p.Slug)
		if err != nil {
			return out, tag(endpointAPITokens, err)
		}
		out.tokens = &l
	}
	return out, nil
}

// checkoutKeysApply: CircleCI keeps checkout keys for OAuth projects only; a
// standalone project's listing is an empty list that would read as "none".
// A slug of another form is read (toward more exposure).
func checkoutKeysApply(f projectFamily) bool { return !f.isStandalone() }

// projectCredentialsToModel builds one entry per project, in the order
// given, and returns the attributes CircleCI said did not apply although
// the slug said they did, by attribute, for the warning.
func projectCredentialsToModel(projects []scopedProject, got map[scopedProject]projectCredentials) ([]ProjectCredentialsModel, map[string][]string) {
	out := make([]ProjectCredentialsModel, len(projects))
	unexpected := map[string][]string{}
	for i, p := range projects {
		c := got[p]
		m := ProjectCredentialsModel{ID: types.StringValue(p.ID), Slug: types.StringValue(p.Slug), Name: types.StringValue(p.Name), NotApplicable: []string{}}
		notApplicable := func(attr string, byCircleCI bool) {
			m.NotApplicable = append(m.NotApplicable, attr)
			if byCircleCI {
				unexpected[attr] = append(unexpected[attr], p.Slug)
			}
		}
		if c.envVars != nil {
			if c.envVars.NotSupported {
				notApplicable(endpointEnvVars.attr, true)
			} else {
				m.EnvironmentVariables = projectEnvVarsToModel(c.envVars.Items)
			}
		}
		switch {
		case c.keys != nil && c.keys.NotSupported:
			notApplicable(endpointCheckoutKeys.attr, true)
		case c.keys != nil:
			m.CheckoutKeys = checkoutKeysToModel(c.keys.Items)
		case !checkoutKeysApply(p.Family):
			notApplicable(endpointCheckoutKeys.attr, false)
		}
		if c.tokens != nil {
			if c.tokens.NotSupported {
				notApplicable(endpointAPITokens.attr, true)
			} else {
				m.APITokens = projectAPITokensToModel(c.tokens.Items)
			}
		}
		slices.Sort(m.NotApplicable)
		out[i] = m
	}
	return out, unexpected
}

func optionalString(s *string) types.String {
	if s == nil {
		return types.StringNull()
	}
	return types.StringValue(*s)
}

func projectEnvVarsToModel(vars []circleci.ProjectEnvVar) []ProjectEnvVarModel {
	sorted := slices.Clone(vars)
	slices.SortStableFunc(sorted, func(a, b circleci.ProjectEnvVar) int { return cmp.Compare(a.Name, b.Name) })
	out := make([]ProjectEnvVarModel, len(sorted))
	for i, v := range sorted {
		out[i] = ProjectEnvVarModel{Name: types.StringValue(v.Name), CreatedAt: optionalString(v.CreatedAt)}
	}
	return out
}

func checkoutKeysToModel(keys []circleci.CheckoutKey) []CheckoutKeyModel {
	sorted := slices.Clone(keys)
	slices.SortStableFunc(sorted, func(a, b circleci.CheckoutKey) int {
		return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.Fingerprint, b.Fingerprint))
	})
	out := make([]CheckoutKeyModel, len(sorted))
	for i, k := range sorted {
		out[i] = CheckoutKeyModel{Type: types.StringValue(k.Type), Fingerprint: types.StringValue(k.Fingerprint),
			Preferred: types.BoolValue(k.Preferred), CreatedAt: optionalString(k.CreatedAt)}
	}
	return out
}

func projectAPITokensToModel(tokens []circleci.ProjectAPIToken) []ProjectAPITokenModel {
	sorted := slices.Clone(tokens)
	slices.SortStableFunc(sorted, func(a, b circleci.ProjectAPIToken) int {
		return cmp.Or(cmp.Compare(a.Label, b.Label), cmp.Compare(a.ID, b.ID))
	})
	out := make([]ProjectAPITokenModel, len(sorted))
	for i, t := range sorted {
		out[i] = ProjectAPITokenModel{ID: types.StringValue(t.ID), Label: stringOrNull(t.Label), Scope: types.StringValue(t.Scope)}
	}
	return out
}

func (m ProjectCredentialsDataSourceModel) state() stateVal {
	return stateObject(
		stateAttr("organization_id", stateString(m.OrganizationID)),
		stateAttr("project_ids", stateStrings(m.ProjectIDs)),
		stateAttr("include_environment_variables", stateBool(m.IncludeEnvVars)),
		stateAttr("include_checkout_keys", stateBool(m.IncludeCheckoutKeys)),
		stateAttr("include_api_tokens", stateBool(m.IncludeAPITokens)),
		stateAttr("projects", stateList(m.Projects, ProjectCredentialsModel.state)),
	)
}

func (p ProjectCredentialsModel) state() stateVal {
	return stateObject(
		stateAttr("id", stateString(p.ID)),
		stateAttr("slug", stateString(p.Slug)),
		stateAttr("name", stateString(p.Name)),
		stateAttr("environment_variables", stateList(p.EnvironmentVariables, func(v ProjectEnvVarModel) stateVal {
			return stateObject(stateAttr("name", stateString(v.Name)), stateAttr("created_at", stateString(v.CreatedAt)))
		})),
		stateAttr("checkout_keys", stateList(p.CheckoutKeys, func(k CheckoutKeyModel) stateVal {
			return stateObject(stateAttr("type", stateString(k.Type)), stateAttr("fingerprint", stateString(k.Fingerprint)),
				stateAttr("preferred", stateBool(k.Preferred)), stateAttr("created_at", stateString(k.CreatedAt)))
		})),
		stateAttr("api_tokens", stateList(p.APITokens, func(t ProjectAPITokenModel) stateVal {
			return stateObject(stateAttr("id", stateString(t.ID)), stateAttr("label", stateString(t.Label)), stateAttr("scope", stateString(t.Scope)))
		})),
		stateAttr("not_applicable", stateStrings(p.NotApplicable)),
	)
}
