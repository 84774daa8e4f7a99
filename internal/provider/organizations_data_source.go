package provider

import (
	"context"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

var _ datasource.DataSourceWithConfigure = (*OrganizationsDataSource)(nil)

// OrganizationsDataSource reads the organizations the token's user belongs to.
type OrganizationsDataSource struct {
	data *providerData
}

// OrganizationsDataSourceModel is the data source's state.
type OrganizationsDataSourceModel struct {
	VCSType       types.String        `tfsdk:"vcs_type"`
	Organizations []OrganizationModel `tfsdk:"organizations"`
	IDs           []string            `tfsdk:"ids"`
}

// OrganizationModel is one organization.
type OrganizationModel struct {
	ID        types.String `tfsdk:"id"`
	Name      types.String `tfsdk:"name"`
	Slug      types.String `tfsdk:"slug"`
	VCSType   types.String `tfsdk:"vcs_type"`
	AvatarURL types.String `tfsdk:"avatar_url"`
}

// NewOrganizationsDataSource is the data source's constructor.
func NewOrganizationsDataSource() datasource.DataSource { return &OrganizationsDataSource{} }

func (d *OrganizationsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organizations"
}

func (d *OrganizationsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The organizations and accounts the API token's user belongs to " +
			"(`GET /api/v2/me/collaborations`), sorted by `slug`. Use it to find an organization's ID.",
		Attributes: map[string]schema.Attribute{
			"vcs_type": schema.StringAttribute{
				MarkdownDescription: "Keep only organizations of this VCS type: `github`, `bitbucket`, `circleci` (standalone), " +
					"`gitlab`, or any other type CircleCI reports. Compared without regard to case.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"organizations": schema.ListNestedAttribute{
				MarkdownDescription: "The organizations, sorted by `slug`.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id": schema.StringAttribute{
							MarkdownDescription: "Organization ID (a UUID). Null for an account or organization that was never set up on CircleCI.",
							Computed:            true,
						},
						"name":       schema.StringAttribute{MarkdownDescription: "Organization name.", Computed: true},
						"slug":       schema.StringAttribute{MarkdownDescription: "Organization slug, e.g. `gh/acme` or `circleci/Xy12…`.", Computed: true},
						"vcs_type":   schema.StringAttribute{MarkdownDescription: "VCS type: `github`, `bitbucket`, `circleci`, `gitlab`, ….", Computed: true},
						"avatar_url": schema.StringAttribute{MarkdownDescription: "Avatar URL; null when CircleCI gives none.", Computed: true},
					},
				},
			},
			"ids": schema.ListAttribute{
				MarkdownDescription: "The non-null `id`s of `organizations`, in the same order.",
				ElementType:         types.StringType,
				Computed:            true,
			},
		},
	}
}

func (d *OrganizationsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureClient(req, resp)
}

func (d *OrganizationsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state OrganizationsDataSourceModel
	ctx, ok := beginRead(ctx, req, resp, d.data, &state)
	if !ok {
		return
	}

	collabs, err := d.data.client.Collaborations(ctx)
	if err != nil {
		resp.Diagnostics.Append(errorDiagnostic(err, organizationsHints))
		return
	}
	state.Organizations, state.IDs = organizationsToModel(collabs, state.VCSType.ValueString())
	resp.Diagnostics.Append(setState(ctx, &resp.State, state)...)
}

// organizationsToModel filters collaborations by VCS type (all when empty),
// sorts them by slug, and returns them with their non-null ids in order.
func organizationsToModel(collabs []circleci.Collaboration, vcsType string) ([]OrganizationModel, []string) {
	kept := make([]circleci.Collaboration, 0, len(collabs))
	for _, c := range collabs {
		if vcsType == "" || strings.EqualFold(c.VCSType, vcsType) {
			kept = append(kept, c)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool {
		if kept[i].Slug != kept[j].Slug {
			return kept[i].Slug < kept[j].Slug
		}
		return kept[i].Name < kept[j].Name
	})
	orgs := make([]OrganizationModel, 0, len(kept))
	ids := make([]string, 0, len(kept))
	for _, c := range kept {
		orgs = append(orgs, OrganizationModel{
			ID:        stringOrNull(ptrValue(c.ID)),
			Name:      types.StringValue(c.Name),
			Slug:      types.StringValue(c.Slug),
			VCSType:   types.StringValue(c.VCSType),
			AvatarURL: stringOrNull(c.AvatarURL),
		})
		if id := ptrValue(c.ID); id != "" {
			ids = append(ids, id)
		}
	}
	return orgs, ids
}

// state is the data source's state, built without reflection (state_values.go).
func (m OrganizationsDataSourceModel) state() stateVal {
	return stateObject(
		stateAttr("vcs_type", stateString(m.VCSType)),
		stateAttr("organizations", stateList(m.Organizations, func(o OrganizationModel) stateVal {
			return stateObject(
				stateAttr("id", stateString(o.ID)),
				stateAttr("name", stateString(o.Name)),
				stateAttr("slug", stateString(o.Slug)),
				stateAttr("vcs_type", stateString(o.VCSType)),
				stateAttr("avatar_url", stateString(o.AvatarURL)),
			)
		})),
		stateAttr("ids", stateStrings(m.IDs)),
	)
}
