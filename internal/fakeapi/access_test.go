package fakeapi

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Demo access data (testdata/demo.json).
const (
	demoGroupRelease   = "5b7d1c2e-8f4a-4e6b-9c3d-2a1f0e9d8c71"
	demoContextAWS     = "8e0a4f5b-bc7d-4b9e-8f60-5d4c3b2a1f04"
	demoContextMono    = "c24e8d9f-f011-4fd2-83a4-917a6f5e4d48" // 120 names, page token ignored
	demoProjectPayment = "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6"
	demoContextSlack   = "b13d7c8e-ef00-4ec1-b293-806f5e4d3c37" // no restrictions
	unknownID          = "99999999-9999-4999-8999-999999999999"
)

func contextsQuery(org string) string {
	return PathContexts + "?" + url.Values{"owner-id": {org}, "owner-type": {"organization"}}.Encode()
}

func projectsQuery(org, size string) string {
	return PathProjects + "?" + url.Values{"organization-id": {org}, "page-size": {size}}.Encode()
}

type listing struct {
	Items         []map[string]any `json:"items"`
	NextPageToken *string          `json:"next_page_token"`
}

func decodeListing(t *testing.T, r response) listing {
	t.Helper()
	var l listing
	if err := json.Unmarshal(r.body, &l); err != nil {
		t.Fatalf("not a listing: %s", r.body)
	}
	return l
}

func TestAccessEndpointsStatuses(t *testing.T) {
	s := newDemo(t)
	tests := []struct {
		name    string
		path    string
		status  int
		message string
		items   int // for 200s: the number of items on the (first) page
	}{
		{"groups", GroupsPath(demoStandaloneOrg), 200, "", 3},
		{"groups of an OAuth org: empty 200", GroupsPath(demoGitHubOrg), 200, "", 0},
		{"groups of an unknown org", GroupsPath(unknownID), 403, MsgPermissionDenied, 0},
		{"group members", GroupMembersPath(demoStandaloneOrg, demoGroupRelease), 200, "", 3},
		{"group members of an unknown group", GroupMembersPath(demoStandaloneOrg, unknownID), 404, MsgNotFound, 0},
		{"group members of an OAuth org", GroupMembersPath(demoGitHubOrg, demoGroupRelease), 400, MsgNotSupportedForOrg, 0},
		{"contexts", contextsQuery(demoStandaloneOrg), 200, "", 5},
		{"contexts of an OAuth org", contextsQuery(demoGitHubOrg), 200, "", 1},
		{"contexts of an unknown org", contextsQuery(unknownID), 403, MsgPermissionDenied, 0},
		{"restrictions", ContextRestrictionsPath(demoContextAWS), 200, "", 3},
		{"restrictions of an unknown context: 403, not 404", ContextRestrictionsPath(unknownID), 403, MsgPermissionDenied, 0},
		{"restrictions of a non-UUID context", ContextRestrictionsPath("nope"), 400, MsgInvalidContextID, 0},
		{"variables", ContextEnvVarsPath(demoContextAWS), 200, "", 2},
		{"variables of an unknown context", ContextEnvVarsPath(unknownID), 403, MsgPermissionDenied, 0},
		{"projects", projectsQuery(demoStandaloneOrg, "50"), 200, "", 4},
		{"projects with page-size 51: 500", projectsQuery(demoStandaloneOrg, "51"), 500, MsgInternalError, 0},
		{"projects of an unknown org", projectsQuery(unknownID, "50"), 403, MsgPermissionDenied, 0},
		{"project user grants", ProjectRoleGrantsPath(demoStandaloneOrg, demoProjectPayment), 200, "", 1},
		{"project user grants of an unknown project", ProjectRoleGrantsPath(demoStandaloneOrg, unknownID), 403, MsgPermissionDenied, 0},
		{"project groups", ProjectGroupsPath(demoStandaloneOrg, demoProjectPayment), 200, "", 1},
		{"project groups of an unknown project", ProjectGroupsPath(demoStandaloneOrg, unknownID), 403, MsgPermissionDenied, 0},
		{"project groups of an OAuth org", ProjectGroupsPath(demoGitHubOrg, demoProjectPayment), 400, MsgNotSupportedForOrg, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := get(t, s, tc.path)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if tc.status != 200 {
				if got := r.message(t); got != tc.message {
					t.Errorf("message %q, want %q", got, tc.message)
				}
				return
			}
			if l := decodeListing(t, r); len(l.Items) != tc.items || l.Items == nil {
				t.Errorf("%d items, want %d: %s", len(l.Items), tc.items, r.body)
			}
		})
	}
	if r := send(t, http.MethodGet, s.URL(), GroupsPath(demoStandaloneOrg), ""); r.status != 401 {
		t.Errorf("groups without a token: %d, want 401", r.status)
	}
}

