package provider

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestServer_statePassesAreNoOps holds server.go to its premise: the
// framework's passes over a data source's state after Read (null blocks made
// empty, semantic equality) change nothing on this provider's schemas,
// because no schema has a block and no attribute has a custom type. A
// schema that breaks the premise fails here, naming what to review.
func TestServer_statePassesAreNoOps(t *testing.T) {
	ctx := context.Background()
	for _, newDS := range New("test")().DataSources(ctx) {
		ds := newDS()
		var md datasource.MetadataResponse
		ds.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "circleci"}, &md)
		var sr datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &sr)
		for _, problem := range statePassProblems(sr.Schema) {
			t.Errorf("%s: %s; server.go sends the state without the framework's passes over it, which this would need: review it", md.TypeName, problem)
		}
	}
}

// statePassProblems lists what in s the framework's post-Read passes would act on.
func statePassProblems(s schema.Schema) []string {
	var problems []string
	for name := range s.Blocks {
		problems = append(problems, fmt.Sprintf("block %q", name))
	}
	var walk func(prefix string, attrs map[string]schema.Attribute)
	walk = func(prefix string, attrs map[string]schema.Attribute) {
		for name, a := range attrs {
			p := prefix + name
			var custom bool
			switch a := a.(type) {
			case schema.StringAttribute:
				custom = a.CustomType != nil
			case schema.BoolAttribute:
				custom = a.CustomType != nil
			case schema.Int64Attribute:
				custom = a.CustomType != nil
			case schema.ListAttribute:
				custom = a.CustomType != nil || !plainElementType(a.ElementType)
			case schema.MapAttribute:
				custom = a.CustomType != nil || !plainElementType(a.ElementType)
			case schema.ListNestedAttribute:
				custom = a.CustomType != nil || a.NestedObject.CustomType != nil
				walk(p+".", a.NestedObject.Attributes)
			case schema.SingleNestedAttribute:
				custom = a.CustomType != nil
				walk(p+".", a.Attributes)
			default:
				problems = append(problems, fmt.Sprintf("attribute %q is a %T, which this test does not know", p, a))
			}
			if custom {
				problems = append(problems, fmt.Sprintf("attribute %q has a custom type", p))
			}
		}
	}
	walk("", s.Attributes)
	return problems
}

// customStringType is a string type of its own, as a custom type with
// semantic equality would be.
type customStringType struct{ basetypes.StringType }

// plainElementType reports whether a collection's element type is one of
// the framework's own primitive types: a custom element type may have
// semantic equality, which the framework's post-Read passes run.
func plainElementType(t attr.Type) bool {
	switch t {
	case types.StringType, types.BoolType, types.Int64Type, types.Float64Type, types.NumberType:
		return true
	}
	return false
}

func TestStatePassProblems(t *testing.T) {
	s := schema.Schema{
		Attributes: map[string]schema.Attribute{
			"plain":  schema.StringAttribute{Computed: true},
			"custom": schema.StringAttribute{CustomType: types.StringType},
			"nested": schema.ListNestedAttribute{NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"odd": schema.Float64Attribute{Computed: true},
			}}},
			"plain_list":  schema.ListAttribute{ElementType: types.StringType, Computed: true},
			"custom_list": schema.ListAttribute{ElementType: customStringType{}, Computed: true},
			"plain_map":   schema.MapAttribute{ElementType: types.BoolType, Computed: true},
		},
		Blocks: map[string]schema.Block{"b": schema.ListNestedBlock{}},
	}
	got := statePassProblems(s)
	if len(got) != 4 {
		t.Fatalf("problems %q: want the block, the custom type, the custom element type and the unknown attribute kind", got)
	}
}

