package provider

import (
	"cmp"
	"context"
	"errors"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"golang.org/x/sync/errgroup"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

var _ datasource.DataSourceWithConfigure = (*SecretExposureDataSource)(nil)

// SecretExposureDataSource joins access, settings, project variables,
// schedules and triggers into who can reach each secret, by every route.
type SecretExposureDataSource struct {
	data *providerData
}

// SecretExposureDataSourceModel is the data source's state.
type SecretExposureDataSourceModel struct {
	OrganizationID types.String  `tfsdk:"organization_id"`
	Secrets        []SecretModel `tfsdk:"secrets"`
}

// SecretModel is one place secrets live: a context, or a project's own
// environment variables.
type SecretModel struct {
	Kind                  types.String         `tfsdk:"kind"`
	ID                    types.String         `tfsdk:"id"`
	Name                  types.String         `tfsdk:"name"`
	VariableNames         []string             `tfsdk:"variable_names"`
	VariableNamesComplete types.Bool           `tfsdk:"variable_names_complete"`
	ReaderIDs             []string             `tfsdk:"reader_ids"`
	ReaderLogins          []string             `tfsdk:"reader_logins"`
	Conditional           types.Bool           `tfsdk:"conditional"`
	EditorIDs             []string             `tfsdk:"editor_ids"`
	EditorLogins          []string             `tfsdk:"editor_logins"`
	SSHReaderIDs          []string             `tfsdk:"ssh_reader_ids"`
	SSHReaderLogins       []string             `tfsdk:"ssh_reader_logins"`
	ExposedToForks        types.Bool           `tfsdk:"exposed_to_forks"`
	ScheduleActors        []ScheduleActorModel `tfsdk:"schedule_actors"`
	ProjectIDs            []string             `tfsdk:"project_ids"`
}

// ScheduleActorModel is a schedule or trigger that runs pipelines which
// receive the secret, and who they run as.
type ScheduleActorModel struct {
	ProjectID    types.String `tfsdk:"project_id"`
	Kind         types.String `tfsdk:"kind"`
	ID           types.String `tfsdk:"id"`
	Name         types.String `tfsdk:"name"`
	RunsAsSystem types.Bool   `tfsdk:"runs_as_system"`
	ActorID      types.String `tfsdk:"actor_id"`
	ActorLogin   types.String `tfsdk:"actor_login"`
}

// NewSecretExposureDataSource is the data source's constructor.
func NewSecretExposureDataSource() datasource.DataSource { return &SecretExposureDataSource{} }

func (d *SecretExposureDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_secret_exposure"
}

func (d *SecretExposureDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	const people = ", in the order of `circleci_org_access`'s `users`"
	resp.Schema = schema.Schema{
		MarkdownDescription: "Who can reach each secret in a CircleCI organization, and by which route: for every context and for " +
			"every project with environment variables of its own, who can run a pipeline that receives them, who can replace them, " +
			"who can read them in an SSH rerun, whether forked pull requests receive them, and which schedules run " +
			"pipelines that receive them, as whom. Secret values are never read: only variable names.\n\n" +
			"**The rules.** " + exposureRules + "\n\n" +
			"~> This reads what `circleci_org_access`, `circleci_contexts`, `circleci_project_settings` (the settings only), " +
			"`circleci_project_credentials` (the environment variables only) and `circleci_pipeline_triggers` read, once per run and " +
			"shared with them: no request of its own. Several of those endpoints are not documented by CircleCI (role grants, group " +
			"members, the projects listing, project grants, the v3 settings), and may change.",
		Attributes: map[string]schema.Attribute{
			"organization_id": organizationIDAttribute(),
			"secrets": schema.ListNestedAttribute{
				MarkdownDescription: "One entry per context (with or without variables) and per project that holds at least one " +
					"environment variable (or whose variable names could not all be read), sorted by `kind`, then `name`, then `id`.",
				Computed: true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"kind": computedString("`context` or `project`."),
						"id":   computedString("The context's or the project's ID."),
						"name": computedString("The context's or the project's name."),
						"variable_names": computedStringList("The names of its environment variables, sorted; never their values. A project's " +
							"names that could not be read (CircleCI said the endpoint does not apply) are an empty list with " +
							"`variable_names_complete` false."),
						"variable_names_complete": computedBool("False when CircleCI did not give every name (a context's variables page " +
							"token ignored after 100 names, or a project's listing not available): treat the secret as holding anything."),
						"reader_ids":    computedStringList("The IDs of the people who can run a pipeline that receives these variables" + people + "."),
						"reader_logins": computedStringList("Their logins, in the same order."),
						"conditional": computedBool("True for a context with expression restrictions (or a restriction type CircleCI " +
							"added later): the readers receive it only when they hold."),
						"editor_ids":        computedStringList("The IDs of the people who can add, replace or remove these variables" + people + "."),
						"editor_logins":     computedStringList("Their logins, in the same order."),
						"ssh_reader_ids":    computedStringList("The IDs of the readers who can also rerun a job with SSH on a project that may use these variables" + people + "."),
						"ssh_reader_logins": computedStringList("Their logins, in the same order."),
						"exposed_to_forks": computedBool("True when a project that may use these variables builds forked pull requests " +
							"and passes them secrets (or its settings could not be read): anyone who can open a pull request reads them."),
						"schedule_actors": schema.ListNestedAttribute{
							MarkdownDescription: "The schedules and schedule triggers of the projects that may use these variables, in " +
								"the projects' order: each runs pipelines that receive them, as its actor. (A trigger on an event, a push or " +
								"a webhook, runs as whoever caused the event: see `circleci_pipeline_triggers`.)",
							Computed: true,
							NestedObject: schema.NestedAttributeObject{
								Attributes: map[string]schema.Attribute{
									"project_id": computedString("The project it belongs to."),
									"kind": computedString("`schedule` (a legacy scheduled pipeline) or `schedule-trigger` (a pipeline definition's " +
										"schedule trigger)."),
									"id":             computedString("Its ID."),
									"name":           computedString("Its name (a trigger's event preset, or its pipeline definition's name)."),
									"runs_as_system": computedBool("True when it runs as CircleCI's system actor, not a person."),
									"actor_id":       computedString("The person it runs as (their context access applies); null for the system actor."),
									"actor_login":    computedString("That person's login, when CircleCI or the organization's members name it; else null."),
								},
							},
						},
						"project_ids": computedStringList("The projects whose pipelines may use these variables, in the order of " +
							"`circleci_projects`: for a context, its restricting projects that exist, or every project; for a " +
							"project, the project itself."),
					},
				},
			},
		},
	}
}

