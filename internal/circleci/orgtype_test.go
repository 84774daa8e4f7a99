package circleci

import (
	"context"
	"errors"
	"net/http"
	"testing"
)

// A 400, 403 or 404 of an organization-scoped listing carries the
// organization's type when the collaborations listing names it; other
// errors, and organizations it does not name, do not.
func TestWithOrgType(t *testing.T) {
	const github, unknown = "ad9ba7fb-2f4e-4b59-8a8e-1d2c3b4a5f60", "99999999-9999-4999-8999-999999999999"
	id := github
	c := &Client{}
	// The collaborations listing, as the memo holds it after a read.
	c.memo.done = map[string]any{"collaborations": []Collaboration{{ID: &id, VCSType: "github", Slug: "gh/acme"}}}
	ctx := context.Background()
	forbidden := &APIError{Path: "/p", StatusCode: http.StatusForbidden}
	var typed *OrgTypeError
	if err := c.withOrgType(ctx, github, forbidden); !errors.As(err, &typed) || typed.VCSType != "github" || typed.OrgID != github {
		t.Errorf("403 on a GitHub organization: %#v", err)
	} else if err.Error() != forbidden.Error() || !errors.Is(err, forbidden) {
		t.Errorf("the wrapped error must read and unwrap as the 403: %q", err)
	}
	for name, tc := range map[string]struct {
		org string
		err error
	}{
		"unknown organization": {unknown, forbidden},
		"500":                  {github, &APIError{Path: "/p", StatusCode: http.StatusInternalServerError}},
		"not an API error":     {github, errors.New("boom")},
		"no error":             {github, nil},
	} {
		if err := c.withOrgType(ctx, tc.org, tc.err); errors.As(err, &typed) || !errors.Is(err, tc.err) {
			t.Errorf("%s: %#v", name, err)
		}
	}
}
