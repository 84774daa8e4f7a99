package fakeapi

import (
	"net/http"
	"strings"
)

// MsgProjectNotFound is CircleCI's 404 for a project slug it does not know
// (or the token cannot see).
const MsgProjectNotFound = "Project not found."

// ProjectSettings is the advanced block of GET
// /api/v2/project/{vcs}/{org}/{project}/settings, in the live snake_case
// spelling. A fixture sets every field: the fake sends them all.
type ProjectSettings struct {
	AutocancelBuilds           bool     `json:"autocancel_builds"`
	BuildForkPRs               bool     `json:"build_fork_prs"`
	BuildPRsOnly               bool     `json:"build_prs_only"`
	DisableSSH                 bool     `json:"disable_ssh"`
	ForksReceiveSecretEnvVars  bool     `json:"forks_receive_secret_env_vars"`
	OSS                        bool     `json:"oss"`
	SetGitHubStatus            bool     `json:"set_github_status"`
	SetupWorkflows             bool     `json:"setup_workflows"`
	WriteSettingsRequiresAdmin bool     `json:"write_settings_requires_admin"`
	PROnlyBranchOverrides      []string `json:"pr_only_branch_overrides"`
}

const projectSlugPrefix = "/api/v2/project/"

// ProjectSettingsPath is the path of a project's v2 settings, the slug's
// three segments as they are (the fake's slugs need no escaping).
func ProjectSettingsPath(slug string) string { return projectSlugPrefix + slug + "/settings" }

// projectBySlug finds a project of any organization by its slug (CircleCI
// matches slugs without regard to case).
func (f *Fixture) projectBySlug(slug string) (Project, string, bool) {
	for org, projects := range f.Projects {
		for _, p := range projects {
			if strings.EqualFold(p.Slug, slug) {
				return p, org, true
			}
		}
	}
	return Project{}, "", false
}

// projectByID finds a project of any organization by its id.
func (f *Fixture) projectByID(id string) (Project, string, bool) {
	for org, projects := range f.Projects {
		for _, p := range projects {
			if strings.EqualFold(p.ID, id) {
				return p, org, true
			}
		}
	}
	return Project{}, "", false
}

// serveProjectSettings answers 404 "Project not found." for a slug the
// fixture does not know, or a project it has no settings for.
func serveProjectSettings(w http.ResponseWriter, fx *Fixture, slug string) {
	p, _, ok := fx.projectBySlug(slug)
	if !ok {
		writeError(w, http.StatusNotFound, MsgProjectNotFound)
		return
	}
	s, ok := fx.ProjectSettings[p.ID]
	if !ok {
		writeError(w, http.StatusNotFound, MsgProjectNotFound)
		return
	}
	if s.PROnlyBranchOverrides == nil {
		s.PROnlyBranchOverrides = []string{}
	}
	writeJSON(w, http.StatusOK, map[string]ProjectSettings{"advanced": s})
}
