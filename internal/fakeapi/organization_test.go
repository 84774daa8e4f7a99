package fakeapi

import (
	"encoding/json"
	"net/http"
	"testing"
)

func TestOrganizationEndpoint(t *testing.T) {
	s := newDemo(t)
	platform := Organization{ID: demoStandaloneOrg, Name: "acme-platform", Slug: "circleci/Ve0xaECeuiI5JBhI5VlM52", VCSType: "circleci"}
	github := Organization{ID: demoGitHubOrg, Name: "acme", Slug: "gh/acme", VCSType: "github"}
	tests := []struct {
		name    string
		path    string // sent verbatim
		token   string
		status  int
		want    *Organization
		message string
	}{
		{"by id", PathOrganizationPrefix + demoStandaloneOrg, demoToken, 200, &platform, ""},
		{"by upper-case id", PathOrganizationPrefix + "A8D449AA-DBF3-4D64-9EB9-0982BA339340", demoToken, 200, &platform, ""},
		{"by escaped slug", OrganizationPath("circleci/Ve0xaECeuiI5JBhI5VlM52"), demoToken, 200, &platform, ""},
		{"by escaped slug, lower-case %2f", PathOrganizationPrefix + "gh%2facme", demoToken, 200, &github, ""},
		{"by long-form slug", OrganizationPath("github/acme"), demoToken, 200, &github, ""},
		{"name without regard to case", OrganizationPath("gh/ACME"), demoToken, 200, &github, ""},
		{"unescaped slug is two segments", PathOrganizationPrefix + "gh/acme", demoToken, 404, nil, MsgNotFound},
		{"unknown slug", OrganizationPath("gh/nobody"), demoToken, 404, nil, MsgOrgNotFoundV2},
		{"unknown vcs", OrganizationPath("gl/acme"), demoToken, 404, nil, MsgOrgNotFoundV2},
		{"unknown id", OrganizationPath("99999999-9999-4999-8999-999999999999"), demoToken, 404, nil, MsgOrgNotFoundV2},
		{"account with a null id", OrganizationPath("gh/jdoe"), demoToken, 404, nil, MsgOrgNotFoundV2},
		{"no token", OrganizationPath("gh/acme"), "", 401, nil, MsgLoginRequired},
		{"wrong token", OrganizationPath("gh/acme"), "x", 401, nil, MsgInvalidToken},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := send(t, http.MethodGet, s.URL(), tc.path, tc.token)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if tc.want == nil {
				if got := r.message(t); got != tc.message {
					t.Errorf("message %q, want %q", got, tc.message)
				}
				return
			}
			var got map[string]any
			if err := json.Unmarshal(r.body, &got); err != nil {
				t.Fatal(err)
			}
			want := map[string]any{"id": tc.want.ID, "name": tc.want.Name, "slug": tc.want.Slug, "vcs_type": tc.want.VCSType}
			if len(got) != len(want) {
				t.Errorf("keys: got %v, want %v", got, want)
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s = %v, want %v", k, got[k], v)
				}
			}
		})
	}
	// The request log holds the unescaped path, which faults also match.
	if n := s.RequestCount(OrganizationRequestPath("circleci/Ve0xaECeuiI5JBhI5VlM52")); n != 1 {
		t.Errorf("RequestCount(unescaped slug path) = %d, want 1", n)
	}
}

func TestMeForbidden(t *testing.T) {
	fx := DemoFixture()
	fx.MeForbidden = true
	s := New(fx)
	t.Cleanup(s.Close)
	r := get(t, s, PathMe)
	if r.status != http.StatusForbidden || r.message(t) != MsgPermissionDenied {
		t.Fatalf("me: %d %s, want 403 %q", r.status, r.body, MsgPermissionDenied)
	}
	// Only /me: the token still reads what a project token may.
	if r := get(t, s, UserPath(demoMeID)); r.status != http.StatusOK {
		t.Errorf("user: %d, want 200", r.status)
	}
	parsed, err := parseFixture([]byte(`{"token":"t","me_forbidden":true}`))
	if err != nil || !parsed.MeForbidden {
		t.Errorf("me_forbidden does not load from JSON: %+v, %v", parsed, err)
	}
}
