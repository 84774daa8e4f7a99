package circleci

import (
	"context"
	"fmt"
)

// CheckoutKey is one item of GET /api/v2/project/{project-slug}/checkout-key.
// The public key is not decoded: the fingerprint names the key.
type CheckoutKey struct {
	Type        string // deploy-key | github-user-key | bitbucket-user-key | a type CircleCI adds later
	Fingerprint string
	Preferred   bool
	CreatedAt   *string // RFC 3339; nil when CircleCI gives none
}

// UnmarshalJSON decodes the keys in both spellings (created_at and the
// OpenAPI description's created-at).
func (k *CheckoutKey) UnmarshalJSON(b []byte) error {
	var w struct {
		Type        string  `json:"type"`
		Fingerprint string  `json:"fingerprint"`
		Preferred   *bool   `json:"preferred"`
		CreatedAt   *string `json:"created_at"`
		CreatedAtK  *string `json:"created-at"`
	}
	if err := decodeObject(b, &w); err != nil {
		return err
	}
	at, err := either(w.CreatedAt, w.CreatedAtK, "created_at")
	if err != nil {
		return &itemError{reason: fmt.Sprintf("checkout key %q %s", excerpt([]byte(w.Fingerprint), 100), err)}
	}
	if w.Preferred == nil {
		return &itemError{reason: fmt.Sprintf("checkout key %q has no preferred", excerpt([]byte(w.Fingerprint), 100))}
	}
	*k = CheckoutKey{Type: w.Type, Fingerprint: w.Fingerprint, Preferred: *w.Preferred, CreatedAt: at}
	return nil
}

func (k *CheckoutKey) validate() error {
	if k.Fingerprint == "" {
		return fmt.Errorf("a checkout key (type %q) has no fingerprint", excerpt([]byte(k.Type), 64))
	}
	if k.Type == "" {
		return fmt.Errorf("checkout key %q has no type", excerpt([]byte(k.Fingerprint), 100))
	}
	at, err := createdAt(k.CreatedAt)
	if err != nil {
		return fmt.Errorf("checkout key %q %w", excerpt([]byte(k.Fingerprint), 100), err)
	}
	k.CreatedAt = at
	return nil
}

// CheckoutKeysPath is the path of a project's checkout keys.
func CheckoutKeysPath(slug string) (string, error) {
	return projectSlugPath("/api/v2/project/", slug, "/checkout-key")
}

// CheckoutKeys returns a project's checkout keys (deploy and user keys),
// read once per client under a request slot.
func (c *Client) CheckoutKeys(ctx context.Context, slug string) (ProjectListing[CheckoutKey], error) {
	path, err := CheckoutKeysPath(slug)
	if err != nil {
		return ProjectListing[CheckoutKey]{}, err
	}
	return projectFetch(ctx, c, projectSlugKey("checkout-keys", slug), func(ctx context.Context) ([]CheckoutKey, error) {
		return listAll(ctx, c, c.cfg.Host, path, listOptions[CheckoutKey]{})
	})
}
