package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

func TestProjectFamilyOf(t *testing.T) {
	for slug, want := range map[string]projectFamily{
		"gh/acme/api":                      familyGitHubOAuth,
		"GitHub/acme/api":                  familyGitHubOAuth,
		"bb/acme/api":                      familyBitbucketOAuth,
		"bitbucket/acme/api":               familyBitbucketOAuth,
		"circleci/34R3kN5RtfEE7v4sa4nW/4n": familyStandalone,
		"gl/acme/api":                      familyUnknown,
		"":                                 familyUnknown,
	} {
		if got := projectFamilyOf(slug); got != want {
			t.Errorf("projectFamilyOf(%q) = %q, want %q", slug, got, want)
		}
	}
	if !familyGitHubOAuth.isOAuth() || !familyBitbucketOAuth.isOAuth() || familyStandalone.isOAuth() || familyUnknown.isOAuth() {
		t.Error("isOAuth: want true for github and bitbucket only")
	}
	if !familyStandalone.isStandalone() || familyUnknown.isStandalone() || familyGitHubOAuth.isStandalone() {
		t.Error("isStandalone: want true for circleci only")
	}
}

func TestSelectProjects(t *testing.T) {
	const (
		a = "70000000-0000-4000-8000-00000000000a"
		b = "70000000-0000-4000-8000-00000000000b"
		c = "70000000-0000-4000-8000-00000000000c"
	)
	projects := []circleci.Project{
		{ID: c, Slug: "gh/acme/zeta", Name: "zeta"},
		{ID: a, Slug: "circleci/o/p", Name: "p"},
		{ID: b, Slug: "bb/acme/Alpha", Name: "Alpha"},
	}
	for _, tc := range []struct {
		name    string
		ids     []string
		want    []string // id:family
		wantErr int      // index of the project_ids element in error, or -1
	}{
		{"every project, in the order of circleci_projects", nil, []string{b + ":bitbucket", a + ":circleci", c + ":github"}, -1},
		{"a subset keeps that order, each id once, any case", []string{c, strings.ToUpper(b), c}, []string{b + ":bitbucket", c + ":github"}, -1},
		{"an empty list selects nothing", []string{}, []string{}, -1},
		{"an id not in the organization", []string{a, "70000000-0000-4000-8000-0000000000ff"}, nil, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var diags diag.Diagnostics
			got, ok := selectProjects(testOrgID, projects, tc.ids, &diags)
			if tc.wantErr >= 0 {
				if ok || len(diags) != 1 {
					t.Fatalf("ok = %v, diags = %v; want one error", ok, diags)
				}
				d, isAttr := diags[0].(diag.DiagnosticWithPath)
				if !isAttr || !d.Path().Equal(path.Root("project_ids").AtListIndex(tc.wantErr)) {
					t.Errorf("error not on project_ids[%d]: %v", tc.wantErr, diags[0])
				}
				if !strings.Contains(diags[0].Detail(), "70000000-0000-4000-8000-0000000000ff") || !strings.Contains(diags[0].Detail(), testOrgID) {
					t.Errorf("the error names neither the id nor the organization: %s", diags[0].Detail())
				}
				return
			}
			if !ok || diags.HasError() {
				t.Fatalf("ok = %v, diags = %v", ok, diags)
			}
			gotIDs := make([]string, len(got))
			for i, p := range got {
				gotIDs[i] = p.ID + ":" + string(p.Family)
			}
			if strings.Join(gotIDs, ",") != strings.Join(tc.want, ",") {
				t.Errorf("got %v, want %v", gotIDs, tc.want)
			}
		})
	}
}

func TestReadProjectScopeReadsTheListingOnce(t *testing.T) {
	s := newTestServer(t)
	c, err := circleci.New(circleci.Config{Token: testToken, Host: s.URL()})
	if err != nil {
		t.Fatal(err)
	}
	var diags diag.Diagnostics
	all, ok := readProjectScope(context.Background(), c, testOrgID, nil, &diags)
	if !ok || len(all) != 4 {
		t.Fatalf("ok = %v, %d projects, diags %v; want the fixture's 4", ok, len(all), diags)
	}
	pages := s.RequestCount(circleci.ProjectsPath)
	some, ok := readProjectScope(context.Background(), c, testOrgID, []string{testProjectWeb}, &diags)
	if !ok || strings.Join(scopedProjectIDs(some), ",") != testProjectWeb || some[0].Family != familyGitHubOAuth {
		t.Fatalf("ok = %v, got %v; want the gh/ project alone", ok, some)
	}
	if n := s.RequestCount(circleci.ProjectsPath); n != pages || n == 0 {
		t.Errorf("%d requests to the projects listing, want %d, the pages of the first read (memoized)", n, pages)
	}
}

func TestProjectIDsAttributeIsCheckedAtPlanTime(t *testing.T) {
	attrib := projectIDsAttribute()
	for _, tc := range []struct {
		name  string
		elems []attr.Value
		bad   bool
	}{
		{"uuids", []attr.Value{types.StringValue(testProjectAPI)}, false},
		{"a slug", []attr.Value{types.StringValue(testProjectAPI), types.StringValue("gh/acme/api")}, true},
		{"a null element", []attr.Value{types.StringNull()}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := validator.ListRequest{Path: path.Root("project_ids"), ConfigValue: types.ListValueMust(types.StringType, tc.elems)}
			var diags diag.Diagnostics
			for _, v := range attrib.Validators {
				resp := validator.ListResponse{}
				v.ValidateList(context.Background(), req, &resp)
				diags.Append(resp.Diagnostics...)
			}
			if diags.HasError() != tc.bad {
				t.Errorf("errors: %v; want an error: %v", diags, tc.bad)
			}
		})
	}
}
