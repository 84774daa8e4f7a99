package circleci

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

func wantGrants(t *testing.T, got []RoleGrant, n int) {
	t.Helper()
	want := grants(n)
	if len(got) != n {
		t.Fatalf("got %d grants, want %d", len(got), n)
	}
	for i, g := range got {
		w := want[i]
		if g.UserID != w.UserID || g.Username != w.Username || g.Role != w.Role {
			t.Fatalf("grant %d = %+v, want %+v (order or duplicates wrong)", i, g, w)
		}
	}
}

func TestPaginationMergesPagesInOrder(t *testing.T) {
	tests := []struct{ members, pageSize, pages int }{
		{7, 3, 3},
		{6, 3, 2},
		{1, 3, 1},
		{0, 3, 1},
		{25, 10, 3},
	}
	for _, tt := range tests {
		t.Run(strings.Repeat("p", tt.pages), func(t *testing.T) {
			s := newFake(t, pagedFixture(tt.members, tt.pageSize))
			c := newTestClient(t, s.URL())
			got, err := c.OrgRoleGrants(context.Background(), testOrg)
			if err != nil {
				t.Fatal(err)
			}
			if got == nil {
				t.Fatal("an empty listing is nil, want an empty slice")
			}
			wantGrants(t, got, tt.members)
			reqs := s.Requests()
			if len(reqs) != tt.pages {
				t.Fatalf("fake saw %d requests, want %d", len(reqs), tt.pages)
			}
			// Tokens are sent verbatim, URL-encoded: the fake's tokens hold
			// '+', '/' and '=', so a decoding mistake shows here (and as a 400).
			for i, r := range reqs {
				if i == 0 {
					if r.PageToken != "" || r.RawQuery != "" {
						t.Fatalf("first request has a query %q", r.RawQuery)
					}
					continue
				}
				tok := fakeapi.PageToken(testOrg, i*tt.pageSize)
				if r.PageToken != tok {
					t.Fatalf("page %d token = %q, want %q", i+1, r.PageToken, tok)
				}
				if !strings.ContainsAny(tok, "+/=") {
					t.Fatalf("the fake's token %q has nothing to encode", tok)
				}
				if r.RawQuery != "page-token="+url.QueryEscape(tok) {
					t.Fatalf("page %d raw query = %q, want page-token=%s", i+1, r.RawQuery, url.QueryEscape(tok))
				}
			}
			assertTokenNeverInURL(t, s)
		})
	}
}

// uid is a UUID made from a short name, for hand-written pages.
func uid(name string) string {
	return fmt.Sprintf("00000000-0000-4000-8000-%012x", []byte(name))
}

