package provider

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

var _ datasource.DataSourceWithConfigure = (*OrgAccessDataSource)(nil)

// OrgAccessDataSource joins org roles, groups, project grants and context
// restrictions into who can do what.
type OrgAccessDataSource struct {
	data *providerData
}

// OrgAccessDataSourceModel is the data source's state. Every attribute that
// project grants can change is null without include_projects, and every
// context attribute null without include_contexts: never a shorter list.
type OrgAccessDataSourceModel struct {
	OrganizationID                  types.String         `tfsdk:"organization_id"`
	IncludeProjects                 types.Bool           `tfsdk:"include_projects"`
	IncludeContexts                 types.Bool           `tfsdk:"include_contexts"`
	ContextGroupRestrictionRequired types.Bool           `tfsdk:"context_group_restriction_required"` // null without include_contexts
	Users                           []AccessUserModel    `tfsdk:"users"`
	Contexts                        []AccessContextModel `tfsdk:"contexts"` // nil (null) without include_contexts
	Projects                        []AccessProjectModel `tfsdk:"projects"` // nil (null) without include_projects
	AdminIDs                        []string             `tfsdk:"admin_ids"`
	AdminLogins                     []string             `tfsdk:"admin_logins"`
	UnrecognizedRoles               []string             `tfsdk:"unrecognized_roles"`
}

// AccessUserModel is one person's effective access.
type AccessUserModel struct {
	ID            types.String         `tfsdk:"id"`
	Login         types.String         `tfsdk:"login"`
	Email         types.String         `tfsdk:"email"`
	OrgRole       types.String         `tfsdk:"org_role"`
	Groups        []string             `tfsdk:"groups"`
	ProjectRoles  []ProjectRoleModel   `tfsdk:"project_roles"`  // nil (null) without include_projects
	Contexts      []string             `tfsdk:"contexts"`       // nil (null) without include_contexts or include_projects
	ContextAccess []ContextAccessModel `tfsdk:"context_access"` // the same
}

// ProjectRoleModel is a person's effective role on a project where it is
// higher than their org role.
type ProjectRoleModel struct {
	ProjectID   types.String `tfsdk:"project_id"`
	ProjectSlug types.String `tfsdk:"project_slug"`
	ProjectName types.String `tfsdk:"project_name"`
	Role        types.String `tfsdk:"role"`
	Via         []string     `tfsdk:"via"`
}

// ContextAccessModel is one context a person may use, and why.
type ContextAccessModel struct {
	ID   types.String `tfsdk:"id"`
	Name types.String `tfsdk:"name"`
	Via  []string     `tfsdk:"via"`
}

// AccessContextModel is who may use and who may edit one context.
type AccessContextModel struct {
	ID           types.String `tfsdk:"id"`
	Name         types.String `tfsdk:"name"`
	AllMembers   types.Bool   `tfsdk:"all_members"`
	AdminsOnly   types.Bool   `tfsdk:"admins_only"`
	Conditional  types.Bool   `tfsdk:"conditional"`
	UserIDs      []string     `tfsdk:"user_ids"` // nil (null) without include_projects
	Logins       []string     `tfsdk:"logins"`   // the same
	EditorIDs    []string     `tfsdk:"editor_ids"`
	EditorLogins []string     `tfsdk:"editor_logins"`
	ProjectIDs   []string     `tfsdk:"project_ids"`
	Expressions  []string     `tfsdk:"expressions"`
}

// AccessProjectModel is who administers and who contributes to one project,
// by any route.
type AccessProjectModel struct {
	ID                types.String `tfsdk:"id"`
	Name              types.String `tfsdk:"name"`
	Slug              types.String `tfsdk:"slug"`
	AdminIDs          []string     `tfsdk:"admin_ids"`
	AdminLogins       []string     `tfsdk:"admin_logins"`
	ContributorIDs    []string     `tfsdk:"contributor_ids"`
	ContributorLogins []string     `tfsdk:"contributor_logins"`
}

// NewOrgAccessDataSource is the data source's constructor.
func NewOrgAccessDataSource() datasource.DataSource { return &OrgAccessDataSource{} }

func (d *OrgAccessDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_org_access"
}

