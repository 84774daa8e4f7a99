package circleci

import (
	"encoding/json"
	"errors"
	"fmt"
)

// User is the body of GET /api/v2/me and GET /api/v2/user/{id}.
type User struct {
	ID        string  `json:"id"`
	Login     string  `json:"login"`
	Name      string  `json:"name"`
	AvatarURL *string `json:"avatar_url"`
}

// validate rejects a user without an id: `{}` is not a user.
func (u *User) validate() error {
	if u.ID == "" {
		return errors.New(`expected a user with an "id", got none`)
	}
	return nil
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
// A null entry is an error, not an organization without a name.
func (c *Collaboration) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return &itemError{reason: "an entry of the list is null, expected an object"}
	}
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

// validate checks a grant as CircleCI documents it: a user_id that is a
// UUID (an empty one would make members indistinguishable, and a client
// that decoded the wrong key, "userId", would otherwise pass silently), a
// username and a role. It runs after decoding, so each item is decoded once.
func (g *RoleGrant) validate() error {
	who := func() string { return fmt.Sprintf("a role grant (username %q)", excerpt([]byte(g.Username), 64)) }
	switch {
	case g.UserID == "":
		return fmt.Errorf("%s has no user_id", who())
	case !IsUUID(g.UserID):
		return fmt.Errorf("%s has a user_id that is not a UUID: %q", who(), excerpt([]byte(g.UserID), 64))
	case g.Username == "":
		return fmt.Errorf("a role grant (user_id %s) has no username", g.UserID)
	case g.Role == "":
		return fmt.Errorf("a role grant (user_id %s) has no role", g.UserID)
	}
	return nil
}

// validatable is a decoded value with rules beyond its JSON types:
// decodeJSON calls validate after decoding, and a listing calls it for each
// item. Item types of new endpoints implement it to fail closed on an entry
// the provider would misread.
type validatable interface{ validate() error }

// page is one page of a v2-style listing, {"items": [...],
// "next_page_token": ...}, as decoded. Items points at a slice set up before
// decoding (newPage), so that one decode tells the three cases apart: no
// "items" key leaves the pointer as it was and the slice nil; "items": null
// sets the pointer to nil; an array, even an empty one, makes the slice
// non-nil.
type page[T any] struct {
	Items         *[]T    `json:"items"`
	NextPageToken *string `json:"next_page_token"`
	seeded        bool
}

func newPage[T any]() *page[T] { return &page[T]{Items: new([]T), seeded: true} }

// items is the page's items (none for "items": null).
func (p *page[T]) items() []T {
	if p.Items == nil {
		return nil
	}
	return *p.Items
}

// next is the next page's token, "" at the end.
func (p *page[T]) next() string {
	if p.NextPageToken == nil {
		return ""
	}
	return *p.NextPageToken
}

func (p *page[T]) validate() error {
	switch {
	case !p.seeded:
		return errors.New("internal error: a listing page decoded without newPage")
	case p.Items != nil && *p.Items == nil:
		return errors.New(`expected a JSON object with an "items" array, but it has no "items"`)
	case p.Items == nil && p.next() != "":
		return errors.New(`"items" is null, yet a next page is announced`)
	}
	items := p.items()
	for i := range items {
		if v, ok := any(&items[i]).(validatable); ok {
			if err := v.validate(); err != nil {
				return fmt.Errorf("item %d: %w", i+1, err)
			}
		}
	}
	return nil
}
