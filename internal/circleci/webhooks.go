package circleci

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// WebhooksPath is the path of the (documented) webhooks listing; the
// project is in the query.
const WebhooksPath = "/api/v2/webhook"

// Webhook is one outbound webhook of a project, as the provider keeps it: the
// destination's scheme and host only (a webhook URL carries secrets in its
// path and query, which are never kept), and whether a signing secret is
// set (CircleCI masks it; its value is never kept).
type Webhook struct {
	ID               string
	Name             string
	Events           []string // sorted
	VerifyTLS        bool
	HasSigningSecret bool
	URLScheme        string // lower-cased
	URLHost          string // lower-cased, with the port if the URL has one; never user info
}

// webhookItem is one item as decoded: key spelling differs between
// CircleCI's description (verify-tls, signing-secret) and what it sends
// (verify_tls, signing_secret), so both are read; exactly one of each must
// be present. The URL and the secret are only held while the item is turned
// into a Webhook.
type webhookItem struct {
	ID               *string    `json:"id"`
	Name             *string    `json:"name"`
	URL              *string    `json:"url"`
	Events           *[]*string `json:"events"`
	VerifyTLS        *bool      `json:"verify_tls"`
	VerifyTLSKebab   *bool      `json:"verify-tls"`
	SigningSecret    *string    `json:"signing_secret"`
	SigningSecretKeb *string    `json:"signing-secret"`
	hook             Webhook
}

// errWebhookURL never quotes the URL: it may carry a secret.
var errWebhookURL = errors.New(`its "url" is not an absolute http(s) URL with a host (the URL is not shown: it may hold a secret)`)

func (w *webhookItem) validate() error {
	if w.ID == nil || *w.ID == "" {
		return errors.New(`a webhook has no "id"`)
	}
	id := excerpt([]byte(*w.ID), 64)
	if w.Name == nil {
		return fmt.Errorf(`webhook %s has no "name"`, id)
	}
	if w.Events == nil || *w.Events == nil || slices.Contains(*w.Events, nil) {
		return fmt.Errorf(`webhook %s has no "events" list of strings`, id)
	}
	verify, err := oneOf(w.VerifyTLS, w.VerifyTLSKebab, "verify_tls", "verify-tls")
	if err != nil {
		return fmt.Errorf("webhook %s: %w", id, err)
	}
	secret, err := oneOf(w.SigningSecret, w.SigningSecretKeb, "signing_secret", "signing-secret")
	if err != nil {
		return fmt.Errorf("webhook %s: %w", id, err)
	}
	if w.URL == nil {
		return fmt.Errorf(`webhook %s has no "url"`, id)
	}
	u, perr := url.Parse(*w.URL)
	if perr != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Hostname() == "" {
		return fmt.Errorf("webhook %s: %w", id, errWebhookURL)
	}
	events := make([]string, len(*w.Events))
	for i, e := range *w.Events {
		events[i] = *e
	}
	slices.Sort(events)
	w.hook = Webhook{
		ID: *w.ID, Name: *w.Name, Events: events, VerifyTLS: *verify, HasSigningSecret: *secret != "",
		URLScheme: strings.ToLower(u.Scheme), URLHost: strings.ToLower(u.Host),
	}
	// Drop the URL and the secret from the decoded item at once.
	w.URL, w.SigningSecret, w.SigningSecretKeb = nil, nil, nil
	return nil
}

// oneOf is the value of whichever of two spellings of a key is present:
// neither, or both, is an error.
func oneOf[T any](snake, kebab *T, snakeName, kebabName string) (*T, error) {
	switch {
	case snake != nil && kebab != nil:
		return nil, fmt.Errorf("both %q and %q are present", snakeName, kebabName)
	case snake != nil:
		return snake, nil
	case kebab != nil:
		return kebab, nil
	}
	return nil, fmt.Errorf("no %q (or %q)", snakeName, kebabName)
}

// ProjectWebhooks returns a project's webhooks, every page, read once per
// client under a request slot. An error never holds a body excerpt: the
// body holds webhook URLs.
func (c *Client) ProjectWebhooks(ctx context.Context, projectID string) ([]Webhook, error) {
	if err := checkUUID("project id", projectID); err != nil {
		return nil, err
	}
	key := "webhooks/" + strings.ToLower(projectID)
	return memoized(ctx, &c.memo, key, func(ctx context.Context) ([]Webhook, error) {
		return bounded(ctx, c, func(ctx context.Context) ([]Webhook, error) {
			q := url.Values{"scope-id": {projectID}, "scope-type": {"project"}}
			items, err := listAll(ctx, c, c.cfg.Host, WebhooksPath, listOptions[webhookItem]{query: q})
			if err != nil {
				return nil, withoutBodyExcerpt(err)
			}
			out := make([]Webhook, len(items))
			for i := range items {
				out[i] = items[i].hook
			}
			return out, nil
		})
	})
}
