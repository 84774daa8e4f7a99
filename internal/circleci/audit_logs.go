package circleci

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// AuditLogStream is one audit-log streaming configuration of an
// organization (GET /api/v2/organizations/{org_id}/audit-log/configs,
// undocumented). Only where the stream goes and its state are kept: the
// config's credentials and role are never read.
type AuditLogStream struct {
	ID               string
	TargetType       string // S3 | S3_COMPATIBLE | anything CircleCI adds
	Disabled         bool
	ConnectionStatus string // CONNECTED | DISCONNECTED | UNKNOWN | DISABLED | …
	Bucket           string // "" when CircleCI gives none
}

type auditLogItem struct {
	ID               *string `json:"id"`
	TargetType       *string `json:"target_type"`
	TargetTypeKebab  *string `json:"target-type"`
	IsDisabled       *bool   `json:"is_disabled"`
	IsDisabledKebab  *bool   `json:"is-disabled"`
	ConnectionStatus *string `json:"connection_status"`
	ConnStatusKebab  *string `json:"connection-status"`
	Config           *struct {
		BucketName      *string `json:"bucket_name"`
		BucketNameKebab *string `json:"bucket-name"`
	} `json:"config"`
	stream AuditLogStream
}

func (a *auditLogItem) validate() error {
	if a.ID == nil || *a.ID == "" {
		return errors.New(`an audit-log configuration has no "id"`)
	}
	id := excerpt([]byte(*a.ID), 64)
	target, err := oneOf(a.TargetType, a.TargetTypeKebab, "target_type", "target-type")
	if err == nil && *target == "" {
		err = errors.New(`"target_type" is empty`)
	}
	if err != nil {
		return fmt.Errorf("audit-log configuration %s: %w", id, err)
	}
	disabled, err := oneOf(a.IsDisabled, a.IsDisabledKebab, "is_disabled", "is-disabled")
	if err != nil {
		return fmt.Errorf("audit-log configuration %s: %w", id, err)
	}
	status, err := oneOf(a.ConnectionStatus, a.ConnStatusKebab, "connection_status", "connection-status")
	if err != nil {
		return fmt.Errorf("audit-log configuration %s: %w", id, err)
	}
	bucket := ""
	if a.Config != nil {
		switch {
		case a.Config.BucketName != nil && a.Config.BucketNameKebab != nil:
			return fmt.Errorf(`audit-log configuration %s: both "bucket_name" and "bucket-name" are present`, id)
		case a.Config.BucketName != nil:
			bucket = *a.Config.BucketName
		case a.Config.BucketNameKebab != nil:
			bucket = *a.Config.BucketNameKebab
		}
	}
	a.stream = AuditLogStream{ID: *a.ID, TargetType: *target, Disabled: *disabled, ConnectionStatus: *status, Bucket: bucket}
	return nil
}

// AuditLogConfigsPath is the path of an organization's audit-log streaming
// configurations.
func AuditLogConfigsPath(orgID string) string {
	return "/api/v2/organizations/" + url.PathEscape(orgID) + "/audit-log/configs"
}

// AuditLogStreams returns an organization's audit-log streaming
// configurations, read once per client.
func (c *Client) AuditLogStreams(ctx context.Context, orgID string) ([]AuditLogStream, error) {
	if err := checkUUID("organization id", orgID); err != nil {
		return nil, err
	}
	return memoized(ctx, &c.memo, "audit-log-configs/"+strings.ToLower(orgID), func(ctx context.Context) ([]AuditLogStream, error) {
		items, err := listAll(ctx, c, c.cfg.Host, AuditLogConfigsPath(orgID), listOptions[auditLogItem]{})
		if err != nil {
			// The body holds the stream's configuration (a role ARN, an
			// endpoint): no excerpt of it.
			return nil, withoutBodyExcerpt(err)
		}
		out := make([]AuditLogStream, len(items))
		for i := range items {
			out[i] = items[i].stream
		}
		return out, nil
	})
}
