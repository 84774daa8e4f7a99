package provider

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
	"github.com/circleci-access/terraform-provider-circleci/internal/validators"
)

// configureClient is the shared body of every data source's Configure.
func configureClient(req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) *providerData {
	if req.ProviderData == nil {
		return nil // validation runs before the provider is configured
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected Data Source Configure Type",
			fmt.Sprintf("Expected *providerData, got: %T. This is a bug in the provider, please report it.", req.ProviderData))
		return nil
	}
	return data
}

// beginRead is the shared start of every data source's Read: it decodes the
// configuration into state and returns the context to use from here on, with
// the token masked from everything logged with it. ok is false when the read
// must stop; the diagnostics say why.
func beginRead(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse, data *providerData, state any) (context.Context, bool) {
	resp.Diagnostics.Append(req.Config.Get(ctx, state)...)
	if resp.Diagnostics.HasError() {
		return ctx, false
	}
	if data == nil {
		resp.Diagnostics.AddError("Provider Not Configured",
			"The data source was read before the circleci provider was configured. This is a bug in the provider, please report it.")
		return ctx, false
	}
	return withTokenMasked(ctx, data.token), true
}

// beginOrgRead is beginRead for a data source that reads one organization:
// it also returns that organization's id, the data source's organization_id
// (orgID points at the model's field, read after the configuration is
// decoded) or else the provider's default.
func beginOrgRead(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse, data *providerData, state any,
	orgID *types.String) (context.Context, string, bool) {
	ctx, ok := beginRead(ctx, req, resp, data, state)
	if !ok {
		return ctx, "", false
	}
	id, ok := organizationIDOrDefault(*orgID, data, &resp.Diagnostics)
	return ctx, id, ok
}

// organizationIDOrDefault is the organization a members data source reads:
// its own organization_id, else the provider's default. Without either it
// adds an attribute error and returns false.
func organizationIDOrDefault(configured types.String, data *providerData, diags *diag.Diagnostics) (string, bool) {
	orgID := configured.ValueString()
	if orgID == "" {
		orgID = data.organizationID
	}
	if orgID == "" {
		diags.AddAttributeError(path.Root("organization_id"), "Missing Organization ID",
			"Set organization_id on this data source, or organization_id in the provider block (or the "+EnvOrgID+
				" environment variable). The ids attribute of circleci_organizations lists the organizations the token can see.")
		return "", false
	}
	return orgID, true
}

// organizationIDAttribute is the organization_id argument of every
// organization-scoped data source: optional, defaulting to the provider's,
// and always written to state.
func organizationIDAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "Organization ID (a UUID). Defaults to the provider's `organization_id` (or `" + EnvOrgID + "`); " +
			"the ID read is always in state.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{validators.UUID("The ids attribute of data source circleci_organizations lists the organizations the token can see.")},
	}
}

// boolOr is b's value, or def when b is null or unknown.
func boolOr(b types.Bool, def bool) bool {
	if b.IsNull() || b.IsUnknown() {
		return def
	}
	return b.ValueBool()
}

// byLogin orders people like circleci_org_members: lower-cased login, then id.
func byLogin(loginA, idA, loginB, idB string) int {
	if c := cmp.Compare(strings.ToLower(loginA), strings.ToLower(loginB)); c != 0 {
		return c
	}
	return cmp.Compare(idA, idB)
}

// byName orders named things by lower-cased name, then id.
func byName(nameA, idA, nameB, idB string) int {
	return byLogin(nameA, idA, nameB, idB)
}

// sortedStrings returns a sorted copy of ss, never nil (an empty list, not
// null, in state).
func sortedStrings(ss []string) []string {
	out := append(make([]string, 0, len(ss)), ss...)
	slices.Sort(out)
	return out
}

// stringOrNull maps "" to null.
func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func ptrValue(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func groupIDs(groups []circleci.Group) []string {
	ids := make([]string, len(groups))
	for i, g := range groups {
		ids[i] = g.ID
	}
	return ids
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

// sortedProjects is projects sorted by lower-cased slug, then id.
func sortedProjects(projects []circleci.Project) []circleci.Project {
	sorted := slices.Clone(projects)
	slices.SortStableFunc(sorted, func(a, b circleci.Project) int { return byName(a.Slug, a.ID, b.Slug, b.ID) })
	return sorted
}

// personAttributes are the id, login and email of a person in every list of
// people (members, group members, project members, access users), described
// once; extra holds the list's own attributes.
func personAttributes(extra map[string]schema.Attribute) map[string]schema.Attribute {
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{MarkdownDescription: "CircleCI user ID (a UUID). Logins are not unique across identity providers: " +
			"key on this.", Computed: true},
		"login": schema.StringAttribute{MarkdownDescription: "The user's login (their VCS or CircleCI username).", Computed: true},
		"email": schema.StringAttribute{MarkdownDescription: "Email address; null when CircleCI gives none (often).", Computed: true},
	}
	maps.Copy(attrs, extra)
	return attrs
}

// computedString, computedBool and computedStringList are the read-only
// attributes every data source's schema is made of.
func computedString(desc string) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
}

func computedBool(desc string) schema.BoolAttribute {
	return schema.BoolAttribute{MarkdownDescription: desc, Computed: true}
}

func computedStringList(desc string) schema.ListAttribute {
	return schema.ListAttribute{MarkdownDescription: desc, ElementType: types.StringType, Computed: true}
}