// staticPage is a role-grants page served by a fault, with a chosen token:
// one member per name, the name as the username.
func staticPage(ids []string, next string) fakeapi.Fault {
	var b strings.Builder
	b.WriteString(`{"items":[`)
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"user_id":"` + uid(id) + `","username":"` + id + `","email":"","role":"org-viewer"}`)
	}
	b.WriteString(`],"next_page_token":` + next + `}`)
	return fakeapi.Fault{Path: fakeapi.RoleGrantsPath(testOrg), Status: 200, Body: b.String()}
}

func TestPaginationStops(t *testing.T) {
	tests := []struct {
		name  string
		pages []fakeapi.Fault
		want  []string
	}{
		{"null", []fakeapi.Fault{staticPage([]string{"a"}, `"T1"`), staticPage([]string{"b"}, `null`)}, []string{"a", "b"}},
		{"empty string", []fakeapi.Fault{staticPage([]string{"a"}, `"T1"`), staticPage([]string{"b"}, `""`)}, []string{"a", "b"}},
		{"absent", []fakeapi.Fault{staticPage([]string{"a"}, `"T1"`), {Path: fakeapi.RoleGrantsPath(testOrg), Status: 200,
			Body: `{"items":[{"user_id":"` + uid("b") + `","username":"b","role":"org-admin"}]}`}}, []string{"a", "b"}},
		{"items null", []fakeapi.Fault{staticPage([]string{"a"}, `"T1"`), {Path: fakeapi.RoleGrantsPath(testOrg), Status: 200, Body: `{"items":null,"next_page_token":null}`}}, []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newFake(t, pagedFixture(0, 3))
			c := newTestClient(t, s.URL())
			s.Inject(tt.pages...)
			got, err := c.OrgRoleGrants(context.Background(), testOrg)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, g := range got {
				ids = append(ids, g.Username)
			}
			if strings.Join(ids, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("ids = %v, want %v", ids, tt.want)
			}
			if n := s.RequestCount(""); n != len(tt.pages) {
				t.Fatalf("fake saw %d requests, want %d", n, len(tt.pages))
			}
		})
	}
}

func TestPaginationRepeatedToken(t *testing.T) {
	const tokA, tokB = "SECRETISH+tok/A==", "SECRETISH+tok/B=="
	tests := []struct {
		name     string
		pages    []fakeapi.Fault
		requests int
	}{
		{"A to A", []fakeapi.Fault{staticPage([]string{"a"}, `"`+tokA+`"`), staticPage([]string{"b"}, `"`+tokA+`"`)}, 2},
		{"A to B to A", []fakeapi.Fault{staticPage([]string{"a"}, `"`+tokA+`"`), staticPage([]string{"b"}, `"`+tokB+`"`), staticPage([]string{"c"}, `"`+tokA+`"`)}, 3},
		{"A forever", []fakeapi.Fault{func() fakeapi.Fault { f := staticPage([]string{"a"}, `"`+tokA+`"`); f.Times = -1; return f }()}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newFake(t, pagedFixture(0, 3))
			c := newTestClient(t, s.URL())
			s.Inject(tt.pages...)
			got, err := c.OrgRoleGrants(context.Background(), testOrg)
			var pe *PaginationError
			if got != nil || !errors.As(err, &pe) {
				t.Fatalf("got %d grants, err = %T %v; want nil and *PaginationError", len(got), err, err)
			}
			// Regression: PaginationError had no Unwrap, so this was always false.
			if !errors.Is(err, ErrRepeatedPageToken) {
				t.Fatalf("errors.Is(%v, ErrRepeatedPageToken) = false", err)
			}
			if strings.Contains(err.Error(), "SECRETISH") || strings.Contains(err.Error(), "tok/") {
				t.Fatalf("error %q prints the page token", err)
			}
			if !strings.Contains(err.Error(), "already returned") {
				t.Fatalf("error %q does not say why", err)
			}
			if n := s.RequestCount(""); n != tt.requests {
				t.Fatalf("fake saw %d requests, want %d", n, tt.requests)
			}
			reqs := s.Requests()
			if len(reqs) > 1 && reqs[1].PageToken != tokA {
				t.Fatalf("page 2 asked with token %q, want %q verbatim", reqs[1].PageToken, tokA)
			}
		})
	}
}

func TestPaginationMaxPages(t *testing.T) {
	s := newFake(t, pagedFixture(10, 2)) // 5 pages
	c := newTestClient(t, s.URL(), func(c *Config) { c.MaxPages = 3 })
	got, err := c.OrgRoleGrants(context.Background(), testOrg)
	var pe *PaginationError
	if got != nil || !errors.As(err, &pe) {
		t.Fatalf("got %d grants, err = %T %v; want *PaginationError", len(got), err, err)
	}
	if !errors.Is(err, ErrTooManyPages) || !strings.Contains(err.Error(), "more than 3") {
		t.Fatalf("error %q", err)
	}
	if n := s.RequestCount(""); n != 3 {
		t.Fatalf("fake saw %d requests, want 3", n)
	}
	// Exactly MaxPages pages is fine.
	c = newTestClient(t, s.URL(), func(c *Config) { c.MaxPages = 5 })
	got, err = c.OrgRoleGrants(context.Background(), testOrg)
	if err != nil {
		t.Fatal(err)
	}
	wantGrants(t, got, 10)
}

func TestPaginationRetryResumes(t *testing.T) {
	for _, status := range []int{429, 500, 503} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			s := newFake(t, pagedFixture(7, 3))
			c := newTestClient(t, s.URL())
			s.Inject(fakeapi.Fault{Path: fakeapi.RoleGrantsPath(testOrg), Skip: 1, Status: status,
				Header: http.Header{"Retry-After": {"0"}}, Body: `{"message":"Rate limit exceeded."}`})
			got, err := c.OrgRoleGrants(context.Background(), testOrg)
			if err != nil {
				t.Fatal(err)
			}
			wantGrants(t, got, 7)
			reqs := s.Requests()
			if len(reqs) != 4 {
				t.Fatalf("fake saw %d requests, want 4 (3 pages + 1 retry)", len(reqs))
			}
			tok2 := fakeapi.PageToken(testOrg, 3)
			if reqs[1].PageToken != tok2 || reqs[2].PageToken != tok2 {
				t.Fatalf("the retry did not resume at page 2: %+v", reqs)
			}
		})
	}
}

func TestPaginationErrorOnLaterPage(t *testing.T) {
	tests := []struct {
		name  string
		fault fakeapi.Fault
		check func(t *testing.T, err error)
	}{
		{"404 on page 2", fakeapi.Fault{Skip: 1, Status: 404, Body: `{"message":"Org not found."}`}, func(t *testing.T, err error) {
			var ae *APIError
			if !errors.As(err, &ae) || ae.StatusCode != http.StatusNotFound {
				t.Fatalf("err = %v, want a 404 *APIError", err)
			}
		}},
		{"429 forever on page 3", fakeapi.Fault{Skip: 2, Status: 429, Times: -1}, func(t *testing.T, err error) {
			var ae *APIError
			if !errors.As(err, &ae) || ae.StatusCode != http.StatusTooManyRequests || ae.Attempts != 4 {
				t.Fatalf("err = %v, want a 429 *APIError after 4 attempts", err)
			}
		}},
		{"reset on page 2", fakeapi.Fault{Skip: 1, Reset: true, Times: -1}, func(t *testing.T, err error) {
			var te *TransportError
			if !errors.As(err, &te) {
				t.Fatalf("err = %v, want a *TransportError", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newFake(t, pagedFixture(7, 3))
			c := newTestClient(t, s.URL())
			f := tt.fault
			f.Path = fakeapi.RoleGrantsPath(testOrg)
			s.Inject(f)
			got, err := c.OrgRoleGrants(context.Background(), testOrg)
			if got != nil {
				t.Fatalf("got a partial list of %d grants", len(got))
			}
			var pe *PageError
			if !errors.As(err, &pe) || pe.Page != f.Skip+1 {
				t.Fatalf("err = %T %v, want a *PageError for page %d", err, err, f.Skip+1)
			}
			if !strings.Contains(err.Error(), fmt.Sprintf(" (page %d): ", f.Skip+1)) {
				t.Fatalf("error %q does not name the page", err)
			}
			tt.check(t, err)
			assertNoToken(t, "error", err.Error())
			if strings.Contains(err.Error(), "page-token") || strings.Contains(err.Error(), url.QueryEscape(fakeapi.PageToken(testOrg, 3))) {
				t.Fatalf("error %q holds the page token", err)
			}
		})
	}
	t.Run("decode error on page 2", func(t *testing.T) {
		s := newFake(t, pagedFixture(7, 3))
		c := newTestClient(t, s.URL())
		s.Inject(fakeapi.Fault{Path: fakeapi.RoleGrantsPath(testOrg), Skip: 1, Status: 200, Body: `{"items":[{"user_id":"x","role":5}]}`})
		got, err := c.OrgRoleGrants(context.Background(), testOrg)
		var de *DecodeError
		var pe *PageError
		if got != nil || !errors.As(err, &de) || !errors.As(err, &pe) || pe.Page != 2 {
			t.Fatalf("got %d, err = %v; want a *DecodeError on page 2", len(got), err)
		}
	})
	t.Run("error on page 1 is not a PageError", func(t *testing.T) {
		s := newFake(t, pagedFixture(7, 3))
		c := newTestClient(t, s.URL())
		s.Inject(fakeapi.Fault{Path: fakeapi.RoleGrantsPath(testOrg), Status: 404, Body: `{"message":"Org not found."}`})
		_, err := c.OrgRoleGrants(context.Background(), testOrg)
		var pe *PageError
		var ae *APIError
		if errors.As(err, &pe) || !errors.As(err, &ae) {
			t.Fatalf("err = %T %v", err, err)
		}
	})
}
