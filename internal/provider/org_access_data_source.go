package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"golang.org/x/sync/errgroup"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

var _ datasource.DataSourceWithConfigure = (*OrgAccessDataSource)(nil)

// OrgAccessDataSource joins org roles, groups, project grants and context
// restrictions into who can do what.
type OrgAccessDataSource struct {
	data *providerData
}

// OrgAccessDataSourceModel is the data source's state.
type OrgAccessDataSourceModel struct {
	OrganizationID  types.String         `tfsdk:"organization_id"`
	IncludeProjects types.Bool           `tfsdk:"include_projects"`
	IncludeContexts types.Bool           `tfsdk:"include_contexts"`
	Users           []AccessUserModel    `tfsdk:"users"`
	Contexts        []AccessContextModel `tfsdk:"contexts"` // nil (null) without include_contexts
	AdminLogins     []string             `tfsdk:"admin_logins"`
}

// AccessUserModel is one person's effective access.
type AccessUserModel struct {
	ID           types.String       `tfsdk:"id"`
	Login        types.String       `tfsdk:"login"`
	Email        types.String       `tfsdk:"email"`
	OrgRole      types.String       `tfsdk:"org_role"`
	Groups       []string           `tfsdk:"groups"`
	ProjectRoles []ProjectRoleModel `tfsdk:"project_roles"` // nil (null) without include_projects
	Contexts     []string           `tfsdk:"contexts"`      // nil (null) without include_contexts
}

// ProjectRoleModel is a person's effective role on a project where it is
// higher than their org role.
type ProjectRoleModel struct {
	ProjectID   types.String `tfsdk:"project_id"`
	ProjectSlug types.String `tfsdk:"project_slug"`
	Role        types.String `tfsdk:"role"`
	Via         []string     `tfsdk:"via"`
}