// TestServer_sameStateAsFramework reads every data source through the
// provider's server and through the framework's own, on the acceptance
// fixture, and wants the same state and diagnostics from both.
func TestServer_sameStateAsFramework(t *testing.T) {
	s := newTestServer(t)
	ctx := context.Background()
	// Every data source is read: an organization-scoped one with the
	// fixture's organization, the others with no arguments, unless it needs
	// more (these exceptions); a new data source needs no line here.
	exceptions := map[string]map[string]tftypes.Value{
		"circleci_organization":    {"id": tfStr(testOrgID)},
		"circleci_org_members":     {"organization_id": tfStr(testOrgID), "include_user_details": tftypes.NewValue(tftypes.Bool, true)},
		"circleci_org_member":      {"organization_id": tfStr(testOrgID), "login": tfStr("alice")},
		"circleci_project_members": {"organization_id": tfStr(testOrgID), "project_id": tfStr(testProjectAPI)},
		"circleci_org_access":      {"organization_id": tfStr(testOrgID), "include_projects": tftypes.NewValue(tftypes.Bool, true), "include_contexts": tftypes.NewValue(tftypes.Bool, true)},
		"circleci_org_settings":    {"organization_id": tfStr(testOrgID), "include_sso": tftypes.NewValue(tftypes.Bool, true)},
		// A read that fails answers as the framework does.
		"circleci_org_members/unknown organization": {"organization_id": tfStr("00000000-0000-4000-8000-00000000dead")},
	}
	ours := configuredServer(t, NewProtocol6("test")(), s.URL())
	framework := configuredServer(t, providerserver.NewProtocol6(New("test")())(), s.URL())
	sch, err := ours.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	configs := maps.Clone(exceptions)
	for name, ds := range sch.DataSourceSchemas {
		if _, ok := configs[name]; ok {
			continue
		}
		configs[name] = map[string]tftypes.Value{}
		for _, a := range ds.Block.Attributes {
			if a.Name == "organization_id" {
				configs[name]["organization_id"] = tfStr(testOrgID)
			}
		}
	}
	if len(configs) < len(sch.DataSourceSchemas)+1 {
		t.Fatalf("%d configurations for %d data sources", len(configs), len(sch.DataSourceSchemas))
	}
	for c, attrs := range configs {
		name := strings.Split(c, "/")[0]
		t.Run(c, func(t *testing.T) {
			ds, ok := sch.DataSourceSchemas[name]
			if !ok {
				t.Fatalf("no data source %s", name)
			}
			typ := ds.ValueType().(tftypes.Object) //nolint:forcetypeassert // a block is an object
			req := &tfprotov6.ReadDataSourceRequest{TypeName: name, Config: dynamicObject(t, typ, attrs)}
			want, wantDiags := readState(t, framework, req, typ)
			got, gotDiags := readState(t, ours, req, typ)
			if failing := strings.Contains(c, "/"); failing != strings.Contains(gotDiags, "ERROR") {
				t.Errorf("diagnostics %s: want an error only in the failing cases", gotDiags)
			}
			if gotDiags != wantDiags {
				t.Errorf("diagnostics:\n got %s\nwant %s", gotDiags, wantDiags)
			}
			if !got.Equal(want) {
				diffs, _ := got.Diff(want)
				t.Errorf("state differs from the framework's at %d value(s), first: %v", len(diffs), diffs[0])
			}
			if got.Equal(tftypes.NewValue(typ, nil)) {
				t.Error("the state is null: this compares nothing")
			}
		})
	}
}

func tfStr(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

// configuredServer is srv with the provider configured for the fake at url.
func configuredServer(t *testing.T, srv tfprotov6.ProviderServer, url string) tfprotov6.ProviderServer {
	t.Helper()
	ctx := context.Background()
	sch, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ := sch.Provider.ValueType().(tftypes.Object) //nolint:forcetypeassert // a block is an object
	cfg := dynamicObject(t, typ, map[string]tftypes.Value{"api_token": tfStr(testToken), "host": tfStr(url)})
	resp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.10.0", Config: cfg})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatal(err, resp.Diagnostics)
	}
	return srv
}

// dynamicObject is an object of typ holding attrs, its other attributes null.
func dynamicObject(t testing.TB, typ tftypes.Object, attrs map[string]tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	vals := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for k, at := range typ.AttributeTypes {
		vals[k] = tftypes.NewValue(at, nil)
	}
	for k, v := range attrs {
		if _, ok := typ.AttributeTypes[k]; !ok {
			t.Fatalf("no attribute %q", k)
		}
		vals[k] = v
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

// readState is the state srv answers req with, and its diagnostics as text.
func readState(t *testing.T, srv tfprotov6.ProviderServer, req *tfprotov6.ReadDataSourceRequest, typ tftypes.Object) (tftypes.Value, string) {
	t.Helper()
	resp, err := srv.ReadDataSource(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var diags string
	for _, d := range resp.Diagnostics {
		diags += fmt.Sprintf("[%s %s: %s]", d.Severity, d.Summary, d.Detail)
	}
	if resp.State == nil {
		t.Fatalf("no state; diagnostics %s", diags)
	}
	v, err := resp.State.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	return v, diags
}

// TestServer_forwardsEveryFrameworkRPC: the provider's server answers every
// RPC the framework's server does, so wrapping it hides none (an optional
// interface the wrapper lacks would answer "not implemented").
func TestServer_forwardsEveryFrameworkRPC(t *testing.T) {
	framework := reflect.TypeOf(providerserver.NewProtocol6(New("test")())())
	ours := reflect.TypeOf(NewProtocol6("test")())
	for i := range framework.NumMethod() {
		m := framework.Method(i)
		if _, ok := ours.MethodByName(m.Name); !ok {
			t.Errorf("the framework's server has %s, the provider's does not forward it: add its interface to frameworkServer (server.go)", m.Name)
		}
	}
	if framework.NumMethod() < 30 {
		t.Fatalf("the framework's server has %d methods: the comparison would prove little", framework.NumMethod())
	}
}
