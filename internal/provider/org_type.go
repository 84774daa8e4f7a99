package provider

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/circleci-access/terraform-provider-circleci/internal/circleci"
)

// The type of an organization (its vcs_type), for what CircleCI lists only
// for some types: groups, members and project grants exist in CircleCI's
// API for standalone organizations, while GitHub and Bitbucket (OAuth)
// organizations take them from the VCS.

// orgTypeSource names where an organization's type was read, for warnings.
const (
	orgTypeFromCollaborations = "GET /api/v2/me/collaborations"
	orgTypeFromOrganization   = "GET /api/v2/organization/{org_id}"
)

// organizationType is the vcs_type of organization orgID and the endpoint it
// was read from: the run's one listing of the token's user's organizations
// (shared by every data source through the client's memo) when it lists the
// organization, else the organization lookup (also read once per run).
func organizationType(ctx context.Context, client *circleci.Client, orgID string) (vcsType, source string, err error) {
	collabs, err := client.Collaborations(ctx)
	if err == nil {
		for _, c := range collabs {
			if c.ID != nil && strings.EqualFold(*c.ID, orgID) && c.VCSType != "" {
				return c.VCSType, orgTypeFromCollaborations, nil
			}
		}
	}
	org, orgErr := client.Organization(ctx, orgID)
	if orgErr != nil {
		return "", "", orgErr
	}
	return org.VCSType, orgTypeFromOrganization, nil
}

// organizationDiagnostic is errorDiagnostic(err, h) for a read of
// organization orgID: a 400, 403 or 404 names the organization's type when
// the provider can read it, instead of "if it is a GitHub organization". A
// failure to read the type leaves the diagnostic as it was.
func organizationDiagnostic(ctx context.Context, client *circleci.Client, orgID string, err error, h endpointHints) diag.Diagnostic {
	var apiErr *circleci.APIError
	if errors.As(err, &apiErr) && ctx.Err() == nil {
		switch apiErr.StatusCode {
		case http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound:
			if vcsType, _, typeErr := organizationType(ctx, client, orgID); typeErr == nil {
				h = withOrgType(h, orgID, vcsType)
			}
		}
	}
	return errorDiagnostic(err, h)
}
