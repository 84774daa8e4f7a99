package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

// emptyState is a null state of the data source's schema.
func emptyState(t testing.TB, ds datasource.DataSource) tfsdk.State {
	t.Helper()
	var resp datasource.SchemaResponse
	ds.Schema(context.Background(), datasource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("schema: %v", resp.Diagnostics)
	}
	return tfsdk.State{Schema: resp.Schema, Raw: tftypes.NewValue(resp.Schema.Type().TerraformType(context.Background()), nil)}
}

// TestStateWithoutReflection: for every model that builds its own state,
// the value equals what the framework's reflection (State.Set) makes of the
// same typed model.
func TestStateWithoutReflection(t *testing.T) {
	ctx := context.Background()
	grants := []circleci.RoleGrant{
		{UserID: "6b0e0000-0000-4000-8000-00000000000a", Username: "zoe", Email: "zoe@example.com", Role: "org-admin"},
		{UserID: "6b0e0000-0000-4000-8000-00000000000b", Username: "Bob", Email: "", Role: "org-contributor"},
		{UserID: "6b0e0000-0000-4000-8000-00000000000e", Username: "dave", Email: "d@example.com", Role: "org-security-auditor"},
	}
	all := membersToModel(grants, "")
	detailed := membersToModel(grants, "")
	addUserDetails(detailed.members, map[string]*circleci.User{"6b0e0000-0000-4000-8000-00000000000a": {Login: "zoe-gh", Name: "Zoe"}})
	none := membersToModel(nil, RoleAdmin)
	collabs := []circleci.Collaboration{
		{ID: strPtr("b"), VCSType: "github", Name: "acme", Slug: "gh/acme", AvatarURL: "https://a/acme"},
		{ID: nil, VCSType: "github", Name: "octocat", Slug: "gh/octocat"},
	}
	orgs, ids := organizationsToModel(collabs, "")
	noOrgs, noIDs := organizationsToModel(nil, "gitlab")
	member := all.members[0]

	tests := []struct {
		name  string
		ds    datasource.DataSource
		model stateValuer
	}{
		{"org_members, all", NewOrgMembersDataSource(), OrgMembersDataSourceModel{
			OrganizationID: types.StringValue(testOrgID), Role: types.StringNull(), IncludeDetails: types.BoolNull(),
			Members: all.members, Logins: all.logins, MemberCount: types.Int64Value(3), AdminCount: types.Int64Value(1)}},
		{"org_members, details", NewOrgMembersDataSource(), OrgMembersDataSourceModel{
			OrganizationID: types.StringValue(testOrgID), Role: types.StringValue(RoleAdmin), IncludeDetails: types.BoolValue(true),
			Members: detailed.members, Logins: detailed.logins, MemberCount: types.Int64Value(3), AdminCount: types.Int64Value(1)}},
		{"org_members, none", NewOrgMembersDataSource(), OrgMembersDataSourceModel{
			OrganizationID: types.StringValue(testOrgID), Role: types.StringValue(RoleAdmin), IncludeDetails: types.BoolValue(false),
			Members: none.members, Logins: none.logins, MemberCount: types.Int64Value(0), AdminCount: types.Int64Value(0)}},
		{"org_members, nil lists", NewOrgMembersDataSource(), OrgMembersDataSourceModel{
			OrganizationID: types.StringNull(), Role: types.StringNull(), IncludeDetails: types.BoolNull(),
			MemberCount: types.Int64Null(), AdminCount: types.Int64Unknown()}},
		{"organizations", NewOrganizationsDataSource(), OrganizationsDataSourceModel{VCSType: types.StringNull(), Organizations: orgs, IDs: ids}},
		{"organizations, none", NewOrganizationsDataSource(), OrganizationsDataSourceModel{VCSType: types.StringValue("gitlab"), Organizations: noOrgs, IDs: noIDs}},
		{"org_member, found", NewOrgMemberDataSource(), orgMemberToModel(testOrgID, types.BoolValue(true), member, true)},
		{"org_member, not found", NewOrgMemberDataSource(), orgMemberToModel(testOrgID, types.BoolNull(), member, false)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reflected := emptyState(t, tc.ds)
			if diags := reflected.Set(ctx, tc.model); diags.HasError() {
				t.Fatalf("State.Set: %v", diags)
			}
			direct := emptyState(t, tc.ds)
			if diags := setState(ctx, &direct, tc.model); diags.HasError() {
				t.Fatalf("setState: %v", diags)
			}
			if !direct.Raw.Equal(reflected.Raw) {
				t.Errorf("state differs from State.Set's:\n direct: %s\nreflect: %s", direct.Raw, reflected.Raw)
			}
		})
	}
}

// brokenModel builds a value that does not fit the schema.
type brokenModel struct{ attrs map[string]tftypes.Value }

func (b brokenModel) stateValue(typ tftypes.Object) (tftypes.Value, error) {
	return objectValue(typ, b.attrs)
}

// A value that does not fit the schema is a diagnostic, never a panic or a
// state with an attribute silently null.
func TestSetStateRefusesMisfits(t *testing.T) {
	ctx := context.Background()
	full := func() map[string]tftypes.Value {
		typ, ok := emptyState(t, NewOrgMemberDataSource()).Raw.Type().(tftypes.Object)
		if !ok {
			t.Fatal("the schema is not an object")
		}
		m, err := orgMemberToModel(testOrgID, types.BoolNull(), MemberModel{}, false).stateValue(typ)
		if err != nil {
			t.Fatal(err)
		}
		var attrs map[string]tftypes.Value
		if err := m.As(&attrs); err != nil {
			t.Fatal(err)
		}
		return attrs
	}
	missing := full()
	delete(missing, "found")
	extra := full()
	extra["surprise"] = tfNullString
	wrongType := full()
	wrongType["found"] = tftypes.NewValue(tftypes.String, "yes")
	for name, attrs := range map[string]map[string]tftypes.Value{"missing": missing, "extra": extra, "wrong type": wrongType} {
		t.Run(name, func(t *testing.T) {
			st := emptyState(t, NewOrgMemberDataSource())
			diags := setState(ctx, &st, brokenModel{attrs})
			if !diags.HasError() || !strings.Contains(diags[0].Detail(), "bug in the provider") {
				t.Fatalf("diags = %v", diags)
			}
			if !st.Raw.IsNull() {
				t.Error("a misfit was written to the state")
			}
		})
	}
}
