package validators

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func validate(v validator.String, value types.String) (errs int, text string) {
	resp := &validator.StringResponse{}
	v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("x"), ConfigValue: value}, resp)
	for _, d := range resp.Diagnostics.Errors() {
		text += d.Summary() + " " + d.Detail()
	}
	return resp.Diagnostics.ErrorsCount(), text
}

func TestUUID(t *testing.T) {
	tests := []struct {
		value types.String
		ok    bool
	}{
		{types.StringValue("3f1c7b4e-0d2a-4c5e-9b8f-1a2b3c4d5e6f"), true},
		{types.StringValue("3F1C7B4E-0D2A-4C5E-9B8F-1A2B3C4D5E6F"), true},
		{types.StringNull(), true},
		{types.StringUnknown(), true},
		{types.StringValue(""), false},
		{types.StringValue("gh/acme"), false},
		{types.StringValue("3f1c7b4e0d2a4c5e9b8f1a2b3c4d5e6f"), false},
		{types.StringValue(" 3f1c7b4e-0d2a-4c5e-9b8f-1a2b3c4d5e6f"), false},
		{types.StringValue("3f1c7b4e-0d2a-4c5e-9b8f-1a2b3c4d5e6f\n"), false},
	}
	for _, tc := range tests {
		n, text := validate(UUID("Find it in the list."), tc.value)
		if (n == 0) != tc.ok {
			t.Errorf("UUID(%s): %d errors, want ok=%v", tc.value, n, tc.ok)
		}
		if n > 0 && (!strings.HasPrefix(text, "Invalid UUID ") || !strings.Contains(text, "8-4-4-4-12") || !strings.HasSuffix(text, "Find it in the list.")) {
			t.Errorf("the error must say what a UUID looks like, and where to find the ID: %s", text)
		}
	}
}

func TestDuration(t *testing.T) {
	v := Duration(time.Second, 10*time.Minute)
	tests := []struct {
		value types.String
		ok    bool
		want  string
	}{
		{types.StringValue("30s"), true, ""},
		{types.StringValue("1s"), true, ""},
		{types.StringValue("10m"), true, ""},
		{types.StringNull(), true, ""},
		{types.StringUnknown(), true, ""},
		{types.StringValue("30"), false, `such as "30s"`},
		{types.StringValue("soon"), false, `such as "30s"`},
		{types.StringValue("999ms"), false, "between 1s and 10m0s"},
		{types.StringValue("11m"), false, "between 1s and 10m0s"},
		{types.StringValue("-5s"), false, "between 1s and 10m0s"},
	}
	for _, tc := range tests {
		n, text := validate(v, tc.value)
		if (n == 0) != tc.ok || !strings.Contains(text, tc.want) {
			t.Errorf("Duration(%s): %d errors %q, want ok=%v containing %q", tc.value, n, text, tc.ok, tc.want)
		}
	}
}
