package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*OrgMembersDataSource)(nil)

// OrgMembersDataSource reads the members of one organization with their roles.
type OrgMembersDataSource struct {
	data *providerData
}

// OrgMembersDataSourceModel is the data source's state.
type OrgMembersDataSourceModel struct {
	OrganizationID types.String  `tfsdk:"organization_id"`
	Role           types.String  `tfsdk:"role"`
	IncludeDetails types.Bool    `tfsdk:"include_user_details"`
	Members        []MemberModel `tfsdk:"members"`
	Logins         []string      `tfsdk:"logins"`
	MemberCount    types.Int64   `tfsdk:"member_count"`
	AdminCount     types.Int64   `tfsdk:"admin_count"`
	Unrecognized   []string      `tfsdk:"unrecognized_roles"`
}

// NewOrgMembersDataSource is the data source's constructor.
func NewOrgMembersDataSource() datasource.DataSource { return &OrgMembersDataSource{} }

func (d *OrgMembersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_org_members"
}

func (d *OrgMembersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The members of a CircleCI organization, each with their organization role and login. " +
			"Members are listed for standalone organizations (`vcs_type = \"circleci\"`); GitHub and Bitbucket organizations " +
			"take members and roles from the VCS, and CircleCI does not list them.\n\n" +
			"~> This reads `GET /private/ciam/orgs/{organization_id}/role-grants`, the endpoint CircleCI's web app uses. " +
			"CircleCI does not document it, and may change it.",
		Attributes: map[string]schema.Attribute{
			"organization_id": organizationIDAttribute(),
			"role": schema.StringAttribute{
				MarkdownDescription: "Keep only members with this role. The known roles are `admin`, `contributor` and `viewer`; " +
					"`admin` also keeps members whose role the provider does not recognise (assumed admin: see `unrecognized_roles`), " +
					"so that an admin allowlist sees them; any other value is matched against the role exactly as CircleCI names it " +
					"(case-insensitively), so a role CircleCI " +
					"adds later (e.g. `org-security-auditor`) can be filtered on. CircleCI's own names (`org-admin`) work too. " +
					"`admin_count` still counts the whole organization.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"include_user_details": schema.BoolAttribute{
				MarkdownDescription: "Also read each member's `name` and `vcs_login` from `GET /api/v2/user/{id}` " +
					"(one request per member, at most the provider's `max_concurrency` at a time, each user read once per run). " +
					"A member CircleCI answers 404 for (a deleted user) is still listed, with `name` and `vcs_login` null, and the read " +
					"adds one warning naming those users' IDs; any other failure fails the read. Default: `false`.",
				Optional: true,
			},
			"members": schema.ListNestedAttribute{
				MarkdownDescription: "The members, sorted by lower-cased `login`, then `id`. A user CircleCI lists more than once " +
					"appears once, with the highest of their roles (`admin` > `contributor` > `viewer`; a role the provider does not " +
					"recognise ranks with `admin`, below it when both are held).",
				Computed: true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: personAttributes(map[string]schema.Attribute{"role": schema.StringAttribute{
						MarkdownDescription: "Organization role: `admin`, `contributor` or `viewer` (CircleCI's `org-admin`, " +
							"`org-contributor`, `org-viewer`, in any case). A role CircleCI adds later is kept exactly as the API gives " +
							"it (e.g. `org-security-auditor`).",
						Computed: true,
					},
						"name": schema.StringAttribute{
							MarkdownDescription: "The user's display name. Null unless `include_user_details` is true.",
							Computed:            true,
						},
						"vcs_login": schema.StringAttribute{
							MarkdownDescription: "The user's VCS login: " + vcsLoginDoc + " Null unless `include_user_details` is true.",
							Computed:            true,
						},
					}),
				},
			},
			"logins": schema.ListAttribute{
				MarkdownDescription: "The `login`s of `members`, in the same order.",
				ElementType:         types.StringType,
				Computed:            true,
			},
			"member_count": schema.Int64Attribute{MarkdownDescription: "Number of entries in `members` (each user once).", Computed: true},
			"admin_count": schema.Int64Attribute{
				MarkdownDescription: "Number of admins in the whole organization, whatever `role` is set to; each user is counted once. " +
					"A member whose role the provider does not recognise is counted too (assumed admin: never fewer admins than there " +
					"may be; see `unrecognized_roles`). A listing with no `org-admin` at all is an error, since an organization always " +
					"has at least one admin.",
				Computed: true,
			},
			"unrecognized_roles": schema.ListAttribute{
				MarkdownDescription: "The organization role strings, sorted, that the provider does not recognise (anything but " +
					"CircleCI's admin, contributor and viewer roles, in any case), whatever `role` is set to. " + unrecognizedRoleRule +
					" Empty when there are none.",
				ElementType: types.StringType,
				Computed:    true,
			},
		},
	}
}

func (d *OrgMembersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureClient(req, resp)
}

func (d *OrgMembersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state OrgMembersDataSourceModel
	ctx, orgID, ok := beginOrgRead(ctx, req, resp, d.data, &state, &state.OrganizationID)
	if !ok {
		return
	}

	m, ok := readOrgMembers(ctx, d.data, orgID, state.Role.ValueString(), &resp.Diagnostics)
	if !ok {
		return
	}
	state.OrganizationID = types.StringValue(orgID)
	if state.IncludeDetails.ValueBool() && !addMemberDetails(ctx, d.data, orgID, m.members, &resp.Diagnostics) {
		return
	}
	state.Members, state.Logins = m.members, m.logins
	state.MemberCount = types.Int64Value(int64(len(m.members)))
	state.AdminCount = types.Int64Value(int64(m.adminCount))
	state.Unrecognized = m.holders.sorted()
	if len(m.holders) > 0 {
		resp.Diagnostics.Append(unrecognizedRolesWarning(orgID, m.holders))
	}
	resp.Diagnostics.Append(setState(ctx, &resp.State, state)...)
}

// state is the data source's state, built without reflection (state_values.go).
func (m OrgMembersDataSourceModel) state() stateVal {
	return stateObject(
		stateAttr("organization_id", stateString(m.OrganizationID)),
		stateAttr("role", stateString(m.Role)),
		stateAttr("include_user_details", stateBool(m.IncludeDetails)),
		stateAttr("members", stateList(m.Members, MemberModel.state)),
		stateAttr("logins", stateStrings(m.Logins)),
		stateAttr("member_count", stateInt64(m.MemberCount)),
		stateAttr("admin_count", stateInt64(m.AdminCount)),
		stateAttr("unrecognized_roles", stateStrings(m.Unrecognized)),
	)
}
