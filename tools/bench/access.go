package bench

// circleci_org_access's fan-out at its floor, and circleci_projects'
// scaling curve.

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// AccessFixture is one organization of members (OrgID(0), Fixture's
// members) with projects (each with a user grant and a group grant), groups
// (members spread over them) and contexts (each restricted to a group).
func AccessFixture(members, projects, groups, contexts int) *fakeapi.Fixture {
	fx := Fixture(1, members, 100, false)
	org := OrgID(0)
	id := func(kind, i int) string { return fmt.Sprintf("%08x-0000-4000-8000-%012d", kind, i+1) }
	grants := fx.Members[org]
	fx.Groups = map[string][]fakeapi.Group{}
	for i := range groups {
		g := fakeapi.Group{ID: id(2, i), Name: fmt.Sprintf("group-%03d", i)}
		for j := i; j < members; j += groups {
			g.Members = append(g.Members, fakeapi.GroupMember{UserID: grants[j].UserID, Username: grants[j].Username})
		}
		fx.Groups[org] = append(fx.Groups[org], g)
	}
	fx.Projects = map[string][]fakeapi.Project{}
	for i := range projects {
		u := grants[i%max(members, 1)]
		p := fakeapi.Project{ID: id(3, i), Slug: fmt.Sprintf("circleci/bench/project-%05d", i), Name: fmt.Sprintf("project-%05d", i)}
		if members > 0 {
			p.UserGrants = []fakeapi.RoleGrant{{UserID: u.UserID, Username: u.Username, Role: "project-viewer"}}
		}
		if groups > 0 {
			p.GroupGrants = []fakeapi.ProjectGroupGrant{{ID: id(2, i%groups), Name: fmt.Sprintf("group-%03d", i%groups), Role: "project-admin"}}
		}
		fx.Projects[org] = append(fx.Projects[org], p)
	}
	fx.Contexts = map[string][]fakeapi.Context{}
	for i := range contexts {
		c := fakeapi.Context{ID: id(4, i), Name: fmt.Sprintf("context-%03d", i), CreatedAt: "2024-01-01T00:00:00Z"}
		if groups > 0 {
			c.Restrictions = []fakeapi.Restriction{{ID: id(5, i), Type: "group", Value: id(2, i%groups)}}
		}
		fx.Contexts[org] = append(fx.Contexts[org], c)
	}
	return fx
}

func pagesOf(n, size int) int { return max(1, (n+size-1)/size) }

// accessFloor is the number of requests circleci_org_access needs: each
// page of each listing and each fan-out request once.
func accessFloor(fx *fakeapi.Fixture, members, projects, groups, contexts int) int {
	return pagesOf(members, fx.PageSize) + // role grants
		1 + groups + // the groups, then each group's members
		pagesOf(projects, min(circleci.ProjectsPageSize, fx.PageSize)) + 2*projects + // projects, then each one's user and group grants
		pagesOf(contexts, fx.PageSize) + contexts + // contexts, then each one's restrictions
		1 // the organization's settings
}

