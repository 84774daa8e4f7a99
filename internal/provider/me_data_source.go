package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

var _ datasource.DataSourceWithConfigure = (*MeDataSource)(nil)

// MeDataSource reads the user the API token belongs to.
type MeDataSource struct {
	data *providerData
}

// MeDataSourceModel is the data source's state.
type MeDataSourceModel struct {
	ID    types.String `tfsdk:"id"`
	Login types.String `tfsdk:"login"`
	Name  types.String `tfsdk:"name"`
}

// NewMeDataSource is the data source's constructor.
func NewMeDataSource() datasource.DataSource { return &MeDataSource{} }

func (d *MeDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_me"
}

func (d *MeDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The user the provider's API token belongs to (`GET /api/v2/me`). Use it to check that a pipeline " +
			"runs with the token of the account you expect. Only a personal API token has a user: a project or organization " +
			"token gets an error.",
		Attributes: map[string]schema.Attribute{
			"id":    schema.StringAttribute{MarkdownDescription: "CircleCI user ID (a UUID).", Computed: true},
			"login": schema.StringAttribute{MarkdownDescription: "The user's login on their VCS (GitHub, Bitbucket, GitLab).", Computed: true},
			"name":  schema.StringAttribute{MarkdownDescription: "The user's display name; null when CircleCI gives none.", Computed: true},
		},
	}
}

func (d *MeDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureClient(req, resp)
}

func (d *MeDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state MeDataSourceModel
	ctx, ok := beginRead(ctx, req, resp, d.data, &state)
	if !ok {
		return
	}
	me, err := d.data.client.Me(ctx)
	if err != nil {
		resp.Diagnostics.Append(errorDiagnostic(err, meHints))
		return
	}
	state = meToModel(me)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// meToModel maps the token's user; an empty name is null.
func meToModel(u *circleci.User) MeDataSourceModel {
	return MeDataSourceModel{
		ID:    types.StringValue(u.ID),
		Login: types.StringValue(u.Login),
		Name:  stringOrNull(u.Name),
	}
}
