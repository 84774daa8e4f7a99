package provider

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

var _ datasource.DataSourceWithConfigure = (*ContextsDataSource)(nil)

// ContextsDataSource reads the contexts of an organization with their
// restrictions and variable names.
type ContextsDataSource struct {
	data *providerData
}

// ContextsDataSourceModel is the data source's state.
type ContextsDataSourceModel struct {
	OrganizationID types.String   `tfsdk:"organization_id"`
	Name           types.String   `tfsdk:"name"`
	IncludeEnvVars types.Bool     `tfsdk:"include_environment_variables"`
	Contexts       []ContextModel `tfsdk:"contexts"`
}

// ContextModel is one context.
type ContextModel struct {
	ID                   types.String       `tfsdk:"id"`
	Name                 types.String       `tfsdk:"name"`
	CreatedAt            types.String       `tfsdk:"created_at"`
	EnvironmentVariables []string           `tfsdk:"environment_variables"` // nil (null) when not included
	EnvVarsComplete      types.Bool         `tfsdk:"environment_variables_complete"`
	Restrictions         []RestrictionModel `tfsdk:"restrictions"`
	AllMembers           types.Bool         `tfsdk:"all_members"`
	AdminsOnly           types.Bool         `tfsdk:"admins_only"`
	Conditional          types.Bool         `tfsdk:"conditional"`
	GroupIDs             []string           `tfsdk:"group_ids"`
	ProjectIDs           []string           `tfsdk:"project_ids"`
	Expressions          []string           `tfsdk:"expressions"`
}

// RestrictionModel is one restriction of a context.
type RestrictionModel struct {
	ID    types.String `tfsdk:"id"`
	Type  types.String `tfsdk:"type"`
	Value types.String `tfsdk:"value"`
	Name  types.String `tfsdk:"name"`
}

// NewContextsDataSource is the data source's constructor.
func NewContextsDataSource() datasource.DataSource { return &ContextsDataSource{} }

func (d *ContextsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_contexts"
}

func (d *ContextsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The contexts of a CircleCI organization (the named sets of secrets jobs use), with who may use them: " +
			"their restrictions to security groups, projects and expressions, and the **names** of their environment variables. " +
			"Values are never read: CircleCI's `truncated_value` (the tail of each secret) is not kept, logged or stored.\n\n" +
			"This reads `GET /api/v2/context`, and for each context `GET /api/v2/context/{id}/restrictions` and " +
			"`GET /api/v2/context/{id}/environment-variable` (all documented; the `group` restriction type is returned although " +
			"CircleCI's API description omits it).",
		Attributes: map[string]schema.Attribute{
			"organization_id": organizationIDAttribute(),
			"name": schema.StringAttribute{
				MarkdownDescription: "Only the context with exactly this name (case-sensitive); `contexts` is empty when there is none. " +
					"Only that context's restrictions and variables are read.",
				Optional: true,
			},
			"include_environment_variables": schema.BoolAttribute{
				MarkdownDescription: "Also read the names of each context's environment variables. Default: `true`.",
				Optional:            true,
				Computed:            true,
			},
			"contexts": schema.ListNestedAttribute{
				MarkdownDescription: "The contexts, sorted by `name`, then `id`.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":         computedString("Context ID (a UUID)."),
						"name":       computedString("The context's name."),
						"created_at": computedString("When the context was created (RFC 3339), as CircleCI gives it."),
						"environment_variables": computedStringList("The names of the context's environment variables, sorted; never their values. " +
							"Null when `include_environment_variables` is false."),
						"environment_variables_complete": schema.BoolAttribute{
							MarkdownDescription: "False when CircleCI would not page past the names it gave (its page token has been " +
								"seen ignored after 100 names): `environment_variables` then holds those names only, and a warning names " +
								"the context. Null when `include_environment_variables` is false.",
							Computed: true,
						},
						"restrictions": schema.ListNestedAttribute{
							MarkdownDescription: "The context's restrictions, sorted by `type`, then `value`.",
							Computed:            true,
							NestedObject: schema.NestedAttributeObject{
								Attributes: map[string]schema.Attribute{
									"id": computedString("Restriction ID (a UUID)."),
									"type": computedString("`group` (value: a group ID; the organization's ID is the built-in \"All members\" group), " +
										"`project` (value: a project ID) or `expression` (value: the expression). A type CircleCI adds later " +
										"is kept as given."),
									"value": computedString("The restriction's value."),
									"name":  computedString("CircleCI's human-readable name for it (a project's or group's name); null when empty."),
								},
							},
						},
						"all_members": schema.BoolAttribute{
							MarkdownDescription: "True when the context has the \"All members\" group restriction (a `group` restriction " +
								"whose value is the organization's ID): any member may use it as far as groups go. Project and expression " +
								"restrictions still apply: every restriction type must pass (circleci-docs pull request #10754).",
							Computed: true,
						},
						"admins_only": schema.BoolAttribute{
							MarkdownDescription: "True when the context has no group restriction at all: only org admins may use it " +
								"(CircleCI's contexts guide: \"To make a context available only to the administrators of the organization, " +
								"you may remove all of the groups associated with a context\"), and nobody may while the organization " +
								"setting `is_context_group_restriction_required` is on (circleci-docs pull request #9912; " +
								"`circleci_org_access` reads it).",
							Computed: true,
						},
						"conditional": schema.BoolAttribute{
							MarkdownDescription: "True when the context has expression restrictions (or a restriction type CircleCI " +
								"added later): it may be used only when they hold, which cannot be evaluated from the API.",
							Computed: true,
						},
						"group_ids":   computedStringList("The values of the `group` restrictions, sorted."),
						"project_ids": computedStringList("The values of the `project` restrictions, sorted."),
						"expressions": computedStringList("The values of the `expression` restrictions, sorted."),
					},
				},
			},
		},
	}
}

