package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
	"github.com/circleci-access/terraform-provider-circleci/internal/validators"
)

var _ datasource.DataSourceWithConfigure = (*ProjectMembersDataSource)(nil)

// ProjectMembersDataSource reads who has a role on one project.
type ProjectMembersDataSource struct {
	data *providerData
}

// ProjectMembersDataSourceModel is the data source's state.
type ProjectMembersDataSourceModel struct {
	OrganizationID types.String             `tfsdk:"organization_id"`
	ProjectID      types.String             `tfsdk:"project_id"`
	Members        []ProjectMemberModel     `tfsdk:"members"`
	Groups         []ProjectGroupGrantModel `tfsdk:"groups"`
}

// ProjectMemberModel is one direct user grant.
type ProjectMemberModel struct {
	ID    types.String `tfsdk:"id"`
	Login types.String `tfsdk:"login"`
	Email types.String `tfsdk:"email"`
	Role  types.String `tfsdk:"role"`
}

// ProjectGroupGrantModel is one group grant.
type ProjectGroupGrantModel struct {
	ID   types.String `tfsdk:"id"`
	Name types.String `tfsdk:"name"`
	Role types.String `tfsdk:"role"`
}

// NewProjectMembersDataSource is the data source's constructor.
func NewProjectMembersDataSource() datasource.DataSource { return &ProjectMembersDataSource{} }

func (d *ProjectMembersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_project_members"
}

const projectRoleDescription = "The role on the project: `admin`, `contributor` or `viewer` (CircleCI's `project-admin`, " +
	"`project-contributor`, `project-viewer`, in any case). A role CircleCI adds later is kept exactly as the API gives it."

func (d *ProjectMembersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Who has a role on one project of a standalone CircleCI organization: direct user grants and group " +
			"grants. An organization role applies to every project besides these; `circleci_org_access` joins them.\n\n" +
			"~> This reads `GET {app_host}/private/ciam/orgs/{organization_id}/projects/{project_id}/role-grants` and " +
			"`GET /api/v2/organizations/{organization_id}/projects/{project_id}/groups`. CircleCI does not document either " +
			"(its web app uses them), and may change them; the group grants are not served on CircleCI Server.",
		Attributes: map[string]schema.Attribute{
			"organization_id": organizationIDAttribute(),
			"project_id": schema.StringAttribute{
				MarkdownDescription: "Project ID (a UUID); `circleci_projects` lists them.",
				Required:            true,
				Validators:          []validator.String{validators.UUID("The ids attribute of data source circleci_projects lists an organization's projects.")},
			},
			"members": schema.ListNestedAttribute{
				MarkdownDescription: "The direct user grants, sorted like `circleci_org_members` (lower-cased `login`, then `id`); " +
					"a user granted more than once appears once, with the highest role.",
				Computed: true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":    schema.StringAttribute{MarkdownDescription: "CircleCI user ID (a UUID).", Computed: true},
						"login": schema.StringAttribute{MarkdownDescription: "The user's login.", Computed: true},
						"email": schema.StringAttribute{MarkdownDescription: "Email address; null when CircleCI gives none.", Computed: true},
						"role":  schema.StringAttribute{MarkdownDescription: projectRoleDescription, Computed: true},
					},
				},
			},
			"groups": schema.ListNestedAttribute{
				MarkdownDescription: "The group grants, sorted by lower-cased `name`, then `id`. Every member of the group has the role.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":   schema.StringAttribute{MarkdownDescription: "Group ID (a UUID).", Computed: true},
						"name": schema.StringAttribute{MarkdownDescription: "The group's name.", Computed: true},
						"role": schema.StringAttribute{MarkdownDescription: projectRoleDescription, Computed: true},
					},
				},
			},
		},
	}
}

func (d *ProjectMembersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureClient(req, resp)
}

func (d *ProjectMembersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state ProjectMembersDataSourceModel
	ctx, ok := beginRead(ctx, req, resp, d.data, &state)
	if !ok {
		return
	}
	orgID, ok := organizationIDOrDefault(state.OrganizationID, d.data, &resp.Diagnostics)
	if !ok {
		return
	}
	projectID := state.ProjectID.ValueString()
	grants, err := d.data.client.AllProjectGrants(ctx, orgID, []string{projectID})
	if err != nil {
		resp.Diagnostics.Append(organizationDiagnostic(ctx, d.data.client, orgID, err, projectGrantsHints(orgID)))
		return
	}
	state.OrganizationID = types.StringValue(orgID)
	state.Members = projectMembersToModel(grants[projectID].Users)
	state.Groups = projectGroupsToModel(grants[projectID].Groups)
	resp.Diagnostics.Append(setState(ctx, &resp.State, state)...)
}

func projectMembersToModel(grants []circleci.RoleGrant) []ProjectMemberModel {
	uniq := uniqueGrants(grants)
	out := make([]ProjectMemberModel, len(uniq))
	for i, g := range uniq {
		out[i] = ProjectMemberModel{ID: types.StringValue(g.UserID), Login: types.StringValue(g.Username), Email: stringOrNull(g.Email), Role: types.StringValue(g.Role)}
	}
	return out
}

func projectGroupsToModel(groups []circleci.ProjectGroupGrant) []ProjectGroupGrantModel {
	sorted := slices.Clone(groups)
	slices.SortStableFunc(sorted, func(a, b circleci.ProjectGroupGrant) int { return byName(a.Name, a.ID, b.Name, b.ID) })
	out := make([]ProjectGroupGrantModel, len(sorted))
	for i, g := range sorted {
		out[i] = ProjectGroupGrantModel{ID: types.StringValue(g.ID), Name: types.StringValue(g.Name), Role: types.StringValue(NormalizeRole(g.Role))}
	}
	return out
}
