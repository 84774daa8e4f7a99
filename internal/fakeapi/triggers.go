package fakeapi

// What starts a project's pipelines: legacy schedules (by project slug),
// pipeline definitions and their triggers (by project id). Shapes follow
// ../shared/CIRCLECI-API-POSTURE.md §6 and §7, in the snake_case spelling
// live answers have been seen in.

import (
	"net/http"
	"strings"
)

const v2ProjectsPrefix = "/api/v2/projects/"

// SchedulesPath is GET /api/v2/project/{slug}/schedule.
func SchedulesPath(slug string) string { return projectSlugPrefix + slug + "/schedule" }

// PipelineDefinitionsPath is GET /api/v2/projects/{id}/pipeline-definitions.
func PipelineDefinitionsPath(projectID string) string {
	return v2ProjectsPrefix + projectID + "/pipeline-definitions"
}

// TriggersPath is GET /api/v2/projects/{id}/pipeline-definitions/{def}/triggers.
func TriggersPath(projectID, definitionID string) string {
	return PipelineDefinitionsPath(projectID) + "/" + definitionID + "/triggers"
}

// ProjectTriggers is what starts a project's pipelines.
type ProjectTriggers struct {
	Schedules   []Schedule           `json:"schedules,omitempty"`
	Definitions []PipelineDefinition `json:"definitions,omitempty"`
}

// Schedule is a legacy scheduled pipeline.
type Schedule struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Description *string        `json:"description"`
	Actor       User           `json:"actor"` // login "system-actor" for a schedule attributed to the system
	Timetable   Timetable      `json:"timetable"`
	Parameters  map[string]any `json:"parameters"` // holds branch or tag
}

// Timetable is a schedule's timetable; exactly one of DaysOfWeek and
// DaysOfMonth is set.
type Timetable struct {
	PerHour     int      `json:"per_hour"`
	HoursOfDay  []int    `json:"hours_of_day"`
	DaysOfWeek  []string `json:"days_of_week,omitempty"`
	DaysOfMonth []int    `json:"days_of_month,omitempty"`
	Months      []string `json:"months,omitempty"`
}

// PipelineDefinition is a pipeline definition with its triggers.
type PipelineDefinition struct {
	ID             string       `json:"id"`
	Name           string       `json:"name"`
	Description    string       `json:"description"`
	ConfigSource   SourceOfCode `json:"config_source"`
	CheckoutSource SourceOfCode `json:"checkout_source"`
	Triggers       []Trigger    `json:"triggers,omitempty"`
}

// SourceOfCode is where a definition's config or checkout comes from.
type SourceOfCode struct {
	Provider string `json:"provider"`
	Repo     *Repo  `json:"repo,omitempty"`
	FilePath string `json:"file_path,omitempty"`
}

// Repo is a repository as CircleCI names it.
type Repo struct {
	FullName   string `json:"full_name"`
	ExternalID string `json:"external_id"`
}

// Trigger is a pipeline definition's trigger. Provider is its
// event_source.provider; WebhookURL (webhook triggers) embeds the trigger's
// secret, as CircleCI's does: tests use it as a canary. Cron and
// AttributionActorID are a schedule trigger's.
type Trigger struct {
	ID                 string `json:"id"`
	EventName          string `json:"event_name"`
	EventPreset        string `json:"event_preset,omitempty"`
	Disabled           bool   `json:"disabled,omitempty"` // served only when true, as CircleCI omits it otherwise
	Provider           string `json:"provider"`
	Repo               *Repo  `json:"repo,omitempty"`
	WebhookURL         string `json:"webhook_url,omitempty"`
	Cron               string `json:"cron,omitempty"`
	AttributionActorID string `json:"attribution_actor_id,omitempty"`
}

// wire is the trigger as CircleCI serves it.
func (t Trigger) wire() map[string]any {
	src := map[string]any{"provider": t.Provider}
	if t.Repo != nil {
		src["repo"] = t.Repo
	}
	switch t.Provider {
	case "webhook":
		src["webhook"] = map[string]any{"url": t.WebhookURL, "sender": "custom"}
	case "schedule":
		sched := map[string]any{"cron_expression": t.Cron}
		if t.AttributionActorID != "" {
			sched["attribution_actor"] = map[string]any{"id": t.AttributionActorID}
		}
		src["schedule"] = sched
	}
	out := map[string]any{
		"id": t.ID, "name": "", "event_name": t.EventName, "description": t.EventName, "created_at": fixedCreatedAt,
		"event_preset": t.EventPreset, "checkout_ref": "main", "config_ref": "main", "parameters": map[string]any{},
		"event_source": src,
	}
	if t.Disabled {
		out["disabled"] = true
	}
	return out
}

func init() { registerRouter(routeProjectID) }

