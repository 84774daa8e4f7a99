package circleci

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// Client tests of the per-project posture endpoints: environment variables,
// checkout keys, API tokens, schedules, pipeline definitions and triggers.

const (
	postProjGH  = "71000000-0000-4000-8000-000000000001" // gh/acme/api
	postProjStd = "71000000-0000-4000-8000-000000000002" // circleci/…
	postSlugGH  = "gh/acme/api"
	postSlugStd = "circleci/4nYdoKGkb6RXn7JGt8SQtg/34R3kN5RtfEE7v4sa4nWAU"
	postDef     = "72000000-0000-4000-8000-000000000001"
	postTrigWH  = "73000000-0000-4000-8000-000000000001"
	postTrigSch = "73000000-0000-4000-8000-000000000002"
	postSched   = "74000000-0000-4000-8000-000000000001"
	// Canaries: served by the fake, never to be kept or quoted.
	postMaskCanary  = "xxxxC4N4"
	postWebhookSec  = "whsec-canary-0b1d"
	postTokenCanary = "pat-canary-6e2a"
)

func credentialsFixture() *fakeapi.Fixture {
	fx := pagedFixture(1, 2)
	at := func(s string) *string { return &s }
	fx.Projects = map[string][]fakeapi.Project{testOrg: {
		{ID: postProjGH, Slug: postSlugGH, Name: "api"},
		{ID: postProjStd, Slug: postSlugStd, Name: "std"},
	}}
	fx.ProjectCredentials = map[string]fakeapi.ProjectCredentials{
		postProjGH: {
			EnvVars: []fakeapi.ProjectEnvVar{
				{Name: "A", MaskedValue: postMaskCanary, CreatedAt: at("2024-05-01T10:00:00Z")},
				{Name: "B", MaskedValue: postMaskCanary, CreatedAt: at("#joda/inst 2023-04-14T21:20:14+0000"), CreatedAtKebab: true},
				{Name: "OLD", MaskedValue: postMaskCanary},
			},
			CheckoutKeys: []fakeapi.CheckoutKey{{Type: "deploy-key", Fingerprint: "SHA256:abc/+d", Preferred: true, PublicKey: "ssh-ed25519 AAAA", CreatedAt: "2024-02-02T08:00:00Z"}},
			APITokens:    []fakeapi.ProjectAPIToken{{ID: "c1d2e3", Label: "badge", Scope: "status", Token: postTokenCanary}, {ID: "f4", Label: "", Scope: "all"}},
		},
		postProjStd: {CheckoutKeys: []fakeapi.CheckoutKey{{Type: "deploy-key", Fingerprint: "never-served", CreatedAt: "2024-02-02T08:00:00Z"}}},
	}
	fx.ProjectTriggers = map[string]fakeapi.ProjectTriggers{
		postProjGH: {Schedules: []fakeapi.Schedule{{
			ID: postSched, Name: "nightly", Actor: fakeapi.User{ID: "3b2a0000-0000-4000-8000-000000000001", Login: "system-actor", Name: "Scheduled"},
			Timetable:  fakeapi.Timetable{PerHour: 1, HoursOfDay: []int{3}, DaysOfWeek: []string{"MON", "FRI"}},
			Parameters: map[string]any{"branch": "main", "deploy": false},
		}}},
		postProjStd: {Definitions: []fakeapi.PipelineDefinition{{
			ID: postDef, Name: "build",
			ConfigSource:   fakeapi.SourceOfCode{Provider: "github_app", Repo: &fakeapi.Repo{FullName: "acme/config", ExternalID: "2"}, FilePath: ".circleci/config.yml"},
			CheckoutSource: fakeapi.SourceOfCode{Provider: "github_app", Repo: &fakeapi.Repo{FullName: "acme/api", ExternalID: "1"}},
			Triggers: []fakeapi.Trigger{
				{ID: postTrigWH, EventName: "hook", Provider: "webhook", WebhookURL: "https://internal.circleci.com/private/soc/e/x?secret=" + postWebhookSec, Disabled: true},
				{ID: postTrigSch, EventName: "nightly", Provider: "schedule", Cron: "0 4 * * *", AttributionActorID: "7c3d0000-0000-4000-8000-000000000001"},
			},
		}}},
	}
	return fx
}