func (d *SecretExposureDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureClient(req, resp)
}

// projectExposureRead is what the join needs of one project's endpoints.
type projectExposureRead struct {
	settings *circleci.ProjectSettings
	envVars  circleci.ProjectListing[circleci.ProjectEnvVar]
	triggers projectTriggers
}

func (d *SecretExposureDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state SecretExposureDataSourceModel
	ctx, orgID, ok := beginOrgRead(ctx, req, resp, d.data, &state, &state.OrganizationID)
	if !ok {
		return
	}
	c := d.data.client
	var (
		in       *orgAccessInput
		projects []scopedProject
		reads    map[scopedProject]projectExposureRead
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		var err error
		in, err = readOrgAccess(gctx, d.data, orgID, true, true)
		if err != nil {
			return err
		}
		// The variable names of every context (circleci_contexts reads them too).
		details, err := c.AllContextDetails(gctx, contextIDs(in.contexts), true)
		in.ctxDetails = details
		return hintedIf(err, contextDetailsHints())
	})
	g.Go(func() error {
		all, err := c.Projects(gctx, orgID)
		if err != nil {
			return hintedIf(err, projectsHints(orgID))
		}
		var none diag.Diagnostics // every project is selected: nothing to report
		projects, _ = selectProjects(orgID, all, nil, &none)
		reads, err = circleci.FanOut(gctx, projects, func(ctx context.Context, p scopedProject) (projectExposureRead, error) {
			return readProjectExposure(ctx, c, p)
		})
		return err
	})
	if err := g.Wait(); err != nil {
		var he *hintedError
		var pe *projectEndpointError
		switch {
		case errors.As(err, &he):
			resp.Diagnostics.Append(errorDiagnostic(he.err, he.hints))
		case errors.As(err, &pe):
			resp.Diagnostics.Append(projectEndpointDiagnostic(err, "Secret Exposure"))
		default:
			resp.Diagnostics.Append(errorDiagnostic(err, projectSettingsHints(orgID)))
		}
		return
	}
	if err := checkOrgRoleGrants(in.grants); err != nil {
		resp.Diagnostics.Append(roleGrantsNotUnderstood(orgID, err))
		return
	}
	j, err := joinAccess(in)
	if err != nil {
		resp.Diagnostics.AddError("Inconsistent CircleCI Access Data",
			"CircleCI's answers do not fit together, so the provider does not guess who can reach a secret: "+err.Error()+
				". This can happen when groups change during the run: run again. If it persists, please report it.")
		return
	}
	if len(j.holders) > 0 {
		resp.Diagnostics.Append(unrecognizedRolesWarning(orgID, j.holders))
	}
	state.OrganizationID = types.StringValue(orgID)
	state.Secrets = secretExposureToModel(j, in.ctxDetails, projects, reads)
	resp.Diagnostics.Append(setState(ctx, &resp.State, state)...)
}