// routeProjectID returns the handler of a project endpoint addressed by
// project id (/api/v2/projects/{id}/…), or nil.
func routeProjectID(path string) apiHandler {
	rest, ok := strings.CutPrefix(path, v2ProjectsPrefix)
	if !ok {
		return nil
	}
	parts := strings.Split(rest, "/")
	switch {
	case len(parts) == 2 && parts[0] != "" && parts[1] == "pipeline-definitions":
		return func(w http.ResponseWriter, _ *http.Request, fx *Fixture) { servePipelineDefinitions(w, fx, parts[0]) }
	case len(parts) == 4 && parts[0] != "" && parts[1] == "pipeline-definitions" && parts[2] != "" && parts[3] == "triggers":
		return func(w http.ResponseWriter, _ *http.Request, fx *Fixture) { serveTriggers(w, fx, parts[0], parts[2]) }
	}
	return nil
}

func serveSchedules(w http.ResponseWriter, r *http.Request, fx *Fixture, slug string) {
	p, ok := lookupSlug(w, fx, slug)
	if !ok {
		return
	}
	if strings.HasPrefix(slug, standaloneSlugPrefix) {
		// Not published; the fake answers as CircleCI does for checkout-key
		// creation on a standalone project.
		writeError(w, http.StatusBadRequest, MsgNotSupportedForProject)
		return
	}
	type item struct {
		Schedule
		ProjectSlug string `json:"project_slug"`
		CreatedAt   string `json:"created_at"`
		UpdatedAt   string `json:"updated_at"`
	}
	items := []item{}
	for _, s := range fx.ProjectTriggers[p.ID].Schedules {
		items = append(items, item{Schedule: s, ProjectSlug: slug, CreatedAt: fixedCreatedAt, UpdatedAt: fixedUpdatedAt})
	}
	if body, ok := pageOf(w, r, "schedule:"+p.ID, items, fx.pageSize()); ok {
		writeJSON(w, http.StatusOK, body)
	}
}

// lookupProjectID finds a project by id, or answers 404 Project not found.
func lookupProjectID(w http.ResponseWriter, fx *Fixture, id string) (Project, bool) {
	p, _, ok := fx.projectByID(id)
	if !ok {
		writeError(w, http.StatusNotFound, MsgProjectNotFound)
	}
	return p, ok
}

func servePipelineDefinitions(w http.ResponseWriter, fx *Fixture, projectID string) {
	p, ok := lookupProjectID(w, fx, projectID)
	if !ok {
		return
	}
	type item struct {
		ID             string       `json:"id"`
		Name           string       `json:"name"`
		Description    string       `json:"description"`
		CreatedAt      string       `json:"created_at"`
		ConfigSource   SourceOfCode `json:"config_source"`
		CheckoutSource SourceOfCode `json:"checkout_source"`
	}
	type body struct {
		Items []item `json:"items"` // the whole set in one body, without next_page_token
	}
	items := []item{}
	for _, d := range fx.ProjectTriggers[p.ID].Definitions {
		items = append(items, item{ID: d.ID, Name: d.Name, Description: d.Description, CreatedAt: fixedCreatedAt,
			ConfigSource: d.ConfigSource, CheckoutSource: d.CheckoutSource})
	}
	writeJSON(w, http.StatusOK, body{Items: items})
}

func serveTriggers(w http.ResponseWriter, fx *Fixture, projectID, definitionID string) {
	p, ok := lookupProjectID(w, fx, projectID)
	if !ok {
		return
	}
	d, ok := findByID(fx.ProjectTriggers[p.ID].Definitions, definitionID, func(d PipelineDefinition) string { return d.ID })
	if !ok {
		writeError(w, http.StatusNotFound, MsgNotFound)
		return
	}
	type body struct {
		Items []map[string]any `json:"items"` // one body, without next_page_token
	}
	items := []map[string]any{}
	for _, t := range d.Triggers {
		items = append(items, t.wire())
	}
	writeJSON(w, http.StatusOK, body{Items: items})
}

func cloneTriggers(c, f *Fixture) {
	if f.ProjectTriggers == nil {
		return
	}
	c.ProjectTriggers = make(map[string]ProjectTriggers, len(f.ProjectTriggers))
	for k, v := range f.ProjectTriggers {
		v.Schedules = cloneSlice(v.Schedules)
		for i, s := range v.Schedules {
			s.Timetable.HoursOfDay = cloneSlice(s.Timetable.HoursOfDay)
			s.Timetable.DaysOfWeek = cloneSlice(s.Timetable.DaysOfWeek)
			s.Timetable.DaysOfMonth = cloneSlice(s.Timetable.DaysOfMonth)
			s.Timetable.Months = cloneSlice(s.Timetable.Months)
			if s.Parameters != nil {
				params := make(map[string]any, len(s.Parameters))
				for pk, pv := range s.Parameters {
					params[pk] = pv
				}
				s.Parameters = params
			}
			v.Schedules[i] = s
		}
		v.Definitions = cloneSlice(v.Definitions)
		for i, d := range v.Definitions {
			d.Triggers = cloneSlice(d.Triggers)
			v.Definitions[i] = d
		}
		c.ProjectTriggers[k] = v
	}
}
