package provider

import (
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

func strPtr(s string) *string { return &s }

func TestOrganizationsToModel(t *testing.T) {
	collabs := []circleci.Collaboration{
		{ID: strPtr("b"), VCSType: "github", Name: "acme", Slug: "gh/acme", AvatarURL: "https://a/acme"},
		{ID: nil, VCSType: "github", Name: "octocat", Slug: "gh/octocat"},
		{ID: strPtr("a"), VCSType: "circleci", Name: "std", Slug: "circleci/Xy12"},
		{ID: strPtr(""), VCSType: "bitbucket", Name: "bb", Slug: "bb/bb"},
		{ID: strPtr("c"), VCSType: "GitHub", Name: "zz", Slug: "gh/acme"}, // same slug: then by name
	}
	tests := []struct {
		name      string
		vcsType   string
		wantSlugs []string
		wantIDs   []string
	}{
		{"all, sorted by slug then name", "", []string{"bb/bb", "circleci/Xy12", "gh/acme", "gh/acme", "gh/octocat"}, []string{"a", "b", "c"}},
		{"vcs type ignores case", "github", []string{"gh/acme", "gh/acme", "gh/octocat"}, []string{"b", "c"}},
		{"no match", "gitlab", []string{}, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			orgs, ids := organizationsToModel(collabs, tc.vcsType)
			slugs := make([]string, len(orgs))
			for i, o := range orgs {
				slugs[i] = o.Slug.ValueString()
			}
			if !reflect.DeepEqual(slugs, tc.wantSlugs) {
				t.Errorf("slugs = %v, want %v", slugs, tc.wantSlugs)
			}
			if !reflect.DeepEqual(ids, tc.wantIDs) {
				t.Errorf("ids = %v, want %v", ids, tc.wantIDs)
			}
		})
	}
	orgs, _ := organizationsToModel(collabs, "")
	if !orgs[0].ID.IsNull() {
		t.Errorf("an empty id must be null, got %v", orgs[0].ID)
	}
	if !orgs[4].ID.IsNull() || !orgs[4].AvatarURL.IsNull() {
		t.Errorf("null id and empty avatar must be null: %+v", orgs[4])
	}
	if got := orgs[2].AvatarURL; got != types.StringValue("https://a/acme") {
		t.Errorf("avatar_url = %v", got)
	}
	if collabs[0].Slug != "gh/acme" {
		t.Error("the input slice must not be reordered: it may be shared by other reads")
	}
}

