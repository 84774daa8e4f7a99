package provider

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

var _ datasource.DataSourceWithConfigure = (*PipelineTriggersDataSource)(nil)

// PipelineTriggersDataSource reads what starts each project's pipelines:
// legacy schedules, and pipeline definitions with their triggers.
type PipelineTriggersDataSource struct {
	data *providerData
}

// PipelineTriggersDataSourceModel is the data source's state.
type PipelineTriggersDataSourceModel struct {
	OrganizationID types.String           `tfsdk:"organization_id"`
	ProjectIDs     []string               `tfsdk:"project_ids"`
	Projects       []ProjectTriggersModel `tfsdk:"projects"`
}

// ProjectTriggersModel is one project's schedules and pipeline definitions;
// a nil list is null (not_applicable names it).
type ProjectTriggersModel struct {
	ID            types.String              `tfsdk:"id"`
	Slug          types.String              `tfsdk:"slug"`
	Name          types.String              `tfsdk:"name"`
	Schedules     []ScheduleModel           `tfsdk:"schedules"`
	Definitions   []PipelineDefinitionModel `tfsdk:"definitions"`
	NotApplicable []string                  `tfsdk:"not_applicable"`
}

// ScheduleModel is one legacy scheduled pipeline.
type ScheduleModel struct {
	ID           types.String `tfsdk:"id"`
	Name         types.String `tfsdk:"name"`
	ActorID      types.String `tfsdk:"actor_id"`
	ActorLogin   types.String `tfsdk:"actor_login"`
	ActorName    types.String `tfsdk:"actor_name"`
	RunsAsSystem types.Bool   `tfsdk:"runs_as_system"`
	Timetable    types.String `tfsdk:"timetable"`
	Branch       types.String `tfsdk:"branch"`
	Tag          types.String `tfsdk:"tag"`
}

// PipelineDefinitionModel is one pipeline definition with its triggers.
type PipelineDefinitionModel struct {
	ID                  types.String   `tfsdk:"id"`
	Name                types.String   `tfsdk:"name"`
	ConfigProvider      types.String   `tfsdk:"config_provider"`
	ConfigRepo          types.String   `tfsdk:"config_repo"`
	ConfigFilePath      types.String   `tfsdk:"config_file_path"`
	CheckoutProvider    types.String   `tfsdk:"checkout_provider"`
	CheckoutRepo        types.String   `tfsdk:"checkout_repo"`
	ConfigFromOtherRepo types.Bool     `tfsdk:"config_from_other_repo"`
	Triggers            []TriggerModel `tfsdk:"triggers"`
}

// TriggerModel is one trigger of a pipeline definition. A webhook
// trigger's URL, which embeds its secret, is never kept.
type TriggerModel struct {
	ID                  types.String `tfsdk:"id"`
	EventSourceProvider types.String `tfsdk:"event_source_provider"`
	EventSourceRepo     types.String `tfsdk:"event_source_repo"`
	EventPreset         types.String `tfsdk:"event_preset"`
	Disabled            types.Bool   `tfsdk:"disabled"`
	Cron                types.String `tfsdk:"cron"`
	AttributionActorID  types.String `tfsdk:"attribution_actor_id"`
}

// NewPipelineTriggersDataSource is the data source's constructor.
func NewPipelineTriggersDataSource() datasource.DataSource { return &PipelineTriggersDataSource{} }

func (d *PipelineTriggersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_pipeline_triggers"
}

