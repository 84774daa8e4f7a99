package circleci

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

func TestConcurrentOrgRoleGrantsOneSweep(t *testing.T) {
	const members, pageSize = 95, 10 // 10 pages
	fake, _, url := newCountingFake(t, pagedFixture(members, pageSize), 2*time.Millisecond)
	c := newTestClient(t, url)

	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := c.OrgRoleGrants(context.Background(), testOrg)
			if err != nil {
				t.Errorf("OrgRoleGrants: %v", err)
				return
			}
			if len(got) != members {
				t.Errorf("%d grants, want %d", len(got), members)
			}
		}()
	}
	wg.Wait()
	// A later read in the same run is served from memory.
	if _, err := c.OrgRoleGrants(context.Background(), testOrg); err != nil {
		t.Fatal(err)
	}
	pages := (members + pageSize - 1) / pageSize
	if n := fake.RequestCount(fakeapi.RoleGrantsPath(testOrg)); n != pages {
		t.Errorf("9 reads of one organization made %d requests, want one sweep of %d pages", n, pages)
	}
	if n := c.RequestCount(); n != int64(pages) {
		t.Errorf("client RequestCount = %d, want %d", n, pages)
	}
}