func TestProjectEnvVarsNamesOnly(t *testing.T) {
	s := newFake(t, credentialsFixture())
	c := newTestClient(t, s.URL())
	got, err := c.ProjectEnvVars(context.Background(), postSlugGH)
	if err != nil {
		t.Fatal(err)
	}
	if got.NotSupported || len(got.Items) != 3 {
		t.Fatalf("got %+v, want 3 variables over 2 pages", got)
	}
	if a := got.Items[0]; a.Name != "A" || a.CreatedAt == nil || *a.CreatedAt != "2024-05-01T10:00:00Z" {
		t.Errorf("A = %+v", a)
	}
	if b := got.Items[1]; b.CreatedAt == nil || *b.CreatedAt != "2023-04-14T21:20:14Z" {
		t.Errorf("B (created-at in the #joda/inst form) = %+v, want 2023-04-14T21:20:14Z", b)
	}
	if old := got.Items[2]; old.CreatedAt != nil {
		t.Errorf("OLD has no created_at, got %q", *old.CreatedAt)
	}
	if strings.Contains(fmt.Sprintf("%+v", got), "C4N4") {
		t.Error("the masked value was kept")
	}
	if _, err := c.ProjectEnvVars(context.Background(), postSlugGH); err != nil {
		t.Fatal(err)
	}
	if n := s.RequestCount(fakeapi.ProjectEnvVarsPath(postSlugGH)); n != 2 {
		t.Errorf("%d requests, want 2 (two pages, once per client)", n)
	}
}