func (d *OrgAccessDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	const nullNoProjects = " Null when `include_projects` is false: project grants can change it, and a list read without them " +
		"could be shorter than the truth."
	const nullNoContexts = " Null when `include_contexts` is false."
	resp.Schema = schema.Schema{
		MarkdownDescription: "Who can do what in a standalone CircleCI organization: the organization's role grants, its groups, " +
			"the user and group grants on each project, each context's restrictions and the organization's settings, joined by " +
			"CircleCI's rules.\n\n" +
			"**The rules.** " + AccessRulesMarkdown + "\n\n" +
			"~> This reads the endpoints of `circleci_org_members`, `circleci_groups`, `circleci_projects`, " +
			"`circleci_project_members` and `circleci_contexts` (restrictions only), and `GET /api/v3/orgs/{id}/settings`, each once " +
			"per run and shared with those data sources. Several of them are not documented by CircleCI (role grants, group members, " +
			"the projects listing, project grants, the v3 settings), and may change.",
		Attributes: map[string]schema.Attribute{
			"organization_id": organizationIDAttribute(),
			"include_projects": schema.BoolAttribute{
				MarkdownDescription: "Read the projects and their user and group grants (two requests per project, at most " +
					"`max_concurrency` at a time). With `false`, no project endpoint is called, and every attribute that project " +
					"grants can change is null, never a shorter list: `admin_ids`, `admin_logins`, `projects`, `contexts[].user_ids`, " +
					"`contexts[].logins`, `users[].project_roles`, `users[].contexts` and `users[].context_access`. Default: `true`.",
				Optional: true,
				Computed: true,
			},
			"include_contexts": schema.BoolAttribute{
				MarkdownDescription: "Read the contexts, their restrictions (one request per context) and the organization's settings. " +
					"With `false`, no context or settings endpoint is called, and `contexts`, `context_group_restriction_required`, " +
					"`users[].contexts` and `users[].context_access` are null. Default: `true`.",
				Optional: true,
				Computed: true,
			},
			"context_group_restriction_required": computedBool("The organization setting `is_context_group_restriction_required` " +
				"(`GET /api/v3/orgs/{id}/settings`): when true, a context with no group restriction may be used by nobody, admins " +
				"included (rule 5)." + nullNoContexts),
			"users": schema.ListNestedAttribute{
				MarkdownDescription: "One entry per person who appears in the organization's role grants, a group, or a project grant, " +
					"sorted like `circleci_org_members` (lower-cased `login`, then `id`).",
				Computed: true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: personAttributes(map[string]schema.Attribute{"org_role": computedString("Organization role: `admin`, `contributor` or `viewer`, a role the provider does not recognise as " +
						"given (treated as admin, see the rules), or null when the person has no organization role (only a group or " +
						"project grant): such a person may use no context (rule 1)."),
						"groups": computedStringList("The names of the groups the person belongs to, sorted."),
						"project_roles": schema.ListNestedAttribute{
							MarkdownDescription: "Only the projects on which the person's effective role is higher than their org role, " +
								"sorted by lower-cased `project_slug`." + nullNoProjects,
							Computed: true,
							NestedObject: schema.NestedAttributeObject{
								Attributes: map[string]schema.Attribute{
									"project_id":   computedString("Project ID."),
									"project_slug": computedString("Project slug."),
									"project_name": computedString("Project name."),
									"role":         computedString("The effective role on the project: `admin`, `contributor` or `viewer` (or a role the provider does not recognise)."),
									"via":          computedStringList("The grants that give it, sorted: `direct` and `group:<group name>`."),
								},
							},
						},
						"contexts": computedStringList("The names of the contexts the person may use, sorted." + nullNoContexts + nullNoProjects),
						"context_access": schema.ListNestedAttribute{
							MarkdownDescription: "The contexts the person may use, sorted like `contexts`, each with the reasons." +
								nullNoContexts + nullNoProjects,
							Computed: true,
							NestedObject: schema.NestedAttributeObject{
								Attributes: map[string]schema.Attribute{
									"id":   computedString("Context ID."),
									"name": computedString("The context's name."),
									"via": computedStringList("Why the person may use it, sorted: `org-admin` (rule 2), `org-role:<role>` (an " +
										"unrecognised org role, treated as admin), or the group reasons `all-members` and `group:<group name>` " +
										"(rule 3) with, for a project-restricted context, `project:<project name>` for each restricting project " +
										"on which the person is at least contributor (rule 4)."),
								},
							},
						},
					}),
				},
			},
			"contexts": schema.ListNestedAttribute{
				MarkdownDescription: "The contexts, sorted by `name`, then `id`." + nullNoContexts,
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":   computedString("Context ID."),
						"name": computedString("The context's name."),
						"all_members": computedBool("True when the context has the \"All members\" group restriction (its value is the " +
							"organization's ID). Project and expression restrictions still apply."),
						"admins_only": computedBool("True when the context has no group restriction at all: only org admins may use it (rule 3), " +
							"and nobody may while `context_group_restriction_required` is true (rule 5)."),
						"conditional": computedBool("True when the context has expression restrictions (or a restriction type CircleCI added " +
							"later): the people in `user_ids` may use it only when they hold (rule 6)."),
						"user_ids": computedStringList("The IDs of the people who may use it (rules 1 to 5), in the order of `users`." + nullNoProjects),
						"logins":   computedStringList("Their logins, in the same order." + nullNoProjects),
						"editor_ids": computedStringList("The IDs of the people who may add, replace or remove its variables or delete it (the edit " +
							"rule: org admins, and org contributors who pass the group dimension), in the order of `users`. Project grants " +
							"never change it, so it is known without `include_projects`."),
						"editor_logins": computedStringList("Their logins, in the same order."),
						"project_ids":   computedStringList("The values of its project restrictions, sorted (applied: rule 4)."),
						"expressions":   computedStringList("The values of its expression restrictions, sorted (not evaluated: rule 6)."),
					},
				},
			},
			"projects": schema.ListNestedAttribute{
				MarkdownDescription: "Every project, sorted by lower-cased `slug`, with who holds each effective role on it by any " +
					"route: org role, direct grant or group grant." + nullNoProjects,
				Computed: true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":   computedString("Project ID."),
						"name": computedString("Project name."),
						"slug": computedString("Project slug."),
						"admin_ids": computedStringList("The IDs of everyone whose effective role on the project is admin (org admins " +
							"included), in the order of `users`."),
						"admin_logins": computedStringList("Their logins, in the same order."),
						"contributor_ids": computedStringList("The IDs of everyone whose effective role on the project is contributor " +
							"(admins are in `admin_ids`, not repeated here), in the order of `users`."),
						"contributor_logins": computedStringList("Their logins, in the same order."),
					},
				},
			},
			"admin_ids": computedStringList("The IDs of everyone who is an org admin or an effective admin of at least one project, in the " +
				"order of `users`." + nullNoProjects),
			"admin_logins": computedStringList("Their logins, in the same order." + nullNoProjects),
			"unrecognized_roles": computedStringList("The role strings, sorted, that CircleCI gave in the organization's, projects' or groups' " +
				"grants and that the provider does not recognise (anything but admin, contributor and viewer). Each is treated as " +
				"admin, and a warning names it with the people who hold it. Empty when there are none." + nullNoProjects),
		},
	}
}

