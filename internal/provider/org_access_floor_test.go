package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// scaledAccessFixture is an organization with the given numbers of members,
// projects (each with one user and one group grant), groups (each with
// members) and contexts (each restricted to a group).
func scaledAccessFixture(members, projects, groups, contexts int) *fakeapi.Fixture {
	const org = testOrgID
	id := func(kind, i int) string { return fmt.Sprintf("%08x-0000-4000-8000-%012d", kind, i) }
	fx := &fakeapi.Fixture{Token: testToken, PageSize: 100, Members: map[string][]fakeapi.RoleGrant{}}
	for i := range members {
		role := "org-contributor"
		if i == 0 {
			role = "org-admin" // an organization always has one
		}
		fx.Members[org] = append(fx.Members[org], fakeapi.RoleGrant{UserID: id(1, i), Username: fmt.Sprintf("u%d", i), Role: role})
	}
	fx.Groups = map[string][]fakeapi.Group{}
	for i := range groups {
		g := fakeapi.Group{ID: id(2, i), Name: fmt.Sprintf("g%d", i)}
		for j := i; j < members; j += groups {
			g.Members = append(g.Members, fakeapi.GroupMember{UserID: id(1, j), Username: fmt.Sprintf("u%d", j)})
		}
		fx.Groups[org] = append(fx.Groups[org], g)
	}
	fx.Projects = map[string][]fakeapi.Project{}
	for i := range projects {
		fx.Projects[org] = append(fx.Projects[org], fakeapi.Project{ID: id(3, i), Slug: fmt.Sprintf("gh/o/p%d", i), Name: fmt.Sprintf("p%d", i),
			UserGrants:  []fakeapi.RoleGrant{{UserID: id(1, i%members), Username: fmt.Sprintf("u%d", i%members), Role: "project-viewer"}},
			GroupGrants: []fakeapi.ProjectGroupGrant{{ID: id(2, i%groups), Name: fmt.Sprintf("g%d", i%groups), Role: "project-admin"}}})
	}
	fx.Contexts = map[string][]fakeapi.Context{}
	for i := range contexts {
		fx.Contexts[org] = append(fx.Contexts[org], fakeapi.Context{ID: id(4, i), Name: fmt.Sprintf("c%d", i),
			Restrictions: []fakeapi.Restriction{{ID: id(5, i), Type: "group", Value: id(2, i%groups)}}})
	}
	return fx
}

// circleci_org_access makes exactly the floor number of requests: each page
// of each listing and each fan-out request once.
func TestOrgAccessRequestFloor(t *testing.T) {
	const members, projects, groups, contexts = 300, 240, 40, 200
	s := newFixtureServer(t, scaledAccessFixture(members, projects, groups, contexts))
	c, err := circleci.New(circleci.Config{Token: testToken, Host: s.URL(), MaxConcurrency: 8})
	if err != nil {
		t.Fatal(err)
	}
	d := &OrgAccessDataSource{data: &providerData{client: c, token: testToken}}
	in, err := readOrgAccess(context.Background(), d.data, testOrgID, true, true)
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := orgAccessToModel(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Users) != members || len(m.Contexts) != contexts {
		t.Fatalf("%d users, %d contexts", len(m.Users), len(m.Contexts))
	}
	pages := func(n, size int) int { return (n + size - 1) / size }
	floor := pages(members, 100) + // role grants
		1 + groups + // groups, then each group's members
		pages(projects, 50) + 2*projects + // projects in pages of 50, then user and group grants of each
		pages(contexts, 100) + contexts + // contexts, then each one's restrictions
		1 // the organization's settings
	if n := s.RequestCount(""); n != floor {
		t.Errorf("%d requests, want the floor %d", n, floor)
	}
	// A second read in the same run costs nothing.
	if _, err := readOrgAccess(context.Background(), d.data, testOrgID, true, true); err != nil {
		t.Fatal(err)
	}
	if n := s.RequestCount(""); n != floor {
		t.Errorf("%d requests after a second read, want still %d", n, floor)
	}
}
