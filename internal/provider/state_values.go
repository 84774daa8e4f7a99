package provider

// State without reflection. The framework's State.Set walks a tagged struct
// by reflection and costs about 170 µs and 1,150 allocations per nested
// object; a data source that returns thousands of members spends nearly all
// of its CPU there. Instead, a model implements stateValuer and builds the
// tftypes.Value of its state directly, with the object types taken once from
// the schema. The typed models stay: tests compare both paths
// (state_values_test.go), so the two cannot drift apart.

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// stateValuer is a data source model that builds its own state value, of
// the object type its schema implies.
type stateValuer interface {
	stateValue(typ tftypes.Object) (tftypes.Value, error)
}

// setState replaces the state with the model's value, built without
// reflection. A value that does not fit the schema is a provider bug: it is
// reported as one, never written.
func setState(ctx context.Context, state *tfsdk.State, m stateValuer) (diags diag.Diagnostics) {
	fail := func(err any) {
		diags.AddError("Provider Built an Invalid State",
			fmt.Sprintf("The data source's state did not fit its schema. This is a bug in the provider, please report it. Error: %v", err))
	}
	typ, ok := state.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		fail("the schema is not an object")
		return diags
	}
	defer func() { // tftypes.NewValue panics on a value of the wrong type
		if r := recover(); r != nil {
			fail(r)
		}
	}()
	v, err := m.stateValue(typ)
	if err != nil {
		fail(err)
		return diags
	}
	if encoded, ok := ctx.Value(encodedStateKey{}).(*encodedState); ok {
		// Served by server.go: encode the state here, and leave the
		// framework's passes the configuration to walk.
		dv, err := tfprotov6.NewDynamicValue(typ, v)
		if err != nil {
			fail(err)
			return diags
		}
		encoded.value = &dv
		return diags
	}
	state.Raw = v
	return diags
}

// objectValue is an object of typ with exactly the attributes in vals: an
// attribute of typ without a value, or a value without an attribute, is an
// error, so that a schema change cannot go unnoticed.
func objectValue(typ tftypes.Object, vals map[string]tftypes.Value) (tftypes.Value, error) {
	if len(vals) != len(typ.AttributeTypes) {
		var missing, extra []string
		for k := range typ.AttributeTypes {
			if _, ok := vals[k]; !ok {
				missing = append(missing, k)
			}
		}
		for k := range vals {
			if _, ok := typ.AttributeTypes[k]; !ok {
				extra = append(extra, k)
			}
		}
		sort.Strings(missing)
		sort.Strings(extra)
		return tftypes.Value{}, fmt.Errorf("object attributes: missing [%s], unknown [%s]", strings.Join(missing, " "), strings.Join(extra, " "))
	}
	return tftypes.NewValue(typ, vals), nil
}

// listElem is the element type of the list attribute name of typ.
func listElem(typ tftypes.Object, name string) (tftypes.Type, error) {
	l, ok := typ.AttributeTypes[name].(tftypes.List)
	if !ok {
		return nil, fmt.Errorf("attribute %q is not a list", name)
	}
	return l.ElementType, nil
}

// listOfObjects is a list attribute of typ holding one object per item,
// each built by build from the element's object type (looked up once); nil
// is a null list, as State.Set has it.
func listOfObjects[T any](typ tftypes.Object, name string, items []T, build func(T, tftypes.Object) (tftypes.Value, error)) (tftypes.Value, error) {
	et, err := listElem(typ, name)
	if err != nil {
		return tftypes.Value{}, err
	}
	ot, ok := et.(tftypes.Object)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("attribute %q is not a list of objects", name)
	}
	if items == nil {
		return tftypes.NewValue(typ.AttributeTypes[name], nil), nil
	}
	vals := make([]tftypes.Value, len(items))
	for i, it := range items {
		if vals[i], err = build(it, ot); err != nil {
			return tftypes.Value{}, err
		}
	}
	return tftypes.NewValue(typ.AttributeTypes[name], vals), nil
}

// tfStringList is a list of strings; nil is a null list, as State.Set has it.
func tfStringList(ss []string) tftypes.Value {
	typ := tftypes.List{ElementType: tftypes.String}
	if ss == nil {
		return tftypes.NewValue(typ, nil)
	}
	vals := make([]tftypes.Value, len(ss))
	for i, s := range ss {
		vals[i] = tftypes.NewValue(tftypes.String, s)
	}
	return tftypes.NewValue(typ, vals)
}

var (
	tfNullString    = tftypes.NewValue(tftypes.String, nil)
	tfUnknownString = tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
)

func tfString(s types.String) tftypes.Value {
	switch {
	case s.IsNull():
		return tfNullString
	case s.IsUnknown():
		return tfUnknownString
	}
	return tftypes.NewValue(tftypes.String, s.ValueString())
}

func tfBool(b types.Bool) tftypes.Value {
	switch {
	case b.IsNull():
		return tftypes.NewValue(tftypes.Bool, nil)
	case b.IsUnknown():
		return tftypes.NewValue(tftypes.Bool, tftypes.UnknownValue)
	}
	return tftypes.NewValue(tftypes.Bool, b.ValueBool())
}

func tfInt64(i types.Int64) tftypes.Value {
	switch {
	case i.IsNull():
		return tftypes.NewValue(tftypes.Number, nil)
	case i.IsUnknown():
		return tftypes.NewValue(tftypes.Number, tftypes.UnknownValue)
	}
	return tftypes.NewValue(tftypes.Number, i.ValueInt64())
}
