package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

var _ datasource.DataSourceWithConfigure = (*GroupsDataSource)(nil)

// GroupsDataSource reads the groups of an organization with their members.
type GroupsDataSource struct {
	data *providerData
}

// GroupsDataSourceModel is the data source's state.
type GroupsDataSourceModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	IncludeMembers types.Bool   `tfsdk:"include_members"`
	Groups         []GroupModel `tfsdk:"groups"`
}

// GroupModel is one group.
type GroupModel struct {
	ID          types.String       `tfsdk:"id"`
	Name        types.String       `tfsdk:"name"`
	Description types.String       `tfsdk:"description"`
	Members     []GroupMemberModel `tfsdk:"members"` // nil (null) without include_members
	MemberCount types.Int64        `tfsdk:"member_count"`
}

// GroupMemberModel is one member of a group.
type GroupMemberModel struct {
	ID    types.String `tfsdk:"id"`
	Login types.String `tfsdk:"login"`
	Email types.String `tfsdk:"email"`
}

// NewGroupsDataSource is the data source's constructor.
func NewGroupsDataSource() datasource.DataSource { return &GroupsDataSource{} }

func (d *GroupsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_groups"
}

func (d *GroupsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The groups of a CircleCI organization, each with its members. CircleCI lists the groups of standalone " +
			"organizations (`vcs_type = \"circleci\"`). On a GitHub or Bitbucket (OAuth) organization, whose security groups are the " +
			"VCS's teams, CircleCI answers an empty list: there `groups` is **null** (never `[]`), with a warning that names the " +
			"organization's type, read from `GET /api/v2/me/collaborations` (or `GET /api/v2/organization/{id}` when the token's user " +
			"is not listed as a member). Read such teams with the GitHub or Bitbucket provider instead.\n\n" +
			"~> This reads `GET /api/v2/organizations/{organization_id}/groups` and, for each group, " +
			"`GET {app_host}/private/ciam/orgs/{organization_id}/groups/{group_id}/users`. CircleCI does not document the " +
			"group members endpoint (its web app uses it), and may change it.",
		Attributes: map[string]schema.Attribute{
			"organization_id": organizationIDAttribute(),
			"include_members": schema.BoolAttribute{
				MarkdownDescription: "Also read each group's members (one request per group, at most the provider's " +
					"`max_concurrency` at a time, each group read once per run). Default: `true`.",
				Optional: true,
				Computed: true,
			},
			"groups": schema.ListNestedAttribute{
				MarkdownDescription: "The groups, sorted by lower-cased `name`, then `id`. Null on a GitHub or Bitbucket " +
					"organization, whose groups CircleCI does not list.",
				Computed: true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id": schema.StringAttribute{MarkdownDescription: "Group ID (a UUID).", Computed: true},
						"name": schema.StringAttribute{
							MarkdownDescription: "The group's name.", Computed: true,
						},
						"description": schema.StringAttribute{
							MarkdownDescription: "The group's description; null when empty.", Computed: true,
						},
						"members": schema.ListNestedAttribute{
							MarkdownDescription: "The group's members, sorted like `circleci_org_members` (lower-cased `login`, " +
								"then `id`), each once. Null when `include_members` is false.",
							Computed: true,
							NestedObject: schema.NestedAttributeObject{
								Attributes: map[string]schema.Attribute{
									"id":    schema.StringAttribute{MarkdownDescription: "CircleCI user ID (a UUID).", Computed: true},
									"login": schema.StringAttribute{MarkdownDescription: "The user's login.", Computed: true},
									"email": schema.StringAttribute{MarkdownDescription: "Email address; null when CircleCI gives none.", Computed: true},
								},
							},
						},
						"member_count": schema.Int64Attribute{
							MarkdownDescription: "Number of entries in `members`; null when `include_members` is false.",
							Computed:            true,
						},
					},
				},
			},
		},
	}
}

func (d *GroupsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureClient(req, resp)
}

