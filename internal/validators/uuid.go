package validators

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

var _ validator.String = uuidValidator{}

type uuidValidator struct{}

// UUID accepts a UUID in canonical 8-4-4-4-12 form.
func UUID() validator.String { return uuidValidator{} }

func (uuidValidator) Description(context.Context) string {
	return "value must be a UUID such as 3f1c7b4e-0d2a-4c5e-9b8f-1a2b3c4d5e6f"
}

func (v uuidValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v uuidValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if !circleci.IsUUID(req.ConfigValue.ValueString()) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Organization ID",
			"The value must be a CircleCI organization ID: a UUID such as 3f1c7b4e-0d2a-4c5e-9b8f-1a2b3c4d5e6f, "+
				"not the organization's name or VCS slug. Find it with the circleci_organizations data source "+
				"(its ids attribute), or in the CircleCI web app under Organization Settings → Overview.")
	}
}
