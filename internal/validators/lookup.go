package validators

import (
	"context"
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var (
	_ validator.String           = orgSlugValidator{}
	_ validator.String           = userIDValidator{}
	_ validator.String           = emailValidator{}
	_ datasource.ConfigValidator = exactlyOneOf{}
)

type orgSlugValidator struct{}

// OrgSlug accepts an organization slug: a VCS part and a name, separated by
// one slash (gh/acme, circleci/AbCd12). Which slugs exist is CircleCI's to say.
func OrgSlug() validator.String { return orgSlugValidator{} }

func (orgSlugValidator) Description(context.Context) string {
	return "value must be an organization slug such as gh/acme or circleci/AbCd12"
}

func (v orgSlugValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (orgSlugValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := CheckOrgSlug(req.ConfigValue.ValueString()); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Organization Slug", msg)
	}
}

// CheckOrgSlug returns "" for a well-formed organization slug, else what is
// wrong, without quoting the value.
func CheckOrgSlug(s string) string {
	if IsUUID(s) {
		return "The value is an organization ID, not a slug: set id instead of slug."
	}
	vcs, name, ok := strings.Cut(s, "/")
	if !ok || vcs == "" || name == "" || strings.Contains(name, "/") || strings.IndexFunc(s, notSlugRune) >= 0 {
		return "The value must be an organization slug: the VCS type and the organization's name separated by one slash, " +
			"such as gh/acme, bb/acme or circleci/AbCd12 (standalone organizations), without spaces. " +
			"The slug attribute of circleci_organizations lists the organizations the token can see."
	}
	return ""
}

func notSlugRune(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }

type userIDValidator struct{}

// UserID accepts a CircleCI user id: a UUID in canonical 8-4-4-4-12 form.
func UserID() validator.String { return userIDValidator{} }

func (userIDValidator) Description(context.Context) string {
	return "value must be a user ID: a UUID such as 3f1c7b4e-0d2a-4c5e-9b8f-1a2b3c4d5e6f"
}

func (v userIDValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (userIDValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if !IsUUID(req.ConfigValue.ValueString()) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid User ID",
			"The value must be a CircleCI user ID: a UUID such as 3f1c7b4e-0d2a-4c5e-9b8f-1a2b3c4d5e6f. "+
				"To look a member up by name, use login or email instead; circleci_org_members lists members with their ids.")
	}
}

type emailValidator struct{}

// Email accepts a value shaped like an email address: something, an @, and
// something. CircleCI's stored addresses decide the rest.
func Email() validator.String { return emailValidator{} }

func (emailValidator) Description(context.Context) string {
	return "value must be an email address such as alice@example.com"
}

func (v emailValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (emailValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || domain == "" || strings.IndexFunc(s, notSlugRune) >= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Email Address",
			"The value must be an email address such as alice@example.com, without spaces.")
	}
}

type exactlyOneOf struct {
	attrs []string
	hint  string
}

// ExactlyOneOf is the framework's ExactlyOneOf config validator for root
// attributes, whose errors are all attribute errors (Terraform points at the
// block's first listed attribute when none is set) and end with hint: how to
// fix it.
func ExactlyOneOf(hint string, attrs ...string) datasource.ConfigValidator {
	return exactlyOneOf{attrs: attrs, hint: hint}
}

func (v exactlyOneOf) inner() datasource.ConfigValidator {
	exprs := make([]path.Expression, len(v.attrs))
	for i, a := range v.attrs {
		exprs[i] = path.MatchRoot(a)
	}
	return datasourcevalidator.ExactlyOneOf(exprs...)
}

func (v exactlyOneOf) Description(ctx context.Context) string { return v.inner().Description(ctx) }

func (v exactlyOneOf) MarkdownDescription(ctx context.Context) string {
	return v.inner().MarkdownDescription(ctx)
}

func (v exactlyOneOf) ValidateDataSource(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var inner datasource.ValidateConfigResponse
	v.inner().ValidateDataSource(ctx, req, &inner)
	for _, d := range inner.Diagnostics {
		at := path.Root(v.attrs[0])
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			at = wp.Path()
		}
		detail := strings.TrimSpace(d.Detail()) + ". " + v.hint
		if d.Severity() == diag.SeverityWarning {
			resp.Diagnostics.AddAttributeWarning(at, d.Summary(), detail)
			continue
		}
		resp.Diagnostics.AddAttributeError(at, d.Summary(), detail)
	}
}