func (d *OrgAccessDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureClient(req, resp)
}

func (d *OrgAccessDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state OrgAccessDataSourceModel
	ctx, orgID, ok := beginOrgRead(ctx, req, resp, d.data, &state, &state.OrganizationID)
	if !ok {
		return
	}
	withProjects, withContexts := boolOr(state.IncludeProjects, true), boolOr(state.IncludeContexts, true)
	in, err := readOrgAccess(ctx, d.data, orgID, withProjects, withContexts)
	if err != nil {
		var he *hintedError
		if errors.As(err, &he) {
			resp.Diagnostics.Append(errorDiagnostic(he.err, he.hints))
		} else {
			resp.Diagnostics.Append(errorDiagnostic(err, endpointHints{what: "Organization Access"}))
		}
		return
	}
	if err := checkOrgRoleGrants(in.grants); err != nil {
		resp.Diagnostics.Append(roleGrantsNotUnderstood(orgID, err))
		return
	}
	m, holders, err := orgAccessToModel(in)
	if err != nil {
		resp.Diagnostics.AddError("Inconsistent CircleCI Access Data",
			"CircleCI's answers do not fit together, so the provider does not guess who has access: "+err.Error()+
				". This can happen when groups change during the run: run again. If it persists, please report it.")
		return
	}
	if len(holders) > 0 {
		resp.Diagnostics.Append(unrecognizedRolesWarning(orgID, holders))
	}
	m.OrganizationID = types.StringValue(orgID)
	m.IncludeProjects = types.BoolValue(withProjects)
	m.IncludeContexts = types.BoolValue(withContexts)
	resp.Diagnostics.Append(setState(ctx, &resp.State, m)...)
}

