package circleci

import (
	"context"
	"encoding/json"
	"fmt"
)

// Schedule is one item of GET /api/v2/project/{project-slug}/schedule
// (legacy scheduled pipelines). Keys are decoded in both spellings: CircleCI's
// OpenAPI description has kebab-case (project-slug, per-hour), a capture
// CircleCI published has snake_case.
type Schedule struct {
	ID    string
	Name  string
	Actor ScheduleActor
	// Timetable is when it runs.
	Timetable Timetable
	// Branch and Tag are the parameters the schedule runs on: one of them
	// (CircleCI requires it), "" when absent or not a string.
	Branch, Tag string
}

// ScheduleActor is whom a schedule runs as: a user, whose context access
// the pipelines get, or CircleCI's system actor.
type ScheduleActor struct {
	ID    string `json:"id"`
	Login string `json:"login"`
	Name  string `json:"name"`
}

// SystemActorLogin is the login of the actor of a schedule attributed to
// "system" rather than to a user.
const SystemActorLogin = "system-actor"

// Timetable is a schedule's timetable.
type Timetable struct {
	PerHour     int
	HoursOfDay  []int
	DaysOfWeek  []string
	DaysOfMonth []int
	Months      []string
}

type timetableWire struct {
	PerHour      *int     `json:"per_hour"`
	PerHourK     *int     `json:"per-hour"`
	HoursOfDay   []int    `json:"hours_of_day"`
	HoursOfDayK  []int    `json:"hours-of-day"`
	DaysOfWeek   []string `json:"days_of_week"`
	DaysOfWeekK  []string `json:"days-of-week"`
	DaysOfMonth  []int    `json:"days_of_month"`
	DaysOfMonthK []int    `json:"days-of-month"`
	Months       []string `json:"months"`
}

func (w *timetableWire) timetable() (Timetable, error) {
	var t Timetable
	perHour, err := either(w.PerHour, w.PerHourK, "per_hour")
	if err != nil {
		return t, err
	}
	if perHour == nil {
		return t, fmt.Errorf("has a timetable without per_hour")
	}
	t.PerHour = *perHour
	if t.HoursOfDay, err = eitherSlice(w.HoursOfDay, w.HoursOfDayK, "hours_of_day"); err != nil {
		return t, err
	}
	if t.DaysOfWeek, err = eitherSlice(w.DaysOfWeek, w.DaysOfWeekK, "days_of_week"); err != nil {
		return t, err
	}
	if t.DaysOfMonth, err = eitherSlice(w.DaysOfMonth, w.DaysOfMonthK, "days_of_month"); err != nil {
		return t, err
	}
	t.Months = w.Months
	if t.HoursOfDay == nil {
		return t, fmt.Errorf("has a timetable without hours_of_day")
	}
	if t.DaysOfWeek == nil && t.DaysOfMonth == nil {
		return t, fmt.Errorf("has a timetable with neither days_of_week nor days_of_month")
	}
	return t, nil
}

// UnmarshalJSON decodes a schedule in either spelling. Parameters other
// than branch and tag are not decoded.
func (s *Schedule) UnmarshalJSON(b []byte) error {
	var w struct {
		ID         string                     `json:"id"`
		Name       string                     `json:"name"`
		Actor      *ScheduleActor             `json:"actor"`
		Timetable  *timetableWire             `json:"timetable"`
		Parameters map[string]json.RawMessage `json:"parameters"`
	}
	if err := decodeObject(b, &w); err != nil {
		return err
	}
	who := fmt.Sprintf("schedule %q (%s)", excerpt([]byte(w.Name), 64), excerpt([]byte(w.ID), 64))
	if w.Actor == nil {
		return &itemError{reason: who + " has no actor"}
	}
	if w.Timetable == nil {
		return &itemError{reason: who + " has no timetable"}
	}
	tt, err := w.Timetable.timetable()
	if err != nil {
		return &itemError{reason: who + " " + err.Error()}
	}
	*s = Schedule{ID: w.ID, Name: w.Name, Actor: *w.Actor, Timetable: tt}
	for key, dst := range map[string]*string{"branch": &s.Branch, "tag": &s.Tag} {
		if raw, ok := w.Parameters[key]; ok && string(raw) != "null" {
			if err := json.Unmarshal(raw, dst); err != nil {
				return &itemError{reason: fmt.Sprintf("%s has a %s parameter that is not a string", who, key)}
			}
		}
	}
	return nil
}

func (s *Schedule) validate() error {
	if !IsUUID(s.ID) {
		return fmt.Errorf("a schedule (name %q) has no UUID id (got %q)", excerpt([]byte(s.Name), 64), excerpt([]byte(s.ID), 64))
	}
	if s.Actor.ID == "" || s.Actor.Login == "" {
		return fmt.Errorf("schedule %s has an actor without an id or a login", s.ID)
	}
	return nil
}

// SchedulesPath is the path of a project's (legacy) schedules.
func SchedulesPath(slug string) (string, error) {
	return projectSlugPath("/api/v2/project/", slug, "/schedule")
}

// Schedules returns a project's legacy scheduled pipelines, read once per
// client under a request slot.
func (c *Client) Schedules(ctx context.Context, slug string) (ProjectListing[Schedule], error) {
	path, err := SchedulesPath(slug)
	if err != nil {
		return ProjectListing[Schedule]{}, err
	}
	return projectFetch(ctx, c, projectSlugKey("schedules", slug), func(ctx context.Context) ([]Schedule, error) {
		return listAll(ctx, c, c.cfg.Host, path, listOptions[Schedule]{})
	})
}
