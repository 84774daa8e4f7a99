package provider

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

// The roles: CircleCI's names, the provider's names, how they rank, and
// which answers about them the provider does not accept. The access rules
// (access_rules.go) and every data source that reports a role use these.

// Member roles as the provider reports them.
const (
	RoleAdmin       = "admin"
	RoleContributor = "contributor"
	RoleViewer      = "viewer"
)

// unrecognizedRoleRule is how the provider treats a role it does not know,
// word for word as the docs state it. It is the provider's own assumption:
// CircleCI documents three roles, and a role it adds later (or a spelling the
// provider has not seen, such as org_admin) may grant anything.
const unrecognizedRoleRule = "A role the provider does not recognise (anything but CircleCI's admin, contributor and viewer " +
	"roles, in any case) is assumed to grant as much as admin, so that no one is reported with less access than they may have; " +
	"it is listed in `unrecognized_roles` and named in a warning."

// NormalizeRole maps CircleCI's organization and project role names to the
// provider's, whatever their case ("ORG-ADMIN" is admin); a role it does not
// know is kept exactly as the API gave it.
func NormalizeRole(apiRole string) string {
	switch strings.ToLower(strings.TrimSpace(apiRole)) {
	case "org-admin", "project-admin", RoleAdmin:
		return RoleAdmin
	case "org-contributor", "project-contributor", RoleContributor:
		return RoleContributor
	case "org-viewer", "project-viewer", RoleViewer:
		return RoleViewer
	}
	return apiRole
}

// isKnownRole reports whether a normalised role is one CircleCI documents.
func isKnownRole(role string) bool {
	return role == RoleAdmin || role == RoleContributor || role == RoleViewer
}

// Ranks of the roles: no role, viewer < contributor < admin. A role the
// provider does not recognise ranks as admin (unrecognizedRoleRule).
const (
	rankNone = iota
	rankViewer
	rankContributor
	rankAdmin
)

// roleRank ranks a normalised role ("" for none).
func roleRank(role string) int {
	switch role {
	case "":
		return rankNone
	case RoleViewer:
		return rankViewer
	case RoleContributor:
		return rankContributor
	}
	return rankAdmin // admin, or unrecognised
}

// higherRole reports whether role a outranks role b. Between two roles of
// the same rank, CircleCI's admin wins over an unrecognised role (so that the
// role shown is the documented one), and between two unrecognised roles the
// lexically smaller wins, so the result does not depend on the API's order.
func higherRole(a, b string) bool {
	if ra, rb := roleRank(a), roleRank(b); ra != rb {
		return ra > rb
	}
	if ka, kb := isKnownRole(a), isKnownRole(b); ka != kb {
		return ka
	}
	return a < b
}

// maxRole is the higher of two normalised roles ("" for none) by higherRole:
// the highest of several grants applies (CircleCI's roles overview: "the
// highest role always applies").
func maxRole(a, b string) string {
	if a == "" || (b != "" && higherRole(b, a)) {
		return b
	}
	return a
}

// uniqueGrants is grants with each user once, with their highest
// (normalised) role, sorted by lower-cased login then id.
func uniqueGrants(grants []circleci.RoleGrant) []circleci.RoleGrant {
	byID := make(map[string]int, len(grants))
	var out []circleci.RoleGrant
	for _, g := range grants {
		g.Role = NormalizeRole(g.Role)
		key := strings.ToLower(g.UserID)
		if i, ok := byID[key]; ok {
			out[i].Role = maxRole(out[i].Role, g.Role)
			continue
		}
		byID[key] = len(out)
		out = append(out, g)
	}
	slices.SortStableFunc(out, func(a, b circleci.RoleGrant) int { return byLogin(a.Username, a.UserID, b.Username, b.UserID) })
	return out
}

// roleHolders records, per role string the provider does not recognise, the
// distinct people holding it: lower-cased id → login.
type roleHolders map[string]map[string]string

// add records that a user holds the (normalised) role, if it is unrecognised.
func (h roleHolders) add(role, userID, login string) {
	if role == "" || isKnownRole(role) {
		return
	}
	if h[role] == nil {
		h[role] = map[string]string{}
	}
	h[role][strings.ToLower(userID)] = login
}

// sorted is the unrecognised roles, sorted; never nil.
func (h roleHolders) sorted() []string {
	out := make([]string, 0, len(h))
	for r := range h {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

// errNoOrgAdmin is the answer no organization can give.
var errNoOrgAdmin = errors.New("an organization always has at least one admin")

// checkOrgRoleGrants refuses an organization's role grants that cannot be a
// whole answer: none at all, or none with CircleCI's org-admin role. Either
// would make "how many admins" read as zero.
func checkOrgRoleGrants(grants []circleci.RoleGrant) error {
	if len(grants) == 0 {
		return fmt.Errorf("CircleCI listed no member at all, but %w", errNoOrgAdmin)
	}
	for _, g := range grants {
		if NormalizeRole(g.Role) == RoleAdmin {
			return nil
		}
	}
	return fmt.Errorf("CircleCI listed %d role grants and none is org-admin, but %w", len(grants), errNoOrgAdmin)
}