// AccessContextModel is who may use one context.
type AccessContextModel struct {
	ID          types.String `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	AllMembers  types.Bool   `tfsdk:"all_members"`
	Logins      []string     `tfsdk:"logins"`
	ProjectIDs  []string     `tfsdk:"project_ids"`
	Expressions []string     `tfsdk:"expressions"`
}

// NewOrgAccessDataSource is the data source's constructor.
func NewOrgAccessDataSource() datasource.DataSource { return &OrgAccessDataSource{} }

func (d *OrgAccessDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_org_access"
}

func (d *OrgAccessDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	strList := func(desc string) schema.Attribute {
		return schema.ListAttribute{MarkdownDescription: desc, ElementType: types.StringType, Computed: true}
	}
	str := func(desc string) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Who can do what in a standalone CircleCI organization: the organization's role grants, its groups, " +
			"the user and group grants on each project, and each context's restrictions, joined by CircleCI's rules.\n\n" +
			"**The rules.** " + AccessRulesMarkdown + "\n\n" +
			"~> This reads the endpoints of `circleci_org_members`, `circleci_groups`, `circleci_projects`, " +
			"`circleci_project_members` and `circleci_contexts` (restrictions only), each once per run and shared with those data " +
			"sources. Several of them are not documented by CircleCI (role grants, group members, the projects listing, project " +
			"grants), and may change.",
		Attributes: map[string]schema.Attribute{
			"organization_id": organizationIDAttribute(),
			"include_projects": schema.BoolAttribute{
				MarkdownDescription: "Read the projects and their user and group grants (two requests per project, at most " +
					"`max_concurrency` at a time). With `false`, no project endpoint is called and `project_roles` is null. Default: `true`.",
				Optional: true,
				Computed: true,
			},
			"include_contexts": schema.BoolAttribute{
				MarkdownDescription: "Read the contexts and their restrictions (one request per context). With `false`, no context " +
					"endpoint is called and `contexts` (top-level and per user) is null. Default: `true`.",
				Optional: true,
				Computed: true,
			},
			"users": schema.ListNestedAttribute{
				MarkdownDescription: "One entry per person who appears in the organization's role grants, a group, or a project grant, " +
					"sorted like `circleci_org_members` (lower-cased `login`, then `id`).",
				Computed: true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":    str("CircleCI user ID (a UUID)."),
						"login": str("The user's login."),
						"email": str("Email address; null when CircleCI gives none."),
						"org_role": str("Organization role: `admin`, `contributor` or `viewer`, a role CircleCI adds later as given, or null " +
							"when the person has no organization role (only a group or project grant)."),
						"groups": strList("The names of the groups the person belongs to, sorted."),
						"project_roles": schema.ListNestedAttribute{
							MarkdownDescription: "Only the projects on which the person's effective role is higher than their org role, " +
								"sorted by lower-cased `project_slug`. Null when `include_projects` is false.",
							Computed: true,
							NestedObject: schema.NestedAttributeObject{
								Attributes: map[string]schema.Attribute{
									"project_id":   str("Project ID."),
									"project_slug": str("Project slug."),
									"role":         str("The effective role on the project: `admin`, `contributor` or `viewer`."),
									"via":          strList("The grants that give it, sorted: `direct` and `group:<group name>`."),
								},
							},
						},
						"contexts": strList("The names of the contexts the person may use, sorted. Null when `include_contexts` is false."),
					},
				},
			},
			"contexts": schema.ListNestedAttribute{
				MarkdownDescription: "The contexts, sorted by `name`, then `id`. Null when `include_contexts` is false.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":   str("Context ID."),
						"name": str("The context's name."),
						"all_members": schema.BoolAttribute{
							MarkdownDescription: "True when it has no group restriction, or the \"All members\" group.", Computed: true,
						},
						"logins":      strList("The logins of the people who may use it, sorted like `circleci_org_members`."),
						"project_ids": strList("Project restrictions that further limit it, sorted (reported, not evaluated)."),
						"expressions": strList("Expression restrictions that further limit it, sorted (reported, not evaluated)."),
					},
				},
			},
			"admin_logins": strList("Everyone who is an org admin or an effective admin of at least one project, sorted like " +
				"`circleci_org_members`."),
		},
	}
}

func (d *OrgAccessDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureClient(req, resp)
}

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
	withProjects bool
	withContexts bool
}

// readOrgAccess reads the listings and their fan-outs, all at once: each
// chain (groups → members, projects → grants, contexts → restrictions)
// starts its fan-out as soon as its listing has arrived.
func (d *OrgAccessDataSource) readOrgAccess(ctx context.Context, orgID string, withProjects, withContexts bool) (*orgAccessInput, error) {
	c := d.data.client
	in := &orgAccessInput{orgID: orgID, withProjects: withProjects, withContexts: withContexts}
	g, ctx := errgroup.WithContext(ctx)
	hinted := func(err error, h endpointHints) error {
		if err == nil {
			return nil
		}
		return &hintedError{err: err, hints: h}
	}
	g.Go(func() error {
		var err error
		in.grants, err = c.OrgRoleGrants(ctx, orgID)
		return hinted(err, membersHints(orgID))
	})
	g.Go(func() error {
		var err error
		if in.groups, err = c.Groups(ctx, orgID); err != nil {
			return hinted(err, groupsHints(orgID))
		}
		in.groupMembers, err = c.AllGroupMembers(ctx, orgID, groupIDs(in.groups))
		return hinted(err, groupMembersHints(orgID))
	})
	if withProjects {
		g.Go(func() error {
			var err error
			if in.projects, err = c.Projects(ctx, orgID); err != nil {
				return hinted(err, projectsHints(orgID))
			}
			ids := make([]string, len(in.projects))
			for i, p := range in.projects {
				ids[i] = p.ID
			}
			in.projGrants, err = c.AllProjectGrants(ctx, orgID, ids)
			return hinted(err, projectGrantsHints(orgID))
		})
	}
	if withContexts {
		g.Go(func() error {
			var err error
			if in.contexts, err = c.Contexts(ctx, orgID); err != nil {
				return hinted(err, contextsHints(orgID))
			}
			in.ctxDetails, err = c.AllContextDetails(ctx, contextIDs(in.contexts), false)
			return hinted(err, contextDetailsHints())
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return in, nil
}

func (d *OrgAccessDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state OrgAccessDataSourceModel
	ctx, ok := beginRead(ctx, req, resp, d.data, &state)
	if !ok {
		return
	}
	orgID, ok := organizationIDOrDefault(state.OrganizationID, d.data, &resp.Diagnostics)
	if !ok {
		return
	}
	withProjects, withContexts := boolOr(state.IncludeProjects, true), boolOr(state.IncludeContexts, true)
	in, err := d.readOrgAccess(ctx, orgID, withProjects, withContexts)
	if err != nil {
		var he *hintedError
		if errors.As(err, &he) {
			resp.Diagnostics.Append(errorDiagnostic(he.err, he.hints))
		} else {
			resp.Diagnostics.Append(errorDiagnostic(err, endpointHints{what: "Organization Access"}))
		}
		return
	}
	m, err := orgAccessToModel(in)
	if err != nil {
		resp.Diagnostics.AddError("Inconsistent CircleCI Access Data",
			"CircleCI's answers do not fit together, so the provider does not guess who has access: "+err.Error()+
				". This can happen when groups change during the run: run again. If it persists, please report it.")
		return
	}
	m.OrganizationID = types.StringValue(orgID)
	m.IncludeProjects = types.BoolValue(withProjects)
	m.IncludeContexts = types.BoolValue(withContexts)
	resp.Diagnostics.Append(setState(ctx, &resp.State, m)...)
}

// accessPerson gathers one person's grants.
type accessPerson struct {
	id, login, email string
	facts            personFacts
	groupNames       []string
}

// orgAccessToModel joins the listings and applies the rules. A grant or
// restriction naming a group the groups listing does not have is an error:
// its members cannot be known, and leaving them out would under-report.
func orgAccessToModel(in *orgAccessInput) (*OrgAccessDataSourceModel, error) {
	people := map[string]*accessPerson{}
	var order []*accessPerson
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
		p.facts.OrgRole = maxRole(p.facts.OrgRole, NormalizeRole(g.Role))
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
	// membersOf is the people a group grant or restriction reaches.
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
	for _, pr := range projects {
		grants := in.projGrants[pr.ID]
		for _, g := range grants.Users {
			p := person(g.UserID, g.Username, g.Email)
			pg := p.facts.Projects[pr.ID]
			pg.Direct = maxRole(pg.Direct, NormalizeRole(g.Role))
			p.facts.Projects[pr.ID] = pg
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
			for _, p := range ps {
				pg := p.facts.Projects[pr.ID]
				if pg.Groups == nil {
					pg.Groups = map[string]string{}
				}
				pg.Groups[name] = maxRole(pg.Groups[name], NormalizeRole(gg.Role))
				p.facts.Projects[pr.ID] = pg
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
		restr[i] = restrictionsOf(in.ctxDetails[c.ID].Restrictions, in.orgID)
		gids := make([]string, 0, len(restr[i].groupIDs))
		for _, gid := range restr[i].groupIDs {
			if strings.ToLower(gid) == orgKey {
				continue
			}
			if _, ok := groupByID[strings.ToLower(gid)]; !ok {
				return nil, fmt.Errorf("a restriction of context %q names group %s, which the organization's groups listing does not have", c.Name, gid)
			}
			gids = append(gids, strings.ToLower(gid))
		}
		facts[i] = contextFacts{AllMembers: restr[i].allMembers, GroupIDs: gids}
	}

	slices.SortStableFunc(order, func(a, b *accessPerson) int { return byLogin(a.login, a.id, b.login, b.id) })
	slugs := map[string]string{}
	for _, pr := range projects {
		slugs[pr.ID] = pr.Slug
	}
	m := &OrgAccessDataSourceModel{Users: make([]AccessUserModel, len(order)), AdminLogins: []string{}}
	ctxLogins := make([][]string, len(sortedCtx))
	for i, p := range order {
		acc := applyAccessRules(p.facts, facts)
		u := AccessUserModel{
			ID: types.StringValue(p.id), Login: types.StringValue(p.login), Email: stringOrNull(p.email),
			OrgRole: stringOrNull(p.facts.OrgRole), Groups: sortedStrings(p.groupNames),
		}
		if in.withProjects {
			u.ProjectRoles = projectRolesToModel(acc.Projects, slugs)
		}
		if in.withContexts {
			u.Contexts = []string{}
			for j, ok := range acc.Contexts {
				if ok {
					u.Contexts = append(u.Contexts, sortedCtx[j].Name)
					ctxLogins[j] = append(ctxLogins[j], p.login)
				}
			}
			slices.Sort(u.Contexts)
		}
		if acc.Admin {
			m.AdminLogins = append(m.AdminLogins, p.login)
		}
		m.Users[i] = u
	}
	if in.withContexts {
		m.Contexts = make([]AccessContextModel, len(sortedCtx))
		for i, c := range sortedCtx {
			logins := ctxLogins[i]
			if logins == nil {
				logins = []string{}
			}
			m.Contexts[i] = AccessContextModel{
				ID: types.StringValue(c.ID), Name: types.StringValue(c.Name), AllMembers: types.BoolValue(restr[i].allMembers),
				Logins: logins, ProjectIDs: restr[i].projectIDs, Expressions: restr[i].expressions,
			}
		}
	}
	return m, nil
}

// projectRolesToModel sorts a person's raised project roles by lower-cased
// slug, then id.
func projectRolesToModel(roles map[string]projectAccess, slugs map[string]string) []ProjectRoleModel {
	ids := make([]string, 0, len(roles))
	for id := range roles {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int { return byName(slugs[a], a, slugs[b], b) })
	out := make([]ProjectRoleModel, len(ids))
	for i, id := range ids {
		r := roles[id]
		out[i] = ProjectRoleModel{ProjectID: types.StringValue(id), ProjectSlug: types.StringValue(slugs[id]), Role: types.StringValue(r.Role), Via: r.Via}
	}
	return out
}
