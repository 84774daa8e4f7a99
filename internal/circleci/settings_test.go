package circleci

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"strings"
	"testing"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

func TestOrgSettings(t *testing.T) {
	fx := pagedFixture(1, 10)
	want := fakeapi.DefaultOrgSettings()
	want[ContextGroupRestrictionRequired] = true
	want["a_toggle_added_later"] = true
	fx.OrgSettings = map[string]map[string]bool{testOrg: want}
	s := newFake(t, fx)
	c := newTestClient(t, s.URL())
	ctx := context.Background()
	for range 2 {
		got, err := c.OrgSettings(ctx, testOrg)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(got, want) {
			t.Errorf("OrgSettings = %v, want %v", got, want)
		}
	}
	if n := s.RequestCount(fakeapi.OrgSettingsPath(testOrg)); n != 1 {
		t.Errorf("requests = %d, want 1 (read once per client)", n)
	}

	// An organization the token cannot see: v3 answers 404 with its own
	// error body, whose title and detail the error quotes.
	_, err := c.OrgSettings(ctx, "00000000-0000-4000-8000-00000000dead")
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusNotFound || ae.Message != "Not Found: org not found" {
		t.Fatalf("unknown organization: %v", err)
	}
	before := s.RequestCount("")
	if _, err := c.OrgSettings(ctx, "acme"); err == nil || s.RequestCount("") != before {
		t.Errorf("a non-UUID organization id: err %v, %d requests", err, s.RequestCount("")-before)
	}
}

// Every 200 the provider does not fully understand is an error naming the
// endpoint, never settings with a toggle assumed.
func TestOrgSettingsFailsClosed(t *testing.T) {
	req := `"is_context_group_restriction_required":`
	tests := []struct{ name, body, reason string }{
		{"null", `null`, "expected a JSON object, got JSON null"},
		{"array", `[]`, "expected a JSON object, got JSON array"},
		{"no data", `{}`, `expected an object under "data"`},
		{"data null", `{"data":null}`, `expected an object under "data"`},
		{"no attributes", `{"data":{}}`, `"data.attributes"`},
		{"attributes an array", `{"data":{"attributes":[]}}`, "wrong type"},
		{"a string toggle", `{"data":{"attributes":{` + req + `"true"}}}`, `is "true", expected a boolean`},
		{"a null toggle", `{"data":{"attributes":{` + req + `false,"enable_ai_agents":null}}}`, "expected a boolean"},
		{"a number toggle", `{"data":{"attributes":{` + req + `1}}}`, "expected a boolean"},
		{"the toggle the rules need is missing", `{"data":{"attributes":{"enable_ai_agents":true}}}`, `no "is_context_group_restriction_required"`},
		{"trailing data", `{"data":{"attributes":{` + req + `true}}} {}`, "unexpected data"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newFake(t, pagedFixture(1, 10))
			s.Inject(fakeapi.Fault{Path: fakeapi.OrgSettingsPath(testOrg), Status: http.StatusOK,
				Header: http.Header{"Content-Type": {"application/json"}}, Body: tc.body})
			got, err := newTestClient(t, s.URL()).OrgSettings(context.Background(), testOrg)
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("got %v, %v; want a DecodeError", got, err)
			}
			if !strings.Contains(err.Error(), tc.reason) || !strings.Contains(err.Error(), OrgSettingsPath(testOrg)) {
				t.Errorf("error %q does not name the endpoint and say %q", err, tc.reason)
			}
		})
	}
}
