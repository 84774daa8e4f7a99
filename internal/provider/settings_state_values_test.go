package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

// TestStateWithoutReflection_settings: circleci_project_settings builds its
// own state; it equals what State.Set makes of the same typed model.
func TestStateWithoutReflection_settings(t *testing.T) {
	p := scopedProject{Project: circleci.Project{ID: testProjectAPI, Slug: "gh/acme/api", Name: "api"}, Family: familyGitHubOAuth}
	full := projectSettingsToModel(p,
		&circleci.ProjectSettings{BuildForkPRs: true, PROnlyBranchOverrides: []string{"b", "a"}, Other: map[string]bool{"x": true}},
		&circleci.OIDCClaims{Audience: []string{"aud"}, TTL: "1h"},
		[]circleci.Webhook{{ID: "w", Name: "n", Events: []string{"job-completed"}, VerifyTLS: true, URLScheme: "https", URLHost: "h"}})
	bare := projectSettingsToModel(p, &circleci.ProjectSettings{}, &circleci.OIDCClaims{}, nil)
	for _, tc := range []struct {
		name  string
		model ProjectSettingsDataSourceModel
	}{
		{"every attribute", ProjectSettingsDataSourceModel{OrganizationID: types.StringValue(testOrgID), ProjectIDs: []string{testProjectAPI}, Projects: []ProjectSettingsModel{full, bare}}},
		{"no projects, project_ids null", ProjectSettingsDataSourceModel{OrganizationID: types.StringValue(testOrgID), Projects: []ProjectSettingsModel{}}},
	} {
		t.Run(tc.name, func(t *testing.T) { assertSameAsStateSet(t, NewProjectSettingsDataSource(), tc.model) })
	}
}