func (d *PipelineTriggersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "What starts each project's pipelines, and as whom: legacy scheduled pipelines (a schedule runs with its " +
			"actor's context access, so one attributed to a person runs as that person), and pipeline definitions with their triggers " +
			"(which may take their configuration from another repository). A webhook trigger's URL embeds the trigger's secret: it is " +
			"never read into state, logs or diagnostics.\n\n" +
			"This reads the organization's projects (`GET /api/private/project`, undocumented, shared with `circleci_projects`), then " +
			"for each project `GET /api/v2/project/{project-slug}/schedule` (documented) and " +
			"`GET /api/v2/projects/{project_id}/pipeline-definitions`, and for each definition " +
			"`GET /api/v2/projects/{project_id}/pipeline-definitions/{id}/triggers` (in CircleCI's current API reference; absent " +
			"from its 2025 OpenAPI file), at most `max_concurrency` requests at a time, each once per run. CircleCI Server serves " +
			"none of the three.\n\n" +
			"Where CircleCI says an endpoint does not apply to a project, its attribute is **null**, never an empty list, and the " +
			"project's `not_applicable` names it:\n\n" +
			"- `schedules` of a standalone project (slug `circleci/…`): the legacy schedule API is for GitHub OAuth and Bitbucket " +
			"Cloud projects (`gh/…`, `bb/…`); CircleCI's docs say it \"is not yet available for GitHub App pipelines\", whose " +
			"schedules are triggers of their pipeline definitions, listed under `definitions`. It is not requested.\n" +
			"- either of the two that CircleCI answers with 400 \"not supported for this project\"; a warning names the projects.\n\n" +
			"Pipeline definitions are read for every project: CircleCI lists them for standalone projects, and, its API reference " +
			"suggests, for OAuth ones too. Whether an endpoint applies is decided from each project's own slug, not from the " +
			"organization's type; a slug of another form is read with every endpoint.",
		Attributes: map[string]schema.Attribute{
			"organization_id": organizationIDAttribute(),
			"project_ids":     projectIDsAttribute(),
			"projects": schema.ListNestedAttribute{
				MarkdownDescription: "One entry per project, in the order of `circleci_projects` (lower-cased slug, then ID).",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":   computedString("Project ID (a UUID)."),
					"slug": computedString("The project's slug as CircleCI reports it."),
					"name": computedString("The project's name."),
					"schedules": schema.ListNestedAttribute{
						MarkdownDescription: "The project's legacy scheduled pipelines, sorted by `name`, then `id`. Null when " +
							"`not_applicable` lists `schedules` (every standalone project).",
						Computed: true,
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"id":          computedString("Schedule ID (a UUID)."),
							"name":        computedString("The schedule's name."),
							"actor_id":    computedString("ID of the actor the schedule runs as."),
							"actor_login": computedString("Login of the actor: `system-actor` for a schedule attributed to the system, else the user's login."),
							"actor_name":  computedString("The actor's name (`Scheduled` for the system actor); null when empty."),
							"runs_as_system": computedBool("True when the schedule runs as CircleCI's system actor (login `system-actor`), " +
								"false when it runs as a user, with that user's access to restricted contexts (CircleCI's schedule-triggers " +
								"page)."),
							"timetable": computedString("When it runs, e.g. `per_hour=1 hours_of_day=3,15 days_of_week=MON,FRI` or " +
								"`per_hour=2 hours_of_day=0 days_of_month=1,15 months=JAN,JUL`: CircleCI's timetable keys, hours in UTC, " +
								"`months` only when given."),
							"branch": computedString("The branch it runs on (its `branch` parameter); null when it runs on a tag."),
							"tag":    computedString("The tag it runs on (its `tag` parameter); null when it runs on a branch."),
						}},
					},
					"definitions": schema.ListNestedAttribute{
						MarkdownDescription: "The project's pipeline definitions, sorted by `name`, then `id`, each with its triggers. " +
							"Null when `not_applicable` lists `definitions`.",
						Computed: true,
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"id":                computedString("Pipeline definition ID (a UUID)."),
							"name":              computedString("The definition's name."),
							"config_provider":   computedString("Where the configuration comes from: `github_app`, `github_oauth`, `bitbucket_dc`, `gitlab`, `circleci` (hosted), … as CircleCI gives it."),
							"config_repo":       computedString("Full name of the repository the configuration is read from; null when CircleCI names none."),
							"config_file_path":  computedString("Path of the configuration file; null when CircleCI gives none."),
							"checkout_provider": computedString("Where the code is checked out from, like `config_provider`."),
							"checkout_repo":     computedString("Full name of the repository checked out; null when CircleCI names none."),
							"config_from_other_repo": computedBool("True unless CircleCI names both repositories and they are the same (by " +
								"the VCS's repository ID, else by full name): whoever can push to the configuration repository decides what runs " +
								"with the checkout repository's secrets. True also when either repository is not named (hosted configuration): " +
								"toward more exposure."),
							"triggers": schema.ListNestedAttribute{
								MarkdownDescription: "The definition's triggers, sorted by `event_source_provider`, then `id`.",
								Computed:            true,
								NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
									"id":                    computedString("Trigger ID (a UUID)."),
									"event_source_provider": computedString("What fires it: `github_app`, `github_oauth`, `github_server`, `bitbucket_dc`, `webhook`, `schedule`, … as CircleCI gives it."),
									"event_source_repo":     computedString("Full name of the repository whose events fire it (VCS triggers); null otherwise."),
									"event_preset":          computedString("Which events of the source fire it (e.g. `all-pushes`, `only-build-prs`); null when CircleCI gives none."),
									"disabled":              computedBool("Whether the trigger is disabled (CircleCI omits the flag for an enabled trigger)."),
									"cron":                  computedString("A schedule trigger's cron expression (UTC); null for other triggers."),
									"attribution_actor_id": computedString("Whom a schedule trigger runs as: the actor's user ID, whose context access its pipelines get " +
										"(or `system`/`current` if CircleCI returns the form it is written in); null for other triggers, or when CircleCI gives none."),
								}},
							},
						}},
					},
					"not_applicable": schema.ListAttribute{
						MarkdownDescription: "The attributes of this project that are null because they do not apply to it, sorted: " +
							"`schedules` for a standalone project, and any CircleCI answered 400 \"not supported for this project\" for.",
						ElementType: types.StringType,
						Computed:    true,
					},
				}},
			},
		},
	}
}