func (d *ContextsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureClient(req, resp)
}

func (d *ContextsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state ContextsDataSourceModel
	ctx, orgID, ok := beginOrgRead(ctx, req, resp, d.data, &state, &state.OrganizationID)
	if !ok {
		return
	}
	includeEnv := boolOr(state.IncludeEnvVars, true)
	contexts, err := d.data.client.Contexts(ctx, orgID)
	if err != nil {
		resp.Diagnostics.Append(errorDiagnostic(err, contextsHints(orgID)))
		return
	}
	if !state.Name.IsNull() {
		contexts = contextsNamed(contexts, state.Name.ValueString())
	}
	details, err := d.data.client.AllContextDetails(ctx, contextIDs(contexts), includeEnv)
	if err != nil {
		resp.Diagnostics.Append(errorDiagnostic(err, contextDetailsHints()))
		return
	}
	state.OrganizationID = types.StringValue(orgID)
	state.IncludeEnvVars = types.BoolValue(includeEnv)
	state.Contexts = contextsToModel(contexts, details, orgID)
	for _, c := range state.Contexts {
		if !c.EnvVarsComplete.IsNull() && !c.EnvVarsComplete.ValueBool() {
			resp.Diagnostics.AddWarning("Incomplete Variable Names of Context "+c.Name.ValueString(),
				fmt.Sprintf("CircleCI ignored the page token of GET /api/v2/context/%s/environment-variable and answered with the first "+
					"page again, so only the first %d variable names of context %q (%s) could be read. Its environment_variables lists "+
					"those, and environment_variables_complete is false: a policy can assert on it. This is a known CircleCI quirk; "+
					"the context's full list is in CircleCI's web app.",
					c.ID.ValueString(), len(c.EnvironmentVariables), c.Name.ValueString(), c.ID.ValueString()))
		}
	}
	resp.Diagnostics.Append(setState(ctx, &resp.State, state)...)
}

func contextsNamed(contexts []circleci.Context, name string) []circleci.Context {
	var out []circleci.Context
	for _, c := range contexts {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

// contextsToModel sorts contexts by name then id and joins each with its
// restrictions and variable names.
func contextsToModel(contexts []circleci.Context, details map[string]circleci.ContextDetails, orgID string) []ContextModel {
	sorted := slices.Clone(contexts)
	slices.SortStableFunc(sorted, func(a, b circleci.Context) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	out := make([]ContextModel, len(sorted))
	for i, c := range sorted {
		d := details[c.ID]
		rs := restrictionsOf(d.Restrictions, orgID)
		m := ContextModel{
			ID:              types.StringValue(c.ID),
			Name:            types.StringValue(c.Name),
			CreatedAt:       types.StringValue(c.CreatedAt),
			EnvVarsComplete: types.BoolNull(),
			Restrictions:    restrictionsToModel(d.Restrictions),
			AllMembers:      types.BoolValue(rs.allMembers),
			AdminsOnly:      types.BoolValue(rs.adminsOnly()),
			Conditional:     types.BoolValue(rs.conditional()),
			GroupIDs:        rs.groupIDs,
			ProjectIDs:      rs.projectIDs,
			Expressions:     rs.expressions,
		}
		if d.EnvVars != nil {
			m.EnvironmentVariables = sortedStrings(d.EnvVars.Names)
			m.EnvVarsComplete = types.BoolValue(d.EnvVars.Complete)
		}
		out[i] = m
	}
	return out
}

// restrictionsToModel sorts restrictions by type then value (then id).
func restrictionsToModel(rs []circleci.Restriction) []RestrictionModel {
	sorted := slices.Clone(rs)
	slices.SortStableFunc(sorted, func(a, b circleci.Restriction) int {
		return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.Value, b.Value), cmp.Compare(a.ID, b.ID))
	})
	out := make([]RestrictionModel, len(sorted))
	for i, r := range sorted {
		name := ""
		if r.Name != nil {
			name = *r.Name
		}
		out[i] = RestrictionModel{ID: types.StringValue(r.ID), Type: types.StringValue(r.Type), Value: types.StringValue(r.Value), Name: stringOrNull(name)}
	}
	return out
}

func (m ContextsDataSourceModel) state() stateVal {
	return stateObject(
		stateAttr("organization_id", stateString(m.OrganizationID)),
		stateAttr("name", stateString(m.Name)),
		stateAttr("include_environment_variables", stateBool(m.IncludeEnvVars)),
		stateAttr("contexts", stateList(m.Contexts, ContextModel.state)),
	)
}

func (c ContextModel) state() stateVal {
	return stateObject(
		stateAttr("id", stateString(c.ID)),
		stateAttr("name", stateString(c.Name)),
		stateAttr("created_at", stateString(c.CreatedAt)),
		stateAttr("environment_variables", stateStrings(c.EnvironmentVariables)),
		stateAttr("environment_variables_complete", stateBool(c.EnvVarsComplete)),
		stateAttr("restrictions", stateList(c.Restrictions, RestrictionModel.state)),
		stateAttr("all_members", stateBool(c.AllMembers)),
		stateAttr("admins_only", stateBool(c.AdminsOnly)),
		stateAttr("conditional", stateBool(c.Conditional)),
		stateAttr("group_ids", stateStrings(c.GroupIDs)),
		stateAttr("project_ids", stateStrings(c.ProjectIDs)),
		stateAttr("expressions", stateStrings(c.Expressions)),
	)
}

func (r RestrictionModel) state() stateVal {
	return stateObject(
		stateAttr("id", stateString(r.ID)),
		stateAttr("type", stateString(r.Type)),
		stateAttr("value", stateString(r.Value)),
		stateAttr("name", stateString(r.Name)),
	)
}
