package circleci

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

func TestOIDCClaims(t *testing.T) {
	s := newFake(t, postureFixture())
	c := newTestClient(t, s.URL())
	org, err := c.OrgOIDCClaims(context.Background(), testOrg)
	if err != nil || !slices.Equal(org.Audience, []string{"sts.amazonaws.com", "b"}) || org.TTL != "1h" {
		t.Errorf("org claims %+v, %v", org, err)
	}
	p, err := c.ProjectOIDCClaims(context.Background(), testOrg, pProject)
	if err != nil || p.Audience != nil || p.TTL != "" {
		t.Errorf("project claims not customised: %+v, %v; want nil audience and empty ttl", p, err)
	}
	s.Inject(fakeapi.Fault{Path: fakeapi.ProjectOIDCClaimsPath(testOrg, pOther), Status: 200, Body: `{"org_id":"` + testOrg + `","ttl":"5m"}`})
	if p, err := c.ProjectOIDCClaims(context.Background(), testOrg, pOther); err != nil || p.TTL != "5m" {
		t.Errorf("claims without project_id (only org_id is required): %+v, %v", p, err)
	}
	for _, tc := range []struct{ name, body, want string }{
		{"no org_id", `{"audience":["a"]}`, `no "org_id"`},
		{"another project's claims", `{"org_id":"` + testOrg + `","project_id":"` + pProject + `","ttl":"1h"}`, `not the project asked for`},
		{"audience not a list", `{"org_id":"` + testOrg + `","project_id":"` + pOther + `","audience":"a"}`, "wrong type"},
		{"a null audience entry", `{"org_id":"` + testOrg + `","project_id":"` + pOther + `","audience":[null]}`, "holds a null"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.Inject(fakeapi.Fault{Path: fakeapi.ProjectOIDCClaimsPath(testOrg, pOther), Status: 200, Body: tc.body})
			_, err := newTestClient(t, s.URL()).ProjectOIDCClaims(context.Background(), testOrg, pOther)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "oidc-custom-claims") {
				t.Errorf("error %v; want one naming the endpoint and %q", err, tc.want)
			}
		})
	}
}
