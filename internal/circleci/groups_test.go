package circleci

import (
	"context"
	"testing"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

func TestGroupsAndMembersOnTheirHosts(t *testing.T) {
	api := newFake(t, accessFixture())
	app := newFake(t, accessFixture())
	c := newTestClient(t, api.URL(), func(cfg *Config) { cfg.AppHost = app.URL() })
	ctx := context.Background()
	groups, err := c.Groups(ctx, testOrg)
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 2 || groups[0].ID != accGroupA || groups[1].Description != "bee" {
		t.Fatalf("groups = %+v", groups)
	}
	members, err := c.AllGroupMembers(ctx, testOrg, []string{accGroupA, accGroupB})
	if err != nil {
		t.Fatal(err)
	}
	if len(members[accGroupA]) != 1 || members[accGroupA][0].Username != "user1" || members[accGroupB] == nil || len(members[accGroupB]) != 0 {
		t.Fatalf("members = %+v", members)
	}
	// Again: nothing more is requested (one sweep per client).
	if _, err := c.Groups(ctx, testOrg); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AllGroupMembers(ctx, testOrg, []string{accGroupB, accGroupA}); err != nil {
		t.Fatal(err)
	}
	if n := api.RequestCount(""); n != 1 || api.RequestCount(fakeapi.GroupsPath(testOrg)) != 1 {
		t.Errorf("API host saw %d requests, want the one groups listing", n)
	}
	if n := app.RequestCount(""); n != 2 || app.RequestCount(fakeapi.GroupMembersPath(testOrg, accGroupA)) != 1 {
		t.Errorf("app host saw %d requests, want one per group", n)
	}
}

func TestGroupsOAuthOrganizationIsEmpty(t *testing.T) {
	s := newFake(t, accessFixture())
	c := newTestClient(t, s.URL())
	groups, err := c.Groups(context.Background(), accOAuthOrg)
	if err != nil || groups == nil || len(groups) != 0 {
		t.Fatalf("Groups(OAuth org) = %v, %v; want an empty list", groups, err)
	}
}
