package fakeapi

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	credOrg    = "c7ed0000-0000-4000-8000-000000000001"
	credProjGH = "c7ed0000-0000-4000-8000-000000000002"
	credProjSA = "c7ed0000-0000-4000-8000-000000000003"
	credDef    = "c7ed0000-0000-4000-8000-000000000004"
)

func credentialsFixture() *Fixture {
	at := "2024-01-01T00:00:00Z"
	return &Fixture{
		Token:    "t",
		Members:  map[string][]RoleGrant{credOrg: {}},
		PageSize: 1,
		Projects: map[string][]Project{credOrg: {
			{ID: credProjGH, Slug: "gh/acme/api", Name: "api"},
			{ID: credProjSA, Slug: "circleci/o/p", Name: "p"},
		}},
		ProjectCredentials: map[string]ProjectCredentials{
			credProjGH: {EnvVars: []ProjectEnvVar{{Name: "A", MaskedValue: "xxxx1234", CreatedAt: &at}, {Name: "B", MaskedValue: "xxxx5678", CreatedAtKebab: true, CreatedAt: &at}},
				CheckoutKeys: []CheckoutKey{{Type: "deploy-key", Fingerprint: "f", Preferred: true}}},
			credProjSA: {CheckoutKeys: []CheckoutKey{{Type: "deploy-key", Fingerprint: "never"}}},
		},
		ProjectTriggers: map[string]ProjectTriggers{
			credProjSA: {Definitions: []PipelineDefinition{{ID: credDef, Name: "d", Triggers: []Trigger{{ID: "t1", Provider: "webhook", WebhookURL: "https://h/x?secret=s"}}}}},
		},
	}
}

// The project endpoints answer in CircleCI's live shapes: paged variables
// with their masked values (either spelling of created_at), no checkout
// keys for a standalone project, 400 for its legacy schedules, 404 for an
// unknown slug, definitions and triggers in one body.
func TestProjectEndpointShapes(t *testing.T) {
	s := New(credentialsFixture())
	t.Cleanup(s.Close)
	get := func(path string, want int) string {
		t.Helper()
		r := send(t, "GET", s.URL(), path, "t")
		if r.status != want {
			t.Fatalf("GET %s: %d, want %d: %s", path, r.status, want, r.body)
		}
		return string(r.body)
	}
	page1 := get(ProjectEnvVarsPath("gh/acme/api"), 200)
	var p struct {
		Items []map[string]any `json:"items"`
		Next  *string          `json:"next_page_token"`
	}
	if err := json.Unmarshal([]byte(page1), &p); err != nil || len(p.Items) != 1 || p.Next == nil || p.Items[0]["value"] != "xxxx1234" {
		t.Fatalf("page 1: %s", page1)
	}
	if page2 := get(ProjectEnvVarsPath("gh/acme/api")+"?page-token="+strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D").Replace(*p.Next), 200); !strings.Contains(page2, `"created-at":"2024-01-01T00:00:00Z"`) {
		t.Errorf("page 2 lacks the kebab-case created-at: %s", page2)
	}
	if b := get(CheckoutKeysPath("circleci/o/p"), 200); !strings.Contains(b, `"items":[]`) {
		t.Errorf("a standalone project's checkout keys: %s, want none", b)
	}
	if b := get(SchedulesPath("circleci/o/p"), 400); !strings.Contains(b, MsgNotSupportedForProject) {
		t.Errorf("a standalone project's schedules: %s", b)
	}
	get(ProjectEnvVarsPath("gh/acme/nope"), 404)
	get(PipelineDefinitionsPath("c7ed0000-0000-4000-8000-0000000000ff"), 404)
	if b := get(ProjectAPITokensPath("gh/acme/api"), 200); b != "[]" {
		t.Errorf("tokens: %s, want a bare empty array", b)
	}
	if b := get(TriggersPath(credProjSA, credDef), 200); !strings.Contains(b, `"url":"https://h/x?secret=s"`) || strings.Contains(b, "disabled") {
		t.Errorf("triggers: %s, want the webhook URL and no disabled flag", b)
	}
}

func TestCredentialsCloneAndLoad(t *testing.T) {
	fx := credentialsFixture()
	c := fx.Clone()
	*c.ProjectCredentials[credProjGH].EnvVars[0].CreatedAt = "changed"
	c.ProjectTriggers[credProjSA].Definitions[0].Triggers[0].ID = "changed"
	if *fx.ProjectCredentials[credProjGH].EnvVars[0].CreatedAt == "changed" || fx.ProjectTriggers[credProjSA].Definitions[0].Triggers[0].ID == "changed" {
		t.Error("Clone shares project credentials or triggers with the original")
	}
	b, err := json.Marshal(fx)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "fx.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadFixture(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(loaded.ProjectCredentials[credProjGH].EnvVars) != 2 || loaded.ProjectTriggers[credProjSA].Definitions[0].Triggers[0].WebhookURL == "" {
		t.Errorf("loaded fixture lost data: %+v", loaded.ProjectCredentials)
	}
}
