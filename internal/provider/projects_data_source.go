package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

var _ datasource.DataSourceWithConfigure = (*ProjectsDataSource)(nil)

// ProjectsDataSource reads the projects of an organization.
type ProjectsDataSource struct {
	data *providerData
}

// ProjectsDataSourceModel is the data source's state.
type ProjectsDataSourceModel struct {
	OrganizationID types.String   `tfsdk:"organization_id"`
	Projects       []ProjectModel `tfsdk:"projects"`
	IDs            []string       `tfsdk:"ids"`
}

// ProjectModel is one project.
type ProjectModel struct {
	ID   types.String `tfsdk:"id"`
	Slug types.String `tfsdk:"slug"`
	Name types.String `tfsdk:"name"`
}

// NewProjectsDataSource is the data source's constructor.
func NewProjectsDataSource() datasource.DataSource { return &ProjectsDataSource{} }

func (d *ProjectsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_projects"
}

func (d *ProjectsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The projects of a CircleCI organization.\n\n" +
			"~> This reads `GET /api/private/project?organization-id={organization_id}&page-size=50`, the only listing with each " +
			"project's id, slug and name together. CircleCI does not document it (its web app uses it), and may change it; " +
			"it pages by 50 because larger pages have failed.",
		Attributes: map[string]schema.Attribute{
			"organization_id": organizationIDAttribute(),
			"projects": schema.ListNestedAttribute{
				MarkdownDescription: "The projects, sorted by lower-cased `slug`, then `id`.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id": schema.StringAttribute{MarkdownDescription: "Project ID (a UUID).", Computed: true},
						"slug": schema.StringAttribute{
							MarkdownDescription: "The project's slug: `gh/<org>/<repo>` (or `bb/…`) for a repository-based project, " +
								"`circleci/<organization id>/<project id>` for a standalone one.",
							Computed: true,
						},
						"name": schema.StringAttribute{MarkdownDescription: "The project's name.", Computed: true},
					},
				},
			},
			"ids": schema.ListAttribute{
				MarkdownDescription: "The `id`s of `projects`, in the same order.",
				ElementType:         types.StringType,
				Computed:            true,
			},
		},
	}
}

func (d *ProjectsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureClient(req, resp)
}

func (d *ProjectsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state ProjectsDataSourceModel
	ctx, ok := beginRead(ctx, req, resp, d.data, &state)
	if !ok {
		return
	}
	orgID, ok := organizationIDOrDefault(state.OrganizationID, d.data, &resp.Diagnostics)
	if !ok {
		return
	}
	projects, err := d.data.client.Projects(ctx, orgID)
	if err != nil {
		resp.Diagnostics.Append(organizationDiagnostic(ctx, d.data.client, orgID, err, projectsHints(orgID)))
		return
	}
	state.OrganizationID = types.StringValue(orgID)
	state.Projects, state.IDs = projectsToModel(projects)
	resp.Diagnostics.Append(setState(ctx, &resp.State, state)...)
}

// sortedProjects is projects sorted by lower-cased slug, then id.
func sortedProjects(projects []circleci.Project) []circleci.Project {
	sorted := slices.Clone(projects)
	slices.SortStableFunc(sorted, func(a, b circleci.Project) int { return byName(a.Slug, a.ID, b.Slug, b.ID) })
	return sorted
}

func projectsToModel(projects []circleci.Project) ([]ProjectModel, []string) {
	sorted := sortedProjects(projects)
	out := make([]ProjectModel, len(sorted))
	ids := make([]string, len(sorted))
	for i, p := range sorted {
		out[i] = ProjectModel{ID: types.StringValue(p.ID), Slug: types.StringValue(p.Slug), Name: types.StringValue(p.Name)}
		ids[i] = p.ID
	}
	return out, ids
}