func (d *PipelineTriggersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureClient(req, resp)
}

func (d *PipelineTriggersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state PipelineTriggersDataSourceModel
	ctx, orgID, ok := beginOrgRead(ctx, req, resp, d.data, &state, &state.OrganizationID)
	if !ok {
		return
	}
	projects, ok := readProjectScope(ctx, d.data.client, orgID, state.ProjectIDs, &resp.Diagnostics)
	if !ok {
		return
	}
	c := d.data.client
	got, err := circleci.FanOut(ctx, projects, func(ctx context.Context, p scopedProject) (projectTriggers, error) {
		return readProjectTriggers(ctx, c, p)
	})
	if err != nil {
		resp.Diagnostics.Append(projectEndpointDiagnostic(err, "Pipeline Triggers"))
		return
	}
	state.OrganizationID = types.StringValue(orgID)
	var unexpected map[string][]string
	state.Projects, unexpected = projectTriggersToModel(projects, got)
	resp.Diagnostics.Append(notApplicableWarning(unexpected)...)
	resp.Diagnostics.Append(setState(ctx, &resp.State, state)...)
}

func projectTriggersToModel(projects []scopedProject, got map[scopedProject]projectTriggers) ([]ProjectTriggersModel, map[string][]string) {
	out := make([]ProjectTriggersModel, len(projects))
	unexpected := map[string][]string{}
	for i, p := range projects {
		t := got[p]
		m := ProjectTriggersModel{ID: types.StringValue(p.ID), Slug: types.StringValue(p.Slug), Name: types.StringValue(p.Name), NotApplicable: []string{}}
		switch {
		case t.schedules == nil:
			m.NotApplicable = append(m.NotApplicable, endpointSchedules.attr)
		case t.schedules.NotSupported:
			m.NotApplicable = append(m.NotApplicable, endpointSchedules.attr)
			unexpected[endpointSchedules.attr] = append(unexpected[endpointSchedules.attr], p.Slug)
		default:
			m.Schedules = schedulesToModel(t.schedules.Items)
		}
		if t.definitions.NotSupported {
			m.NotApplicable = append(m.NotApplicable, endpointDefinitions.attr)
			unexpected[endpointDefinitions.attr] = append(unexpected[endpointDefinitions.attr], p.Slug)
		} else {
			m.Definitions = definitionsToModel(t.definitions.Items)
		}
		slices.Sort(m.NotApplicable)
		out[i] = m
	}
	return out, unexpected
}