// OrgAccess1k reads circleci_org_access on 1,000 projects, 300 members, 40
// groups and 200 contexts, max_concurrency 8, through the in-process
// provider server: at 50 ms per response (request count and wall time
// against the floor computed from the fixture), then at 50 ms under the
// fake's limit of 50 requests/s (no 429, wall time against requests ÷ 50/s).
func OrgAccess1k(ctx context.Context, o Options) []Result {
	const members, projects, groups, contexts, conc, latency, perSecond = 300, 1000, 40, 200, 8, 50 * time.Millisecond, 50
	setup := "1,000 projects, 300 members, 40 groups, 200 contexts, max_concurrency 8"
	countName := "`circleci_org_access` requests, " + setup
	wallName := "`circleci_org_access` wall time @ 50 ms, " + setup
	rateName := fmt.Sprintf("`circleci_org_access` under a %d req/s limit @ 50 ms, %s", perSecond, setup)
	fx := AccessFixture(members, projects, groups, contexts)
	floor := accessFloor(fx, members, projects, groups, contexts)
	f, err := StartFake(ctx, "", fx, latency)
	if err != nil {
		return []Result{{Scenario: countName, Err: err}}
	}
	defer f.Close()
	read := func() (time.Duration, int, error) {
		p, err := NewProvider(ctx, f.URL, map[string]tftypes.Value{"max_concurrency": tftypes.NewValue(tftypes.Number, conc)})
		if err != nil {
			return 0, 0, err
		}
		f.Server.Reset()
		start := time.Now()
		obj, err := p.Read(ctx, "circleci_org_access", map[string]tftypes.Value{"organization_id": tftypes.NewValue(tftypes.String, OrgID(0))})
		elapsed := time.Since(start)
		if err != nil {
			return 0, 0, err
		}
		var users, ctxs []tftypes.Value
		if err := obj["users"].As(&users); err != nil {
			return 0, 0, err
		}
		if err := obj["contexts"].As(&ctxs); err != nil {
			return 0, 0, err
		}
		if len(users) != members || len(ctxs) != contexts {
			return 0, 0, fmt.Errorf("%d users and %d contexts, want %d and %d", len(users), len(ctxs), members, contexts)
		}
		return elapsed, f.Server.RequestCount(""), nil
	}

	// The measured floor: as many GETs to the same fake by exactly conc
	// workers (every fan-out URL, and the listings' count of one listing
	// page), with none of the listings' ordering.
	org := OrgID(0)
	var urls []string
	for _, g := range fx.Groups[org] {
		urls = append(urls, f.URL+fakeapi.GroupMembersPath(org, g.ID))
	}
	for _, p := range fx.Projects[org] {
		urls = append(urls, f.URL+fakeapi.ProjectRoleGrantsPath(org, p.ID), f.URL+fakeapi.ProjectGroupsPath(org, p.ID))
	}
	for _, c := range fx.Contexts[org] {
		urls = append(urls, f.URL+fakeapi.ContextRestrictionsPath(c.ID))
	}
	urls = append(urls, f.URL+fakeapi.OrgSettingsPath(org))
	for len(urls) < floor {
		urls = append(urls, f.URL+fakeapi.GroupsPath(org))
	}
	return floorRun{fake: f, urls: urls, floor: floor, latency: latency, conc: conc, perSecond: perSecond, read: read,
		countName: countName, wallName: wallName, rateName: rateName, reads: "reads",
		countNote: fmt.Sprintf("⌈%d/100⌉ role-grant pages + 1 groups listing + %d group-member lists + ⌈%d/%d⌉ project pages + "+
			"2 × %d project grant lists + ⌈%d/100⌉ context pages + %d context lookups + 1 settings read",
			members, groups, projects, min(circleci.ProjectsPageSize, fx.PageSize), projects, contexts, contexts),
		wallNote: "in-process provider server and fake"}.rows(ctx, o)
}

// projectsApply is one `tofu apply` reading circleci_projects on an
// organization of n projects from cmd/fake-circleci, no latency.
func projectsApply(ctx context.Context, o Options, n int) (*tofuRun, error) {
	if o.FakeBin == "" {
		return nil, fmt.Errorf("needs -fake-bin (cmd/fake-circleci)")
	}
	f, err := StartFake(ctx, o.FakeBin, AccessFixture(1, n, 0, 0), 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tf := fmt.Sprintf(tfHeader, Token, f.URL) + fmt.Sprintf(`
data "circleci_projects" "all" { organization_id = %q }
output "project_count" { value = length(data.circleci_projects.all.projects) }
`, OrgID(0))
	run, err := runTofu(ctx, o, tf)
	if err != nil {
		return nil, err
	}
	if !strings.Contains(run.output, fmt.Sprintf("project_count = %d", n)) {
		return nil, fmt.Errorf("project_count = %d not in the apply output:\n%s", n, run.output)
	}
	return run, nil
}

// ScaleProjects is the scaling curve of circleci_projects through OpenTofu,
// as ScaleMembers.
func ScaleProjects(sizes ...int) func(ctx context.Context, o Options) []Result {
	return func(ctx context.Context, o Options) []Result {
		rounds := min(o.Rounds, 2)
		empty, err := measureApply(o, rounds, func() (*tofuRun, error) { return projectsApply(ctx, o, 0) })
		if err != nil {
			return []Result{{Scenario: "scaling curve, projects", Err: err}}
		}
		var out []Result
		for _, n := range sizes {
			name := fmt.Sprintf("scaling: %d projects (`circleci_projects`) through OpenTofu (provider CPU, apply wall)", n)
			c, err := measureApply(o, rounds, func() (*tofuRun, error) { return projectsApply(ctx, o, n) })
			if err != nil {
				out = append(out, Result{Scenario: name, Err: err})
				continue
			}
			out = append(out, scaleRow(name, "project", n, c, empty, rounds))
		}
		return out
	}
}
