package provider

import (
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// Named cases: what a reader checks against CircleCI's docs, one rule each.
func TestApplyAccessRules_cases(t *testing.T) {
	allMembers := contextFacts{AllMembers: true}
	release := contextFacts{Groups: map[string]string{"g-rel": "release"}}
	adminsOnly := contextFacts{}
	projectOnly := contextFacts{Projects: map[string]string{"p": "payments"}}
	allAndProject := contextFacts{AllMembers: true, Projects: map[string]string{"p": "payments"}}
	ctxs := []contextFacts{allMembers, release, adminsOnly, projectOnly, allAndProject}
	use := func(a personAccess) []bool {
		out := make([]bool, len(a.Contexts))
		for i, c := range a.Contexts {
			out[i] = c.Use
		}
		return out
	}
	edit := func(a personAccess) []bool {
		out := make([]bool, len(a.Contexts))
		for i, c := range a.Contexts {
			out[i] = c.Edit
		}
		return out
	}
	tests := []struct {
		name      string
		p         personFacts
		org       orgFacts
		wantProj  map[string]projectAccess
		wantUse   []bool // allMembers, release, adminsOnly, projectOnly, allAndProject
		wantEdit  []bool
		wantAdmin bool
	}{
		{"rule 2: an org admin uses every context, whatever its restrictions", personFacts{OrgRole: RoleAdmin,
			Projects: map[string]projectGrantFacts{"p": {Direct: RoleAdmin}}}, orgFacts{}, map[string]projectAccess{},
			[]bool{true, true, true, true, true}, []bool{true, true, true, true, true}, true},
		{"rule 5: with the setting on, nobody uses a context without a group restriction, admins included",
			personFacts{OrgRole: RoleAdmin}, orgFacts{GroupRestrictionRequired: true}, map[string]projectAccess{},
			[]bool{true, true, false, false, true}, []bool{true, true, true, true, true}, true},
		{"rule 3: no group restriction is admins only", personFacts{OrgRole: RoleContributor, GroupIDs: map[string]bool{"g-rel": true}},
			orgFacts{}, map[string]projectAccess{}, []bool{true, true, false, false, true}, []bool{true, true, false, false, true}, false},
		{"rule 4: a project restriction needs contributor on the project", personFacts{OrgRole: RoleViewer,
			Projects: map[string]projectGrantFacts{"p": {Direct: RoleContributor}}}, orgFacts{},
			map[string]projectAccess{"p": {Role: RoleContributor, Via: []string{"direct"}}},
			[]bool{true, false, false, false, true}, []bool{false, false, false, false, false}, false},
		{"rule 4: an org viewer contributor elsewhere may not use a context limited to another project", personFacts{OrgRole: RoleViewer,
			Projects: map[string]projectGrantFacts{"q": {Direct: RoleContributor}}}, orgFacts{},
			map[string]projectAccess{"q": {Role: RoleContributor, Via: []string{"direct"}}},
			[]bool{true, false, false, false, false}, []bool{false, false, false, false, false}, false},
		{"rule 4: viewers everywhere use nothing", personFacts{OrgRole: RoleViewer, GroupIDs: map[string]bool{"g-rel": true}},
			orgFacts{}, map[string]projectAccess{}, []bool{false, false, false, false, false}, []bool{false, false, false, false, false}, false},
		{"org viewer made project admin by a group", personFacts{OrgRole: RoleViewer, GroupIDs: map[string]bool{"g-rel": true},
			Projects: map[string]projectGrantFacts{"p": {Groups: map[string]string{"release": RoleAdmin}}}}, orgFacts{},
			map[string]projectAccess{"p": {Role: RoleAdmin, Via: []string{"group:release"}}},
			[]bool{true, true, false, false, true}, []bool{false, false, false, false, false}, true},
		{"rule 1: a project grant without an org role uses no context", personFacts{GroupIDs: map[string]bool{"g-rel": true},
			Projects: map[string]projectGrantFacts{"p": {Direct: RoleAdmin}}}, orgFacts{},
			map[string]projectAccess{"p": {Role: RoleAdmin, Via: []string{"direct"}}},
			[]bool{false, false, false, false, false}, []bool{false, false, false, false, false}, true},
		{"an unrecognised org role is treated as admin", personFacts{OrgRole: "org_admin"}, orgFacts{}, map[string]projectAccess{},
			[]bool{true, true, true, true, true}, []bool{true, true, true, true, true}, true},
		{"an unrecognised project role is treated as admin on the project", personFacts{OrgRole: RoleContributor,
			Projects: map[string]projectGrantFacts{"p": {Direct: "project-owner"}}}, orgFacts{},
			map[string]projectAccess{"p": {Role: "project-owner", Via: []string{"direct"}}},
			[]bool{true, false, false, false, true}, []bool{true, false, false, false, true}, true},
		{"direct and group give the same role: both listed, the documented name shown", personFacts{OrgRole: RoleContributor,
			Projects: map[string]projectGrantFacts{"p": {Direct: "project-owner", Groups: map[string]string{"b": RoleAdmin, "a": RoleContributor}}}},
			orgFacts{}, map[string]projectAccess{"p": {Role: RoleAdmin, Via: []string{"direct", "group:b"}}},
			[]bool{true, false, false, false, true}, []bool{true, false, false, false, true}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := applyAccessRules(tc.p, ctxs, tc.org)
			if !reflect.DeepEqual(got.Projects, tc.wantProj) || !slices.Equal(use(got), tc.wantUse) ||
				!slices.Equal(edit(got), tc.wantEdit) || got.Admin != tc.wantAdmin {
				t.Errorf("got projects %v use %v edit %v admin %v;\nwant %v %v %v %v", got.Projects, use(got), edit(got), got.Admin,
					tc.wantProj, tc.wantUse, tc.wantEdit, tc.wantAdmin)
			}
		})
	}
}

