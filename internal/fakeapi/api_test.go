package fakeapi

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func TestEndpoints(t *testing.T) {
	s := newDemo(t)
	fx := DemoFixture()

	mustJSON := func(v any) string {
		t.Helper()
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	p1 := PageToken(demoStandaloneOrg, 10)

	tests := []struct {
		name     string
		method   string
		path     string
		token    string
		status   int
		message  string // expected {"message"} for errors
		wantBody string // exact body, if set
		check    func(t *testing.T, r response)
	}{
		{name: "me without token", path: PathMe, status: 401, message: MsgLoginRequired},
		{name: "me with wrong token", path: PathMe, token: "nope", status: 401, message: MsgInvalidToken},
		{name: "me with token prefix", path: PathMe, token: demoToken[:5], status: 401, message: MsgInvalidToken},
		{name: "collaborations without token", path: PathCollaborations, status: 401, message: MsgLoginRequired},
		{name: "user with wrong token", path: UserPath(demoMeID), token: "x", status: 401, message: MsgInvalidToken},
		{name: "role grants without token", path: RoleGrantsPath(demoStandaloneOrg), status: 401, message: MsgLoginRequired},
		{name: "role grants wrong token", path: RoleGrantsPath(demoStandaloneOrg), token: "x", status: 401, message: MsgInvalidToken},
		{name: "unknown path without token", path: "/api/v2/nope", status: 401, message: MsgLoginRequired},
		{name: "post without token", method: http.MethodPost, path: PathMe, status: 401, message: MsgLoginRequired},

		{name: "me", path: PathMe, token: demoToken, status: 200, wantBody: mustJSON(fx.Me)},
		{name: "me keys", path: PathMe, token: demoToken, status: 200, check: func(t *testing.T, r response) {
			var m map[string]any
			if err := json.Unmarshal(r.body, &m); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"id", "login", "name", "avatar_url"} {
				if _, ok := m[k]; !ok {
					t.Errorf("missing key %q in %s", k, r.body)
				}
			}
			if m["login"] != "jdoe" {
				t.Errorf("login = %v", m["login"])
			}
		}},
		{name: "collaborations", path: PathCollaborations, token: demoToken, status: 200, wantBody: mustJSON(fx.Collaborations)},
		{name: "collaborations raw shape", path: PathCollaborations, token: demoToken, status: 200, check: func(t *testing.T, r response) {
			if !strings.HasPrefix(string(r.body), "[") {
				t.Errorf("not a bare array: %.40s", r.body)
			}
			var raw []map[string]json.RawMessage
			if err := json.Unmarshal(r.body, &raw); err != nil {
				t.Fatal(err)
			}
			nulls := 0
			for _, c := range raw {
				if _, ok := c["vcs-type"]; !ok {
					t.Errorf("no vcs-type key: %v", c)
				}
				if _, ok := c["vcs_type"]; ok {
					t.Errorf("vcs_type key present: %v", c)
				}
				id, ok := c["id"]
				if !ok {
					t.Errorf("no id key: %v", c)
				}
				if string(id) == "null" {
					nulls++
				}
			}
			if nulls != 1 {
				t.Errorf("%d collaborations with \"id\": null, want 1", nulls)
			}
		}},
		{name: "user me", path: UserPath(demoMeID), token: demoToken, status: 200, wantBody: mustJSON(fx.Me)},
		{name: "user member", path: UserPath(fx.Users[3].ID), token: demoToken, status: 200, wantBody: mustJSON(fx.Users[3])},
		{name: "user null avatar", path: UserPath(findUser(t, fx, "ci-deploy").ID), token: demoToken, status: 200, check: func(t *testing.T, r response) {
			if !strings.Contains(string(r.body), `"avatar_url":null`) {
				t.Errorf("want avatar_url null, got %s", r.body)
			}
		}},
		{name: "user unknown", path: UserPath("00000000-0000-4000-8000-000000000000"), token: demoToken, status: 404, message: MsgUserNotFound},
		{name: "user empty id", path: "/api/v2/user/", token: demoToken, status: 404, message: MsgNotFound},
		{name: "role grants first page", path: RoleGrantsPath(demoStandaloneOrg), token: demoToken, status: 200,
			wantBody: mustJSON(RoleGrantsPage{Items: fx.Members[demoStandaloneOrg][:10], NextPageToken: &p1})},
		{name: "role grants snake case", path: RoleGrantsPath(demoStandaloneOrg), token: demoToken, status: 200, check: func(t *testing.T, r response) {
			for _, k := range []string{`"user_id":`, `"next_page_token":"`, `"items":[`} {
				if !strings.Contains(string(r.body), k) {
					t.Errorf("body lacks %s: %.200s", k, r.body)
				}
			}
			if strings.Contains(string(r.body), "userId") {
				t.Errorf("camelCase key in %s", r.body)
			}
		}},
		{name: "role grants single page", path: RoleGrantsPath(demoLabsOrg), token: demoToken, status: 200,
			wantBody: mustJSON(RoleGrantsPage{Items: fx.Members[demoLabsOrg]})},
		{name: "role grants single page null token", path: RoleGrantsPath(demoLabsOrg), token: demoToken, status: 200, check: func(t *testing.T, r response) {
			if !strings.HasSuffix(string(r.body), `"next_page_token":null}`) {
				t.Errorf("want next_page_token null: %s", r.body)
			}
		}},
		{name: "role grants github org", path: RoleGrantsPath(demoGitHubOrg), token: demoToken, status: 403, message: MsgPermissionDenied},
		{name: "role grants bitbucket org", path: RoleGrantsPath(demoBitbucketOrg), token: demoToken, status: 403, message: MsgPermissionDenied},
		{name: "role grants unknown org", path: RoleGrantsPath("11111111-1111-4111-8111-111111111111"), token: demoToken, status: 404, message: MsgOrgNotFound},
		{name: "role grants slug is not an id", path: RoleGrantsPath("gh/acme"), token: demoToken, status: 404, message: MsgNotFound},
		{name: "role grants unencoded token", path: RoleGrantsPath(demoStandaloneOrg) + "?page-token=" + p1, token: demoToken, status: 400, message: MsgInvalidPageToken},
		{name: "role grants garbled token", path: RoleGrantsPath(demoStandaloneOrg) + "?page-token=abc", token: demoToken, status: 400, message: MsgInvalidPageToken},
		{name: "role grants token of other org", path: RoleGrantsPath(demoLabsOrg) + "?page-token=" + url.QueryEscape(p1), token: demoToken, status: 400, message: MsgInvalidPageToken},
		{name: "role grants token past end", path: RoleGrantsPath(demoStandaloneOrg) + "?page-token=" + url.QueryEscape(PageToken(demoStandaloneOrg, 25)), token: demoToken, status: 400, message: MsgInvalidPageToken},
		{name: "role grants wrong parameter name", path: RoleGrantsPath(demoStandaloneOrg) + "?page_token=" + url.QueryEscape(p1), token: demoToken, status: 200,
			wantBody: mustJSON(RoleGrantsPage{Items: fx.Members[demoStandaloneOrg][:10], NextPageToken: &p1})},
		{name: "unknown path", path: "/api/v2/nope", token: demoToken, status: 404, message: MsgNotFound},
		{name: "api v2 prefix only", path: "/api/v2/", token: demoToken, status: 404, message: MsgNotFound},
		{name: "trailing slash", path: PathMe + "/", token: demoToken, status: 404, message: MsgNotFound},
		{name: "post me", method: http.MethodPost, path: PathMe, token: demoToken, status: 405, message: MsgMethodNotAllowed},
		{name: "delete role grants", method: http.MethodDelete, path: RoleGrantsPath(demoStandaloneOrg), token: demoToken, status: 405, message: MsgMethodNotAllowed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			method := tc.method
			if method == "" {
				method = http.MethodGet
			}
			r := send(t, method, s.URL(), tc.path, tc.token)
			if r.status != tc.status {
				t.Fatalf("status = %d, want %d; body %s", r.status, tc.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			if tc.message != "" {
				if got := r.message(t); got != tc.message {
					t.Errorf("message = %q, want %q", got, tc.message)
				}
				if want := `{"message":"` + tc.message + `"}`; string(r.body) != want {
					t.Errorf("body = %s, want %s", r.body, want)
				}
			}
			if tc.wantBody != "" && string(r.body) != tc.wantBody {
				t.Errorf("body =\n%s\nwant\n%s", r.body, tc.wantBody)
			}
			if tc.check != nil {
				tc.check(t, r)
			}
			if strings.Contains(string(r.body), demoToken) {
				t.Errorf("token leaked into the body")
			}
			if method == http.MethodPost && tc.status == 405 && r.header.Get("Allow") != "GET" {
				t.Errorf("Allow = %q", r.header.Get("Allow"))
			}
		})
	}
}

func findUser(t *testing.T, fx *Fixture, login string) User {
	t.Helper()
	for _, u := range fx.Users {
		if u.Login == login {
			return u
		}
	}
	t.Fatalf("no user %q", login)
	return User{}
}

func TestRoleGrantsPaging(t *testing.T) {
	s := newDemo(t)
	want := DemoFixture().Members[demoStandaloneOrg]
	var got []RoleGrant
	var tokens []string
	path := RoleGrantsPath(demoStandaloneOrg)
	q := ""
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("too many pages")
		}
		r := get(t, s, path+q)
		if r.status != 200 {
			t.Fatalf("page %d: status %d: %s", pages+1, r.status, r.body)
		}
		var page RoleGrantsPage
		if err := json.Unmarshal(r.body, &page); err != nil {
			t.Fatal(err)
		}
		if page.Items == nil {
			t.Fatalf("items is null: %s", r.body)
		}
		got = append(got, page.Items...)
		if page.NextPageToken == nil {
			break
		}
		tok := *page.NextPageToken
		if !strings.ContainsAny(tok, "+") || !strings.Contains(tok, "/") || !strings.Contains(tok, "=") {
			t.Errorf("token %q does not need URL-encoding (+, /, =)", tok)
		}
		tokens = append(tokens, tok)
		q = "?" + url.Values{"page-token": {tok}}.Encode()
	}
	if len(tokens) != 2 {
		t.Errorf("got %d next tokens, want 2 (3 pages of 10)", len(tokens))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("reassembled members differ:\n got %v\nwant %v", got, want)
	}
	// The log holds decoded tokens.
	reqs := s.Requests()
	if len(reqs) != 3 || reqs[0].PageToken != "" || reqs[1].PageToken != tokens[0] || reqs[2].PageToken != tokens[1] {
		t.Errorf("logged page tokens = %+v", reqs)
	}
	// Forgetting to encode breaks: '+' decodes to a space.
	r := get(t, s, path+"?page-token="+tokens[0])
	if r.status != 400 || r.message(t) != MsgInvalidPageToken {
		t.Errorf("unencoded token: %d %s", r.status, r.body)
	}
}