// readProjectExposure reads one project's settings, variable names,
// schedules and triggers (each shared with the data source that shows it).
func readProjectExposure(ctx context.Context, c *circleci.Client, p scopedProject) (projectExposureRead, error) {
	var out projectExposureRead
	var err error
	if out.settings, err = c.ProjectSettings(ctx, p.Slug); err != nil {
		return out, projectError(p, err)
	}
	if out.envVars, err = c.ProjectEnvVars(ctx, p.Slug); err != nil {
		return out, &projectEndpointError{endpoint: endpointEnvVars, project: p, err: err}
	}
	out.triggers, err = readProjectTriggers(ctx, c, p)
	return out, err
}

// secretExposureToModel applies the rules to every person and joins.
func secretExposureToModel(j *accessJoin, details map[string]circleci.ContextDetails, projects []scopedProject,
	reads map[scopedProject]projectExposureRead) []SecretModel {
	people := make([]exposurePerson, len(j.people))
	logins := map[string]string{}
	for i, p := range j.people {
		acc := applyAccessRules(p.facts, j.facts, j.org)
		ranks := make(map[string]int, len(acc.Projects))
		for id, pa := range acc.Projects {
			ranks[id] = roleRank(pa.Role)
		}
		people[i] = exposurePerson{ID: p.id, Login: p.login, OrgRank: roleRank(p.facts.OrgRole), ProjectRank: ranks, Contexts: acc.Contexts}
		logins[strings.ToLower(p.id)] = p.login
	}
	contexts := make([]exposureContext, len(j.contexts))
	for i, c := range j.contexts {
		e := exposureContext{ID: c.ID, Name: c.Name, Conditional: j.restr[i].conditional(), ProjectIDs: j.restr[i].projectIDs, VarsComplete: true}
		if v := details[c.ID].EnvVars; v != nil {
			e.VarNames, e.VarsComplete = v.Names, v.Complete
		}
		contexts[i] = e
	}
	eps := make([]exposureProject, len(projects))
	for i, p := range projects {
		r := reads[p]
		e := exposureProject{ID: p.ID, Name: p.Name, Slug: p.Slug, VarsComplete: !r.envVars.NotSupported}
		for _, v := range r.envVars.Items {
			e.VarNames = append(e.VarNames, v.Name)
		}
		if s := r.settings; s != nil {
			ssh, forks, admins := s.DisableSSH, s.BuildForkPRs && s.ForksReceiveSecretEnvVars, s.WriteSettingsRequiresAdmin
			e.SSHDisabled, e.ForkSecrets, e.AdminsWrite = &ssh, &forks, &admins
		}
		e.Actors = projectActors(p, r.triggers, logins)
		eps[i] = e
	}
	joined := joinSecretExposure(people, contexts, eps)
	out := make([]SecretModel, len(joined))
	for i, s := range joined {
		ids := func(ix []int) ([]string, []string) {
			a, b := make([]string, len(ix)), make([]string, len(ix))
			for k, n := range ix {
				a[k], b[k] = people[n].ID, people[n].Login
			}
			return a, b
		}
		m := SecretModel{Kind: types.StringValue(s.Kind), ID: types.StringValue(s.ID), Name: types.StringValue(s.Name),
			VariableNames: s.VariableNames, VariableNamesComplete: types.BoolValue(s.VariableNamesComplete),
			Conditional: types.BoolValue(s.Conditional), ExposedToForks: types.BoolValue(s.ExposedToForks),
			ScheduleActors: make([]ScheduleActorModel, len(s.ScheduleActors)), ProjectIDs: make([]string, len(s.Projects))}
		m.ReaderIDs, m.ReaderLogins = ids(s.Readers)
		m.EditorIDs, m.EditorLogins = ids(s.Editors)
		m.SSHReaderIDs, m.SSHReaderLogins = ids(s.SSHReaders)
		for k, n := range s.Projects {
			m.ProjectIDs[k] = eps[n].ID
		}
		for k, a := range s.ScheduleActors {
			m.ScheduleActors[k] = ScheduleActorModel{ProjectID: types.StringValue(a.ProjectID), Kind: types.StringValue(a.Kind),
				ID: types.StringValue(a.ID), Name: stringOrNull(a.Name), RunsAsSystem: types.BoolValue(a.System),
				ActorID: stringOrNull(a.ActorID), ActorLogin: stringOrNull(a.ActorLogin)}
		}
		out[i] = m
	}
	return out
}

