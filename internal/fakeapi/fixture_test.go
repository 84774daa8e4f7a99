package fakeapi

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var lowerUUID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func TestDemoFixture(t *testing.T) {
	fx := DemoFixture()
	if fx.Token != demoToken {
		t.Errorf("token = %q", fx.Token)
	}
	if fx.Me.ID != demoMeID || fx.Me.Login != "jdoe" || !lowerUUID.MatchString(fx.Me.ID) {
		t.Errorf("me = %+v", fx.Me)
	}
	if fx.PageSize != 10 {
		t.Errorf("page_size = %d", fx.PageSize)
	}

	bySlug := map[string]Collaboration{}
	nullIDs := 0
	for _, c := range fx.Collaborations {
		bySlug[c.Slug] = c
		if c.ID == nil {
			nullIDs++
			continue
		}
		if !lowerUUID.MatchString(*c.ID) {
			t.Errorf("collaboration id %q is not a lowercase UUID", *c.ID)
		}
	}
	if n := len(fx.Collaborations); n < 4 || n > 5 {
		t.Errorf("%d collaborations, want 4-5", n)
	}
	if nullIDs != 1 || bySlug["gh/jdoe"].ID != nil {
		t.Errorf("want exactly the personal account gh/jdoe with a null id")
	}
	if c := bySlug["gh/acme"]; c.VCSType != "github" || c.ID == nil || *c.ID != demoGitHubOrg {
		t.Errorf("gh/acme = %+v", c)
	}
	var std *Collaboration
	vcs := map[string]int{}
	for i, c := range fx.Collaborations {
		vcs[c.VCSType]++
		if c.ID != nil && *c.ID == demoStandaloneOrg {
			std = &fx.Collaborations[i]
		}
	}
	if vcs["github"] < 2 || vcs["bitbucket"] != 1 || vcs["circleci"] < 1 {
		t.Errorf("vcs types = %v", vcs)
	}
	if std == nil || std.VCSType != "circleci" || !strings.HasPrefix(std.Slug, "circleci/") || std.Name != "acme-platform" {
		t.Fatalf("standalone org = %+v", std)
	}

	members := fx.Members[demoStandaloneOrg]
	if len(members) < 21 || len(members) > 30 {
		t.Errorf("%d members, want about 25 (3 pages of 10)", len(members))
	}
	roles := map[string]int{}
	emptyEmail, mixedCase := 0, 0
	var usernames []string
	for _, m := range members {
		roles[m.Role]++
		if m.Email == "" {
			emptyEmail++
		}
		if strings.ToLower(m.Username) != m.Username {
			mixedCase++
		}
		usernames = append(usernames, m.Username)
		if !lowerUUID.MatchString(m.UserID) {
			t.Errorf("user_id %q is not a lowercase UUID", m.UserID)
		}
		if u, ok := fx.user(m.UserID); !ok || u.Login != m.Username || u.Name == "" {
			t.Errorf("member %s has no matching user entry (%+v)", m.Username, u)
		}
	}
	if roles["org-admin"] != 3 || roles["org-viewer"] < 2 || roles["org-contributor"] <= len(members)/2 {
		t.Errorf("roles = %v", roles)
	}
	unknown := 0
	for r, n := range roles {
		switch r {
		case "org-admin", "org-contributor", "org-viewer":
		default:
			unknown += n
		}
	}
	if unknown != 1 {
		t.Errorf("%d members with an unexpected role, want 1: %v", unknown, roles)
	}
	if emptyEmail < 3 || mixedCase < 3 {
		t.Errorf("%d empty emails, %d mixed-case usernames; want several of each", emptyEmail, mixedCase)
	}
	if sort.StringsAreSorted(usernames) || sort.SliceIsSorted(usernames, func(i, j int) bool {
		return strings.ToLower(usernames[i]) < strings.ToLower(usernames[j])
	}) {
		t.Error("usernames are sorted; the fixture must not hide ordering bugs")
	}
	for _, u := range fx.Users {
		if !lowerUUID.MatchString(u.ID) || u.Login == "" || u.Name == "" {
			t.Errorf("user %+v", u)
		}
	}
}

func TestDemoFixtureIsFresh(t *testing.T) {
	a := DemoFixture()
	a.Me.Login = "changed"
	*a.Collaborations[0].ID = "changed"
	a.Members[demoStandaloneOrg][0].Role = "changed"
	b := DemoFixture()
	if b.Me.Login != "jdoe" || *b.Collaborations[0].ID == "changed" || b.Members[demoStandaloneOrg][0].Role == "changed" {
		t.Error("DemoFixture returns shared data")
	}
	c := b.Clone()
	*c.Me.AvatarURL = "changed"
	c.Members[demoLabsOrg][0].Email = "changed"
	if *b.Me.AvatarURL == "changed" || b.Members[demoLabsOrg][0].Email == "changed" {
		t.Error("Clone is shallow")
	}
	if !reflect.DeepEqual(DemoFixture(), DemoFixture().Clone()) {
		t.Error("Clone differs from the original")
	}
}

func TestLoadFixture(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	demo, err := json.Marshal(DemoFixture())
	if err != nil {
		t.Fatal(err)
	}
	fx, err := LoadFixture(write("demo.json", string(demo)))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fx, DemoFixture()) {
		t.Error("round trip through LoadFixture changed the fixture")
	}
	for name, content := range map[string]string{
		"unknown-field.json": `{"token":"t","collaborations":[{"vcs_type":"github"}]}`,
		"no-token.json":      `{"me":{"id":"x"}}`,
		"negative-page.json": `{"token":"t","page_size":-1}`,
		"not-json.json":      `token: t`,
		"trailing.json":      `{"token":"t"} {}`,
	} {
		if _, err := LoadFixture(write(name, content)); err == nil {
			t.Errorf("%s: loaded without error", name)
		}
	}
	if _, err := LoadFixture(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("missing file: no error")
	}
	// The error never echoes the token.
	_, err = LoadFixture(write("bad-after-token.json", `{"token":"s3cr3t-value","bogus":1}`))
	if err == nil || strings.Contains(err.Error(), "s3cr3t-value") {
		t.Errorf("err = %v", err)
	}
}
