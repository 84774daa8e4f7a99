package circleci

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// User returns one user by id (GET /api/v2/user/{id}).
func (c *Client) User(ctx context.Context, id string) (*User, error) {
	if !IsUUID(id) {
		return nil, fmt.Errorf("user id %q is not a UUID", excerpt([]byte(id), 64))
	}
	var u User
	if err := c.getJSON(ctx, c.cfg.Host, "/api/v2/user/"+url.PathEscape(id), &u); err != nil {
		return nil, err
	}
	return &u, nil
}

// Users looks up users by id, at most MaxConcurrency requests at a time
// across the whole client, each user fetched once per client. A user
// CircleCI answers 404 for (a deleted user) maps to nil. Any other failure
// cancels the rest and is returned as a *UserLookupError.
func (c *Client) Users(ctx context.Context, ids []string) (map[string]*User, error) {
	return fanOut(ctx, ids, func(ctx context.Context, id string) (*User, error) {
		u, err := memoized(ctx, &c.memo, "user/"+strings.ToLower(id), func(ctx context.Context) (*User, error) {
			return bounded(ctx, c, func(ctx context.Context) (*User, error) {
				u, err := c.User(ctx, id)
				if ae := (*APIError)(nil); errors.As(err, &ae) && ae.StatusCode == http.StatusNotFound {
					u, err = nil, nil // a deleted user: kept, as nil
				}
				return u, err
			})
		})
		if err != nil {
			return nil, &UserLookupError{UserID: id, Err: err}
		}
		return u, nil
	})
}

// checkedUser is a User from GET /api/v2/me, validated after decoding.
type checkedUser User

// validate rejects what User's validate rejects, an id that is not a UUID,
// and a user without a login. A missing, null or empty name is allowed:
// CircleCI has users without one.
func (u *checkedUser) validate() error {
	if err := (*User)(u).validate(); err != nil {
		return err
	}
	if !IsUUID(u.ID) {
		return fmt.Errorf(`the user's "id" is not a UUID: %q`, excerpt([]byte(u.ID), 64))
	}
	if u.Login == "" {
		return errors.New(`expected a user with a "login", got none`)
	}
	return nil
}

// MePath is the path of GET /api/v2/me.
const MePath = "/api/v2/me"

// Me returns the token's user (GET /api/v2/me), fetched once per client.
// A project or organization token gets 403 there.
func (c *Client) Me(ctx context.Context) (*User, error) {
	return memoized(ctx, &c.memo, "me", func(ctx context.Context) (*User, error) {
		var u checkedUser
		if err := c.getJSON(ctx, c.cfg.Host, MePath, &u); err != nil {
			return nil, err
		}
		me := User(u)
		return &me, nil
	})
}

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
