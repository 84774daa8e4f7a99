package provider

import (
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

func TestProjectSettingsToModel(t *testing.T) {
	p := scopedProject{Project: circleci.Project{ID: testProjectAPI, Slug: "circleci/o/p", Name: "api"}, Family: familyStandalone}
	for _, tc := range []struct {
		name          string
		settings      circleci.ProjectSettings
		claims        *circleci.OIDCClaims
		exposed       bool
		audienceNull  bool
		ttl           types.String
		otherSettings string
	}{
		{"forks built with secrets", circleci.ProjectSettings{BuildForkPRs: true, ForksReceiveSecretEnvVars: true}, &circleci.OIDCClaims{}, true, true, types.StringNull(), ""},
		{"forks built without secrets", circleci.ProjectSettings{BuildForkPRs: true}, &circleci.OIDCClaims{Audience: []string{"a"}}, false, false, types.StringNull(), ""},
		{"secrets for forks that never build", circleci.ProjectSettings{ForksReceiveSecretEnvVars: true}, &circleci.OIDCClaims{TTL: "5m"}, false, true, types.StringValue("5m"), ""},
		{"new settings sorted", circleci.ProjectSettings{Other: map[string]bool{"z": false, "a": true}}, nil, false, true, types.StringNull(), "a=true,z=false"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := projectSettingsToModel(p, &tc.settings, tc.claims, nil)
			if m.SecretsExposedToForks.ValueBool() != tc.exposed {
				t.Errorf("secrets_exposed_to_forks = %v, want %v", m.SecretsExposedToForks, tc.exposed)
			}
			if (m.OIDCAudience == nil) != tc.audienceNull || !m.OIDCTTL.Equal(tc.ttl) {
				t.Errorf("oidc_audience %v, oidc_ttl %v; want null audience %v, ttl %v", m.OIDCAudience, m.OIDCTTL, tc.audienceNull, tc.ttl)
			}
			var other []string
			for _, o := range m.OtherSettings {
				other = append(other, o.Name.ValueString()+"="+o.Enabled.String())
			}
			if strings.Join(other, ",") != tc.otherSettings || m.OtherSettings == nil {
				t.Errorf("other_settings %v, want [%s] (never null)", other, tc.otherSettings)
			}
			if m.PROnlyBranchOverrides == nil || m.Webhooks == nil {
				t.Error("lists must be empty, not null")
			}
		})
	}
	hooks := webhooksToModel([]circleci.Webhook{
		{ID: "2", Name: "beta", Events: []string{"workflow-completed", "job-completed"}},
		{ID: "1", Name: "Alpha"},
		{ID: "0", Name: "beta"},
	})
	if got := hooks[0].ID.ValueString() + hooks[1].ID.ValueString() + hooks[2].ID.ValueString(); got != "102" {
		t.Errorf("webhooks in order %s, want 1 0 2 (lower-cased name, then id)", got)
	}
	if strings.Join(hooks[2].Events, ",") != "job-completed,workflow-completed" {
		t.Errorf("events %v, want sorted", hooks[2].Events)
	}
}

func TestOrgSettingsToModel(t *testing.T) {
	all := map[string]bool{}
	for _, tg := range orgToggles {
		all[tg.name] = tg.name == "is_context_group_restriction_required"
	}
	all["enable_new_thing"] = true
	on := true
	m, err := orgSettingsToModel(testOrgID, all, &circleci.OIDCClaims{Audience: []string{"sts"}},
		[]circleci.AuditLogStream{{ID: "2", TargetType: "S3_COMPATIBLE"}, {ID: "1", TargetType: "S3", Bucket: "b"}}, &on)
	if err != nil {
		t.Fatal(err)
	}
	if !m.IsContextGroupRestrictionRequired.ValueBool() || m.EnablePrivateOrbs.ValueBool() || m.EnablePrivateOrbs.IsNull() {
		t.Errorf("toggles not mapped: %+v", m)
	}
	if len(m.OtherSettings.Elements()) != 1 || !m.OtherSettings.Elements()["enable_new_thing"].Equal(types.BoolValue(true)) {
		t.Errorf("other_settings %v, want the one new toggle", m.OtherSettings)
	}
	if len(m.OIDCAudience) != 1 || !m.OIDCTTL.IsNull() || !m.SSOEnforced.ValueBool() {
		t.Errorf("oidc %v %v, sso %v", m.OIDCAudience, m.OIDCTTL, m.SSOEnforced)
	}
	if m.AuditLogStreams[0].ID.ValueString() != "1" || !m.AuditLogStreams[1].Bucket.IsNull() {
		t.Errorf("streams %+v: want sorted by target type, an empty bucket null", m.AuditLogStreams)
	}
	none, err := orgSettingsToModel(testOrgID, all, &circleci.OIDCClaims{}, nil, nil)
	if err != nil || !none.SSOEnforced.IsNull() || none.OIDCAudience != nil || none.AuditLogStreams != nil {
		t.Errorf("without include_sso, include_audit_log_streams or claims: %+v, %v; want null", none, err)
	}
	empty, err := orgSettingsToModel(testOrgID, all, &circleci.OIDCClaims{}, []circleci.AuditLogStream{}, nil)
	if err != nil || empty.AuditLogStreams == nil || len(empty.AuditLogStreams) != 0 {
		t.Errorf("no streams: %+v, %v; want an empty list, not null", empty.AuditLogStreams, err)
	}
	delete(all, "is_running_disabled")
	delete(all, "enable_ai_agents")
	_, err = orgSettingsToModel(testOrgID, all, &circleci.OIDCClaims{}, nil, nil)
	var de *circleci.DecodeError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), `"enable_ai_agents", "is_running_disabled"`) || !strings.Contains(err.Error(), "/api/v3/orgs/"+testOrgID+"/settings") {
		t.Errorf("error %v; want a DecodeError naming the endpoint and both missing toggles", err)
	}
}
