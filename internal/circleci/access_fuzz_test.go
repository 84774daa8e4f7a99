package circleci

import (
	"encoding/json"
	"strings"
	"testing"
)

// fuzzItems decodes body as a list of T and checks each item's validate: it
// never panics, accepts only items with their required fields, and its
// errors are short and printable; a variable's never quote its value.
func fuzzItems[T any, P interface {
	*T
	validatable
}](t *testing.T, kind string, body []byte, required func(*T) bool) {
	var items []T
	if json.Unmarshal(body, &items) != nil {
		return
	}
	for i := range items {
		err := P(&items[i]).validate()
		if err == nil {
			if !required(&items[i]) {
				t.Fatalf("%s: item %d accepted without its required fields: %+v", kind, i, items[i])
			}
			continue
		}
		msg := err.Error()
		if len(msg) > 1024 || strings.ContainsAny(msg, "\r\n\x00\x1b") {
			t.Fatalf("%s: error not short and printable: %q", kind, msg)
		}
		if kind == "variable" && strings.Contains(msg, "SECRETTAIL") { // other items may quote their names
			t.Fatalf("%s: error quotes a truncated_value: %q", kind, msg)
		}
	}
}

// FuzzDecodeAccessPages feeds one body to each access item type's decoder
// and validate (the listing's envelope is checked by decodeJSON, fuzzed in
// FuzzDecodePage).
func FuzzDecodeAccessPages(f *testing.F) {
	const id = "9a000000-0000-4000-8000-000000000001"
	f.Add([]byte(`[{"id":"` + id + `","name":"g","description":""}]`))
	f.Add([]byte(`[{"user_id":"` + id + `","username":"u","email":"","avatar_url":null,"group_id":"x","created_at":"0001-01-01T00:00:00Z"}]`))
	f.Add([]byte(`[{"id":"` + id + `","name":"c","created_at":"2024-01-01T00:00:00Z"}]`))
	f.Add([]byte(`[{"id":"` + id + `","restriction_type":"group","restriction_value":"` + id + `","name":null}]`))
	f.Add([]byte(`[{"variable":"A","truncated_value":"xxxxSECRETTAIL"}]`))
	f.Add([]byte(`[{"truncated_value":"xxxxSECRETTAIL","context_id":"x"}]`))
	f.Add([]byte(`[{"id":"` + id + `","slug":"gh/o/r","name":"r"}]`))
	f.Add([]byte(`[{"id":"` + id + `","name":"g","role":"project-admin"}]`))
	f.Add([]byte(`[{"id":"nope\n\u001b"}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		fuzzItems[Group](t, "group", body, func(g *Group) bool { return IsUUID(g.ID) && g.Name != "" })
		fuzzItems[GroupMember](t, "group member", body, func(m *GroupMember) bool { return IsUUID(m.UserID) && m.Username != "" })
		fuzzItems[Context](t, "context", body, func(c *Context) bool { return IsUUID(c.ID) && c.Name != "" })
		fuzzItems[Restriction](t, "restriction", body, func(r *Restriction) bool { return IsUUID(r.ID) && r.Type != "" && r.Value != "" })
		fuzzItems[envVarName](t, "variable", body, func(v *envVarName) bool { return v.Variable != "" })
		fuzzItems[Project](t, "project", body, func(p *Project) bool { return IsUUID(p.ID) && p.Slug != "" })
		fuzzItems[ProjectGroupGrant](t, "project group", body, func(g *ProjectGroupGrant) bool { return IsUUID(g.ID) && g.Role != "" })
	})
}
