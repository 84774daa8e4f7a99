package provider

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// tflogLogger sends the client's events to tflog with the request's
// context, which carries the token masks set by each read.
//
// Calls are serialised: with masks set, terraform-plugin-log (v0.11) rewrites
// the field map stored in the context in place, so concurrent log calls with
// one context (the client's parallel user lookups share their read's
// context) would write that map concurrently and crash the provider.
type tflogLogger struct{}

var tflogMu sync.Mutex

func (tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflogMu.Lock()
	defer tflogMu.Unlock()
	tflog.Debug(ctx, msg, fields)
}

// withTokenMasked returns ctx with the token masked from every log message
// and field value written with it.
func withTokenMasked(ctx context.Context, token string) context.Context {
	if token == "" {
		return ctx
	}
	ctx = tflog.MaskMessageStrings(ctx, token)
	ctx = tflog.MaskAllFieldValuesStrings(ctx, token)
	return tflog.MaskFieldValuesWithFieldKeys(ctx, "Circle-Token", "circle-token", "Authorization", "authorization", "api_token")
}