func TestApplyAccessRules_via(t *testing.T) {
	c := contextFacts{AllMembers: true, Groups: map[string]string{"g1": "release", "g2": "ops"},
		Projects: map[string]string{"p": "payments", "q": "web"}}
	p := personFacts{OrgRole: RoleContributor, GroupIDs: map[string]bool{"g1": true, "g2": true},
		Projects: map[string]projectGrantFacts{"q": {Direct: RoleViewer}}}
	got := applyAccessRules(p, []contextFacts{c}, orgFacts{}).Contexts[0]
	want := []string{"all-members", "group:ops", "group:release", "project:payments", "project:web"}
	if !got.Use || !slices.Equal(got.Via, want) {
		t.Errorf("via = %v (use %v), want %v", got.Via, got.Use, want)
	}
	for role, via := range map[string]string{RoleAdmin: "org-admin", "org_admin": "org-role:org_admin"} {
		got := applyAccessRules(personFacts{OrgRole: role}, []contextFacts{c}, orgFacts{}).Contexts[0]
		if !slices.Equal(got.Via, []string{via}) {
			t.Errorf("%s: via = %v, want [%s]", role, got.Via, via)
		}
	}
}

// Every combination of org role × direct grant × group grant × group
// membership × restriction set × organization setting, against the rules
// spelt out once more here, dimension by dimension.
func TestApplyAccessRules_everyCombination(t *testing.T) {
	const unknown = "project-owner" // a role the provider does not recognise
	orgRoles := []string{RoleAdmin, RoleContributor, RoleViewer, "org_admin", ""}
	grants := []string{"", RoleAdmin, RoleContributor, RoleViewer, unknown}
	rank := func(r string) int {
		switch r {
		case "":
			return 0
		case RoleViewer:
			return 1
		case RoleContributor:
			return 2
		}
		return 3 // admin and every unrecognised role
	}
	type groupSet struct {
		name       string
		allMembers bool
		groups     []string // of g1 (the person's, when member), g2
	}
	groupSets := []groupSet{{"no group", false, nil}, {"All members", true, nil}, {"g1", false, []string{"g1"}},
		{"g2", false, []string{"g2"}}, {"All members+g2", true, []string{"g2"}}, {"g1+g2", false, []string{"g1", "g2"}}}
	projectSets := [][]string{nil, {"p1"}, {"p2"}, {"p1", "p2"}}
	n := 0
	for _, org := range orgRoles {
		for _, direct := range grants {
			for _, grp := range grants {
				for _, member := range []bool{false, true} {
					for _, gs := range groupSets {
						for _, ps := range projectSets {
							for _, expr := range []bool{false, true} {
								for _, setting := range []bool{false, true} {
									n++
									name := fmt.Sprintf("org=%q direct=%q group=%q member=%v groups=%s projects=%v expr=%v setting=%v",
										org, direct, grp, member, gs.name, ps, expr, setting)
									p := personFacts{OrgRole: org, GroupIDs: map[string]bool{}, Projects: map[string]projectGrantFacts{}}
									if member {
										p.GroupIDs["g1"] = true
									}
									if direct != "" || grp != "" {
										g := projectGrantFacts{Direct: direct, Groups: map[string]string{}}
										if grp != "" {
											g.Groups["team"] = grp
										}
										p.Projects["p1"] = g
									}
									c := contextFacts{AllMembers: gs.allMembers, Groups: map[string]string{}, Projects: map[string]string{}, Expressions: expr}
									for _, g := range gs.groups {
										c.Groups[g] = "name-" + g
									}
									for _, pr := range ps {
										c.Projects[pr] = "name-" + pr
									}
									got := applyAccessRules(p, []contextFacts{c}, orgFacts{GroupRestrictionRequired: setting})

									// The projects: raised above the org role, by the highest grant.
									best := max(rank(direct), rank(grp))
									wantProj := map[string]projectAccess{}
									if best > rank(org) {
										var via []string
										if rank(direct) == best {
											via = append(via, "direct")
										}
										if rank(grp) == best {
											via = append(via, "group:team")
										}
										role := direct
										if rank(grp) > rank(direct) || (rank(grp) == rank(direct) && grp == RoleAdmin) {
											role = grp
										}
										wantProj["p1"] = projectAccess{Role: role, Via: via}
									}
									effective := map[string]int{"p1": max(rank(org), best), "p2": rank(org)}
									// The rules.
									hasGroup := gs.allMembers || len(gs.groups) > 0
									groupOK := gs.allMembers || (member && slices.Contains(gs.groups, "g1"))
									projectOK := rank(org) >= 2 || best >= 2
									if len(ps) > 0 {
										projectOK = slices.ContainsFunc(ps, func(pr string) bool { return effective[pr] >= 2 })
									}
									var wantUse bool
									switch {
									case rank(org) == 0: // rule 1
									case setting && !hasGroup: // rule 5
									case rank(org) == 3: // rule 2
										wantUse = true
									default: // rules 3 and 4
										wantUse = groupOK && projectOK
									}
									wantEdit := rank(org) == 3 || (rank(org) == 2 && groupOK)
									wantAdmin := rank(org) == 3 || best == 3

									gc := got.Contexts[0]
									if !reflect.DeepEqual(got.Projects, wantProj) || gc.Use != wantUse || gc.Edit != wantEdit || got.Admin != wantAdmin ||
										gc.Use != (len(gc.Via) > 0) {
										t.Fatalf("%s:\ngot projects %v use %v (via %v) edit %v admin %v;\nwant %v %v %v %v",
											name, got.Projects, gc.Use, gc.Via, gc.Edit, got.Admin, wantProj, wantUse, wantEdit, wantAdmin)
									}
								}
							}
						}
					}
				}
			}
		}
	}
	if want := 5 * 5 * 5 * 2 * 6 * 4 * 2 * 2; n != want {
		t.Fatalf("%d combinations, want %d", n, want)
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
