package circleci

import (
	"context"
	"errors"
	"net/http"
	"strings"
)

// OrgTypeError is a failed read of an organization-scoped endpoint (400, 403
// or 404) with the organization's type (its vcs_type), when the run's one
// listing of the token's user's organizations (GET
// /api/v2/me/collaborations) names it. CircleCI answers such statuses for
// what it does not list for GitHub and Bitbucket (OAuth) organizations, so a
// diagnostic can say which kind the organization is instead of "if".
// Error() is the wrapped error's: the type is for whoever describes it.
type OrgTypeError struct {
	OrgID   string
	VCSType string
	Err     error
}

func (e *OrgTypeError) Error() string { return e.Err.Error() }
func (e *OrgTypeError) Unwrap() error { return e.Err }

// withOrgType wraps a 400, 403 or 404 of a read of organization orgID in an
// *OrgTypeError when the collaborations listing (read at most once per
// client, and only after such an error) names the organization. Any other
// error, or a failed or silent listing, is returned as it is.
func (c *Client) withOrgType(ctx context.Context, orgID string, err error) error {
	var apiErr *APIError
	if err == nil || ctx.Err() != nil || !errors.As(err, &apiErr) {
		return err
	}
	switch apiErr.StatusCode {
	case http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound:
	default:
		return err
	}
	collabs, cerr := c.Collaborations(ctx)
	if cerr != nil {
		return err
	}
	for _, col := range collabs {
		if col.ID != nil && strings.EqualFold(*col.ID, orgID) && col.VCSType != "" {
			return &OrgTypeError{OrgID: orgID, VCSType: col.VCSType, Err: err}
		}
	}
	return err
}
