package circleci

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

const htmlBadGateway = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

func TestHTMLErrorPage(t *testing.T) {
	for _, status := range []int{502, 503, 504} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			s := newFake(t, nil)
			c := newTestClient(t, s.URL(), func(c *Config) { c.MaxRetries = 1 })
			page := strings.ReplaceAll(htmlBadGateway, "502 Bad Gateway", http.StatusText(status)) + strings.Repeat("<!-- padding -->\n", 4000)
			s.Inject(fakeapi.Fault{Path: fakeapi.PathMe, Status: status, Times: -1,
				Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}}, Body: page})
			_, err := c.Me(context.Background())
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %T %v, want *APIError", err, err)
			}
			msg := err.Error()
			for _, want := range []string{"unexpected " + strconv.Itoa(status), "(text/html)", "<html>"} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q lacks %q", msg, want)
				}
			}
			if strings.Contains(msg, "invalid character") || strings.ContainsAny(msg, "\r\n") {
				t.Errorf("error %q", msg)
			}
			if len(msg) > 2048 {
				t.Errorf("error is %d bytes", len(msg))
			}
			if s.RequestCount("") != 2 {
				t.Errorf("requests = %d, want 2", s.RequestCount(""))
			}
		})
	}
}

// TestDecodeSuccessBodies drives bad 200 bodies through the fake.
func TestDecodeSuccessBodies(t *testing.T) {
	tests := []struct {
		name   string
		ct     string
		body   string
		want   []string // substrings of the error; nil: success
		reject []string
	}{
		{name: "empty body", ct: "application/json", body: "", want: []string{"empty body"}},
		{name: "whitespace body", ct: "application/json", body: " \n ", want: []string{"empty body"}},
		{name: "text/plain with JSON", ct: "text/plain", body: `{"id":"x","login":"y"}`, want: []string{"unexpected 200 (text/plain)", "expected JSON", "body starts"}},
		{name: "HTML 200", ct: "text/html", body: htmlBadGateway, want: []string{"(text/html)", "<html>"}, reject: []string{"invalid character"}},
		{name: "truncated JSON", ct: "application/json", body: `{"id":"a040d4b1","login":"jd`, want: []string{"truncated JSON"}},
		{name: "malformed JSON", ct: "application/json", body: `{"id": nope}`, want: []string{"malformed JSON"}, reject: []string{"invalid character"}},
		{name: "trailing data", ct: "application/json", body: `{"id":"x"} {"id":"y"}`, want: []string{"unexpected data after"}},
		{name: "trailing garbage", ct: "application/json", body: `{"id":"x"} xyz`, want: []string{"unexpected data after"}},
		{name: "wrong type login", ct: "application/json", body: `{"id":"x","login":5}`, want: []string{"field login", "wrong type", "expected a string"}},
		{name: "array instead of object", ct: "application/json", body: `[1,2]`, want: []string{"expected a JSON object, got JSON array"}},
		{name: "null instead of object", ct: "application/json", body: `null`, want: []string{"expected a JSON object, got JSON null"}},
		{name: "object without id", ct: "application/json", body: `{"login":"y"}`, want: []string{`"id"`}},
		{name: "vendor JSON ok", ct: "application/vnd.circleci+json; charset=utf-8", body: `{"id":"a040d4b1-84bc-4829-85ce-3248fea676d5","login":"y"}`},
		{name: "unknown fields ignored", ct: "application/json", body: `{"id":"a040d4b1-84bc-4829-85ce-3248fea676d5","login":"y","brand_new":{"a":[1]}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newFake(t, nil)
			c := newTestClient(t, s.URL())
			h := http.Header{"Content-Type": {tt.ct}}
			s.Inject(fakeapi.Fault{Path: fakeapi.PathMe, Status: 200, Header: h, Body: tt.body})
			u, err := c.Me(context.Background())
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Me: %v", err)
				}
				if u.Login != "y" {
					t.Fatalf("Me = %+v", u)
				}
				return
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("err = %T %v, want *DecodeError", err, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			for _, r := range tt.reject {
				if strings.Contains(err.Error(), r) {
					t.Errorf("error %q contains %q", err, r)
				}
			}
			if s.RequestCount("") != 1 {
				t.Errorf("a bad 200 was retried: %d requests", s.RequestCount(""))
			}
		})
	}
}

const (
	uuidA = "6b0e0000-0000-4000-8000-00000000000a"
	uuidB = "6b0e0000-0000-4000-8000-00000000000b"
)

// TestDecodeJSON covers decodeJSON directly on a listing page: what fails
// closed and what is read.
func TestDecodeJSON(t *testing.T) {
	grant := `{"user_id":"` + uuidA + `","username":"alice","email":"","role":"org-admin"}`
	tests := []struct {
		name  string
		ct    string
		body  string
		want  []string // error substrings; nil means success
		check func(t *testing.T, p *page[RoleGrant])
	}{
		{name: "no content type", ct: "", body: `{"items":[]}`, want: []string{"unexpected 200 (no Content-Type)"}},
		{name: "role of wrong type", ct: "application/json", body: `{"items":[{"user_id":"u1","role":5}]}`, want: []string{"field items.role", "got JSON number", "expected a string"}},
		{name: "items of wrong type", ct: "application/json", body: `{"items":"x"}`, want: []string{"field items", "got JSON string", "expected an array"}},
		{name: "items an object", ct: "application/json", body: `{"items":{"a":1}}`, want: []string{"field items", "expected an array"}},
		{name: "next_page_token of wrong type", ct: "application/json", body: `{"items":[],"next_page_token":7}`, want: []string{"field next_page_token"}},
		// Regression: each of these was read as an empty listing (0 members, 0 admins).
		{name: "empty object", ct: "application/json", body: `{}`, want: []string{`no "items"`, `body starts: "{}"`}},
		{name: "message only", ct: "application/json", body: `{"message":"Service temporarily degraded."}`, want: []string{`no "items"`}},
		{name: "items under another key", ct: "application/json", body: `{"data":[` + grant + `]}`, want: []string{`no "items"`}},
		{name: "top-level null", ct: "application/json", body: `null`, want: []string{"expected a JSON object, got JSON null"}},
		{name: "top-level array", ct: "application/json", body: `[` + grant + `]`, want: []string{"expected a JSON object, got JSON array"}},
		{name: "top-level string", ct: "application/json", body: `"ok"`, want: []string{"expected a JSON object, got JSON string"}},
		{name: "top-level number", ct: "application/json", body: ` 7`, want: []string{"got JSON number"}},
		{name: "items null with a next page", ct: "application/json", body: `{"items":null,"next_page_token":"T2"}`, want: []string{`"items" is null`}},
		// Items are validated.
		{name: "grant without user_id", ct: "application/json", body: `{"items":[{"userId":"u1","username":"alice","role":"org-admin"}]}`, want: []string{"item 1", "no user_id", `"alice"`}},
		{name: "grant with null user_id", ct: "application/json", body: `{"items":[{"user_id":null,"username":"bob"}]}`, want: []string{"no user_id"}},
		{name: "grant with a user_id not a UUID", ct: "application/json", body: `{"items":[` + grant + `,{"user_id":"u\u001b[31m\nx","username":"eve","role":"org-admin"}]}`,
			want: []string{"item 2", "not a UUID", `"u?[31m x"`}},
		{name: "grant without username", ct: "application/json", body: `{"items":[{"user_id":"` + uuidA + `","role":"org-admin"}]}`, want: []string{"no username"}},
		{name: "grant without role", ct: "application/json", body: `{"items":[{"user_id":"` + uuidA + `","username":"a"}]}`, want: []string{"no role"}},
		{name: "null item", ct: "application/json", body: `{"items":[null]}`, want: []string{"no user_id"}},
		{name: "items null", ct: "application/json", body: `{"items":null,"next_page_token":null}`, check: func(t *testing.T, p *page[RoleGrant]) {
			if len(p.items()) != 0 || p.next() != "" {
				t.Fatalf("page = %+v", p)
			}
		}},
		{name: "items empty", ct: "application/json", body: `{"items":[]}`, check: func(t *testing.T, p *page[RoleGrant]) {
			if p.items() == nil || len(p.items()) != 0 {
				t.Fatalf("page = %+v", p)
			}
		}},
		{name: "unknown role kept, unknown fields ignored", ct: "application/json; charset=utf-8",
			body: `{"items":[{"user_id":"` + uuidA + `","username":"a","email":"","role":"org-owner","extra":{"x":1}}],"next_page_token":"+/A=","total":1}`,
			check: func(t *testing.T, p *page[RoleGrant]) {
				if len(p.items()) != 1 || p.items()[0] != (RoleGrant{UserID: uuidA, Username: "a", Role: "org-owner"}) || p.next() != "+/A=" {
					t.Fatalf("page = %+v", p)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPage[RoleGrant]()
			err := decodeJSON(nil, "/private/x", 200, tt.ct, []byte(tt.body), p)
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				tt.check(t, p)
				return
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("err = %T %v, want *DecodeError", err, err)
			}
			if !strings.Contains(err.Error(), "GET /private/x") {
				t.Errorf("error %q does not name the endpoint", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// TestDecodeTopLevelKinds: a document endpoint and a bare-array endpoint
// fail closed on a top-level value of another kind (regression: a null
// /me/collaborations was read as no organizations).
func TestDecodeTopLevelKinds(t *testing.T) {
	tests := []struct {
		name string
		body string
		v    any
		want string // "" means success
	}{
		{"collaborations null", `null`, new([]Collaboration), "expected a JSON array, got JSON null"},
		{"collaborations object", `{"items":[]}`, new([]Collaboration), "expected a JSON array, got JSON object"},
		{"collaborations null entry", `[null]`, new([]Collaboration), "entry of the list is null"},
		{"collaborations empty", `[]`, new([]Collaboration), ""},
		{"user null", `null`, new(User), "expected a JSON object, got JSON null"},
		{"user empty", `{}`, new(User), `no`},
		{"user", `{"id":"` + uuidB + `","login":"b"}`, new(User), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := decodeJSON(nil, "/api/v2/x", 200, "application/json", []byte(tt.body), tt.v)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "GET /api/v2/x") {
				t.Fatalf("err = %v, want one naming the endpoint and saying %q", err, tt.want)
			}
		})
	}
}

func TestDecodeCollaborations(t *testing.T) {
	body := `[
	 {"id":"ad9ba7fb-0000-4000-8000-000000000001","vcs-type":"github","name":"acme","avatar_url":"https://a/1","slug":"gh/acme"},
	 {"id":"0f3c0000-0000-4000-8000-000000000002","vcs_type":"circleci","name":"acme-std","avatar_url":null,"slug":"circleci/Xy12"},
	 {"id":null,"vcs-type":"bitbucket","vcs_type":"ignored","name":"octocat","slug":"bb/octocat","unknown":true}
	]`
	var cols []Collaboration
	if err := decodeJSON(nil, "/api/v2/me/collaborations", 200, "application/json", []byte(body), &cols); err != nil {
		t.Fatal(err)
	}
	if len(cols) != 3 {
		t.Fatalf("%d collaborations", len(cols))
	}
	want := []struct{ vcs, name, avatar string }{{"github", "acme", "https://a/1"}, {"circleci", "acme-std", ""}, {"bitbucket", "octocat", ""}}
	for i, w := range want {
		if cols[i].VCSType != w.vcs || cols[i].Name != w.name || cols[i].AvatarURL != w.avatar {
			t.Errorf("collaboration %d = %+v, want %+v", i, cols[i], w)
		}
	}
	if cols[0].ID == nil || *cols[0].ID != "ad9ba7fb-0000-4000-8000-000000000001" || cols[2].ID != nil {
		t.Errorf("ids: %v %v", cols[0].ID, cols[2].ID)
	}
	var bad []Collaboration
	err := decodeJSON(nil, "/api/v2/me/collaborations", 200, "application/json", []byte(`[{"id":5}]`), &bad)
	if err == nil || !strings.Contains(err.Error(), "wrong type") {
		t.Fatalf("id of wrong type: %v", err)
	}
}

func TestErrorBodies(t *testing.T) {
	big := strings.Repeat("A\x00\x1b[31m", 64<<10/8)
	tests := []struct {
		name, ct, body string
		wantMsg        string
		want           []string
	}{
		{name: "message", ct: "application/json", body: `{"message":"Organization does not exist."}`, wantMsg: "Organization does not exist.",
			want: []string{`unexpected 404: "Organization does not exist."`}},
		{name: "error", ct: "application/json", body: `{"error":"Org not found."}`, wantMsg: "Org not found."},
		{name: "errors list", ct: "application/json", body: `{"errors":[{"type":"validation","value":"bad org id"},{"type":"other","value":{"k":1}}]}`,
			wantMsg: `validation: bad org id; other: {"k":1}`},
		{name: "message not a string", ct: "application/json", body: `{"message":{"nested":true}}`, want: []string{"body starts"}},
		{name: "json without content type", ct: "", body: `{"message":"Not found."}`, wantMsg: "Not found."},
		{name: "plain text", ct: "text/plain", body: "upstream connect error\n", want: []string{"(text/plain)", "upstream connect error"}},
		{name: "JSON content type, HTML body", ct: "application/json", body: htmlBadGateway, want: []string{"body starts", "<html>"}},
		{name: "empty", ct: "application/json", body: "", want: []string{"unexpected 404"}},
		{name: "huge control-laden body", ct: "text/plain", body: big, want: []string{"…"}},
		{name: "huge message", ct: "application/json", body: `{"message":"` + strings.Repeat("é", 64<<10) + `"}`, want: []string{"…"}},
		{name: "hostile content type", ct: "text/\x1b[31mhtml" + strings.Repeat("x", 8000), body: "oops", want: []string{"(text/?[31mhtml", "…)"}},
		{name: "huge errors list", ct: "application/json", body: `{"errors":[` + strings.Repeat(`{"type":"`+strings.Repeat("t", 3000)+`","value":"v"},`, 20) + `{}]}`, want: []string{"…"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newAPIError(nil, "/api/v2/x", 404, tt.ct, []byte(tt.body))
			if tt.wantMsg != "" && e.Message != tt.wantMsg {
				t.Errorf("Message = %q, want %q", e.Message, tt.wantMsg)
			}
			msg := e.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q lacks %q", msg, w)
				}
			}
			if len(msg) > 2048 {
				t.Errorf("error is %d bytes", len(msg))
			}
			if strings.ContainsAny(msg, "\x00\x1b\r\n") || !utf8.ValidString(msg) {
				t.Errorf("error %q holds control characters or invalid UTF-8", msg)
			}
		})
	}
}

func TestExcerpt(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"hello", 10, "hello"},
		{"  lead and   inner\t\n space  ", 100, "lead and inner space"},
		{"a\x00b\x1bc\x7fd", 10, "a?b?c?d"},
		{"\xff\xfeok", 10, "??ok"},
		{"abcdefghij", 5, "abcde…"},
		{"éééééé", 3, "ééé…"},
		{"\u202eevil\u200b", 10, "?evil?"},
		{"", 10, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := excerpt([]byte(tt.in), tt.n)
			if got != tt.want {
				t.Fatalf("excerpt(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
			for _, r := range got {
				if r != ' ' && !unicode.IsPrint(r) {
					t.Fatalf("excerpt kept %U", r)
				}
			}
		})
	}
}

// checkedItem is an item type with rules, for the bare-array check.
type checkedItem struct {
	ID string `json:"id"`
}

func (c *checkedItem) validate() error {
	if c.ID == "" {
		return errors.New("an item has no id")
	}
	return nil
}

// A bare array's items are validated like a listing's.
func TestDecodeBareArrayValidatesItems(t *testing.T) {
	var ok []checkedItem
	if err := decodeJSON(nil, "/api/v2/x", 200, "application/json", []byte(`[{"id":"a"},{"id":"b"}]`), &ok); err != nil || len(ok) != 2 {
		t.Fatalf("err %v, %d items", err, len(ok))
	}
	var bad []checkedItem
	err := decodeJSON(nil, "/api/v2/x", 200, "application/json", []byte(`[{"id":"a"},{}]`), &bad)
	if err == nil || !strings.Contains(err.Error(), "item 2: an item has no id") {
		t.Fatalf("err = %v, want item 2 rejected", err)
	}
}
