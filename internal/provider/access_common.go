package provider

import (
	"cmp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// orgIDOrDefault is the organization a data source reads: its own
// organization_id, else the provider's. ok is false (with an attribute
// error) when neither is set.
func orgIDOrDefault(attr types.String, data *providerData, resp *datasource.ReadResponse) (string, bool) {
	orgID := attr.ValueString()
	if orgID == "" {
		orgID = data.organizationID
	}
	if orgID == "" {
		resp.Diagnostics.AddAttributeError(path.Root("organization_id"), "Missing Organization ID",
			"Set organization_id on this data source, or organization_id in the provider block (or the "+EnvOrgID+
				" environment variable). The ids attribute of circleci_organizations lists the organizations the token can see.")
		return "", false
	}
	return orgID, true
}

// boolOr is b's value, or def when b is null or unknown.
func boolOr(b types.Bool, def bool) bool {
	if b.IsNull() || b.IsUnknown() {
		return def
	}
	return b.ValueBool()
}

// byLogin orders people like circleci_org_members: lower-cased login, then id.
func byLogin(loginA, idA, loginB, idB string) int {
	if c := cmp.Compare(strings.ToLower(loginA), strings.ToLower(loginB)); c != 0 {
		return c
	}
	return cmp.Compare(idA, idB)
}

// byName orders named things by lower-cased name, then id.
func byName(nameA, idA, nameB, idB string) int {
	return byLogin(nameA, idA, nameB, idB)
}

// sortedStrings returns a sorted copy of ss, never nil (an empty list, not
// null, in state).
func sortedStrings(ss []string) []string {
	out := append(make([]string, 0, len(ss)), ss...)
	slices.Sort(out)
	return out
}