func TestAccessShapes(t *testing.T) {
	s := newDemo(t)
	r := get(t, s, GroupMembersPath(demoStandaloneOrg, demoGroupRelease))
	for _, k := range []string{`"user_id":`, `"username":`, `"email":`, `"avatar_url":null`, `"group_id":"` + demoGroupRelease + `"`, `"created_at":"0001-01-01T00:00:00Z"`} {
		if !strings.Contains(string(r.body), k) {
			t.Errorf("group members lack %s: %s", k, r.body)
		}
	}
	r = get(t, s, ContextRestrictionsPath(demoContextAWS))
	for _, k := range []string{`"restriction_type":"group"`, `"restriction_type":"project"`, `"restriction_type":"expression"`, `"project_id":"` + demoProjectPayment + `"`, `"context_id":"` + demoContextAWS + `"`} {
		if !strings.Contains(string(r.body), k) {
			t.Errorf("restrictions lack %s: %s", k, r.body)
		}
	}
	r = get(t, s, ContextEnvVarsPath(demoContextAWS))
	if !strings.Contains(string(r.body), `"truncated_value":"xxxx`) {
		t.Errorf("variables lack truncated_value (the fake must serve it like CircleCI): %s", r.body)
	}
	// The projects listing ends with "", not null, and pages by min(page-size, fixture page size).
	if l := decodeListing(t, get(t, s, projectsQuery(demoStandaloneOrg, "50"))); l.NextPageToken == nil || *l.NextPageToken != "" {
		t.Errorf("last projects page: next_page_token %v, want \"\"", l.NextPageToken)
	}
	l := decodeListing(t, get(t, s, projectsQuery(demoStandaloneOrg, "3")))
	if len(l.Items) != 3 || l.NextPageToken == nil || *l.NextPageToken == "" {
		t.Fatalf("projects page-size 3: %d items, token %v", len(l.Items), l.NextPageToken)
	}
	l2 := decodeListing(t, get(t, s, projectsQuery(demoStandaloneOrg, "3")+"&page-token="+url.QueryEscape(*l.NextPageToken)))
	if len(l2.Items) != 1 || l2.Items[0]["slug"] != "gh/acme-platform/docs-site" {
		t.Errorf("projects page 2: %+v", l2.Items)
	}
	slugs := map[string]bool{}
	for _, it := range append(l.Items, l2.Items...) {
		slug, _ := it["slug"].(string)
		slugs[strings.SplitN(slug, "/", 2)[0]] = true
	}
	if !slugs["gh"] || !slugs["circleci"] {
		t.Errorf("projects must use both slug forms: %v", slugs)
	}
}

func TestAccessEnvVarsPageTokenIgnored(t *testing.T) {
	s := newDemo(t)
	first := decodeListing(t, get(t, s, ContextEnvVarsPath(demoContextMono)))
	if len(first.Items) != 100 || first.NextPageToken == nil {
		t.Fatalf("first page: %d items, token %v; want 100 and a token", len(first.Items), first.NextPageToken)
	}
	again := get(t, s, ContextEnvVarsPath(demoContextMono)+"?page-token="+url.QueryEscape(*first.NextPageToken))
	second := decodeListing(t, again)
	if second.Items[0]["variable"] != first.Items[0]["variable"] || *second.NextPageToken != *first.NextPageToken {
		t.Errorf("the page token must be ignored: page 2 starts %v, token %v", second.Items[0]["variable"], *second.NextPageToken)
	}
	// A context that honours it pages normally.
	fx := DemoFixture()
	c := fx.Contexts[demoStandaloneOrg][4]
	c.IgnorePageToken = false
	fx.Contexts[demoStandaloneOrg][4] = c
	s.SetFixture(fx)
	second = decodeListing(t, get(t, s, ContextEnvVarsPath(demoContextMono)+"?page-token="+url.QueryEscape(*first.NextPageToken)))
	if len(second.Items) != 20 || second.NextPageToken != nil {
		t.Errorf("page 2: %d items, token %v; want the last 20 and null", len(second.Items), second.NextPageToken)
	}
}

func TestAccessContextsPaged(t *testing.T) {
	fx := DemoFixture()
	fx.PageSize = 2
	s := New(fx)
	t.Cleanup(s.Close)
	var names []string
	q := contextsQuery(demoStandaloneOrg)
	for page := 1; ; page++ {
		l := decodeListing(t, get(t, s, q))
		for _, it := range l.Items {
			name, _ := it["name"].(string)
			names = append(names, name)
		}
		if l.NextPageToken == nil {
			if page != 3 {
				t.Errorf("%d pages, want 3", page)
			}
			break
		}
		q = contextsQuery(demoStandaloneOrg) + "&page-token=" + url.QueryEscape(*l.NextPageToken)
	}
	if len(names) != 5 {
		t.Errorf("names over all pages: %v", names)
	}
	if r := get(t, s, contextsQuery(demoStandaloneOrg)+"&page-token=bogus"); r.status != 400 {
		t.Errorf("bad page token: %d, want 400", r.status)
	}
}

// Every access endpoint takes the generic faults.
func TestAccessFaults(t *testing.T) {
	s := newDemo(t)
	for _, p := range []string{
		GroupsPath(demoStandaloneOrg), GroupMembersPath(demoStandaloneOrg, demoGroupRelease), PathContexts,
		ContextRestrictionsPath(demoContextAWS), ContextEnvVarsPath(demoContextAWS), PathProjects,
		ProjectRoleGrantsPath(demoStandaloneOrg, demoProjectPayment), ProjectGroupsPath(demoStandaloneOrg, demoProjectPayment),
	} {
		full := p
		switch p {
		case PathContexts:
			full = contextsQuery(demoStandaloneOrg)
		case PathProjects:
			full = projectsQuery(demoStandaloneOrg, "50")
		}
		s.Inject(Fault{Path: p, Skip: 1, Status: 503, Body: `{"message":"Service unavailable."}`})
		if r := get(t, s, full); r.status != 200 {
			t.Errorf("%s: first request %d, want 200 (Skip: 1)", p, r.status)
		}
		if r := get(t, s, full); r.status != 503 {
			t.Errorf("%s: second request %d, want the injected 503", p, r.status)
		}
		if r := get(t, s, full); r.status != 200 {
			t.Errorf("%s: third request %d, want 200 again", p, r.status)
		}
	}
}
