package validators

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestLookupValidators(t *testing.T) {
	type lookupCase struct {
		name  string
		v     func() (int, string)
		ok    bool
		wants string // in the error
	}
	var tests []lookupCase
	add := func(name string, fn func() (int, string), ok bool, wants string) {
		tests = append(tests, lookupCase{name, fn, ok, wants})
	}
	slug := func(s types.String) func() (int, string) {
		return func() (int, string) { return validate(OrgSlug(), s) }
	}
	user := func(s types.String) func() (int, string) {
		return func() (int, string) { return validate(UserID(), s) }
	}
	email := func(s types.String) func() (int, string) { return func() (int, string) { return validate(Email(), s) } }
	str := types.StringValue

	add("slug gh", slug(str("gh/acme")), true, "")
	add("slug standalone", slug(str("circleci/Xy12AbCd")), true, "")
	add("slug long vcs", slug(str("github/Acme-Corp")), true, "")
	add("slug null", slug(types.StringNull()), true, "")
	add("slug unknown", slug(types.StringUnknown()), true, "")
	add("slug empty", slug(str("")), false, "gh/acme")
	add("slug name only", slug(str("acme")), false, "one slash")
	add("slug empty vcs", slug(str("/acme")), false, "one slash")
	add("slug empty name", slug(str("gh/")), false, "one slash")
	add("slug project", slug(str("gh/acme/repo")), false, "one slash")
	add("slug with a space", slug(str("gh/acme corp")), false, "without spaces")
	add("slug with a newline", slug(str("gh/acme\n")), false, "without spaces")
	add("slug is an id", slug(str("3f1c7b4e-0d2a-4c5e-9b8f-1a2b3c4d5e6f")), false, "set id instead")

	add("user id", user(str("3f1c7b4e-0d2a-4c5e-9b8f-1a2b3c4d5e6f")), true, "")
	add("user id null", user(types.StringNull()), true, "")
	add("user id login", user(str("alice")), false, "Invalid User ID")

	add("email", email(str("alice@example.com")), true, "")
	add("email null", email(types.StringNull()), true, "")
	add("email unknown", email(types.StringUnknown()), true, "")
	add("email empty", email(str("")), false, "Invalid Email Address")
	add("email no at", email(str("alice")), false, "Invalid Email Address")
	add("email no domain", email(str("alice@")), false, "Invalid Email Address")
	add("email space", email(str("alice @example.com")), false, "Invalid Email Address")

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, text := tc.v()
			if (n == 0) != tc.ok {
				t.Fatalf("%d errors (%s), want ok=%v", n, text, tc.ok)
			}
			if !strings.Contains(text, tc.wants) {
				t.Errorf("error %q does not say %q", text, tc.wants)
			}
		})
	}
}

// The rejected value is never echoed: it may be anything the user typed.
func TestLookupValidatorsDoNotEchoValues(t *testing.T) {
	const secretish = "gh/SECRET value"
	for _, v := range []func() (int, string){
		func() (int, string) { return validate(OrgSlug(), types.StringValue(secretish)) },
		func() (int, string) { return validate(UserID(), types.StringValue(secretish)) },
		func() (int, string) { return validate(Email(), types.StringValue(secretish)) },
	} {
		if n, text := v(); n == 0 || strings.Contains(text, "SECRET") {
			t.Errorf("%d errors, text %q", n, text)
		}
	}
}

func TestExactlyOneOf(t *testing.T) {
	sch := schema.Schema{Attributes: map[string]schema.Attribute{
		"id":   schema.StringAttribute{Optional: true},
		"slug": schema.StringAttribute{Optional: true},
	}}
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.String, "slug": tftypes.String}}
	config := func(id, slug tftypes.Value) tfsdk.Config {
		return tfsdk.Config{Schema: sch, Raw: tftypes.NewValue(typ, map[string]tftypes.Value{"id": id, "slug": slug})}
	}
	null := tftypes.NewValue(tftypes.String, nil)
	unknown := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	val := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	tests := []struct {
		name   string
		config tfsdk.Config
		errors int
		at     path.Path
	}{
		{"id only", config(val("x"), null), 0, path.Empty()},
		{"slug only", config(null, val("gh/acme")), 0, path.Empty()},
		{"slug unknown", config(null, unknown), 0, path.Empty()},
		{"both", config(val("x"), val("gh/acme")), 1, path.Root("id")},
		{"neither", config(null, null), 1, path.Root("id")},
	}
	v := ExactlyOneOf("Set id (a UUID) or slug.", "id", "slug")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var resp datasource.ValidateConfigResponse
			v.ValidateDataSource(context.Background(), datasource.ValidateConfigRequest{Config: tc.config}, &resp)
			if got := resp.Diagnostics.ErrorsCount(); got != tc.errors {
				t.Fatalf("%d errors, want %d: %v", got, tc.errors, resp.Diagnostics)
			}
			for _, d := range resp.Diagnostics {
				wp, ok := d.(diag.DiagnosticWithPath)
				if !ok || !wp.Path().Equal(tc.at) {
					t.Errorf("diagnostic %q is not an attribute error at %s", d.Summary(), tc.at)
				}
				if !strings.Contains(d.Detail(), "[id,slug]") || !strings.HasSuffix(d.Detail(), "Set id (a UUID) or slug.") {
					t.Errorf("detail %q", d.Detail())
				}
			}
		})
	}
}
