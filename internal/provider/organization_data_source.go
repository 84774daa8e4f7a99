package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
	"github.com/circleci-access/terraform-provider-circleci/internal/validators"
)

var (
	_ datasource.DataSourceWithConfigure        = (*OrganizationDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*OrganizationDataSource)(nil)
)

// OrganizationDataSource reads one organization by id or slug.
type OrganizationDataSource struct {
	data *providerData
}

// OrganizationDataSourceModel is the data source's state.
type OrganizationDataSourceModel struct {
	ID      types.String `tfsdk:"id"`
	Slug    types.String `tfsdk:"slug"`
	Name    types.String `tfsdk:"name"`
	VCSType types.String `tfsdk:"vcs_type"`
}

// NewOrganizationDataSource is the data source's constructor.
func NewOrganizationDataSource() datasource.DataSource { return &OrganizationDataSource{} }

func (d *OrganizationDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organization"
}

func (d *OrganizationDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "One CircleCI organization, by exactly one of `id` or `slug` " +
			"(`GET /api/v2/organization/{org-slug-or-id}`). Use it to resolve a slug such as `gh/acme` to the organization's " +
			"`id`, instead of pasting the UUID. CircleCI answers the same \"not found\" for an organization that does not " +
			"exist and for one the token cannot see.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Organization ID (a UUID). Set this or `slug`; when `slug` is set, the ID CircleCI reports.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{validators.UUID("The ids attribute of data source circleci_organizations lists the organizations the token can see.")},
			},
			"slug": schema.StringAttribute{
				MarkdownDescription: "Organization slug: the VCS type and the organization's name, such as `gh/acme`, `bb/acme` " +
					"or `circleci/AbCd12` (standalone organizations), matched as CircleCI matches it (it also accepts " +
					"`github/acme`). Set this or `id`; in state, the slug CircleCI reports.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{validators.OrgSlug()},
			},
			"name":     schema.StringAttribute{MarkdownDescription: "Organization name.", Computed: true},
			"vcs_type": schema.StringAttribute{MarkdownDescription: "VCS type: `github`, `bitbucket`, `circleci` (standalone), ….", Computed: true},
		},
	}
}

// ConfigValidators requires exactly one of id and slug, checked at plan time before any request.
func (d *OrganizationDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		validators.ExactlyOneOf(`Set id to the organization's UUID, or slug to its slug (e.g. "gh/acme"), not both.`, "id", "slug"),
	}
}

func (d *OrganizationDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureClient(req, resp)
}

func (d *OrganizationDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state OrganizationDataSourceModel
	ctx, ok := beginRead(ctx, req, resp, d.data, &state)
	if !ok {
		return
	}
	key := state.ID.ValueString()
	if key == "" {
		key = state.Slug.ValueString()
	}
	org, err := d.data.client.Organization(ctx, key)
	if err != nil {
		resp.Diagnostics.Append(errorDiagnostic(err, organizationHints(key)))
		return
	}
	state = organizationToModel(org)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// organizationToModel maps an organization as CircleCI reports it.
func organizationToModel(o *circleci.Organization) OrganizationDataSourceModel {
	return OrganizationDataSourceModel{
		ID:      types.StringValue(o.ID),
		Slug:    types.StringValue(o.Slug),
		Name:    types.StringValue(o.Name),
		VCSType: types.StringValue(o.VCSType),
	}
}