func TestProjectEnvVarsErrorsQuoteNoValue(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
	}{
		{"truncated", `{"items":[{"name":"A","value":"` + postMaskCanary + `"}`, "truncated JSON"},
		{"no name", `{"items":[{"value":"` + postMaskCanary + `"}],"next_page_token":null}`, "has no name"},
		{"bad time", `{"items":[{"name":"A","value":"` + postMaskCanary + `","created_at":"yesterday"}],"next_page_token":null}`, "not a timestamp"},
		{"two spellings disagree", `{"items":[{"name":"A","value":"` + postMaskCanary + `","created_at":"2024-01-01T00:00:00Z","created-at":"2023-01-01T00:00:00Z"}]}`, "different values"},
		{"value where items belong", `{"value":"` + postMaskCanary + `"}`, `no "items"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newFake(t, credentialsFixture())
			s.Inject(fakeapi.Fault{Path: fakeapi.ProjectEnvVarsPath(postSlugGH), Status: http.StatusOK, Body: tc.body})
			_, err := newTestClient(t, s.URL()).ProjectEnvVars(context.Background(), postSlugGH)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "C4N4") {
				t.Errorf("the error quotes the masked value: %v", err)
			}
		})
	}
}

func TestProjectListingsFailClosed(t *testing.T) {
	ctx := context.Background()
	paths := map[string]func(*Client) error{
		fakeapi.ProjectEnvVarsPath(postSlugGH): func(c *Client) error { _, err := c.ProjectEnvVars(ctx, postSlugGH); return err },
		fakeapi.CheckoutKeysPath(postSlugGH):   func(c *Client) error { _, err := c.CheckoutKeys(ctx, postSlugGH); return err },
		fakeapi.SchedulesPath(postSlugGH):      func(c *Client) error { _, err := c.Schedules(ctx, postSlugGH); return err },
		fakeapi.PipelineDefinitionsPath(postProjStd): func(c *Client) error {
			_, err := c.PipelineDefinitionsWithTriggers(ctx, postProjStd)
			return err
		},
		fakeapi.TriggersPath(postProjStd, postDef): func(c *Client) error {
			_, err := c.PipelineDefinitionsWithTriggers(ctx, postProjStd)
			return err
		},
	}
	for path, read := range paths {
		for _, tc := range []struct {
			name   string
			faults []fakeapi.Fault
			want   string
		}{
			{"403", []fakeapi.Fault{{Status: 403, Body: `{"message":"Permission denied."}`}}, "unexpected 403"},
			{"404", []fakeapi.Fault{{Status: 404, Body: `{"message":"Project not found."}`}}, "unexpected 404"},
			{"null item", []fakeapi.Fault{{Status: 200, Body: `{"items":[null],"next_page_token":null}`}}, "null"},
			{"page 2 fails", []fakeapi.Fault{
				{Status: 200, Body: `{"items":[],"next_page_token":"p2"}`},
				{Status: 500, Times: -1, Body: `{"message":"Internal server error."}`},
			}, "(page 2)"},
			{"repeated page token", []fakeapi.Fault{
				{Status: 200, Body: `{"items":[],"next_page_token":"p2"}`},
				{Status: 200, Body: `{"items":[],"next_page_token":"p2"}`},
			}, "already returned"},
			{"429 until the retries run out", []fakeapi.Fault{{Status: 429, Times: -1, Body: `{"message":"Rate limit exceeded."}`}}, "unexpected 429"},
		} {
			t.Run(path+"/"+tc.name, func(t *testing.T) {
				s := newFake(t, credentialsFixture())
				for _, f := range tc.faults {
					f.Path = path
					s.Inject(f)
				}
				err := read(newTestClient(t, s.URL(), func(cfg *Config) { cfg.MaxRetries = 1 }))
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("err = %v, want %q", err, tc.want)
				}
				var pe *PageError
				if tc.name == "page 2 fails" && !errors.As(err, &pe) {
					t.Errorf("want a *PageError, got %T", err)
				}
			})
		}
	}
}

func TestProjectListingNotSupported(t *testing.T) {
	s := newFake(t, credentialsFixture())
	c := newTestClient(t, s.URL())
	// The fake answers the legacy schedules of a standalone project with
	// 400 "not supported for this project".
	got, err := c.Schedules(context.Background(), postSlugStd)
	if err != nil {
		t.Fatal(err)
	}
	if !got.NotSupported || got.Items != nil || !strings.Contains(got.Message, "not supported") {
		t.Fatalf("got %+v, want NotSupported", got)
	}
	// Kept for the run like an answer: one request.
	if _, err := c.Schedules(context.Background(), postSlugStd); err != nil {
		t.Fatal(err)
	}
	if n := s.RequestCount(fakeapi.SchedulesPath(postSlugStd)); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
	// Another 400 is an error.
	s.Inject(fakeapi.Fault{Path: fakeapi.CheckoutKeysPath(postSlugGH), Status: 400, Body: `{"message":"Invalid project slug."}`})
	if _, err := c.CheckoutKeys(context.Background(), postSlugGH); err == nil {
		t.Error("a 400 of another kind was accepted")
	}
	// The same answer on a later page is an error, not "not supported".
	s.Inject(fakeapi.Fault{Path: fakeapi.ProjectEnvVarsPath(postSlugStd), Status: 200, Body: `{"items":[],"next_page_token":"p2"}`},
		fakeapi.Fault{Path: fakeapi.ProjectEnvVarsPath(postSlugStd), Status: 400, Body: `{"message":"This API is not supported for this project."}`})
	if _, err := c.ProjectEnvVars(context.Background(), postSlugStd); err == nil {
		t.Error("not supported on page 2 was accepted")
	}
}

func TestCheckoutKeys(t *testing.T) {
	s := newFake(t, credentialsFixture())
	c := newTestClient(t, s.URL())
	got, err := c.CheckoutKeys(context.Background(), postSlugGH)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != 1 || got.Items[0] != (CheckoutKey{Type: "deploy-key", Fingerprint: "SHA256:abc/+d", Preferred: true, CreatedAt: got.Items[0].CreatedAt}) ||
		*got.Items[0].CreatedAt != "2024-02-02T08:00:00Z" {
		t.Errorf("got %+v", got)
	}
	std, err := c.CheckoutKeys(context.Background(), postSlugStd)
	if err != nil || std.NotSupported || len(std.Items) != 0 {
		t.Errorf("a standalone project: %+v, %v; want CircleCI's 200 with no keys", std, err)
	}
	s.Inject(fakeapi.Fault{Path: fakeapi.CheckoutKeysPath("gh/acme/x"), Status: 200, Body: `{"items":[{"type":"deploy-key","fingerprint":"f"}]}`})
	if _, err := c.CheckoutKeys(context.Background(), "gh/acme/x"); err == nil || !strings.Contains(err.Error(), "no preferred") {
		t.Errorf("a key without preferred: %v", err)
	}
}

func TestProjectAPITokensNeverTheToken(t *testing.T) {
	s := newFake(t, credentialsFixture())
	c := newTestClient(t, s.URL())
	got, err := c.ProjectAPITokens(context.Background(), postSlugGH)
	if err != nil {
		t.Fatal(err)
	}
	want := []ProjectAPIToken{{ID: "c1d2e3", Label: "badge", Scope: "status"}, {ID: "f4", Scope: "all"}}
	if fmt.Sprint(got.Items) != fmt.Sprint(want) {
		t.Errorf("got %+v, want %+v", got.Items, want)
	}
	s.Inject(fakeapi.Fault{Path: fakeapi.ProjectAPITokensPath(postSlugGH), Status: 200, Body: `[{"id":"x","token":"` + postTokenCanary + `"}]`})
	_, err = newTestClient(t, s.URL()).ProjectAPITokens(context.Background(), postSlugGH)
	if err == nil || !strings.Contains(err.Error(), "no scope") || strings.Contains(err.Error(), postTokenCanary) {
		t.Errorf("err = %v; want no scope, without the token", err)
	}
	s.Inject(fakeapi.Fault{Path: fakeapi.ProjectAPITokensPath(postSlugGH), Status: 200, Body: `{"items":[]}`})
	if _, err = newTestClient(t, s.URL()).ProjectAPITokens(context.Background(), postSlugGH); err == nil {
		t.Error("an object where a bare array belongs was accepted")
	}
}

func TestSchedulesBothSpellings(t *testing.T) {
	s := newFake(t, credentialsFixture())
	c := newTestClient(t, s.URL())
	got, err := c.Schedules(context.Background(), postSlugGH)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != 1 {
		t.Fatalf("got %+v", got)
	}
	sc := got.Items[0]
	if sc.Actor.Login != SystemActorLogin || sc.Branch != "main" || sc.Tag != "" || sc.Timetable.PerHour != 1 ||
		fmt.Sprint(sc.Timetable.HoursOfDay, sc.Timetable.DaysOfWeek) != "[3] [MON FRI]" {
		t.Errorf("snake_case schedule = %+v", sc)
	}
	kebab := `{"items":[{"id":"` + postSched + `","name":"n","project-slug":"gh/acme/api","parameters":{"tag":"v1"},` +
		`"actor":{"id":"u","login":"alice","name":"A"},"timetable":{"per-hour":2,"hours-of-day":[1,2],"days-of-month":[1,15],"months":["JAN"]}}],"next_page_token":null}`
	s.Inject(fakeapi.Fault{Path: fakeapi.SchedulesPath("gh/acme/k"), Status: 200, Body: kebab})
	k, err := c.Schedules(context.Background(), "gh/acme/k")
	if err != nil {
		t.Fatal(err)
	}
	if sc := k.Items[0]; sc.Tag != "v1" || sc.Timetable.PerHour != 2 || fmt.Sprint(sc.Timetable.DaysOfMonth, sc.Timetable.Months) != "[1 15] [JAN]" {
		t.Errorf("kebab-case schedule = %+v", sc)
	}
	for name, body := range map[string]string{
		"no actor":     `{"items":[{"id":"` + postSched + `","name":"n","timetable":{"per_hour":1,"hours_of_day":[1],"days_of_week":["MON"]}}]}`,
		"no days":      `{"items":[{"id":"` + postSched + `","name":"n","actor":{"id":"u","login":"l"},"timetable":{"per_hour":1,"hours_of_day":[1]}}]}`,
		"branch a map": `{"items":[{"id":"` + postSched + `","name":"n","actor":{"id":"u","login":"l"},"parameters":{"branch":{}},"timetable":{"per_hour":1,"hours_of_day":[1],"days_of_week":["MON"]}}]}`,
	} {
		s.Inject(fakeapi.Fault{Path: fakeapi.SchedulesPath("gh/acme/bad"), Status: 200, Body: body})
		if _, err := newTestClient(t, s.URL()).Schedules(context.Background(), "gh/acme/bad"); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestPipelineDefinitionsWithTriggers(t *testing.T) {
	s := newFake(t, credentialsFixture())
	c := newTestClient(t, s.URL())
	got, err := c.PipelineDefinitionsWithTriggers(context.Background(), postProjStd)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != 1 || len(got.Items[0].Triggers) != 2 {
		t.Fatalf("got %+v", got)
	}
	d := got.Items[0]
	if d.Definition.ConfigSource.Repo.FullName != "acme/config" || SameRepo(d.Definition.ConfigSource.Repo, d.Definition.CheckoutSource.Repo) {
		t.Errorf("definition = %+v", d.Definition)
	}
	wh, sch := d.Triggers[0], d.Triggers[1]
	if wh.Provider != "webhook" || !wh.Disabled || strings.Contains(fmt.Sprintf("%+v", got), postWebhookSec) {
		t.Errorf("webhook trigger = %+v (its URL must not be kept)", wh)
	}
	if sch.Disabled || sch.Cron != "0 4 * * *" || sch.AttributionActorID != "7c3d0000-0000-4000-8000-000000000001" {
		t.Errorf("schedule trigger = %+v", sch)
	}
	empty, err := c.PipelineDefinitionsWithTriggers(context.Background(), postProjGH)
	if err != nil || len(empty.Items) != 0 || empty.Items == nil {
		t.Errorf("a project without definitions: %+v, %v", empty, err)
	}
	// A malformed trigger page quotes nothing of the body (a webhook URL
	// holds the trigger's secret).
	s.Inject(fakeapi.Fault{Path: fakeapi.TriggersPath(postProjStd, postDef), Status: 200,
		Body: `{"items":[{"id":"x","event_source":{"provider":"webhook","webhook":{"url":"https://h/?secret=` + postWebhookSec + `"}}}]`})
	_, err = newTestClient(t, s.URL()).PipelineDefinitionsWithTriggers(context.Background(), postProjStd)
	if err == nil || strings.Contains(err.Error(), postWebhookSec) {
		t.Errorf("err = %v; want an error without the secret", err)
	}
}

func TestAttributionActorForms(t *testing.T) {
	for raw, want := range map[string]string{`{"id":"abc"}`: "abc", `"system"`: "system", `null`: "", ``: ""} {
		got, err := attributionActorID([]byte(raw))
		if err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", raw, got, err, want)
		}
	}
	for _, raw := range []string{`{}`, `[1]`, `42`} {
		if _, err := attributionActorID([]byte(raw)); err == nil {
			t.Errorf("%s: accepted", raw)
		}
	}
}

func TestSameRepo(t *testing.T) {
	r := func(name, id string) *Repo { return &Repo{FullName: name, ExternalID: id} }
	for _, tc := range []struct {
		a, b *Repo
		want bool
	}{
		{r("acme/api", "1"), r("acme/api", "1"), true},
		{r("acme/api", "1"), r("acme/api", "2"), false}, // a renamed fork: the id decides
		{r("acme/API", ""), r("acme/api", "1"), true},
		{r("", ""), r("", ""), false},
		{nil, r("acme/api", "1"), false},
	} {
		if got := SameRepo(tc.a, tc.b); got != tc.want {
			t.Errorf("SameRepo(%+v, %+v) = %v", tc.a, tc.b, got)
		}
	}
}
