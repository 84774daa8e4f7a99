package circleci

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// ProjectSettings is the advanced block of a project's v2 settings
// (GET /api/v2/project/{slug}/settings, documented as experimental).
type ProjectSettings struct {
	AutocancelBuilds           bool
	BuildForkPRs               bool
	BuildPRsOnly               bool
	DisableSSH                 bool
	ForksReceiveSecretEnvVars  bool
	OSS                        bool
	SetGitHubStatus            bool
	SetupWorkflows             bool
	WriteSettingsRequiresAdmin bool
	// PROnlyBranchOverrides is sorted (CircleCI's order is not the order
	// set); never nil.
	PROnlyBranchOverrides []string
	// Other holds boolean settings CircleCI adds to the block later, by
	// name; never nil.
	Other map[string]bool
}

// ProjectSettingsBools are the boolean fields of the advanced block, by
// CircleCI's name: every one must be in an answer.
var ProjectSettingsBools = []string{
	"autocancel_builds", "build_fork_prs", "build_prs_only", "disable_ssh", "forks_receive_secret_env_vars",
	"oss", "set_github_status", "setup_workflows", "write_settings_requires_admin",
}

// prOnlyBranchOverrides is the advanced block's one list.
const prOnlyBranchOverrides = "pr_only_branch_overrides"

func (s *ProjectSettings) field(name string) *bool {
	switch name {
	case "autocancel_builds":
		return &s.AutocancelBuilds
	case "build_fork_prs":
		return &s.BuildForkPRs
	case "build_prs_only":
		return &s.BuildPRsOnly
	case "disable_ssh":
		return &s.DisableSSH
	case "forks_receive_secret_env_vars":
		return &s.ForksReceiveSecretEnvVars
	case "oss":
		return &s.OSS
	case "set_github_status":
		return &s.SetGitHubStatus
	case "setup_workflows":
		return &s.SetupWorkflows
	case "write_settings_requires_admin":
		return &s.WriteSettingsRequiresAdmin
	}
	return nil
}

// projectSettingsBody is the answer as decoded: the advanced block's keys
// are read one by one, so that a missing setting or one of another type is
// an error, never false.
type projectSettingsBody struct {
	Advanced map[string]json.RawMessage `json:"advanced"`
	settings ProjectSettings
}

func (b *projectSettingsBody) validate() error {
	if b.Advanced == nil {
		return errors.New(`the answer has no "advanced" object`)
	}
	s := ProjectSettings{Other: map[string]bool{}}
	for _, name := range ProjectSettingsBools {
		raw, ok := b.Advanced[name]
		if !ok {
			return fmt.Errorf("advanced has no %q: every setting must be in the answer", name)
		}
		if err := decodeBool(raw, s.field(name)); err != nil {
			return fmt.Errorf("advanced.%s: %w", name, err)
		}
	}
	raw, ok := b.Advanced[prOnlyBranchOverrides]
	if !ok {
		return fmt.Errorf("advanced has no %q: every setting must be in the answer", prOnlyBranchOverrides)
	}
	var branches []*string
	if err := json.Unmarshal(raw, &branches); err != nil || slices.Contains(branches, nil) {
		return fmt.Errorf("advanced.%s is not a list of strings (null is taken as an empty list)", prOnlyBranchOverrides)
	}
	s.PROnlyBranchOverrides = make([]string, len(branches))
	for i, b := range branches {
		s.PROnlyBranchOverrides[i] = *b
	}
	slices.Sort(s.PROnlyBranchOverrides)
	names := make([]string, 0, len(b.Advanced))
	for name := range b.Advanced {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if s.field(name) != nil || name == prOnlyBranchOverrides {
			continue
		}
		var v bool
		if err := decodeBool(b.Advanced[name], &v); err != nil {
			return fmt.Errorf("advanced.%s, a setting the provider does not know, %w: only boolean settings can be kept in other_settings", excerpt([]byte(name), 64), err)
		}
		s.Other[name] = v
	}
	b.settings = s
	return nil
}

// decodeBool decodes a JSON boolean; null or any other type is an error.
func decodeBool(raw json.RawMessage, v *bool) error {
	switch strings.TrimSpace(string(raw)) {
	case "true":
		*v = true
		return nil
	case "false":
		*v = false
		return nil
	}
	return fmt.Errorf("is JSON %s, not a boolean", orUnknown(jsonKindOf(raw)))
}

func orUnknown(kind string) string {
	if kind == "" {
		return "of an unknown kind"
	}
	return kind
}

// ProjectSettingsPath is the path of a project's v2 settings: the slug as
// three escaped segments.
func ProjectSettingsPath(slug string) (string, error) {
	return projectSlugPath("/api/v2/project/", slug, "/settings")
}

// ProjectSettings returns a project's advanced settings by its slug, read
// once per client under a request slot.
func (c *Client) ProjectSettings(ctx context.Context, slug string) (*ProjectSettings, error) {
	path, err := ProjectSettingsPath(slug)
	if err != nil {
		return nil, err
	}
	return memoized(ctx, &c.memo, "project-settings/"+slug, func(ctx context.Context) (*ProjectSettings, error) {
		return bounded(ctx, c, func(ctx context.Context) (*ProjectSettings, error) {
			var b projectSettingsBody
			if err := c.getJSON(ctx, c.cfg.Host, path, &b); err != nil {
				return nil, err
			}
			return &b.settings, nil
		})
	})
}
