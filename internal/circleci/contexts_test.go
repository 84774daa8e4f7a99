package circleci

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

func TestContextsAndDetails(t *testing.T) {
	s := newFake(t, accessFixture())
	c := newTestClient(t, s.URL())
	ctx := context.Background()
	contexts, err := c.Contexts(ctx, testOrg)
	if err != nil {
		t.Fatal(err)
	}
	if len(contexts) != 3 || contexts[2].Name != "stuck" || contexts[0].CreatedAt == "" {
		t.Fatalf("contexts = %+v", contexts)
	}
	if n := s.RequestCount(fakeapi.PathContexts); n != 2 {
		t.Errorf("%d contexts requests, want 2 pages", n)
	}
	for _, r := range s.Requests() {
		if r.Path == fakeapi.PathContexts && !strings.Contains(r.RawQuery, "owner-id="+testOrg) {
			t.Errorf("contexts request without owner-id: %q", r.RawQuery)
		}
	}
	details, err := c.AllContextDetails(ctx, []string{accCtxSmall, accCtxBig, accCtxStuck}, true)
	if err != nil {
		t.Fatal(err)
	}
	small := details[accCtxSmall]
	if len(small.Restrictions) != 2 || small.Restrictions[0].Type != "group" || small.Restrictions[0].Value != accGroupA ||
		*small.Restrictions[1].Name != "" || !small.EnvVars.Complete || len(small.EnvVars.Names) != 2 {
		t.Errorf("small = %+v", small)
	}
	if big := details[accCtxBig].EnvVars; !big.Complete || len(big.Names) != 150 || big.Names[149] != "V149" {
		t.Errorf("big: complete=%v, %d names; want all 150 over two pages", big.Complete, len(big.Names))
	}
	stuck := details[accCtxStuck].EnvVars
	if stuck.Complete || len(stuck.Names) != 100 || stuck.Names[99] != "V099" {
		t.Errorf("stuck: complete=%v, %d names; want the first 100 and complete=false", stuck.Complete, len(stuck.Names))
	}
	if n := s.RequestCount(fakeapi.ContextEnvVarsPath(accCtxStuck)); n != 2 {
		t.Errorf("%d requests for the stuck context's variables, want 2 (the page, and the page again)", n)
	}
	if strings.Contains(fmt.Sprintf("%+v", details), tvCanary) {
		t.Error("a truncated_value reached the client's result")
	}
	// Without variables only the restrictions are asked for (and were read already).
	before := s.RequestCount("")
	if _, err := c.AllContextDetails(ctx, []string{accCtxSmall}, false); err != nil {
		t.Fatal(err)
	}
	if s.RequestCount("") != before {
		t.Error("restrictions read twice in one client")
	}
}

// The variable item type holds the name and nothing else: the secret's tail
// (truncated_value) cannot be decoded into anything the provider keeps.
func TestEnvVarItemDecodesOnlyTheName(t *testing.T) {
	typ := reflect.TypeFor[envVarName]()
	if typ.NumField() != 1 || typ.Field(0).Tag.Get("json") != "variable" {
		t.Fatalf("envVarName has fields %v; it must decode only \"variable\"", typ)
	}
}
