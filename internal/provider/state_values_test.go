package provider

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
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
			MemberCount: types.Int64Null(), AdminCount: types.Int64Null()}},
		{"organizations", NewOrganizationsDataSource(), OrganizationsDataSourceModel{VCSType: types.StringNull(), Organizations: orgs, IDs: ids}},
		{"organizations, none", NewOrganizationsDataSource(), OrganizationsDataSourceModel{VCSType: types.StringValue("gitlab"), Organizations: noOrgs, IDs: noIDs}},
		{"org_member, found", NewOrgMemberDataSource(), orgMemberToModel(testOrgID, types.BoolValue(true), member, true)},
		{"org_member, not found", NewOrgMemberDataSource(), orgMemberToModel(testOrgID, types.BoolNull(), member, false)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { assertSameAsStateSet(t, tc.ds, tc.model) })
	}
}

// assertSameAsStateSet: setState's MessagePack, as server.go sends it, is
// what State.Set makes of the same typed model.
func assertSameAsStateSet(t *testing.T, ds datasource.DataSource, model stateValuer) {
	t.Helper()
	ctx := context.Background()
	reflected := emptyState(t, ds)
	if diags := reflected.Set(ctx, model); diags.HasError() {
		t.Fatalf("State.Set: %v", diags)
	}
	encoded := &encodedState{}
	if diags := setState(context.WithValue(ctx, encodedStateKey{}, encoded), new(emptyState(t, ds)), model); diags.HasError() {
		t.Fatalf("setState, encoded: %v", diags)
	}
	want, err := tfprotov6.NewDynamicValue(reflected.Raw.Type(), reflected.Raw)
	if err != nil {
		t.Fatal(err)
	}
	if encoded.value == nil || !bytes.Equal(encoded.value.MsgPack, want.MsgPack) {
		t.Errorf("MessagePack differs from tftypes':\n got %x\nwant %x", encoded.value, want.MsgPack)
	}
}

// brokenModel is a model whose state is the given value.
type brokenModel struct{ v stateVal }

func (b brokenModel) state() stateVal { return b.v }

// A value that does not fit the schema is a diagnostic, never a panic or
// MessagePack with an attribute silently null. (Outside the provider's
// server setState is the framework's State.Set, which checks the typed model
// itself.)
func TestSetStateRefusesMisfits(t *testing.T) {
	ctx := context.Background()
	full := func() []stateField {
		return orgMemberToModel(testOrgID, types.BoolNull(), MemberModel{}, false).state().kids
	}
	replace := func(name string, v stateVal) stateVal {
		attrs := full()
		for i := range attrs {
			if attrs[i].name == name {
				attrs[i].val = v
			}
		}
		return stateObject(attrs...)
	}
	missing := full()[1:]
	tests := map[string]struct {
		v    stateVal
		want string // in the diagnostic: where, and what
	}{
		"missing":     {stateObject(missing...), "state: object attributes: missing [id]"},
		"extra":       {stateObject(append(full(), stateAttr("surprise", stateVal{}))...), "unknown [surprise]"},
		"twice":       {stateObject(append(missing, full()[0], full()[0])...), "unknown [id (twice)]"},
		"wrong type":  {replace("found", rawString("yes")), "state.found: a string where the schema has tftypes.Bool"},
		"unknown":     {replace("found", stateBool(types.BoolUnknown())), "state.found: unknown value"},
		"not object":  {rawString("members"), "state: a string where the schema has tftypes.Object"},
		"list as str": {replace("id", stateStrings([]string{"a"})), "state.id: a list where"},
	}
	served := func(v stateVal) (*encodedState, diag.Diagnostics) {
		encoded := &encodedState{}
		st := emptyState(t, NewOrgMemberDataSource())
		return encoded, setState(context.WithValue(ctx, encodedStateKey{}, encoded), &st, brokenModel{v})
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			encoded, diags := served(tc.v)
			if !diags.HasError() || !strings.Contains(diags[0].Detail(), "bug in the provider") || !strings.Contains(diags[0].Detail(), tc.want) ||
				encoded.value != nil {
				t.Fatalf("diags = %v, value %v, want %q", diags, encoded.value, tc.want)
			}
		})
	}
	// And the unbroken model passes, so the cases above fail for their flaw.
	if encoded, diags := served(stateObject(full()...)); diags.HasError() || encoded.value == nil {
		t.Fatal(diags)
	}
}

// FuzzStateEncoding: whatever the members (any strings, any number of
// them, any roles and emails), the MessagePack setState writes for
// server.go is byte for byte what tftypes writes for the same state.
func FuzzStateEncoding(f *testing.F) {
	f.Add("alice", "a@example.com", "org-admin", uint16(3), false)
	f.Add("", "", "", uint16(0), true)
	f.Add(strings.Repeat("ü", 200), "\x00\xff", "org-viewer", uint16(17), true) // str16 strings, array16 list
	f.Add(strings.Repeat("x", 70000), "e", "org-contributor", uint16(1), false) // str32
	f.Fuzz(func(t *testing.T, login, email, role string, n uint16, details bool) {
		n %= 2000
		grants := make([]circleci.RoleGrant, n)
		for i := range grants {
			grants[i] = circleci.RoleGrant{UserID: fmt.Sprintf("6b0e0000-0000-4000-8000-%012d", i), Username: login + fmt.Sprint(i%7),
				Email: email[:min(len(email), i%5)], Role: role}
		}
		m := membersToModel(grants, "")
		if details && len(m.members) > 0 {
			addUserDetails(m.members, map[string]*circleci.User{m.members[0].ID.ValueString(): {Login: email, Name: login}})
		}
		assertSameAsStateSet(t, NewOrgMembersDataSource(), OrgMembersDataSourceModel{
			OrganizationID: types.StringValue(testOrgID), Role: types.StringNull(), IncludeDetails: types.BoolValue(details),
			Members: m.members, Logins: m.logins, MemberCount: types.Int64Value(int64(len(m.members))),
			AdminCount: types.Int64Value(int64(m.adminCount) - int64(n)), // negative numbers too
		})
	})
}
