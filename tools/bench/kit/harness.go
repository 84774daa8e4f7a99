// Package kit is what the bench's scenarios and the provider's own Go
// benchmarks share: the bench fixtures, the fake API started in-process or as
// a process, the bare net/http floors, and this process's usage. It imports
// nothing of the provider, so that the provider's internal benchmarks can use
// it without an import cycle.
package kit

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// Token is the fake's token in every bench fixture.
const Token = "bench-token-not-a-secret"

// OrgID returns the id of the i-th bench organization.
func OrgID(i int) string { return fmt.Sprintf("0b0b0000-0000-4000-8000-%012d", i+1) }

// UserID returns the id of the i-th member.
func UserID(i int) string { return fmt.Sprintf("0a0a0000-0000-4000-8000-%012d", i+1) }

var roles = [...]string{"org-contributor", "org-contributor", "org-viewer", "org-contributor", "org-admin",
	"org-viewer", "org-contributor", "org-contributor", "org-viewer", "org-contributor"}

// Fixture returns orgs standalone organizations of members each (the same
// members in every organization), pageSize role grants per page, and a user
// record per member when users is set.
func Fixture(orgs, members, pageSize int, users bool) *fakeapi.Fixture {
	fx := &fakeapi.Fixture{
		Token:    Token,
		Me:       fakeapi.User{ID: "0c0c0000-0000-4000-8000-000000000001", Login: "bench", Name: "Bench"},
		Members:  make(map[string][]fakeapi.RoleGrant, orgs),
		PageSize: pageSize,
	}
	grants := make([]fakeapi.RoleGrant, members)
	for i := range grants {
		// Logins in an order other than the API's, so the mapper sorts.
		login := fmt.Sprintf("member-%05d", (i*7919)%members)
		email := ""
		if i%3 == 0 {
			email = login + "@example.com"
		}
		grants[i] = fakeapi.RoleGrant{UserID: UserID(i), Username: login, Email: email, Role: roles[i%len(roles)]}
		if users {
			fx.Users = append(fx.Users, fakeapi.User{ID: UserID(i), Login: login + "-gh", Name: "Member " + login})
		}
	}
	for o := range orgs {
		id := OrgID(o)
		fx.Collaborations = append(fx.Collaborations, fakeapi.Collaboration{
			ID: &id, VCSType: "circleci", Name: fmt.Sprintf("bench-%d", o), Slug: "circleci/bench" + id[len(id)-4:],
		})
		fx.Members[id] = grants
	}
	return fx
}

// NewHTTPClient is the bare floor loops' client: net/http's defaults, with
// enough idle connections for the concurrent floors.
func NewHTTPClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone() //nolint:forcetypeassert // net/http's default
	tr.MaxIdleConnsPerHost = 64
	return &http.Client{Transport: tr, Timeout: time.Minute}
}

func bareGet(ctx context.Context, hc *http.Client, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Circle-Token", Token)
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", req.URL.Path, resp.StatusCode)
	}
	if v == nil {
		return nil
	}
	return json.Unmarshal(body, v)
}

// BareSweep is the floor of a members read: a plain net/http loop that
// follows next_page_token through every page of an organization, reading
// each body and decoding only the token (and the user ids when ids is set).
func BareSweep(ctx context.Context, hc *http.Client, base, org string, ids *[]string) (pages int, err error) {
	token := ""
	for {
		u := base + fakeapi.RoleGrantsPath(org)
		if token != "" {
			u += "?page-token=" + url.QueryEscape(token)
		}
		var p struct {
			Items []struct {
				UserID string `json:"user_id"`
			} `json:"items"`
			NextPageToken *string `json:"next_page_token"`
		}
		var target any = &p
		if ids == nil {
			target = &struct {
				NextPageToken *string `json:"next_page_token"`
			}{}
		}
		if err := bareGet(ctx, hc, u, target); err != nil {
			return pages, err
		}
		pages++
		next := p.NextPageToken
		if ids == nil {
			next = target.(*struct { //nolint:forcetypeassert // set just above
				NextPageToken *string `json:"next_page_token"`
			}).NextPageToken
		} else {
			for _, it := range p.Items {
				*ids = append(*ids, it.UserID)
			}
		}
		if next == nil || *next == "" {
			return pages, nil
		}
		token = *next
	}
}

// BareUsers is the floor of include_user_details: GET /api/v2/user/{id} for
// every id with exactly workers requests in flight.
func BareUsers(ctx context.Context, hc *http.Client, base string, ids []string, workers int) error {
	urls := make([]string, len(ids))
	for i, id := range ids {
		urls[i] = base + fakeapi.UserPath(id)
	}
	return BareGets(ctx, hc, urls, workers)
}

// BareGets GETs every URL with exactly workers requests in flight, reading
// each body and decoding nothing.
func BareGets(ctx context.Context, hc *http.Client, urls []string, workers int) error {
	ch := make(chan string)
	errc := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			failed := false
			for u := range ch { // after a failure, drain without fetching
				if failed {
					continue
				}
				if err := bareGet(ctx, hc, u, nil); err != nil {
					errc <- err
					failed = true
				}
			}
		}()
	}
	for _, u := range urls {
		ch <- u
	}
	close(ch)
	wg.Wait()
	close(errc)
	return <-errc
}
