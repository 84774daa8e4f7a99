package provider

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
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

// MemberModel is one member.
type MemberModel struct {
	ID    types.String `tfsdk:"id"`
	Login types.String `tfsdk:"login"`
	Email types.String `tfsdk:"email"`
	Role  types.String `tfsdk:"role"`
	// Name and VCSLogin are set only with include_user_details.
	Name     types.String `tfsdk:"name"`
	VCSLogin types.String `tfsdk:"vcs_login"`
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
					Attributes: map[string]schema.Attribute{
						"id":    schema.StringAttribute{MarkdownDescription: "CircleCI user ID (a UUID).", Computed: true},
						"login": schema.StringAttribute{MarkdownDescription: "The user's login (their VCS or CircleCI username).", Computed: true},
						"email": schema.StringAttribute{MarkdownDescription: "Email address; null when CircleCI gives none (often).", Computed: true},
						"role": schema.StringAttribute{
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
					},
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

// readOrgMembers is the organization's members with the given role (all
// when empty), from the run's one listing of its role grants (shared by
// every members data source through the client's memo).
func readOrgMembers(ctx context.Context, data *providerData, orgID, role string, diags *diag.Diagnostics) (membersResult, bool) {
	grants, err := data.client.OrgRoleGrants(ctx, orgID)
	if err != nil {
		diags.Append(errorDiagnostic(err, membersHints(orgID)))
		return membersResult{}, false
	}
	if err := checkOrgRoleGrants(grants); err != nil {
		diags.Append(roleGrantsNotUnderstood(orgID, err))
		return membersResult{}, false
	}
	return membersToModel(grants, role), true
}

// addMemberDetails fills name and vcs_login of members from user lookups
// (include_user_details). A deleted user (404) keeps nulls and adds one
// warning for all of them; any other failure is an error, and false.
func addMemberDetails(ctx context.Context, data *providerData, orgID string, members []MemberModel, diags *diag.Diagnostics) bool {
	ids := make([]string, len(members))
	for i, mm := range members {
		ids[i] = mm.ID.ValueString()
	}
	users, err := data.client.Users(ctx, ids)
	if err != nil {
		diags.Append(errorDiagnostic(err, userHints(err)))
		return false
	}
	if missing := addUserDetails(members, users); len(missing) > 0 {
		diags.Append(deletedMembersWarning(orgID, peopleByID(members, missing)))
	}
	return true
}

type membersResult struct {
	members    []MemberModel
	logins     []string
	adminCount int         // admins and holders of unrecognised roles (assumed admin)
	holders    roleHolders // of unrecognised roles
}

// membersToModel turns role grants into members: one per user (a user
// CircleCI lists more than once keeps the highest of their roles, and the
// first non-empty email), sorted by lower-cased login then id; keeps those
// with the given role (all when empty; compared as NormalizeRole reads
// roles, case-insensitively); and counts the admins of the whole
// organization, each once.
func membersToModel(grants []circleci.RoleGrant, role string) membersResult {
	type member struct {
		grant circleci.RoleGrant
		role  string
	}
	byID := make(map[string]int, len(grants))
	unique := make([]member, 0, len(grants))
	for _, g := range grants {
		r := NormalizeRole(g.Role)
		key := strings.ToLower(g.UserID)
		i, seen := byID[key]
		if !seen {
			byID[key] = len(unique)
			unique = append(unique, member{grant: g, role: r})
			continue
		}
		m := &unique[i]
		email := m.grant.Email
		if higherRole(r, m.role) {
			m.grant, m.role = g, r
		}
		if m.grant.Email == "" {
			m.grant.Email = cmp.Or(email, g.Email)
		}
	}
	slices.SortStableFunc(unique, func(a, b member) int {
		return byLogin(a.grant.Username, a.grant.UserID, b.grant.Username, b.grant.UserID)
	})
	want := NormalizeRole(role)
	res := membersResult{members: make([]MemberModel, 0, len(unique)), logins: make([]string, 0, len(unique)), holders: roleHolders{}}
	for _, g := range grants {
		res.holders.add(NormalizeRole(g.Role), g.UserID, g.Username)
	}
	for _, m := range unique {
		if roleRank(m.role) == rankAdmin {
			res.adminCount++
		}
		if role != "" && !strings.EqualFold(m.role, want) && (want != RoleAdmin || roleRank(m.role) != rankAdmin) {
			continue // role = "admin" keeps the roles assumed admin too: an allowlist of admins must see them
		}
		res.members = append(res.members, MemberModel{
			ID:       types.StringValue(m.grant.UserID),
			Login:    types.StringValue(m.grant.Username),
			Email:    stringOrNull(m.grant.Email),
			Role:     types.StringValue(m.role),
			Name:     types.StringNull(),
			VCSLogin: types.StringNull(),
		})
		res.logins = append(res.logins, m.grant.Username)
	}
	return res
}

// addUserDetails fills name and vcs_login from user lookups. A user the
// lookup could not find (nil in users: CircleCI answered 404) keeps nulls,
// and its id is returned, in the members' order.
func addUserDetails(members []MemberModel, users map[string]*circleci.User) (missing []string) {
	for i := range members {
		id := members[i].ID.ValueString()
		u := users[id]
		if u == nil {
			missing = append(missing, id)
			continue
		}
		members[i].Name = stringOrNull(u.Name)
		members[i].VCSLogin = stringOrNull(u.Login)
	}
	return missing
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

// state is one member.
func (m MemberModel) state() stateVal { return stateObject(m.attrs()...) }

// attrs are the member's attributes.
func (m MemberModel) attrs() []stateField {
	return []stateField{
		stateAttr("id", stateString(m.ID)),
		stateAttr("login", stateString(m.Login)),
		stateAttr("email", stateString(m.Email)),
		stateAttr("role", stateString(m.Role)),
		stateAttr("name", stateString(m.Name)),
		stateAttr("vcs_login", stateString(m.VCSLogin)),
	}
}
