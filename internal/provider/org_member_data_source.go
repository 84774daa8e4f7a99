package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/circleci-access/terraform-provider-circleci/internal/validators"
)

var (
	_ datasource.DataSourceWithConfigure        = (*OrgMemberDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*OrgMemberDataSource)(nil)
)

// OrgMemberDataSource looks up one member of an organization.
type OrgMemberDataSource struct {
	data *providerData
}

// OrgMemberDataSourceModel is the data source's state: the member's
// attributes are those of a circleci_org_members member.
type OrgMemberDataSourceModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	IncludeDetails types.Bool   `tfsdk:"include_user_details"`
	Found          types.Bool   `tfsdk:"found"`
	MemberModel
}

// NewOrgMemberDataSource is the data source's constructor.
func NewOrgMemberDataSource() datasource.DataSource { return &OrgMemberDataSource{} }

func (d *OrgMemberDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_org_member"
}

func (d *OrgMemberDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	key := func(what string, v validator.String) schema.StringAttribute {
		return schema.StringAttribute{
			MarkdownDescription: what + " Set exactly one of `id`, `login` or `email`. In state, the member's own value; " +
				"null when `found` is false.",
			Optional:   true,
			Computed:   true,
			Validators: []validator.String{v},
		}
	}
	computed := func(what string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: what, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "One member of a CircleCI organization, looked up by `id`, `login` or `email`. A member that is " +
			"not found is not an error: `found` is false and the member's attributes are null, so a policy can assert on " +
			"`found`. It reads the same listing as `circleci_org_members`: any number of either data source on one " +
			"organization cost one listing per run.\n\n" +
			"~> This reads `GET /private/ciam/orgs/{organization_id}/role-grants`, the endpoint CircleCI's web app uses. " +
			"CircleCI does not document it, and may change it.",
		Attributes: map[string]schema.Attribute{
			"organization_id": organizationIDAttribute(),
			"include_user_details": schema.BoolAttribute{
				MarkdownDescription: "Also read the member's `name` and `vcs_login` from `GET /api/v2/user/{id}` " +
					"(one request, shared with `circleci_org_members` in the same run). When CircleCI answers 404 for the member " +
					"(a deleted user), both stay null and the read adds a warning; any other failure fails the read. Default: `false`.",
				Optional: true,
			},
			"id": key("The member's CircleCI user ID (a UUID), compared without regard to case.", validators.UserID()),
			"login": key("The member's login, compared without regard to case. A login shared by more than one member is an error.",
				stringvalidator.LengthAtLeast(1)),
			"email": key("The member's email address, compared without regard to case. CircleCI often has no email for a "+
				"member: such members are never found by email. An email shared by more than one member is an error.", validators.Email()),
			"found": schema.BoolAttribute{
				MarkdownDescription: "Whether the organization has a member with the given `id`, `login` or `email`.",
				Computed:            true,
			},
			"role": computed("Organization role: `admin`, `contributor` or `viewer`; a role CircleCI adds later is kept " +
				"exactly as the API gives it. Null when `found` is false."),
			"name": computed("The user's display name, read with `include_user_details`. Null without it, when CircleCI " +
				"gives none, or when `found` is false."),
			"vcs_login": computed("The user's VCS login: " + vcsLoginDoc + " Read with `include_user_details`; " +
				"null without it, or when `found` is false."),
		},
	}
}

// ConfigValidators requires exactly one of id, login and email, checked at plan time before any request.
func (d *OrgMemberDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		validators.ExactlyOneOf("Set one of id (the user's UUID), login or email to say which member to look up.", "id", "login", "email"),
	}
}

func (d *OrgMemberDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureClient(req, resp)
}

func (d *OrgMemberDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state OrgMemberDataSourceModel
	ctx, ok := beginRead(ctx, req, resp, d.data, &state)
	if !ok {
		return
	}
	orgID, ok := organizationIDOrDefault(state.OrganizationID, d.data, &resp.Diagnostics)
	if !ok {
		return
	}
	q := memberQueryFrom(state)

	all, ok := readOrgMembers(ctx, d.data, orgID, "", &resp.Diagnostics)
	if !ok {
		return
	}
	matches := findMembers(all.members, q)
	if len(matches) > 1 {
		resp.Diagnostics.AddAttributeError(path.Root(q.by), "Ambiguous Organization Member", fmt.Sprintf(
			"%d members of organization %s have the %s %q, so the provider cannot tell which one is meant. "+
				"Look the member up by id instead: circleci_org_members lists the members with their ids.",
			len(matches), orgID, q.by, q.value))
		return
	}
	if len(matches) == 1 && state.IncludeDetails.ValueBool() && !addMemberDetails(ctx, d.data, orgID, matches, &resp.Diagnostics) {
		return
	}
	member := MemberModel{}
	if len(matches) == 1 {
		member = matches[0]
	}
	state = orgMemberToModel(orgID, state.IncludeDetails, member, len(matches) == 1)
	resp.Diagnostics.Append(setState(ctx, &resp.State, state)...)
}

// memberQuery is the one lookup key set on circleci_org_member.
type memberQuery struct {
	by    string // "id", "login" or "email"
	value string
}

func memberQueryFrom(m OrgMemberDataSourceModel) memberQuery {
	switch {
	case !m.ID.IsNull():
		return memberQuery{by: "id", value: m.ID.ValueString()}
	case !m.Login.IsNull():
		return memberQuery{by: "login", value: m.Login.ValueString()}
	default:
		return memberQuery{by: "email", value: m.Email.ValueString()}
	}
}

// findMembers returns the members that q matches, without regard to case. A
// member without an email (null) never matches an email.
func findMembers(members []MemberModel, q memberQuery) []MemberModel {
	var out []MemberModel
	for _, m := range members {
		var v types.String
		switch q.by {
		case "id":
			v = m.ID
		case "login":
			v = m.Login
		case "email":
			v = m.Email
		}
		if !v.IsNull() && q.value != "" && strings.EqualFold(v.ValueString(), q.value) {
			out = append(out, m)
		}
	}
	return out
}

// orgMemberToModel is the state for one lookup: the member's attributes, or
// all of them null when the member was not found.
func orgMemberToModel(orgID string, includeDetails types.Bool, m MemberModel, found bool) OrgMemberDataSourceModel {
	if !found {
		null := types.StringNull()
		m = MemberModel{ID: null, Login: null, Email: null, Role: null, Name: null, VCSLogin: null}
	}
	return OrgMemberDataSourceModel{
		OrganizationID: types.StringValue(orgID),
		IncludeDetails: includeDetails,
		Found:          types.BoolValue(found),
		MemberModel:    m,
	}
}

// state is the data source's state, built without reflection (state_values.go).
func (m OrgMemberDataSourceModel) state() stateVal {
	return stateObject(append(m.attrs(),
		stateAttr("organization_id", stateString(m.OrganizationID)),
		stateAttr("include_user_details", stateBool(m.IncludeDetails)),
		stateAttr("found", stateBool(m.Found)),
	)...)
}
