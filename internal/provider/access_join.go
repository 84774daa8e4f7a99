package provider

// The listings circleci_org_access joins (role grants, groups and their
// members, projects and their grants, contexts and their restrictions, the
// organization's settings), read once per run and shared, and joined into
// the facts the access rules read. circleci_secret_exposure joins the same.

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

// hintedError is a read error with the hints of the endpoint it came from.
type hintedError struct {
	err   error
	hints endpointHints
}

func (e *hintedError) Error() string { return e.err.Error() }

func (e *hintedError) Unwrap() error { return e.err }

// orgAccessInput is everything circleci_org_access joins.
type orgAccessInput struct {
	orgID        string
	grants       []circleci.RoleGrant
	groups       []circleci.Group
	groupMembers map[string][]circleci.GroupMember
	projects     []circleci.Project // nil without include_projects
	projGrants   map[string]circleci.ProjectGrants
	contexts     []circleci.Context // nil without include_contexts
	ctxDetails   map[string]circleci.ContextDetails
	settings     map[string]bool // nil without include_contexts
	withProjects bool
	withContexts bool
}

// readOrgAccess reads the listings and their fan-outs, all at once: each
// chain (groups → members, projects → grants, contexts → restrictions)
// starts its fan-out as soon as its listing has arrived.
func readOrgAccess(ctx context.Context, data *providerData, orgID string, withProjects, withContexts bool) (*orgAccessInput, error) {
	c := data.client
	in := &orgAccessInput{orgID: orgID, withProjects: withProjects, withContexts: withContexts}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		var err error
		in.grants, err = c.OrgRoleGrants(ctx, orgID)
		return hintedIf(err, membersHints(orgID))
	})
	g.Go(func() error {
		var err error
		if in.groups, err = c.Groups(ctx, orgID); err != nil {
			return hintedIf(err, groupsHints(orgID))
		}
		in.groupMembers, err = c.AllGroupMembers(ctx, orgID, groupIDs(in.groups))
		return hintedIf(err, groupMembersHints(orgID))
	})
	if withProjects {
		g.Go(func() error {
			var err error
			if in.projects, err = c.Projects(ctx, orgID); err != nil {
				return hintedIf(err, projectsHints(orgID))
			}
			ids := make([]string, len(in.projects))
			for i, p := range in.projects {
				ids[i] = p.ID
			}
			in.projGrants, err = c.AllProjectGrants(ctx, orgID, ids)
			return hintedIf(err, projectGrantsHints(orgID))
		})
	}
	if withContexts {
		g.Go(func() error {
			var err error
			if in.contexts, err = c.Contexts(ctx, orgID); err != nil {
				return hintedIf(err, contextsHints(orgID))
			}
			in.ctxDetails, err = c.AllContextDetails(ctx, contextIDs(in.contexts), false)
			return hintedIf(err, contextDetailsHints())
		})
		g.Go(func() error {
			var err error
			in.settings, err = c.OrgSettings(ctx, orgID)
			return hintedIf(err, orgSettingsHints(orgID))
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return in, nil
}

// accessPerson gathers one person's grants.
type accessPerson struct {
	id, login, email string
	facts            personFacts
	groupNames       []string
}

// accessJoin is the listings joined, before the rules are applied: people
// sorted like circleci_org_members, projects like circleci_projects, contexts
// by name then id, each context's facts and restrictions.
type accessJoin struct {
	people   []*accessPerson
	projects []circleci.Project
	contexts []circleci.Context
	facts    []contextFacts
	restr    []contextRestrictions
	org      orgFacts
	holders  roleHolders
}

// joinAccess joins the listings into the facts the rules read. A grant or
// restriction naming a group the groups listing does not have is an error:
// its members cannot be known, and leaving them out would under-report.
func joinAccess(in *orgAccessInput) (*accessJoin, error) {
	people := map[string]*accessPerson{}
	var order []*accessPerson
	holders := roleHolders{}
	person := func(id, login, email string) *accessPerson {
		key := strings.ToLower(id)
		p, ok := people[key]
		if !ok {
			p = &accessPerson{id: id, login: login, facts: personFacts{GroupIDs: map[string]bool{}, Projects: map[string]projectGrantFacts{}}}
			people[key] = p
			order = append(order, p)
		}
		if p.email == "" {
			p.email = email
		}
		return p
	}
	for _, g := range in.grants {
		p := person(g.UserID, g.Username, g.Email)
		role := NormalizeRole(g.Role)
		holders.add(role, p.id, p.login)
		p.facts.OrgRole = maxRole(p.facts.OrgRole, role)
	}
	groupByID := map[string]circleci.Group{}
	for _, g := range in.groups {
		groupByID[strings.ToLower(g.ID)] = g
		for _, m := range uniqueGroupMembers(in.groupMembers[g.ID]) {
			p := person(m.UserID, m.Username, m.Email)
			p.facts.GroupIDs[strings.ToLower(g.ID)] = true
			p.groupNames = append(p.groupNames, g.Name)
		}
	}
	orgKey := strings.ToLower(in.orgID)
	// membersOf is the people a group grant reaches.
	membersOf := func(groupID, where string) ([]*accessPerson, error) {
		key := strings.ToLower(groupID)
		if key == orgKey { // "All members": everyone with an org role
			var all []*accessPerson
			for _, p := range order {
				if p.facts.OrgRole != "" {
					all = append(all, p)
				}
			}
			return all, nil
		}
		g, ok := groupByID[key]
		if !ok {
			return nil, fmt.Errorf("%s names group %s, which the organization's groups listing does not have", where, groupID)
		}
		var ps []*accessPerson
		for _, m := range uniqueGroupMembers(in.groupMembers[g.ID]) {
			ps = append(ps, people[strings.ToLower(m.UserID)])
		}
		return ps, nil
	}
	projects := sortedProjects(in.projects)
	projectNames := map[string]string{}
	for _, pr := range projects {
		key := strings.ToLower(pr.ID)
		projectNames[key] = pr.Name
		grants := in.projGrants[pr.ID]
		for _, g := range grants.Users {
			p := person(g.UserID, g.Username, g.Email)
			role := NormalizeRole(g.Role)
			holders.add(role, p.id, p.login)
			pg := p.facts.Projects[key]
			pg.Direct = maxRole(pg.Direct, role)
			p.facts.Projects[key] = pg
		}
		for _, gg := range grants.Groups {
			ps, err := membersOf(gg.ID, "a group grant on project "+pr.Slug)
			if err != nil {
				return nil, err
			}
			name := gg.Name
			if g, ok := groupByID[strings.ToLower(gg.ID)]; ok {
				name = g.Name
			}
			role := NormalizeRole(gg.Role)
			for _, p := range ps {
				holders.add(role, p.id, p.login)
				pg := p.facts.Projects[key]
				if pg.Groups == nil {
					pg.Groups = map[string]string{}
				}
				pg.Groups[name] = maxRole(pg.Groups[name], role)
				p.facts.Projects[key] = pg
			}
		}
	}
	sortedCtx := slices.Clone(in.contexts)
	slices.SortStableFunc(sortedCtx, func(a, b circleci.Context) int {
		return strings.Compare(a.Name+"\x00"+a.ID, b.Name+"\x00"+b.ID)
	})
	facts := make([]contextFacts, len(sortedCtx))
	restr := make([]contextRestrictions, len(sortedCtx))
	for i, c := range sortedCtx {
		rs := in.ctxDetails[c.ID].Restrictions
		restr[i] = restrictionsOf(rs, in.orgID)
		f := contextFacts{AllMembers: restr[i].allMembers, Groups: map[string]string{}, Projects: map[string]string{},
			Expressions: restr[i].conditional()}
		for _, r := range rs {
			switch strings.ToLower(r.Type) {
			case circleci.RestrictionGroup:
				key := strings.ToLower(r.Value)
				if key == orgKey {
					continue
				}
				g, ok := groupByID[key]
				if !ok {
					return nil, fmt.Errorf("a restriction of context %q names group %s, which the organization's groups listing does not have", c.Name, r.Value)
				}
				f.Groups[key] = g.Name
			case circleci.RestrictionProject:
				key := strings.ToLower(r.Value)
				f.Projects[key] = cmp.Or(projectNames[key], ptrValue(r.Name), r.Value)
			}
		}
		facts[i] = f
	}
	org := orgFacts{GroupRestrictionRequired: in.settings[circleci.ContextGroupRestrictionRequired]}
	slices.SortStableFunc(order, func(a, b *accessPerson) int { return byLogin(a.login, a.id, b.login, b.id) })
	return &accessJoin{people: order, projects: projects, contexts: sortedCtx, facts: facts, restr: restr, org: org, holders: holders}, nil
}

// hintedIf is err with the hints of the endpoint it came from; nil stays nil.
func hintedIf(err error, h endpointHints) error {
	if err == nil {
		return nil
	}
	return &hintedError{err: err, hints: h}
}
