package provider

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
)

// Named cases: what a reader checks against CircleCI's docs.
func TestApplyAccessRules_cases(t *testing.T) {
	open := contextFacts{AllMembers: true}
	restricted := contextFacts{GroupIDs: []string{"g-rel"}}
	tests := []struct {
		name      string
		p         personFacts
		wantProj  map[string]projectAccess
		wantCtx   []bool // open, restricted
		wantAdmin bool
	}{
		{"org admin: every context, no project above", personFacts{OrgRole: RoleAdmin,
			Projects: map[string]projectGrantFacts{"p": {Direct: RoleAdmin}}}, map[string]projectAccess{}, []bool{true, true}, true},
		{"org viewer made project admin by a group", personFacts{OrgRole: RoleViewer, GroupIDs: map[string]bool{"g-rel": true},
			Projects: map[string]projectGrantFacts{"p": {Groups: map[string]string{"release": RoleAdmin}}}},
			map[string]projectAccess{"p": {Role: RoleAdmin, Via: []string{"group:release"}}}, []bool{true, true}, true},
		{"direct and group give the same role: both listed", personFacts{OrgRole: RoleContributor,
			Projects: map[string]projectGrantFacts{"p": {Direct: RoleAdmin, Groups: map[string]string{"b": RoleAdmin, "a": RoleContributor}}}},
			map[string]projectAccess{"p": {Role: RoleAdmin, Via: []string{"direct", "group:b"}}}, []bool{true, false}, true},
		{"org viewer everywhere: no context", personFacts{OrgRole: RoleViewer, GroupIDs: map[string]bool{"g-rel": true},
			Projects: map[string]projectGrantFacts{"p": {Direct: RoleViewer}}}, map[string]projectAccess{}, []bool{false, false}, false},
		{"a contributor outside the group: open contexts only", personFacts{OrgRole: RoleContributor},
			map[string]projectAccess{}, []bool{true, false}, false},
		{"no org role, project contributor: open contexts", personFacts{Projects: map[string]projectGrantFacts{"p": {Direct: RoleContributor}}},
			map[string]projectAccess{"p": {Role: RoleContributor, Via: []string{"direct"}}}, []bool{true, false}, false},
		{"no org role, only in a group: nothing", personFacts{GroupIDs: map[string]bool{"g-rel": true}},
			map[string]projectAccess{}, []bool{false, false}, false},
		{"unknown org role never raises access", personFacts{OrgRole: "org-security-auditor", GroupIDs: map[string]bool{"g-rel": true},
			Projects: map[string]projectGrantFacts{"p": {Direct: "project-owner"}}}, map[string]projectAccess{}, []bool{false, false}, false},
		{"unknown org role, project viewer by group: viewer, still no context", personFacts{OrgRole: "org-security-auditor", GroupIDs: map[string]bool{"g-aud": true},
			Projects: map[string]projectGrantFacts{"docs": {Groups: map[string]string{"Auditors": RoleViewer}}}},
			map[string]projectAccess{"docs": {Role: RoleViewer, Via: []string{"group:Auditors"}}}, []bool{false, false}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := applyAccessRules(tc.p, []contextFacts{open, restricted})
			if !reflect.DeepEqual(got.Projects, tc.wantProj) || !reflect.DeepEqual(got.Contexts, tc.wantCtx) || got.Admin != tc.wantAdmin {
				t.Errorf("got projects %v contexts %v admin %v; want %v %v %v", got.Projects, got.Contexts, got.Admin, tc.wantProj, tc.wantCtx, tc.wantAdmin)
			}
		})
	}
}

// Every combination of org role × direct grant × group grant × context
// restriction kind, against the rules spelt out per dimension.
func TestApplyAccessRules_everyCombination(t *testing.T) {
	const unknown = "project-owner" // a role CircleCI adds later
	orgRoles := []string{RoleAdmin, RoleContributor, RoleViewer, "org-security-auditor", ""}
	grants := []string{"", RoleAdmin, RoleContributor, RoleViewer, unknown}
	kinds := []struct {
		name   string
		ctx    contextFacts
		member bool // the person is in a listed group
	}{
		{"open (no group restriction)", contextFacts{AllMembers: true}, false},
		{"All members group", contextFacts{AllMembers: true, GroupIDs: []string{"org-id"}}, false},
		{"restricted to a group the person is in", contextFacts{GroupIDs: []string{"g2", "g1"}}, true},
		{"restricted to a group the person is not in", contextFacts{GroupIDs: []string{"g2"}}, false},
	}
	rank := map[string]int{RoleViewer: 1, RoleContributor: 2, RoleAdmin: 3} // anything else: 0
	n := 0
	for _, org := range orgRoles {
		for _, direct := range grants {
			for _, grp := range grants {
				for _, k := range kinds {
					n++
					name := fmt.Sprintf("org=%q/direct=%q/group=%q/%s", org, direct, grp, k.name)
					p := personFacts{OrgRole: org, GroupIDs: map[string]bool{}, Projects: map[string]projectGrantFacts{}}
					if k.member {
						p.GroupIDs["g1"] = true
					}
					if direct != "" || grp != "" {
						g := projectGrantFacts{Direct: direct, Groups: map[string]string{}}
						if grp != "" {
							g.Groups["team"] = grp
						}
						p.Projects["p"] = g
					}
					got := applyAccessRules(p, []contextFacts{k.ctx})

					best := max(rank[direct], rank[grp])
					wantProj := map[string]projectAccess{}
					if best > rank[org] {
						var via []string
						if rank[direct] == best {
							via = append(via, "direct")
						}
						if rank[grp] == best {
							via = append(via, "group:team")
						}
						role := map[int]string{1: RoleViewer, 2: RoleContributor, 3: RoleAdmin}[best]
						wantProj["p"] = projectAccess{Role: role, Via: via}
					}
					highest := max(rank[org], best)
					wantCtx := org == RoleAdmin || (highest >= 2 && (k.ctx.AllMembers || k.member))
					wantAdmin := org == RoleAdmin || best == 3

					if !reflect.DeepEqual(got.Projects, wantProj) || got.Contexts[0] != wantCtx || got.Admin != wantAdmin {
						t.Errorf("%s: got projects %v context %v admin %v; want %v %v %v", name, got.Projects, got.Contexts[0], got.Admin, wantProj, wantCtx, wantAdmin)
					}
				}
			}
		}
	}
	if n != 5*5*5*4 {
		t.Fatalf("%d combinations, want 500", n)
	}
}

// The rules are stated word for word in the generated docs and the README.
func TestAccessRulesInDocs(t *testing.T) {
	flat := func(path string) string {
		b, err := os.ReadFile(path) //nolint:gosec // G304: a file of this repository
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(strings.Fields(string(b)), " ")
	}
	if !strings.Contains(flat("../../docs/data-sources/org_access.md"), AccessRulesMarkdown) {
		t.Error("docs/data-sources/org_access.md does not state the rules word for word; run make generate")
	}
	if !strings.Contains(flat("../../README.md"), accessRules) {
		t.Error("README.md does not state CircleCI's rules word for word")
	}
}
