package circleci

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// ContextGroupRestrictionRequired is the organization setting that makes a
// context without a group restriction unusable by anyone (CircleCI docs pull
// request #9912). The access rules need it, so its absence is an error.
const ContextGroupRestrictionRequired = "is_context_group_restriction_required"

// OrgSettingsPath is the path of GET /api/v3/orgs/{org_id}/settings, an
// endpoint CircleCI's own CLI reads but its published v2 reference does not
// document.
func OrgSettingsPath(orgID string) string {
	return "/api/v3/orgs/" + url.PathEscape(orgID) + "/settings"
}

// orgSettingsDoc is the body of GET /api/v3/orgs/{org_id}/settings:
// {"data": {"attributes": {"<toggle>": true|false, ...}}}.
type orgSettingsDoc struct {
	Data *struct {
		Attributes map[string]json.RawMessage `json:"attributes"`
	} `json:"data"`
	toggles map[string]bool
}

// validate requires the envelope, a boolean for every toggle (a toggle of
// another type is not understood, so it is not guessed at) and the one the
// access rules depend on.
func (d *orgSettingsDoc) validate() error {
	if d.Data == nil {
		return errors.New(`expected an object under "data", got none`)
	}
	if d.Data.Attributes == nil {
		return errors.New(`expected an object under "data.attributes", got none`)
	}
	d.toggles = make(map[string]bool, len(d.Data.Attributes))
	names := make([]string, 0, len(d.Data.Attributes))
	for name := range d.Data.Attributes {
		names = append(names, name)
	}
	slices.Sort(names) // the first bad toggle named is always the same one
	for _, name := range names {
		var b *bool
		if err := json.Unmarshal(d.Data.Attributes[name], &b); err != nil || b == nil {
			return fmt.Errorf("setting %q is %s, expected a boolean", excerpt([]byte(name), 64),
				excerpt(d.Data.Attributes[name], 64))
		}
		d.toggles[name] = *b
	}
	if _, ok := d.toggles[ContextGroupRestrictionRequired]; !ok {
		return fmt.Errorf("the settings have no %q", ContextGroupRestrictionRequired)
	}
	return nil
}

// OrgSettings returns an organization's settings (GET
// /api/v3/orgs/{org_id}/settings) as toggle name → value, read once per
// client. Every value is a boolean and is_context_group_restriction_required
// is present, or the answer is an error. CircleCI answers 404 (not 403) for
// an organization the token cannot see; CircleCI Server does not serve it.
// Callers must not modify the map.
func (c *Client) OrgSettings(ctx context.Context, orgID string) (map[string]bool, error) {
	if !IsUUID(orgID) {
		return nil, fmt.Errorf("organization id %q is not a UUID", excerpt([]byte(orgID), 64))
	}
	return memoized(ctx, &c.memo, "org-settings/"+strings.ToLower(orgID), func(ctx context.Context) (map[string]bool, error) {
		var d orgSettingsDoc
		if err := c.getJSON(ctx, c.cfg.Host, OrgSettingsPath(orgID), &d); err != nil {
			return nil, err
		}
		return d.toggles, nil
	})
}
