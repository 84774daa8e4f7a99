package circleci

import (
	"context"
	"errors"
)

// ProjectEnvVar is one item of GET /api/v2/project/{project-slug}/envvar.
// Only the name and creation time are decoded: the item's value, "xxxx"
// followed by the last four characters of the secret, is never read into
// memory the provider keeps.
type ProjectEnvVar struct {
	Name string
	// CreatedAt is RFC 3339; nil for variables older than CircleCI's
	// creation times (about 2023), which have none.
	CreatedAt *string
}

// UnmarshalJSON decodes name and created_at (or created-at, as CircleCI's
// OpenAPI description spells it), and nothing else.
func (v *ProjectEnvVar) UnmarshalJSON(b []byte) error {
	var w struct {
		Name       string  `json:"name"`
		CreatedAt  *string `json:"created_at"`
		CreatedAtK *string `json:"created-at"`
	}
	if err := decodeObject(b, &w); err != nil {
		return err
	}
	at, err := either(w.CreatedAt, w.CreatedAtK, "created_at")
	if err != nil {
		return &itemError{reason: "a project environment variable " + err.Error()}
	}
	*v = ProjectEnvVar{Name: w.Name, CreatedAt: at}
	return nil
}

func (v *ProjectEnvVar) validate() error {
	if v.Name == "" {
		return errors.New("a project environment variable has no name")
	}
	at, err := createdAt(v.CreatedAt)
	if err != nil {
		return errors.New("project environment variable " + v.Name + " " + err.Error())
	}
	v.CreatedAt = at
	return nil
}

// ProjectEnvVarsPath is the path of a project's environment variables.
func ProjectEnvVarsPath(slug string) (string, error) {
	return projectSlugPath("/api/v2/project/", slug, "/envvar")
}

// ProjectEnvVars returns the names and creation times of a project's
// environment variables (never their values), read once per client under a
// request slot. A body the provider cannot read is an error whose text holds
// no excerpt of it: the body holds the masked values.
func (c *Client) ProjectEnvVars(ctx context.Context, slug string) (ProjectListing[ProjectEnvVar], error) {
	path, err := ProjectEnvVarsPath(slug)
	if err != nil {
		return ProjectListing[ProjectEnvVar]{}, err
	}
	return projectFetch(ctx, c, projectSlugKey("project-envvars", slug), func(ctx context.Context) ([]ProjectEnvVar, error) {
		items, err := listAll(ctx, c, c.cfg.Host, path, listOptions[ProjectEnvVar]{})
		return items, withoutBodyExcerpt(err)
	})
}
