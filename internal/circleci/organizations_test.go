package circleci

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

const demoPlatformSlug = "circleci/Ve0xaECeuiI5JBhI5VlM52"

func TestOrganization(t *testing.T) {
	s := newFake(t, nil)
	c := newTestClient(t, s.URL())
	ctx := context.Background()
	want := Organization{ID: demoStandaloneOrg, Name: "acme-platform", Slug: demoPlatformSlug, VCSType: "circleci"}

	for _, key := range []string{demoStandaloneOrg, demoPlatformSlug, strings.ToUpper(demoStandaloneOrg)} {
		o, err := c.Organization(ctx, key)
		if err != nil {
			t.Fatalf("Organization(%q): %v", key, err)
		}
		if *o != want {
			t.Errorf("Organization(%q) = %+v, want %+v", key, *o, want)
		}
	}
	// The slug went out path-escaped, as one segment; each key once per client.
	for _, key := range []string{demoStandaloneOrg, demoPlatformSlug} {
		if _, err := c.Organization(ctx, key); err != nil {
			t.Fatal(err)
		}
		if n := s.RequestCount(fakeapi.OrganizationRequestPath(key)); n != 1 {
			t.Errorf("requests for %s = %d, want 1 (memoized)", key, n)
		}
	}
	if got := OrganizationPath("gh/acme"); got != "/api/v2/organization/gh%2Facme" {
		t.Errorf("OrganizationPath = %q", got)
	}

	_, err := c.Organization(ctx, "gh/nobody")
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusNotFound || ae.Message != fakeapi.MsgOrgNotFoundV2 {
		t.Fatalf("unknown slug: %v", err)
	}
	if ae.Attempts > 1 {
		t.Errorf("a 404 was retried: %d attempts", ae.Attempts)
	}
	before := s.RequestCount("")
	if _, err := c.Organization(ctx, ""); err == nil {
		t.Error("Organization(\"\") succeeded")
	}
	if s.RequestCount("") != before {
		t.Error("an empty id or slug reached the API")
	}
}

// Every 200 the provider does not fully understand is an error naming the
// endpoint, never an organization with empty fields.
func TestOrganizationFailsClosed(t *testing.T) {
	const id = demoStandaloneOrg
	ok := `"name":"acme","slug":"gh/acme","vcs_type":"github"`
	tests := []struct{ name, body, reason string }{
		{"empty object", `{}`, "is not a UUID"},
		{"null", `null`, "expected a JSON object, got JSON null"},
		{"message only", `{"message":"ok"}`, "is not a UUID"},
		{"array", `[]`, "expected a JSON object, got JSON array"},
		{"id not a uuid", `{"id":"acme",` + ok + `}`, "is not a UUID"},
		{"id null", `{"id":null,` + ok + `}`, "is not a UUID"},
		{"id a number", `{"id":42,` + ok + `}`, "wrong type"},
		{"no name", `{"id":"` + id + `","slug":"gh/acme","vcs_type":"github"}`, "has no name"},
		{"no slug", `{"id":"` + id + `","name":"acme","vcs_type":"github"}`, "has no slug"},
		{"vcs-type with a hyphen", `{"id":"` + id + `","name":"acme","slug":"gh/acme","vcs-type":"github"}`, "has no vcs_type"},
		{"another organization", `{"id":"` + testOrg + `",` + ok + `}`, "answered with organization " + testOrg},
		{"trailing data", `{"id":"` + id + `",` + ok + `} {}`, "unexpected data"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newFake(t, nil)
			s.Inject(fakeapi.Fault{Path: fakeapi.OrganizationRequestPath(id), Status: http.StatusOK,
				Header: http.Header{"Content-Type": {"application/json"}}, Body: tc.body})
			o, err := newTestClient(t, s.URL()).Organization(context.Background(), id)
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("got %+v, %v; want a DecodeError", o, err)
			}
			if !strings.Contains(err.Error(), tc.reason) || !strings.Contains(err.Error(), "/api/v2/organization/"+id) {
				t.Errorf("error %q does not name the endpoint and say %q", err, tc.reason)
			}
		})
	}
}

// FuzzDecodeOrganization: whatever the body, the decoder either returns an
// organization with a UUID id and every field set, or a DecodeError.
func FuzzDecodeOrganization(f *testing.F) {
	f.Add(`{"id":"a8d449aa-dbf3-4d64-9eb9-0982ba339340","name":"acme","slug":"gh/acme","vcs_type":"github"}`)
	f.Add(`{"id":"a8d449aa-dbf3-4d64-9eb9-0982ba339340","name":"acme","slug":"gh/acme","vcs-type":"github"}`)
	f.Add(`{"id":null,"name":"","slug":null}`)
	f.Add(`{"message":"Org not found."}`)
	f.Add(`null`)
	f.Add(`[{"id":"x"}]`)
	f.Fuzz(func(t *testing.T, body string) {
		var o Organization
		err := decodeJSON(newRedactor(testToken), OrganizationPath("gh/acme"), http.StatusOK, "application/json", []byte(body), &o)
		if err == nil {
			if !IsUUID(o.ID) || o.Name == "" || o.Slug == "" || o.VCSType == "" {
				t.Fatalf("accepted %+v", o)
			}
			return
		}
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Fatalf("err = %T, want *DecodeError", err)
		}
	})
}