func TestNormalizeRole(t *testing.T) {
	for in, want := range map[string]string{
		"org-admin": "admin", "org-contributor": "contributor", "org-viewer": "viewer",
		"org-security-auditor": "org-security-auditor", "": "", "admin": "admin",
		// Regression: ORG-ADMIN was an unknown role, not an admin.
		"ORG-ADMIN": "admin", "Org-Contributor": "contributor", " org-viewer ": "viewer", "ORG-SECURITY-AUDITOR": "ORG-SECURITY-AUDITOR",
		"project-admin": "admin", "PROJECT-CONTRIBUTOR": "contributor", "Project-Viewer": "viewer", "project-owner": "project-owner",
	} {
		if got := NormalizeRole(in); got != want {
			t.Errorf("NormalizeRole(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMembersToModel(t *testing.T) {
	grants := []circleci.RoleGrant{
		{UserID: "3", Username: "zoe", Role: "org-admin", Email: "z@x"},
		{UserID: "2", Username: "Bob", Role: "org-contributor"},
		{UserID: "1", Username: "bob", Role: "org-viewer", Email: "b@x"},
		{UserID: "4", Username: "alice", Role: "org-admin"},
		{UserID: "5", Username: "eve", Role: "org-auditor"},
	}
	tests := []struct {
		role       string
		wantLogins []string
		wantRoles  []string
	}{
		{"", []string{"alice", "bob", "Bob", "eve", "zoe"}, []string{"admin", "viewer", "contributor", "org-auditor", "admin"}},
		{"admin", []string{"alice", "eve", "zoe"}, []string{"admin", "org-auditor", "admin"}}, // an unrecognised role is assumed admin
		{"contributor", []string{"Bob"}, []string{"contributor"}},
		{"viewer", []string{"bob"}, []string{"viewer"}},
		{"org-contributor", []string{"Bob"}, []string{"contributor"}},
		{"ADMIN", []string{"alice", "eve", "zoe"}, []string{"admin", "org-auditor", "admin"}},
		{"org-auditor", []string{"eve"}, []string{"org-auditor"}},
		{"ORG-AUDITOR", []string{"eve"}, []string{"org-auditor"}},
		{"org-owner", []string{}, []string{}},
	}
	for _, tc := range tests {
		t.Run("role="+tc.role, func(t *testing.T) {
			m := membersToModel(grants, tc.role)
			roles := make([]string, len(m.members))
			for i, mm := range m.members {
				roles[i] = mm.Role.ValueString()
				if !mm.Name.IsNull() || !mm.VCSLogin.IsNull() {
					t.Errorf("name and vcs_login must be null without user details: %+v", mm)
				}
			}
			if !reflect.DeepEqual(m.logins, tc.wantLogins) || !reflect.DeepEqual(roles, tc.wantRoles) {
				t.Errorf("logins %v roles %v, want %v %v", m.logins, roles, tc.wantLogins, tc.wantRoles)
			}
			if m.adminCount != 3 {
				t.Errorf("adminCount = %d, want 3 (two admins, and eve's unrecognised role) whatever the role filter", m.adminCount)
			}
			if got := m.holders.sorted(); !reflect.DeepEqual(got, []string{"org-auditor"}) {
				t.Errorf("unrecognised roles %v, want [org-auditor] whatever the role filter", got)
			}
		})
	}
	m := membersToModel(grants, "")
	if !m.members[2].Email.IsNull() || m.members[1].Email.ValueString() != "b@x" {
		t.Errorf("empty email must be null: %+v %+v", m.members[1], m.members[2])
	}
	if grants[0].UserID != "3" {
		t.Error("the input slice must not be reordered: it is shared by other reads of the run")
	}
	if empty := membersToModel(nil, ""); empty.members == nil || empty.logins == nil {
		t.Error("an empty organization must give empty lists, not null ones")
	}
}

// Regression: a user CircleCI listed twice was listed and counted twice.
func TestMembersToModelDuplicates(t *testing.T) {
	const a, b, c = "6b0e0000-0000-4000-8000-00000000000a", "6b0e0000-0000-4000-8000-00000000000b", "6b0e0000-0000-4000-8000-00000000000c"
	grants := []circleci.RoleGrant{
		{UserID: a, Username: "ann", Role: "org-viewer", Email: ""},
		{UserID: b, Username: "ben", Role: "org-admin"},
		{UserID: a, Username: "ann", Role: "ORG-ADMIN", Email: ""},
		{UserID: strings.ToUpper(b), Username: "ben", Role: "org-admin", Email: "ben@x"},
		{UserID: a, Username: "ann", Role: "org-contributor", Email: "ann@x"},
		{UserID: c, Username: "cat", Role: "org-zeta"},
		{UserID: c, Username: "cat", Role: "org-alpha"},
		{UserID: c, Username: "cat", Role: "org-viewer"},
	}
	m := membersToModel(grants, "")
	var got []string
	for _, mm := range m.members {
		got = append(got, mm.Login.ValueString()+":"+mm.Role.ValueString()+":"+mm.Email.ValueString())
	}
	// cat's unrecognised roles rank with admin: cat is counted as one.
	want := []string{"ann:admin:ann@x", "ben:admin:ben@x", "cat:org-alpha:"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("members %v, want %v", got, want)
	}
	if m.adminCount != 3 || len(m.logins) != 3 {
		t.Errorf("adminCount %d, logins %v; want 3 admins (cat assumed one), 3 logins", m.adminCount, m.logins)
	}
	// Between unknown roles the choice does not depend on the API's order.
	for _, order := range [][]string{{"org-zeta", "org-alpha"}, {"org-alpha", "org-zeta"}} {
		m := membersToModel([]circleci.RoleGrant{{UserID: c, Username: "cat", Role: order[0]}, {UserID: c, Username: "cat", Role: order[1]}}, "")
		if r := m.members[0].Role.ValueString(); r != "org-alpha" {
			t.Errorf("order %v: role %q, want org-alpha", order, r)
		}
	}
}

func TestAddUserDetails(t *testing.T) {
	m := membersToModel([]circleci.RoleGrant{
		{UserID: "1", Username: "a", Role: "org-admin"}, {UserID: "2", Username: "b", Role: "org-admin"},
	}, "")
	missing := addUserDetails(m.members, map[string]*circleci.User{"1": {ID: "1", Login: "a-gh", Name: "A"}, "2": {ID: "2", Login: "b-gh"}})
	if len(missing) != 0 {
		t.Errorf("missing %v, want none", missing)
	}
	if m.members[0].Name.ValueString() != "A" || m.members[0].VCSLogin.ValueString() != "a-gh" {
		t.Errorf("member 0 = %+v", m.members[0])
	}
	if !m.members[1].Name.IsNull() || m.members[1].VCSLogin.ValueString() != "b-gh" {
		t.Errorf("an empty name must be null: %+v", m.members[1])
	}
}

// Deleted users (nil in the lookup) keep null details and are reported.
func TestAddUserDetailsDeleted(t *testing.T) {
	m := membersToModel([]circleci.RoleGrant{
		{UserID: "1", Username: "a", Role: "org-admin"}, {UserID: "2", Username: "b", Role: "org-admin"}, {UserID: "3", Username: "c", Role: "org-admin"},
	}, "")
	missing := addUserDetails(m.members, map[string]*circleci.User{"1": nil, "2": {ID: "2", Login: "b-gh", Name: "B"}, "3": nil})
	if !reflect.DeepEqual(missing, []string{"1", "3"}) {
		t.Errorf("missing %v, want [1 3]", missing)
	}
	if !m.members[0].Name.IsNull() || !m.members[0].VCSLogin.IsNull() || m.members[1].Name.ValueString() != "B" {
		t.Errorf("members %+v", m.members)
	}
}
