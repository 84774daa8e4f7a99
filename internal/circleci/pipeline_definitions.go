package circleci

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// PipelineDefinition is one item of GET
// /api/v2/projects/{project_id}/pipeline-definitions.
type PipelineDefinition struct {
	ID             string       `json:"id"`
	Name           string       `json:"name"`
	ConfigSource   SourceOfCode `json:"config_source"`
	CheckoutSource SourceOfCode `json:"checkout_source"`
}

// SourceOfCode is where a pipeline definition takes its configuration or
// its checkout from.
type SourceOfCode struct {
	Provider string `json:"provider"` // github_app | github_oauth | bitbucket_dc | gitlab | circleci | …
	Repo     *Repo  `json:"repo"`     // nil when CircleCI gives none (hosted config)
	FilePath string `json:"file_path"`
}

// Repo is a repository as CircleCI names it.
type Repo struct {
	FullName   string `json:"full_name"`
	ExternalID string `json:"external_id"` // the VCS's own repository id, a string
}

func (d *PipelineDefinition) validate() error {
	if !IsUUID(d.ID) {
		return fmt.Errorf("a pipeline definition (name %q) has no UUID id (got %q)", excerpt([]byte(d.Name), 64), excerpt([]byte(d.ID), 64))
	}
	if d.ConfigSource.Provider == "" {
		return fmt.Errorf("pipeline definition %s has no config_source.provider", d.ID)
	}
	if d.CheckoutSource.Provider == "" {
		return fmt.Errorf("pipeline definition %s has no checkout_source.provider", d.ID)
	}
	return nil
}

// SameRepo reports whether a and b are known to be the same repository: both
// given, with the same external id (or, when either lacks one, the same
// full name, ignoring case).
func SameRepo(a, b *Repo) bool {
	if a == nil || b == nil {
		return false
	}
	if a.ExternalID != "" && b.ExternalID != "" {
		return a.ExternalID == b.ExternalID
	}
	return a.FullName != "" && strings.EqualFold(a.FullName, b.FullName)
}

// Trigger is one item of GET
// /api/v2/projects/{project_id}/pipeline-definitions/{id}/triggers. A
// webhook trigger's URL (which embeds the trigger's secret) is never
// decoded, nor are its parameters.
type Trigger struct {
	ID          string
	Provider    string // event_source.provider: github_app | webhook | schedule | …
	EventPreset string
	Disabled    bool // CircleCI omits "disabled" when the trigger is enabled
	// Cron is a schedule trigger's cron expression; "" otherwise.
	Cron string
	// AttributionActorID is whom a schedule trigger runs as: the actor's id
	// (CircleCI's {"id": …}), or "system"/"current" when given as a string.
	AttributionActorID string
	// RepoFullName is the repository of a VCS event source; "" otherwise.
	RepoFullName string
}

// UnmarshalJSON decodes the fields above and nothing else: event_source.
// webhook.url is skipped, so its secret never reaches memory the provider
// keeps.
func (t *Trigger) UnmarshalJSON(b []byte) error {
	var w struct {
		ID          string  `json:"id"`
		EventPreset *string `json:"event_preset"`
		Disabled    *bool   `json:"disabled"`
		EventSource *struct {
			Provider string `json:"provider"`
			Repo     *Repo  `json:"repo"`
			Schedule *struct {
				CronExpression   string          `json:"cron_expression"`
				AttributionActor json.RawMessage `json:"attribution_actor"`
			} `json:"schedule"`
		} `json:"event_source"`
	}
	if err := decodeObject(b, &w); err != nil {
		return err
	}
	if w.EventSource == nil {
		return &itemError{reason: fmt.Sprintf("trigger %q has no event_source", excerpt([]byte(w.ID), 64))}
	}
	*t = Trigger{ID: w.ID, Provider: w.EventSource.Provider}
	if w.EventPreset != nil {
		t.EventPreset = *w.EventPreset
	}
	if w.Disabled != nil {
		t.Disabled = *w.Disabled
	}
	if r := w.EventSource.Repo; r != nil {
		t.RepoFullName = r.FullName
	}
	if s := w.EventSource.Schedule; s != nil {
		t.Cron = s.CronExpression
		id, err := attributionActorID(s.AttributionActor)
		if err != nil {
			return &itemError{reason: fmt.Sprintf("trigger %q %s", excerpt([]byte(w.ID), 64), err)}
		}
		t.AttributionActorID = id
	}
	return nil
}

