package validators

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var _ validator.String = durationValidator{}

type durationValidator struct{ min, max time.Duration }

// Duration accepts a Go duration string ("30s", "2m") within [min, max].
func Duration(minimum, maximum time.Duration) validator.String {
	return durationValidator{min: minimum, max: maximum}
}

func (v durationValidator) Description(context.Context) string {
	return "value must be a duration such as \"30s\" or \"2m\", between " + v.min.String() + " and " + v.max.String()
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := CheckDuration(req.ConfigValue.ValueString(), v.min, v.max); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Duration", msg)
	}
}

// CheckDuration returns "" for a valid duration string, else what is wrong.
// It is shared with the provider's environment-variable fallbacks.
func CheckDuration(s string, minimum, maximum time.Duration) string {
	d, err := time.ParseDuration(s)
	if err != nil {
		return "The value must be a duration such as \"30s\" or \"2m\" (a number with a unit: ms, s, m, h)."
	}
	if d < minimum || d > maximum {
		return "The value must be between " + minimum.String() + " and " + maximum.String() + "."
	}
	return ""
}