// projectActors lists a project's schedules and triggers with whom their
// pipelines run as; logins maps lower-cased user ids to logins.
func projectActors(p scopedProject, t projectTriggers, logins map[string]string) []scheduleActor {
	var out []scheduleActor
	if t.schedules != nil {
		for _, s := range t.schedules.Items {
			a := scheduleActor{ProjectID: p.ID, Kind: "schedule", ID: s.ID, Name: s.Name}
			if s.Actor.Login == circleci.SystemActorLogin {
				a.System = true
			} else {
				a.ActorID, a.ActorLogin = s.Actor.ID, s.Actor.Login
			}
			out = append(out, a)
		}
	}
	for _, d := range t.definitions.Items {
		for _, tr := range d.Triggers {
			// Only schedule triggers run as an actor of their own; an event's
			// trigger (a push, a webhook) runs as whoever caused the event.
			if tr.Provider != "schedule" {
				continue
			}
			a := scheduleActor{ProjectID: p.ID, Kind: "schedule-trigger", ID: tr.ID, Name: cmp.Or(tr.EventPreset, d.Definition.Name)}
			switch actor := strings.ToLower(tr.AttributionActorID); {
			case actor == "system":
				a.System = true
			case circleci.IsUUID(actor):
				a.ActorID, a.ActorLogin = tr.AttributionActorID, logins[actor]
			}
			out = append(out, a)
		}
	}
	return out
}

// state is the data source's state, built without reflection (state_values.go).
func (m SecretExposureDataSourceModel) state() stateVal {
	return stateObject(
		stateAttr("organization_id", stateString(m.OrganizationID)),
		stateAttr("secrets", stateList(m.Secrets, SecretModel.state)),
	)
}

func (s SecretModel) state() stateVal {
	return stateObject(
		stateAttr("kind", stateString(s.Kind)),
		stateAttr("id", stateString(s.ID)),
		stateAttr("name", stateString(s.Name)),
		stateAttr("variable_names", stateStrings(s.VariableNames)),
		stateAttr("variable_names_complete", stateBool(s.VariableNamesComplete)),
		stateAttr("reader_ids", stateStrings(s.ReaderIDs)),
		stateAttr("reader_logins", stateStrings(s.ReaderLogins)),
		stateAttr("conditional", stateBool(s.Conditional)),
		stateAttr("editor_ids", stateStrings(s.EditorIDs)),
		stateAttr("editor_logins", stateStrings(s.EditorLogins)),
		stateAttr("ssh_reader_ids", stateStrings(s.SSHReaderIDs)),
		stateAttr("ssh_reader_logins", stateStrings(s.SSHReaderLogins)),
		stateAttr("exposed_to_forks", stateBool(s.ExposedToForks)),
		stateAttr("schedule_actors", stateList(s.ScheduleActors, ScheduleActorModel.state)),
		stateAttr("project_ids", stateStrings(s.ProjectIDs)),
	)
}

func (a ScheduleActorModel) state() stateVal {
	return stateObject(
		stateAttr("project_id", stateString(a.ProjectID)),
		stateAttr("kind", stateString(a.Kind)),
		stateAttr("id", stateString(a.ID)),
		stateAttr("name", stateString(a.Name)),
		stateAttr("runs_as_system", stateBool(a.RunsAsSystem)),
		stateAttr("actor_id", stateString(a.ActorID)),
		stateAttr("actor_login", stateString(a.ActorLogin)),
	)
}
