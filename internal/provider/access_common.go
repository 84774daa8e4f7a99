package provider

import (
	"cmp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

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