func TestEmptyMembersAndPageSize(t *testing.T) {
	fx := DemoFixture()
	fx.Members["22222222-2222-4222-8222-222222222222"] = []RoleGrant{}
	fx.Members["33333333-3333-4333-8333-333333333333"] = nil
	fx.PageSize = 7
	s := New(fx)
	defer s.Close()
	for _, org := range []string{"22222222-2222-4222-8222-222222222222", "33333333-3333-4333-8333-333333333333"} {
		r := get(t, s, RoleGrantsPath(org))
		if r.status != 200 || string(r.body) != `{"items":[],"next_page_token":null}` {
			t.Errorf("empty org %s: %d %s", org, r.status, r.body)
		}
	}
	var page RoleGrantsPage
	r := get(t, s, RoleGrantsPath(demoStandaloneOrg))
	if err := json.Unmarshal(r.body, &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 7 || page.NextPageToken == nil {
		t.Errorf("page size 7: got %d items, next %v", len(page.Items), page.NextPageToken)
	}
	// A github collaboration that has a Members entry is served.
	fx.Members[demoGitHubOrg] = fx.Members[demoLabsOrg]
	s.SetFixture(fx)
	if r := get(t, s, RoleGrantsPath(demoGitHubOrg)); r.status != 200 {
		t.Errorf("github org with members: %d %s", r.status, r.body)
	}
}

func TestSetFixtureAndCopies(t *testing.T) {
	fx := DemoFixture()
	s := New(fx)
	defer s.Close()
	fx.Me.Login = "mutated-after-New"
	if r := get(t, s, PathMe); strings.Contains(string(r.body), "mutated") {
		t.Errorf("server shares the caller's fixture: %s", r.body)
	}
	fx.Token = "other-token"
	s.SetFixture(fx)
	if r := get(t, s, PathMe); r.status != 401 {
		t.Errorf("old token still accepted after SetFixture: %d", r.status)
	}
	if r := send(t, http.MethodGet, s.URL(), PathMe, "other-token"); r.status != 200 || !strings.Contains(string(r.body), "mutated-after-New") {
		t.Errorf("new fixture not served: %d %s", r.status, r.body)
	}
}

func TestRequestLogNeverHoldsToken(t *testing.T) {
	s := newDemo(t)
	get(t, s, PathMe)
	send(t, http.MethodGet, s.URL(), PathMe, "wrong-token-value")
	send(t, http.MethodGet, s.URL(), PathMe, "")
	send(t, http.MethodGet, s.URL(), PathMe+"?circle-token="+demoToken+"&x=1", "")
	reqs := s.Requests()
	want := []struct{ has, auth bool }{{true, true}, {true, false}, {false, false}, {false, false}}
	if len(reqs) != len(want) {
		t.Fatalf("%d requests logged, want %d", len(reqs), len(want))
	}
	for i, w := range want {
		if reqs[i].HasToken != w.has || reqs[i].Authorized != w.auth || reqs[i].Method != http.MethodGet || reqs[i].Path != PathMe {
			t.Errorf("request %d = %+v, want HasToken %v Authorized %v", i, reqs[i], w.has, w.auth)
		}
	}
	dump := strings.ToLower(strings.Join(func() []string {
		var out []string
		for _, r := range reqs {
			out = append(out, r.Method, r.Path, r.RawQuery, r.PageToken)
		}
		return out
	}(), " "))
	for _, secret := range []string{demoToken, "wrong-token-value"} {
		if strings.Contains(dump, secret) {
			t.Errorf("request log contains a token value: %s", dump)
		}
	}
	if reqs[3].RawQuery != "circle-token=REDACTED&x=1" {
		t.Errorf("RawQuery = %q", reqs[3].RawQuery)
	}
}

func TestRequestCountAndReset(t *testing.T) {
	s := newDemo(t)
	get(t, s, PathMe)
	get(t, s, PathMe)
	get(t, s, PathCollaborations)
	get(t, s, "/nope")
	if n := s.RequestCount(PathMe); n != 2 {
		t.Errorf("RequestCount(me) = %d", n)
	}
	if n := s.RequestCount(PathCollaborations); n != 1 {
		t.Errorf("RequestCount(collaborations) = %d", n)
	}
	if n := s.RequestCount(""); n != 4 {
		t.Errorf("RequestCount(\"\") = %d", n)
	}
	if n := s.RequestCount("/api/v2"); n != 0 {
		t.Errorf("RequestCount is not exact: %d", n)
	}
	reqs := s.Requests()
	reqs[0].Path = "changed"
	if s.Requests()[0].Path != PathMe {
		t.Error("Requests does not return a copy")
	}
	s.Inject(Fault{Status: 500, Times: -1})
	s.Reset()
	if n := s.RequestCount(""); n != 0 {
		t.Errorf("after Reset: %d requests", n)
	}
	if r := get(t, s, PathMe); r.status != 200 {
		t.Errorf("fault survived Reset: %d", r.status)
	}
}

func TestNewOnLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "[::]:0", "example.com:0", "127.0.0.1"} {
		if s, err := NewOn(addr, nil); err == nil {
			s.Close()
			t.Errorf("NewOn(%q) succeeded", addr)
		}
	}
	s, err := NewOn("127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if strings.HasSuffix(s.URL(), "/") || !strings.HasPrefix(s.URL(), "http://127.0.0.1:") {
		t.Errorf("URL() = %q", s.URL())
	}
	if r := get(t, s, PathMe); r.status != 200 {
		t.Errorf("nil fixture should serve the demo: %d", r.status)
	}
}

func TestPageTokenRoundTrip(t *testing.T) {
	for _, off := range []int{1, 9, 10, 11, 100, 12345} {
		for _, org := range []string{demoStandaloneOrg, "x", "ab"} {
			tok := PageToken(org, off)
			if !strings.HasPrefix(tok, "+/") || !strings.HasSuffix(tok, "=") {
				t.Errorf("PageToken(%q, %d) = %q lacks +/ or =", org, off, tok)
			}
			got, err := decodePageToken(tok, org)
			if err != nil || got != off {
				t.Errorf("decode(%q) = %d, %v", tok, got, err)
			}
			if _, err := decodePageToken(strings.ReplaceAll(tok, "+", " "), org); err == nil {
				t.Errorf("decode accepted a token with '+' turned into ' '")
			}
		}
	}
}
