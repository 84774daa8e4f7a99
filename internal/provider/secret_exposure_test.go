package provider

import (
	"reflect"
	"testing"
)

func TestJoinSecretExposure(t *testing.T) {
	yes, no := true, false
	use := contextAccess{Use: true, Via: []string{"all-members"}}
	useEdit := contextAccess{Use: true, Via: []string{"org-admin"}, Edit: true}
	none := contextAccess{}
	editOnly := contextAccess{Edit: true}
	// Three projects: api (SSH allowed, forks get secrets, a schedule run by a
	// person), web (SSH disabled, no fork secrets, a trigger run by the
	// system), docs (settings unknown: assumed SSH and fork secrets).
	projects := []exposureProject{
		{ID: "P-API", Name: "api", VarNames: []string{"Z_KEY", "A_KEY"}, VarsComplete: true, SSHDisabled: &no, ForkSecrets: &yes, AdminsWrite: &yes,
			Actors: []scheduleActor{{ProjectID: "P-API", Kind: "schedule", ID: "s1", Name: "nightly", ActorID: "u-admin", ActorLogin: "ann"},
				{ProjectID: "P-API", Kind: "schedule", ID: "s2", Name: "hourly", ActorID: "U-VI", ActorLogin: "vi"}}},
		{ID: "P-WEB", Name: "web", VarsComplete: true, SSHDisabled: &yes, ForkSecrets: &no,
			Actors: []scheduleActor{{ProjectID: "P-WEB", Kind: "trigger", ID: "t1", Name: "push", System: true}}},
		{ID: "P-DOCS", Name: "docs", VarNames: nil, VarsComplete: false},
	}
	// people: ann (org admin), cy (org contributor), vi (org viewer, contributor
	// on web by a grant), pat (no org role, contributor on api by a grant).
	people := []exposurePerson{
		{ID: "u-admin", Login: "ann", OrgRank: rankAdmin, Contexts: []contextAccess{useEdit, useEdit, useEdit}},
		{ID: "u-cy", Login: "cy", OrgRank: rankContributor, Contexts: []contextAccess{use, none, editOnly}},
		{ID: "u-vi", Login: "vi", OrgRank: rankViewer, ProjectRank: map[string]int{"p-web": rankContributor}, Contexts: []contextAccess{use, use, none}},
		{ID: "u-pat", Login: "pat", OrgRank: rankNone, ProjectRank: map[string]int{"p-api": rankContributor}, Contexts: []contextAccess{none, none, none}},
	}
	contexts := []exposureContext{
		{ID: "c-all", Name: "shared", VarNames: []string{"NPM_TOKEN"}, VarsComplete: true},
		{ID: "c-web", Name: "deploy-web", VarsComplete: true, Conditional: true, ProjectIDs: []string{"p-web", "gone"}},
		{ID: "c-nobody", Name: "admins", VarNames: []string{"K"}, VarsComplete: false},
	}
	got := joinSecretExposure(people, contexts, projects)
	type want struct {
		kind, id                      string
		names                         []string
		complete, conditional, forks  bool
		readers, editors, ssh, projIx []int
		actors                        []string
	}
	ids := func(as []scheduleActor) []string {
		out := []string{}
		for _, a := range as {
			out = append(out, a.ID)
		}
		return out
	}
	wants := []want{
		// Contexts first, by name: admins, deploy-web, shared.
		// (s2 runs as vi, who may not use it: not listed.)
		{"context", "c-nobody", []string{"K"}, false, false, true, []int{0}, []int{0, 1}, []int{0}, []int{0, 1, 2}, []string{"s1", "t1"}},
		// deploy-web: only web may use it (the restriction naming a deleted project is dropped);
		// web disables SSH and passes no secrets to forks.
		{"context", "c-web", []string{}, true, true, false, []int{0, 2}, []int{0}, nil, []int{1}, []string{"t1"}},
		// shared: every project; vi has SSH only through web, which disables it; cy through any project.
		{"context", "c-all", []string{"NPM_TOKEN"}, true, false, true, []int{0, 1, 2}, []int{0}, []int{0, 1}, []int{0, 1, 2}, []string{"s1", "s2", "t1"}},
		// Projects by name: api (pat reads it by a grant, without an org role), docs (names unknown: listed).
		{"project", "P-API", []string{"A_KEY", "Z_KEY"}, true, false, true, []int{0, 1, 3}, []int{0}, []int{0, 1, 3}, []int{0}, []string{"s1", "s2"}},
		// docs: names unknown (listed), settings unknown: contributors may change them too.
		{"project", "P-DOCS", []string{}, false, false, true, []int{0, 1}, []int{0, 1}, []int{0, 1}, []int{2}, []string{}},
	}
	if len(got) != len(wants) {
		t.Fatalf("%d entries, want %d: %+v", len(got), len(wants), got)
	}
	for i, w := range wants {
		g := got[i]
		if g.Kind != w.kind || g.ID != w.id || !reflect.DeepEqual(g.VariableNames, w.names) || g.VariableNamesComplete != w.complete ||
			g.Conditional != w.conditional || g.ExposedToForks != w.forks || !reflect.DeepEqual(g.Readers, w.readers) ||
			!reflect.DeepEqual(g.Editors, w.editors) || !reflect.DeepEqual(g.SSHReaders, w.ssh) || !reflect.DeepEqual(g.Projects, w.projIx) ||
			!reflect.DeepEqual(ids(g.ScheduleActors), w.actors) {
			t.Errorf("entry %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
}
