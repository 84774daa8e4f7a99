package validators

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var _ validator.String = uuidValidator{}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// IsUUID reports whether s is a UUID in its canonical 8-4-4-4-12 form.
func IsUUID(s string) bool { return uuidRE.MatchString(s) }

type uuidValidator struct{ where string }

// UUID accepts a UUID in canonical 8-4-4-4-12 form; where, added to the
// error, tells the user where to find the ID they need.
func UUID(where string) validator.String { return uuidValidator{where: where} }

func (uuidValidator) Description(context.Context) string {
	return "value must be a UUID such as 3f1c7b4e-0d2a-4c5e-9b8f-1a2b3c4d5e6f"
}

func (v uuidValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v uuidValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if !IsUUID(req.ConfigValue.ValueString()) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid UUID",
			"The value must be a UUID in its 8-4-4-4-12 form, such as 3f1c7b4e-0d2a-4c5e-9b8f-1a2b3c4d5e6f, "+
				"not a name or slug. "+v.where)
	}
}
