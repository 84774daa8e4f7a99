package circleci

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// Context is one item of GET /api/v2/context.
type Context struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	CreatedAt string `json:"created_at"`
}

func (x *Context) validate() error {
	if !IsUUID(x.ID) {
		return fmt.Errorf("a context (name %q) has no UUID id (got %q)", excerpt([]byte(x.Name), 64), excerpt([]byte(x.ID), 64))
	}
	if x.Name == "" {
		return fmt.Errorf("context %s has no name", x.ID)
	}
	return nil
}

// Restriction is one item of GET /api/v2/context/{id}/restrictions.
type Restriction struct {
	ID    string  `json:"id"`
	Type  string  `json:"restriction_type"` // project | expression | group | a type CircleCI adds later
	Value string  `json:"restriction_value"`
	Name  *string `json:"name"` // may be null
}

// Restriction types.
const (
	RestrictionGroup      = "group"
	RestrictionProject    = "project"
	RestrictionExpression = "expression"
)

func (r *Restriction) validate() error {
	if !IsUUID(r.ID) {
		return fmt.Errorf("a context restriction has no UUID id (got %q)", excerpt([]byte(r.ID), 64))
	}
	if r.Type == "" {
		return fmt.Errorf("context restriction %s has no restriction_type", r.ID)
	}
	if r.Value == "" {
		return fmt.Errorf("context restriction %s has no restriction_value", r.ID)
	}
	return nil
}

// envVarName is one item of GET /api/v2/context/{id}/environment-variable.
// Only the variable's name is decoded: the item's truncated_value (the tail
// of the secret) is never read into memory the provider keeps.
type envVarName struct {
	Variable string `json:"variable"`
}

func (v *envVarName) validate() error {
	if v.Variable == "" {
		return errors.New("an environment variable has no name (variable)")
	}
	return nil
}

// ContextsPath is the path of the contexts listing (API host; the owner is
// in the query).
const ContextsPath = "/api/v2/context"

// ContextRestrictionsPath is the path of one context's restrictions.
func ContextRestrictionsPath(contextID string) string {
	return "/api/v2/context/" + url.PathEscape(contextID) + "/restrictions"
}

// ContextEnvVarsPath is the path of one context's environment variables.
func ContextEnvVarsPath(contextID string) string {
	return "/api/v2/context/" + url.PathEscape(contextID) + "/environment-variable"
}

// Contexts returns the contexts owned by an organization, read once per
// client.
func (c *Client) Contexts(ctx context.Context, orgID string) ([]Context, error) {
	if err := checkUUID("organization id", orgID); err != nil {
		return nil, err
	}
	return memoized(ctx, &c.memo, "contexts/"+strings.ToLower(orgID), func(ctx context.Context) ([]Context, error) {
		q := url.Values{"owner-id": {orgID}, "owner-type": {"organization"}}
		contexts, err := listAll(ctx, c, c.cfg.Host, ContextsPath, listOptions[Context]{query: q})
		return contexts, c.withOrgType(ctx, orgID, err)
	})
}

// ContextRestrictions returns one context's restrictions, read once per
// client under a request slot.
func (c *Client) ContextRestrictions(ctx context.Context, contextID string) ([]Restriction, error) {
	if err := checkUUID("context id", contextID); err != nil {
		return nil, err
	}
	return memoized(ctx, &c.memo, "context-restrictions/"+strings.ToLower(contextID), func(ctx context.Context) ([]Restriction, error) {
		return bounded(ctx, c, func(ctx context.Context) ([]Restriction, error) {
			return listAll(ctx, c, c.cfg.Host, ContextRestrictionsPath(contextID), listOptions[Restriction]{})
		})
	})
}

// EnvVarNames are the names of a context's environment variables.
type EnvVarNames struct {
	Names []string // in API order
	// Complete is false when CircleCI ignored the page token and answered
	// with the first page again: Names then holds the first page only.
	Complete bool
}

// ContextEnvVarNames returns the names of one context's environment
// variables (never their values), read once per client under a request
// slot. CircleCI has been seen to ignore the page token past the first 100
// names; that one case is returned as Complete=false, every other paging
// failure is an error.
func (c *Client) ContextEnvVarNames(ctx context.Context, contextID string) (EnvVarNames, error) {
	if err := checkUUID("context id", contextID); err != nil {
		return EnvVarNames{}, err
	}
	return memoized(ctx, &c.memo, "context-env/"+strings.ToLower(contextID), func(ctx context.Context) (EnvVarNames, error) {
		return bounded(ctx, c, func(ctx context.Context) (EnvVarNames, error) {
			opts := listOptions[envVarName]{firstPageAgain: func(first, again []envVarName) bool {
				return len(first) > 0 && slices.Equal(first, again)
			}}
			items, err := listAll(ctx, c, c.cfg.Host, ContextEnvVarsPath(contextID), opts)
			var inc *IncompleteListingError
			if err != nil && !errors.As(err, &inc) {
				return EnvVarNames{}, withoutBodyExcerpt(err)
			}
			out := EnvVarNames{Names: make([]string, len(items)), Complete: err == nil}
			for i, it := range items {
				out.Names[i] = it.Variable
			}
			return out, nil
		})
	})
}

// ContextDetails is what the per-context fan-out reads.
type ContextDetails struct {
	Restrictions []Restriction
	EnvVars      *EnvVarNames // nil when not asked for
}

// AllContextDetails reads the restrictions (and, with envVars, the variable
// names) of each context by id, at most MaxConcurrency requests at a time.
func (c *Client) AllContextDetails(ctx context.Context, contextIDs []string, envVars bool) (map[string]ContextDetails, error) {
	return fanOut(ctx, contextIDs, func(ctx context.Context, id string) (ContextDetails, error) {
		var d ContextDetails
		var err error
		if d.Restrictions, err = c.ContextRestrictions(ctx, id); err != nil {
			return d, err
		}
		if envVars {
			names, err := c.ContextEnvVarNames(ctx, id)
			if err != nil {
				return d, err
			}
			d.EnvVars = &names
		}
		return d, nil
	})
}

// withoutBodyExcerpt drops the body excerpt of a DecodeError: a body of this
// endpoint holds truncated_value, the tail of each secret, which must reach
// no diagnostic or log.
func withoutBodyExcerpt(err error) error {
	var de *DecodeError
	if errors.As(err, &de) {
		de.Excerpt = ""
	}
	return err
}
