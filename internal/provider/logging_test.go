package provider

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// Regression: the client's parallel user lookups log with one shared
// context; with masks set, terraform-plugin-log rewrites the context's field
// map in place, which crashed the provider ("concurrent map iteration and map
// write"). scripts/test.sh runs this test under -race too.
func TestTflogLogger_concurrentWithMasks(t *testing.T) {
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	ctx = tflog.SetField(ctx, "tf_data_source_type", "circleci_org_members")
	ctx = withTokenMasked(ctx, "secret-token-value")

	var wg sync.WaitGroup
	for i := 0; i < 64; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				tflogLogger{}.Debug(ctx, "CircleCI API request", map[string]any{
					"url": "https://example/secret-token-value", "headers": map[string]string{"Circle-Token": "[REDACTED]"},
				})
			}
		}()
	}
	wg.Wait()
	out := buf.String()
	if strings.Count(out, "CircleCI API request") != 64*20 {
		t.Fatalf("lost log lines: %d", strings.Count(out, "CircleCI API request"))
	}
	if strings.Contains(out, "secret-token-value") {
		t.Fatal("the token was logged")
	}
}
