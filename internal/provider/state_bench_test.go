package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// BenchmarkMembersState is the state conversion alone for 10,000 members:
// the framework's reflection (State.Set on the typed model) against the
// state built directly (setState). Run with -bench; `go test` skips it.
func BenchmarkMembersState(b *testing.B) {
	const n = 10000
	grants := make([]circleci.RoleGrant, n)
	for i, g := range stateBenchGrants(n) {
		grants[i] = circleci.RoleGrant{UserID: g.UserID, Username: g.Username, Email: g.Email, Role: g.Role}
	}
	m := membersToModel(grants, "")
	model := OrgMembersDataSourceModel{
		OrganizationID: types.StringValue(testOrgID), Role: types.StringNull(), IncludeDetails: types.BoolNull(),
		Members: m.members, Logins: m.logins, MemberCount: types.Int64Value(n), AdminCount: types.Int64Value(int64(m.adminCount)),
	}
	ctx := context.Background()
	for _, path := range []string{"reflection", "direct"} {
		b.Run(fmt.Sprintf("%s/members=%d", path, n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				st := emptyState(b, NewOrgMembersDataSource())
				var diags interface{ HasError() bool }
				if path == "reflection" {
					diags = st.Set(ctx, model)
				} else {
					diags = setState(ctx, &st, model)
				}
				if diags.HasError() {
					b.Fatal(diags)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/n, "µs/member")
		})
	}
}

// BenchmarkOrgMembersReadInProcess is a whole circleci_org_members Read of
// 10,000 members through the provider's gRPC server in-process, against the
// fake with no latency: the provider's own CPU and allocations per member
// (the fake's included; BenchmarkOrgScaleRead and make bench separate them).
func BenchmarkOrgMembersReadInProcess(b *testing.B) {
	const n = 10000
	const org = "0b0b0000-0000-4000-8000-000000000001"
	s := fakeapi.New(&fakeapi.Fixture{Token: stateBenchToken, Members: map[string][]fakeapi.RoleGrant{org: stateBenchGrants(n)}, PageSize: 100})
	defer s.Close()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		srv := NewProtocol6("bench")()
		sch, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
		if err != nil {
			b.Fatal(err)
		}
		pt := sch.Provider.ValueType().(tftypes.Object)                                  //nolint:forcetypeassert // a block is an object
		dt := sch.DataSourceSchemas["circleci_org_members"].ValueType().(tftypes.Object) //nolint:forcetypeassert // a block is an object
		cfg := dynamicObject(b, pt, map[string]tftypes.Value{
			"api_token": tftypes.NewValue(tftypes.String, stateBenchToken), "host": tftypes.NewValue(tftypes.String, s.URL())})
		cr, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.10.0", Config: cfg})
		if err != nil || len(cr.Diagnostics) > 0 {
			b.Fatal(err, cr.Diagnostics)
		}
		rr, err := srv.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "circleci_org_members",
			Config: dynamicObject(b, dt, map[string]tftypes.Value{"organization_id": tftypes.NewValue(tftypes.String, org)})})
		if err != nil || len(rr.Diagnostics) > 0 {
			b.Fatal(err, rr.Diagnostics)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/n, "µs/member")
}

const stateBenchToken = "state-bench-token"

// stateBenchGrants is n members, a third of them without an email, one in
// fifty an admin.
func stateBenchGrants(n int) []fakeapi.RoleGrant {
	out := make([]fakeapi.RoleGrant, n)
	for i := range out {
		g := fakeapi.RoleGrant{UserID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i+1), Username: fmt.Sprintf("user%05d", i), Role: "org-contributor"}
		if i%3 != 0 {
			g.Email = g.Username + "@example.com"
		}
		if i%50 == 0 {
			g.Role = "org-admin"
		}
		out[i] = g
	}
	return out
}