// orgAccessToModel joins the listings (joinAccess) and applies the rules. It
// also returns the holders of roles the provider does not recognise.
func orgAccessToModel(in *orgAccessInput) (*OrgAccessDataSourceModel, roleHolders, error) {
	j, err := joinAccess(in)
	if err != nil {
		return nil, nil, err
	}
	order, projects, sortedCtx, facts, restr, org, holders := j.people, j.projects, j.contexts, j.facts, j.restr, j.org, j.holders
	m := &OrgAccessDataSourceModel{Users: make([]AccessUserModel, len(order))}
	if in.withProjects {
		m.UnrecognizedRoles = holders.sorted()
		m.AdminIDs, m.AdminLogins = []string{}, []string{}
		m.Projects = make([]AccessProjectModel, len(projects))
		for k, pr := range projects {
			m.Projects[k] = AccessProjectModel{ID: types.StringValue(pr.ID), Name: types.StringValue(pr.Name), Slug: types.StringValue(pr.Slug),
				AdminIDs: []string{}, AdminLogins: []string{}, ContributorIDs: []string{}, ContributorLogins: []string{}}
		}
	}
	type people2 struct{ ids, logins []string }
	ctxUsers := make([]people2, len(sortedCtx))
	ctxEditors := make([]people2, len(sortedCtx))
	for i, p := range order {
		acc := applyAccessRules(p.facts, facts, org)
		u := AccessUserModel{
			ID: types.StringValue(p.id), Login: types.StringValue(p.login), Email: stringOrNull(p.email),
			OrgRole: stringOrNull(p.facts.OrgRole), Groups: sortedStrings(p.groupNames),
		}
		if in.withProjects {
			u.ProjectRoles = projectRolesToModel(acc.Projects, projects)
			if acc.Admin {
				m.AdminIDs = append(m.AdminIDs, p.id)
				m.AdminLogins = append(m.AdminLogins, p.login)
			}
			orgRank := roleRank(p.facts.OrgRole)
			for k, pr := range projects {
				rank := orgRank
				if pa, ok := acc.Projects[strings.ToLower(pr.ID)]; ok {
					rank = roleRank(pa.Role)
				}
				switch rank {
				case rankAdmin:
					m.Projects[k].AdminIDs = append(m.Projects[k].AdminIDs, p.id)
					m.Projects[k].AdminLogins = append(m.Projects[k].AdminLogins, p.login)
				case rankContributor:
					m.Projects[k].ContributorIDs = append(m.Projects[k].ContributorIDs, p.id)
					m.Projects[k].ContributorLogins = append(m.Projects[k].ContributorLogins, p.login)
				}
			}
		}
		if in.withContexts {
			if in.withProjects {
				u.Contexts, u.ContextAccess = []string{}, []ContextAccessModel{}
			}
			for j, a := range acc.Contexts {
				if a.Edit {
					ctxEditors[j].ids = append(ctxEditors[j].ids, p.id)
					ctxEditors[j].logins = append(ctxEditors[j].logins, p.login)
				}
				if !a.Use || !in.withProjects {
					continue
				}
				u.Contexts = append(u.Contexts, sortedCtx[j].Name)
				u.ContextAccess = append(u.ContextAccess, ContextAccessModel{ID: types.StringValue(sortedCtx[j].ID),
					Name: types.StringValue(sortedCtx[j].Name), Via: a.Via})
				ctxUsers[j].ids = append(ctxUsers[j].ids, p.id)
				ctxUsers[j].logins = append(ctxUsers[j].logins, p.login)
			}
			slices.Sort(u.Contexts) // two contexts may share a name; context_access keeps the contexts' order
		}
		m.Users[i] = u
	}
	if in.withContexts {
		m.ContextGroupRestrictionRequired = types.BoolValue(org.GroupRestrictionRequired)
		m.Contexts = make([]AccessContextModel, len(sortedCtx))
		orEmpty := func(ss []string) []string {
			if ss == nil {
				return []string{}
			}
			return ss
		}
		for i, c := range sortedCtx {
			cm := AccessContextModel{
				ID: types.StringValue(c.ID), Name: types.StringValue(c.Name), AllMembers: types.BoolValue(restr[i].allMembers),
				AdminsOnly: types.BoolValue(restr[i].adminsOnly()), Conditional: types.BoolValue(restr[i].conditional()),
				EditorIDs: orEmpty(ctxEditors[i].ids), EditorLogins: orEmpty(ctxEditors[i].logins),
				ProjectIDs: restr[i].projectIDs, Expressions: restr[i].expressions,
			}
			if in.withProjects {
				cm.UserIDs, cm.Logins = orEmpty(ctxUsers[i].ids), orEmpty(ctxUsers[i].logins)
			}
			m.Contexts[i] = cm
		}
	} else {
		m.ContextGroupRestrictionRequired = types.BoolNull()
	}
	return m, holders, nil
}

