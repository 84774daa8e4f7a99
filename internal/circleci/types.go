package circleci

import (
	"encoding/json"
	"fmt"
)

// User is the body of GET /api/v2/me and GET /api/v2/user/{id}.
type User struct {
	ID        string  `json:"id"`
	Login     string  `json:"login"`
	Name      string  `json:"name"`
	AvatarURL *string `json:"avatar_url"`
}

// Collaboration is one entry of GET /api/v2/me/collaborations: an
// organization or account the token's user belongs to.
type Collaboration struct {
	ID        *string // nil for an account never set up on CircleCI
	VCSType   string
	Name      string
	AvatarURL string
	Slug      string
}

// UnmarshalJSON accepts the key as CircleCI spells it, "vcs-type", and the
// "vcs_type" some clients and proxies use.
func (c *Collaboration) UnmarshalJSON(b []byte) error {
	var w struct {
		ID        *string `json:"id"`
		VCSHyphen *string `json:"vcs-type"`
		VCSSnake  *string `json:"vcs_type"`
		Name      string  `json:"name"`
		AvatarURL *string `json:"avatar_url"`
		Slug      string  `json:"slug"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*c = Collaboration{ID: w.ID, Name: w.Name, Slug: w.Slug}
	if w.VCSHyphen != nil {
		c.VCSType = *w.VCSHyphen
	} else if w.VCSSnake != nil {
		c.VCSType = *w.VCSSnake
	}
	if w.AvatarURL != nil {
		c.AvatarURL = *w.AvatarURL
	}
	return nil
}

// RoleGrant is one entry of the organization role-grants listing.
type RoleGrant struct {
	UserID   string `json:"user_id"`
	Username string `json:"username"`
	Email    string `json:"email"`
	Role     string `json:"role"`
}

// validate rejects a grant without a user_id: a member without an id cannot
// be told apart from another, and a client that decoded the wrong key
// ("userId") would otherwise pass silently. It runs after decoding, so each
// item is decoded once.
func (g *RoleGrant) validate() error {
	if g.UserID == "" {
		return fmt.Errorf("a role grant (username %q) has no user_id", excerpt([]byte(g.Username), 64))
	}
	return nil
}

// validatable is a decoded value with rules beyond its JSON types.
type validatable interface{ validate() error }

// page is one page of a v2-style listing.
type page[T any] struct {
	Items         []T     `json:"items"`
	NextPageToken *string `json:"next_page_token"`
}

func (p *page[T]) validate() error {
	for i := range p.Items {
		if v, ok := any(&p.Items[i]).(validatable); ok {
			if err := v.validate(); err != nil {
				return err
			}
		}
	}
	return nil
}
