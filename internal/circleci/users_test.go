package circleci

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

func TestMe(t *testing.T) {
	s := newFake(t, nil)
	c := newTestClient(t, s.URL())
	ctx := context.Background()
	for range 3 {
		me, err := c.Me(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if me.ID != "a040d4b1-84bc-4829-85ce-3248fea676d5" || me.Login != "jdoe" || me.Name != "Jane Doe" {
			t.Fatalf("Me = %+v", me)
		}
	}
	if n := s.RequestCount(fakeapi.PathMe); n != 1 {
		t.Errorf("/me requests = %d, want 1 (memoized)", n)
	}

	fx := fakeapi.DemoFixture()
	fx.MeForbidden = true
	_, err := newTestClient(t, newFake(t, fx).URL()).Me(ctx)
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusForbidden || ae.Path != MePath {
		t.Fatalf("project token: %v, want a 403 APIError on %s", err, MePath)
	}
}

func TestMeFailsClosed(t *testing.T) {
	const id = "a040d4b1-84bc-4829-85ce-3248fea676d5"
	tests := []struct{ name, body, reason string }{
		{"empty object", `{}`, `"id"`},
		{"null", `null`, "expected a JSON object"},
		{"no login", `{"id":"` + id + `","name":"x"}`, `"login"`},
		{"id not a uuid", `{"id":"jdoe","login":"jdoe","name":"x"}`, "is not a UUID"},
		{"name a number", `{"id":"` + id + `","login":"jdoe","name":7}`, "wrong type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newFake(t, nil)
			s.Inject(fakeapi.Fault{Path: fakeapi.PathMe, Status: http.StatusOK,
				Header: http.Header{"Content-Type": {"application/json"}}, Body: tc.body})
			u, err := newTestClient(t, s.URL()).Me(context.Background())
			var de *DecodeError
			if !errors.As(err, &de) || !strings.Contains(err.Error(), tc.reason) {
				t.Fatalf("got %+v, %v; want a DecodeError saying %q", u, err, tc.reason)
			}
		})
	}
	// A user without a name is a user: the name is simply empty.
	for _, body := range []string{`{"id":"` + id + `","login":"jdoe"}`, `{"id":"` + id + `","login":"jdoe","name":null}`} {
		s := newFake(t, nil)
		s.Inject(fakeapi.Fault{Path: fakeapi.PathMe, Status: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}}, Body: body})
		u, err := newTestClient(t, s.URL()).Me(context.Background())
		if err != nil || u.Name != "" || u.Login != "jdoe" {
			t.Errorf("%s: %+v, %v", body, u, err)
		}
	}
}

func TestUsersMaxConcurrency(t *testing.T) {
	fx, ids := usersFixture(40, 100)
	fake, counter, url := newCountingFake(t, fx, 10*time.Millisecond)
	c := newTestClient(t, url, func(cfg *Config) { cfg.MaxConcurrency = 3 })

	// Two reads at once share the client's bound.
	var wg sync.WaitGroup
	for _, part := range [][]string{ids[:20], ids[20:]} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			users, err := c.Users(context.Background(), part)
			if err != nil {
				t.Errorf("Users: %v", err)
				return
			}
			if len(users) != len(part) {
				t.Errorf("Users returned %d users, want %d", len(users), len(part))
			}
		}()
	}
	wg.Wait()
	if p := counter.peak.Load(); p > 3 {
		t.Errorf("%d requests in flight at once, want at most MaxConcurrency = 3", p)
	} else if p < 2 {
		t.Errorf("at most %d request in flight: the lookups did not run concurrently", p)
	}
	if n := fake.RequestCount(""); n != len(ids) {
		t.Errorf("%d requests for %d users, want one each", n, len(ids))
	}
}

func TestUsersEachFetchedOnce(t *testing.T) {
	fx, ids := usersFixture(12, 100)
	fake, _, url := newCountingFake(t, fx, 5*time.Millisecond)
	c := newTestClient(t, url, func(cfg *Config) { cfg.MaxConcurrency = 4 })

	// Asked twice at the same time (and twice within one call), then again.
	ask := append(append([]string{}, ids...), ids[:4]...)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			users, err := c.Users(context.Background(), ask)
			if err != nil {
				t.Errorf("Users: %v", err)
				return
			}
			for _, id := range ids {
				if u := users[id]; u == nil || u.ID != id {
					t.Errorf("user %s: got %+v", id, u)
				}
			}
		}()
	}
	wg.Wait()
	if _, err := c.Users(context.Background(), ids); err != nil {
		t.Fatalf("Users again: %v", err)
	}
	for _, id := range ids {
		if n := fake.RequestCount(fakeapi.UserPath(id)); n != 1 {
			t.Errorf("user %s fetched %d times, want once", id, n)
		}
	}
}

// Deleted users: a 404 for one user is kept as nil; any other failure fails.
func TestUsersDeletedUser(t *testing.T) {
	fx, ids := usersFixture(3, 10)
	fx.DeleteUser(ids[0]) // the first member was deleted: 404
	s := newFake(t, fx)
	c := newTestClient(t, s.URL())
	users, err := c.Users(context.Background(), ids)
	if err != nil {
		t.Fatalf("Users: %v", err)
	}
	if u, ok := users[ids[0]]; !ok || u != nil {
		t.Errorf("deleted user: %v, %v; want present and nil", u, ok)
	}
	if users[ids[1]] == nil || users[ids[2]] == nil {
		t.Errorf("the others are missing: %v", users)
	}
	s.Inject(fakeapi.Fault{Path: fakeapi.UserPath(ids[1]), Status: 403, Body: `{"message":"Permission denied."}`})
	c = newTestClient(t, s.URL())
	if _, err := c.Users(context.Background(), ids); err == nil {
		t.Fatal("a 403 for one user did not fail the lookup")
	}
}
