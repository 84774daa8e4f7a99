package circleci

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

func TestAuditLogStreamsAndSSO(t *testing.T) {
	s := newFake(t, postureFixture())
	c := newTestClient(t, s.URL())
	got, err := c.AuditLogStreams(context.Background(), testOrg)
	if err != nil || len(got) != 1 || got[0] != (AuditLogStream{ID: "2c000000-0000-4000-8000-0000000000c1", TargetType: "S3", ConnectionStatus: "CONNECTED", Bucket: "audit"}) {
		t.Errorf("got %+v, %v", got, err)
	}
	s.Inject(fakeapi.Fault{Path: fakeapi.AuditLogConfigsPath(testOrg), Status: 200,
		Body: `{"items":[{"id":"x","target_type":"S3","connection_status":"CONNECTED","config":{"secret_access_key":"` + secretCanary + `"}}]}`})
	c2 := newTestClient(t, s.URL())
	if _, err := c2.AuditLogStreams(context.Background(), testOrg); err == nil || !strings.Contains(err.Error(), `no "is_disabled"`) || strings.Contains(err.Error(), secretCanary) {
		t.Errorf("error %v; want one about is_disabled without the config", err)
	}
	on, err := c.SSOEnforced(context.Background(), testOrg)
	if err != nil || !on {
		t.Errorf("sso %v, %v; want enforced", on, err)
	}
	s.Inject(fakeapi.Fault{Path: fakeapi.SSOEnforcedPath(testOrg), Status: 200, Body: `{"id":"` + testOrg + `","enforced":null}`})
	if _, err := c2.SSOEnforced(context.Background(), testOrg); err == nil || !strings.Contains(err.Error(), `no boolean "enforced"`) || !strings.Contains(err.Error(), "/sso/enforced") {
		t.Errorf("error %v; want one naming the endpoint", err)
	}
	var ae *APIError
	if _, err := c.SSOEnforced(context.Background(), "3b1f0a52-0000-4000-8000-000000000000"); !errors.As(err, &ae) || ae.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown org: %v, want 404", err)
	}
}