// projectRolesToModel lists a person's raised project roles in the
// projects' order (lower-cased slug, then id).
func projectRolesToModel(roles map[string]projectAccess, projects []circleci.Project) []ProjectRoleModel {
	out := make([]ProjectRoleModel, 0, len(roles))
	for _, pr := range projects {
		r, ok := roles[strings.ToLower(pr.ID)]
		if !ok {
			continue
		}
		out = append(out, ProjectRoleModel{ProjectID: types.StringValue(pr.ID), ProjectSlug: types.StringValue(pr.Slug),
			ProjectName: types.StringValue(pr.Name), Role: types.StringValue(r.Role), Via: r.Via})
	}
	return out
}

// state is the data source's state, built without reflection (state_values.go).
func (m OrgAccessDataSourceModel) state() stateVal {
	return stateObject(
		stateAttr("organization_id", stateString(m.OrganizationID)),
		stateAttr("include_projects", stateBool(m.IncludeProjects)),
		stateAttr("include_contexts", stateBool(m.IncludeContexts)),
		stateAttr("context_group_restriction_required", stateBool(m.ContextGroupRestrictionRequired)),
		stateAttr("users", stateList(m.Users, AccessUserModel.state)),
		stateAttr("contexts", stateList(m.Contexts, AccessContextModel.state)),
		stateAttr("projects", stateList(m.Projects, AccessProjectModel.state)),
		stateAttr("admin_ids", stateStrings(m.AdminIDs)),
		stateAttr("admin_logins", stateStrings(m.AdminLogins)),
		stateAttr("unrecognized_roles", stateStrings(m.UnrecognizedRoles)),
	)
}

func (u AccessUserModel) state() stateVal {
	return stateObject(
		stateAttr("id", stateString(u.ID)),
		stateAttr("login", stateString(u.Login)),
		stateAttr("email", stateString(u.Email)),
		stateAttr("org_role", stateString(u.OrgRole)),
		stateAttr("groups", stateStrings(u.Groups)),
		stateAttr("project_roles", stateList(u.ProjectRoles, ProjectRoleModel.state)),
		stateAttr("contexts", stateStrings(u.Contexts)),
		stateAttr("context_access", stateList(u.ContextAccess, ContextAccessModel.state)),
	)
}

func (r ProjectRoleModel) state() stateVal {
	return stateObject(
		stateAttr("project_id", stateString(r.ProjectID)),
		stateAttr("project_slug", stateString(r.ProjectSlug)),
		stateAttr("project_name", stateString(r.ProjectName)),
		stateAttr("role", stateString(r.Role)),
		stateAttr("via", stateStrings(r.Via)),
	)
}

func (c ContextAccessModel) state() stateVal {
	return stateObject(
		stateAttr("id", stateString(c.ID)),
		stateAttr("name", stateString(c.Name)),
		stateAttr("via", stateStrings(c.Via)),
	)
}

func (c AccessContextModel) state() stateVal {
	return stateObject(
		stateAttr("id", stateString(c.ID)),
		stateAttr("name", stateString(c.Name)),
		stateAttr("all_members", stateBool(c.AllMembers)),
		stateAttr("admins_only", stateBool(c.AdminsOnly)),
		stateAttr("conditional", stateBool(c.Conditional)),
		stateAttr("user_ids", stateStrings(c.UserIDs)),
		stateAttr("logins", stateStrings(c.Logins)),
		stateAttr("editor_ids", stateStrings(c.EditorIDs)),
		stateAttr("editor_logins", stateStrings(c.EditorLogins)),
		stateAttr("project_ids", stateStrings(c.ProjectIDs)),
		stateAttr("expressions", stateStrings(c.Expressions)),
	)
}

func (p AccessProjectModel) state() stateVal {
	return stateObject(
		stateAttr("id", stateString(p.ID)),
		stateAttr("name", stateString(p.Name)),
		stateAttr("slug", stateString(p.Slug)),
		stateAttr("admin_ids", stateStrings(p.AdminIDs)),
		stateAttr("admin_logins", stateStrings(p.AdminLogins)),
		stateAttr("contributor_ids", stateStrings(p.ContributorIDs)),
		stateAttr("contributor_logins", stateStrings(p.ContributorLogins)),
	)
}