// attributionActorID reads attribution_actor as CircleCI returns it, an
// object {"id": …}, or as some clients decode it, a string.
func attributionActorID(raw json.RawMessage) (string, error) {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return "", nil
	}
	if strings.HasPrefix(s, `"`) {
		var id string
		err := json.Unmarshal(raw, &id)
		return id, err
	}
	var obj struct {
		ID *string `json:"id"`
	}
	if err := json.Unmarshal(raw, &obj); err != nil || obj.ID == nil {
		return "", fmt.Errorf("has an attribution_actor that is neither a string nor an object with an id")
	}
	return *obj.ID, nil
}

func (t *Trigger) validate() error {
	if !IsUUID(t.ID) {
		return fmt.Errorf("a trigger (provider %q) has no UUID id (got %q)", excerpt([]byte(t.Provider), 64), excerpt([]byte(t.ID), 64))
	}
	if t.Provider == "" {
		return fmt.Errorf("trigger %s has no event_source.provider", t.ID)
	}
	if t.Provider == TriggerProviderSchedule && t.Cron == "" {
		return fmt.Errorf("schedule trigger %s has no cron_expression", t.ID)
	}
	return nil
}

// TriggerProviderSchedule is the event source of a scheduled trigger.
const TriggerProviderSchedule = "schedule"

// PipelineDefinitionsPath is the path of a project's pipeline definitions.
func PipelineDefinitionsPath(projectID string) string {
	return "/api/v2/projects/" + url.PathEscape(projectID) + "/pipeline-definitions"
}

// TriggersPath is the path of one pipeline definition's triggers.
func TriggersPath(projectID, definitionID string) string {
	return PipelineDefinitionsPath(projectID) + "/" + url.PathEscape(definitionID) + "/triggers"
}

// PipelineDefinitions returns a project's pipeline definitions, read once
// per client under a request slot.
func (c *Client) PipelineDefinitions(ctx context.Context, projectID string) (ProjectListing[PipelineDefinition], error) {
	if err := checkUUID("project id", projectID); err != nil {
		return ProjectListing[PipelineDefinition]{}, err
	}
	key := "pipeline-definitions/" + strings.ToLower(projectID)
	return projectFetch(ctx, c, key, func(ctx context.Context) ([]PipelineDefinition, error) {
		return listAll(ctx, c, c.cfg.Host, PipelineDefinitionsPath(projectID), listOptions[PipelineDefinition]{})
	})
}

// Triggers returns one pipeline definition's triggers, read once per client
// under a request slot. A body the provider cannot read is an error without
// an excerpt of it: a webhook trigger's URL holds its secret.
func (c *Client) Triggers(ctx context.Context, projectID, definitionID string) ([]Trigger, error) {
	if err := checkUUID("project id", projectID); err != nil {
		return nil, err
	}
	if err := checkUUID("pipeline definition id", definitionID); err != nil {
		return nil, err
	}
	key := "triggers/" + strings.ToLower(projectID) + "/" + strings.ToLower(definitionID)
	return memoized(ctx, &c.memo, key, func(ctx context.Context) ([]Trigger, error) {
		return bounded(ctx, c, func(ctx context.Context) ([]Trigger, error) {
			items, err := listAll(ctx, c, c.cfg.Host, TriggersPath(projectID, definitionID), listOptions[Trigger]{})
			return items, withoutBodyExcerpt(err)
		})
	})
}

// DefinitionTriggers is a pipeline definition with its triggers.
type DefinitionTriggers struct {
	Definition PipelineDefinition
	Triggers   []Trigger
}

// PipelineDefinitionsWithTriggers reads a project's pipeline definitions,
// then the triggers of each (one request per definition, at most
// MaxConcurrency in flight across the client). NotSupported comes from the
// definitions listing.
func (c *Client) PipelineDefinitionsWithTriggers(ctx context.Context, projectID string) (ProjectListing[DefinitionTriggers], error) {
	defs, err := c.PipelineDefinitions(ctx, projectID)
	if err != nil || defs.NotSupported {
		return ProjectListing[DefinitionTriggers]{NotSupported: defs.NotSupported, Message: defs.Message}, err
	}
	ids := make([]string, len(defs.Items))
	for i, d := range defs.Items {
		ids[i] = d.ID
	}
	got, err := fanOut(ctx, ids, func(ctx context.Context, id string) ([]Trigger, error) { return c.Triggers(ctx, projectID, id) })
	if err != nil {
		return ProjectListing[DefinitionTriggers]{}, err
	}
	out := make([]DefinitionTriggers, len(defs.Items))
	for i, d := range defs.Items {
		out[i] = DefinitionTriggers{Definition: d, Triggers: got[d.ID]}
	}
	return ProjectListing[DefinitionTriggers]{Items: out}, nil
}
