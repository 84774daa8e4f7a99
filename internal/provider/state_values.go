package provider

// State without reflection. The framework's State.Set walks a tagged struct
// by reflection, allocating at every level, and tftypes values are maps of
// boxed values that cost about as much again to encode; a data source that
// returns thousands of members would spend nearly all of its CPU there (the
// measured cost is in CONTRIBUTING.md's performance table). Instead, a model describes its
// state as a stateVal (plain structs, one allocation per object), which
// setState (server.go), served by the provider's server, checks against the
// schema and encodes straight to the protocol's MessagePack. The typed models
// stay: elsewhere setState is the framework's State.Set of the same model,
// and tests compare the two (state_values_test.go, server_test.go), so they
// cannot drift apart.

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"
)

type stateKind uint8

const (
	kindNull stateKind = iota
	kindString
	kindBool
	kindNumber
	kindList
	kindObject
	kindUnknown // never valid in a data source's state: a read knows every value
)

func (k stateKind) String() string {
	return [...]string{"null", "string", "bool", "number", "list", "object", "unknown"}[k]
}

// stateVal is one value of a data source's state as a model describes it.
type stateVal struct {
	kind stateKind
	str  string       // kindString
	num  int64        // kindNumber; kindBool: 1 is true
	kids []stateField // kindList: the elements (no names); kindObject: the attributes, in any order
}

type stateField struct {
	name string
	val  stateVal
}

// stateAttr is one attribute of an object.
func stateAttr(name string, v stateVal) stateField { return stateField{name, v} }

// stateObject is an object with exactly the given attributes: setState refuses
// one that lacks an attribute of the schema or has one the schema lacks.
func stateObject(attrs ...stateField) stateVal { return stateVal{kind: kindObject, kids: attrs} }

// stateList is a list with one element per item; nil is a null list, as
// State.Set has it.
func stateList[T any](items []T, elem func(T) stateVal) stateVal {
	if items == nil {
		return stateVal{}
	}
	l := stateVal{kind: kindList, kids: make([]stateField, len(items))}
	for i, it := range items {
		l.kids[i].val = elem(it)
	}
	return l
}

// stateStrings is a list of strings; nil is a null list.
func stateStrings(ss []string) stateVal { return stateList(ss, rawString) }

// rawString is a known string.
func rawString(s string) stateVal { return stateVal{kind: kindString, str: s} }

func stateString(s types.String) stateVal {
	switch {
	case s.IsUnknown():
		return stateVal{kind: kindUnknown}
	case s.IsNull():
		return stateVal{}
	}
	return rawString(s.ValueString())
}

func stateBool(b types.Bool) stateVal {
	switch {
	case b.IsUnknown():
		return stateVal{kind: kindUnknown}
	case b.IsNull():
		return stateVal{}
	case b.ValueBool():
		return stateVal{kind: kindBool, num: 1}
	}
	return stateVal{kind: kindBool}
}

func stateInt64(i types.Int64) stateVal {
	switch {
	case i.IsUnknown():
		return stateVal{kind: kindUnknown}
	case i.IsNull():
		return stateVal{}
	}
	return stateVal{kind: kindNumber, num: i.ValueInt64()}
}

// typePlan is a schema type prepared once for checking and encoding many
// values of it: its kind, and object attribute names sorted once, not once
// per object.
type typePlan struct {
	typ   tftypes.Type
	kind  stateKind
	elem  *typePlan   // list
	names []string    // object, sorted
	attrs []*typePlan // object, in names' order
}

func compileType(typ tftypes.Type) *typePlan {
	p := &typePlan{typ: typ, kind: kindUnknown}
	switch t := typ.(type) {
	case tftypes.List:
		p.kind, p.elem = kindList, compileType(t.ElementType)
	case tftypes.Object:
		p.kind = kindObject
		for k := range t.AttributeTypes {
			p.names = append(p.names, k)
		}
		sort.Strings(p.names)
		for _, k := range p.names {
			p.attrs = append(p.attrs, compileType(t.AttributeTypes[k]))
		}
	default:
		switch {
		case typ.Is(tftypes.String):
			p.kind = kindString
		case typ.Is(tftypes.Bool):
			p.kind = kindBool
		case typ.Is(tftypes.Number):
			p.kind = kindNumber
		}
	}
	return p
}