func schedulesToModel(schedules []circleci.Schedule) []ScheduleModel {
	sorted := slices.Clone(schedules)
	slices.SortStableFunc(sorted, func(a, b circleci.Schedule) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
	out := make([]ScheduleModel, len(sorted))
	for i, s := range sorted {
		out[i] = ScheduleModel{
			ID: types.StringValue(s.ID), Name: types.StringValue(s.Name),
			ActorID: types.StringValue(s.Actor.ID), ActorLogin: types.StringValue(s.Actor.Login), ActorName: stringOrNull(s.Actor.Name),
			RunsAsSystem: types.BoolValue(s.Actor.Login == circleci.SystemActorLogin),
			Timetable:    types.StringValue(timetableSummary(s.Timetable)),
			Branch:       stringOrNull(s.Branch), Tag: stringOrNull(s.Tag),
		}
	}
	return out
}

// timetableSummary is a timetable in CircleCI's own keys:
// "per_hour=1 hours_of_day=3 days_of_week=MON,FRI".
func timetableSummary(t circleci.Timetable) string {
	ints := func(ns []int) string {
		ss := make([]string, len(ns))
		for i, n := range ns {
			ss[i] = strconv.Itoa(n)
		}
		return strings.Join(ss, ",")
	}
	parts := []string{fmt.Sprintf("per_hour=%d", t.PerHour), "hours_of_day=" + ints(t.HoursOfDay)}
	if t.DaysOfWeek != nil {
		parts = append(parts, "days_of_week="+strings.Join(t.DaysOfWeek, ","))
	}
	if t.DaysOfMonth != nil {
		parts = append(parts, "days_of_month="+ints(t.DaysOfMonth))
	}
	if len(t.Months) > 0 {
		parts = append(parts, "months="+strings.Join(t.Months, ","))
	}
	return strings.Join(parts, " ")
}

func repoName(r *circleci.Repo) types.String {
	if r == nil {
		return types.StringNull()
	}
	return stringOrNull(r.FullName)
}

func definitionsToModel(defs []circleci.DefinitionTriggers) []PipelineDefinitionModel {
	sorted := slices.Clone(defs)
	slices.SortStableFunc(sorted, func(a, b circleci.DefinitionTriggers) int {
		return cmp.Or(cmp.Compare(a.Definition.Name, b.Definition.Name), cmp.Compare(a.Definition.ID, b.Definition.ID))
	})
	out := make([]PipelineDefinitionModel, len(sorted))
	for i, dt := range sorted {
		d := dt.Definition
		out[i] = PipelineDefinitionModel{
			ID: types.StringValue(d.ID), Name: types.StringValue(d.Name),
			ConfigProvider: types.StringValue(d.ConfigSource.Provider), ConfigRepo: repoName(d.ConfigSource.Repo),
			ConfigFilePath:   stringOrNull(d.ConfigSource.FilePath),
			CheckoutProvider: types.StringValue(d.CheckoutSource.Provider), CheckoutRepo: repoName(d.CheckoutSource.Repo),
			ConfigFromOtherRepo: types.BoolValue(!circleci.SameRepo(d.ConfigSource.Repo, d.CheckoutSource.Repo)),
			Triggers:            triggersToModel(dt.Triggers),
		}
	}
	return out
}

func triggersToModel(triggers []circleci.Trigger) []TriggerModel {
	sorted := slices.Clone(triggers)
	slices.SortStableFunc(sorted, func(a, b circleci.Trigger) int {
		return cmp.Or(cmp.Compare(a.Provider, b.Provider), cmp.Compare(a.ID, b.ID))
	})
	out := make([]TriggerModel, len(sorted))
	for i, t := range sorted {
		out[i] = TriggerModel{
			ID: types.StringValue(t.ID), EventSourceProvider: types.StringValue(t.Provider), EventSourceRepo: stringOrNull(t.RepoFullName),
			EventPreset: stringOrNull(t.EventPreset), Disabled: types.BoolValue(t.Disabled),
			Cron: stringOrNull(t.Cron), AttributionActorID: stringOrNull(t.AttributionActorID),
		}
	}
	return out
}

func (m PipelineTriggersDataSourceModel) state() stateVal {
	return stateObject(
		stateAttr("organization_id", stateString(m.OrganizationID)),
		stateAttr("project_ids", stateStrings(m.ProjectIDs)),
		stateAttr("projects", stateList(m.Projects, ProjectTriggersModel.state)),
	)
}

func (p ProjectTriggersModel) state() stateVal {
	return stateObject(
		stateAttr("id", stateString(p.ID)),
		stateAttr("slug", stateString(p.Slug)),
		stateAttr("name", stateString(p.Name)),
		stateAttr("schedules", stateList(p.Schedules, ScheduleModel.state)),
		stateAttr("definitions", stateList(p.Definitions, PipelineDefinitionModel.state)),
		stateAttr("not_applicable", stateStrings(p.NotApplicable)),
	)
}

func (s ScheduleModel) state() stateVal {
	return stateObject(
		stateAttr("id", stateString(s.ID)),
		stateAttr("name", stateString(s.Name)),
		stateAttr("actor_id", stateString(s.ActorID)),
		stateAttr("actor_login", stateString(s.ActorLogin)),
		stateAttr("actor_name", stateString(s.ActorName)),
		stateAttr("runs_as_system", stateBool(s.RunsAsSystem)),
		stateAttr("timetable", stateString(s.Timetable)),
		stateAttr("branch", stateString(s.Branch)),
		stateAttr("tag", stateString(s.Tag)),
	)
}

func (d PipelineDefinitionModel) state() stateVal {
	return stateObject(
		stateAttr("id", stateString(d.ID)),
		stateAttr("name", stateString(d.Name)),
		stateAttr("config_provider", stateString(d.ConfigProvider)),
		stateAttr("config_repo", stateString(d.ConfigRepo)),
		stateAttr("config_file_path", stateString(d.ConfigFilePath)),
		stateAttr("checkout_provider", stateString(d.CheckoutProvider)),
		stateAttr("checkout_repo", stateString(d.CheckoutRepo)),
		stateAttr("config_from_other_repo", stateBool(d.ConfigFromOtherRepo)),
		stateAttr("triggers", stateList(d.Triggers, TriggerModel.state)),
	)
}

func (t TriggerModel) state() stateVal {
	return stateObject(
		stateAttr("id", stateString(t.ID)),
		stateAttr("event_source_provider", stateString(t.EventSourceProvider)),
		stateAttr("event_source_repo", stateString(t.EventSourceRepo)),
		stateAttr("event_preset", stateString(t.EventPreset)),
		stateAttr("disabled", stateBool(t.Disabled)),
		stateAttr("cron", stateString(t.Cron)),
		stateAttr("attribution_actor_id", stateString(t.AttributionActorID)),
	)
}