func (d *GroupsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state GroupsDataSourceModel
	ctx, ok := beginRead(ctx, req, resp, d.data, &state)
	if !ok {
		return
	}
	orgID, ok := organizationIDOrDefault(state.OrganizationID, d.data, &resp.Diagnostics)
	if !ok {
		return
	}
	include := boolOr(state.IncludeMembers, true)
	groups, err := d.data.client.Groups(ctx, orgID)
	if err != nil {
		resp.Diagnostics.Append(organizationDiagnostic(ctx, d.data.client, orgID, err, groupsHints(orgID)))
		return
	}
	state.OrganizationID = types.StringValue(orgID)
	state.IncludeMembers = types.BoolValue(include)
	if len(groups) == 0 {
		// CircleCI answers an empty list for an organization whose groups it
		// does not list (GitHub and Bitbucket OAuth organizations): that is
		// not "no groups", so groups is null there, with a warning.
		vcsType, source, err := organizationType(ctx, d.data.client, orgID)
		if err != nil {
			resp.Diagnostics.Append(errorDiagnostic(err, organizationTypeHints(orgID)))
			return
		}
		if isOAuthOrgType(vcsType) {
			resp.Diagnostics.Append(groupsNotListedWarning(orgID, vcsType, source))
			resp.Diagnostics.Append(setState(ctx, &resp.State, state)...)
			return
		}
	}
	var members map[string][]circleci.GroupMember
	if include {
		if members, err = d.data.client.AllGroupMembers(ctx, orgID, groupIDs(groups)); err != nil {
			resp.Diagnostics.Append(organizationDiagnostic(ctx, d.data.client, orgID, err, groupMembersHints(orgID)))
			return
		}
	}
	state.Groups = groupsToModel(groups, members, include)
	resp.Diagnostics.Append(setState(ctx, &resp.State, state)...)
}

func groupIDs(groups []circleci.Group) []string {
	ids := make([]string, len(groups))
	for i, g := range groups {
		ids[i] = g.ID
	}
	return ids
}

// groupsToModel sorts groups by lower-cased name then id; with members, each
// group's members are sorted like org members and listed once.
func groupsToModel(groups []circleci.Group, members map[string][]circleci.GroupMember, include bool) []GroupModel {
	sorted := slices.Clone(groups)
	slices.SortStableFunc(sorted, func(a, b circleci.Group) int { return byName(a.Name, a.ID, b.Name, b.ID) })
	out := make([]GroupModel, len(sorted))
	for i, g := range sorted {
		m := GroupModel{
			ID:          types.StringValue(g.ID),
			Name:        types.StringValue(g.Name),
			Description: stringOrNull(g.Description),
			MemberCount: types.Int64Null(),
		}
		if include {
			m.Members = groupMembersToModel(members[g.ID])
			m.MemberCount = types.Int64Value(int64(len(m.Members)))
		}
		out[i] = m
	}
	return out
}

// groupMembersToModel sorts a group's members by lower-cased login then id,
// keeping each user once; never nil.
func groupMembersToModel(members []circleci.GroupMember) []GroupMemberModel {
	uniq := uniqueGroupMembers(members)
	out := make([]GroupMemberModel, len(uniq))
	for i, gm := range uniq {
		out[i] = GroupMemberModel{ID: types.StringValue(gm.UserID), Login: types.StringValue(gm.Username), Email: stringOrNull(gm.Email)}
	}
	return out
}

// uniqueGroupMembers is members sorted by lower-cased login then id, each
// user id once.
func uniqueGroupMembers(members []circleci.GroupMember) []circleci.GroupMember {
	sorted := slices.Clone(members)
	slices.SortStableFunc(sorted, func(a, b circleci.GroupMember) int { return byLogin(a.Username, a.UserID, b.Username, b.UserID) })
	seen := make(map[string]bool, len(sorted))
	out := sorted[:0]
	for _, m := range sorted {
		if seen[m.UserID] {
			continue
		}
		seen[m.UserID] = true
		out = append(out, m)
	}
	return out
}

// organizationTypeHints explains a failed read of an organization's type,
// which circleci_groups needs to tell "no groups" from "groups not listed".
func organizationTypeHints(orgID string) endpointHints {
	return endpointHints{
		what: "Organization Type",
		notFound: "CircleCI listed no groups for organization " + orgID + ", and the provider could not read the organization's type " +
			"(GET /api/v2/organization/{org_id}) to tell an organization without groups from one whose groups CircleCI does not list " +
			"(GitHub and Bitbucket organizations). CircleCI answers 404 when the organization does not exist or the token cannot see it: " +
			"check organization_id (circleci_organizations lists the organizations the token's user belongs to).",
	}
}

// groupsNotListedWarning says that CircleCI does not list the groups of an
// OAuth organization, so groups is null, and what to use instead.
func groupsNotListedWarning(orgID, vcsType, source string) diag.Diagnostic {
	return diag.NewWarningDiagnostic("CircleCI Does Not List the Groups of This Organization",
		sanitizeDetail(fmt.Sprintf("Organization %s is %s (vcs_type %q, from %s). Its security groups are the VCS's teams, "+
			"which CircleCI's groups endpoint (GET /api/v2/organizations/{org_id}/groups) does not list: it answered an empty list. "+
			"groups is therefore null, not an empty list: a context restricted to a team is not \"restricted to nobody\". "+
			"Read the teams and their members from GitHub or Bitbucket instead (for GitHub, the github provider's github_team "+
			"data source), or use a standalone organization (vcs_type \"circleci\") to have CircleCI list groups.",
			orgID, orgTypeName(vcsType), vcsType, source)))
}