// stateError is a value that does not fit the schema, at path (built as
// the error unwinds, so that a value that fits costs no path).
type stateError struct {
	path string
	msg  string
}

func (e *stateError) Error() string { return "state" + e.path + ": " + e.msg }

func at(err error, step string) error {
	if se, ok := err.(*stateError); ok { //nolint:errorlint // only this package's own, never wrapped
		se.path = step + se.path
	}
	return err
}

// check is nil when v may be a value of tp (its own level only).
func (v stateVal) check(tp *typePlan) error {
	if v.kind == kindUnknown {
		return &stateError{msg: "unknown value in a read's state"}
	}
	if v.kind != kindNull && v.kind != tp.kind {
		return &stateError{msg: fmt.Sprintf("a %s where the schema has %s", v.kind, tp.typ)}
	}
	if v.kind != kindObject {
		return nil
	}
	if len(v.kids) == len(tp.names) {
		ok := true
		for _, name := range tp.names {
			if _, found := v.attr(name); !found {
				ok = false
				break
			}
		}
		if ok {
			return nil
		}
	}
	have := make(map[string]bool, len(v.kids))
	var missing, extra []string
	for _, f := range v.kids {
		if have[f.name] {
			extra = append(extra, f.name+" (twice)")
		}
		have[f.name] = true
		if _, ok := slices.BinarySearch(tp.names, f.name); !ok {
			extra = append(extra, f.name)
		}
	}
	for _, k := range tp.names {
		if !have[k] {
			missing = append(missing, k)
		}
	}
	sort.Strings(extra)
	return &stateError{msg: fmt.Sprintf("object attributes: missing [%s], unknown [%s]", strings.Join(missing, " "), strings.Join(extra, " "))}
}

// attr is the value of the attribute name.
func (v stateVal) attr(name string) (stateVal, bool) {
	for _, f := range v.kids {
		if f.name == name {
			return f.val, true
		}
	}
	return stateVal{}, false
}

// encodeMsgpack is v encoded as the protocol's DynamicValue encodes a value
// of typ: the bytes tftypes would write, attributes in name order.
func (v stateVal) encodeMsgpack(typ tftypes.Type) ([]byte, error) {
	tp := compileType(typ)
	buf := bytes.NewBuffer(make([]byte, 0, v.sizeBound()))
	if err := v.encode(msgpack.NewEncoder(buf), tp); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// sizeBound is at least the size of v's encoding, so that the buffer is
// allocated once. (A value that does not fit the schema fails encode; its
// bound does not matter.)
func (v stateVal) sizeBound() int {
	const header = 9 // the longest MessagePack header or scalar
	n := header + len(v.str)
	for _, f := range v.kids {
		n += header + len(f.name) + f.val.sizeBound()
	}
	return n
}

func (v stateVal) encode(enc *msgpack.Encoder, tp *typePlan) error {
	if err := v.check(tp); err != nil {
		return err
	}
	switch v.kind {
	case kindString:
		return enc.EncodeString(v.str)
	case kindBool:
		return enc.EncodeBool(v.num == 1)
	case kindNumber:
		return enc.EncodeInt(v.num)
	case kindList:
		if err := enc.EncodeArrayLen(len(v.kids)); err != nil {
			return err
		}
		for i, e := range v.kids {
			if err := e.val.encode(enc, tp.elem); err != nil {
				return at(err, fmt.Sprintf("[%d]", i))
			}
		}
		return nil
	case kindObject:
		if err := enc.EncodeMapLen(len(tp.names)); err != nil {
			return err
		}
		for i, name := range tp.names {
			if err := enc.EncodeString(name); err != nil {
				return err
			}
			a, _ := v.attr(name)
			if err := a.encode(enc, tp.attrs[i]); err != nil {
				return at(err, "."+name)
			}
		}
		return nil
	}
	return enc.EncodeNil()
}
