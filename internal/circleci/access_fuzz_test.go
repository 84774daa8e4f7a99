package circleci

import (
	"errors"
	"strings"
	"testing"
)

// FuzzDecodeAccessPages decodes one body as each access listing's page: an
// accepted page has only valid items, a rejected one a *DecodeError, and no
// error ever quotes a truncated_value.
func FuzzDecodeAccessPages(f *testing.F) {
	const id = "9a000000-0000-4000-8000-000000000001"
	f.Add([]byte(`{"items":[{"id":"` + id + `","name":"g","description":""}],"next_page_token":null}`))
	f.Add([]byte(`{"items":[{"user_id":"` + id + `","username":"u","email":"","avatar_url":null,"group_id":"x","created_at":"0001-01-01T00:00:00Z"}]}`))
	f.Add([]byte(`{"items":[{"id":"` + id + `","name":"c","created_at":"2024-01-01T00:00:00Z"}],"next_page_token":"t"}`))
	f.Add([]byte(`{"items":[{"id":"` + id + `","restriction_type":"group","restriction_value":"` + id + `","name":null}]}`))
	f.Add([]byte(`{"items":[{"variable":"A","truncated_value":"xxxxSECRETTAIL"}],"next_page_token":null}`))
	f.Add([]byte(`{"items":[{"truncated_value":"xxxxSECRETTAIL"}]}`))
	f.Add([]byte(`{"items":[{"id":"` + id + `","slug":"gh/o/r","name":"r"}],"next_page_token":""}`))
	f.Add([]byte(`{"items":[{"id":"` + id + `","name":"g","role":"project-admin"}]}`))
	f.Add([]byte(`{"items":[{"id":"nope"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		check := func(kind string, err error, items int, valid func(i int) error) {
			if err == nil {
				for i := range items {
					if verr := valid(i); verr != nil {
						t.Fatalf("%s: accepted an invalid item %d: %v", kind, i, verr)
					}
				}
				return
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("%s: err = %T, want *DecodeError", kind, err)
			}
		}
		var g page[Group]
		err := decodeJSON("GET", "/g", 200, "application/json", 1, body, &g)
		check("groups", err, len(g.Items), func(i int) error { return g.Items[i].validate() })
		var m page[GroupMember]
		err = decodeJSON("GET", "/m", 200, "application/json", 1, body, &m)
		check("group members", err, len(m.Items), func(i int) error { return m.Items[i].validate() })
		var c page[Context]
		err = decodeJSON("GET", "/c", 200, "application/json", 1, body, &c)
		check("contexts", err, len(c.Items), func(i int) error { return c.Items[i].validate() })
		var r page[Restriction]
		err = decodeJSON("GET", "/r", 200, "application/json", 1, body, &r)
		check("restrictions", err, len(r.Items), func(i int) error { return r.Items[i].validate() })
		var p page[Project]
		err = decodeJSON("GET", "/p", 200, "application/json", 1, body, &p)
		check("projects", err, len(p.Items), func(i int) error { return p.Items[i].validate() })
		var pg page[ProjectGroupGrant]
		err = decodeJSON("GET", "/pg", 200, "application/json", 1, body, &pg)
		check("project groups", err, len(pg.Items), func(i int) error { return pg.Items[i].validate() })
		var v page[envVarName]
		err = withoutBodyExcerpt(decodeJSON("GET", "/v", 200, "application/json", 1, body, &v))
		check("variables", err, len(v.Items), func(i int) error { return v.Items[i].validate() })
		if err != nil && strings.Contains(string(body), "SECRETTAIL") && strings.Contains(err.Error(), "SECRETTAIL") {
			t.Fatalf("a variables error quotes the body: %v", err)
		}
	})
}
