package provider

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
)

// Regression: docs/index.md listed 2 of the 10 data sources. The provider
// page (its template and the generated page) and the README link every data
// source the provider serves.
func TestDocs_everyDataSourceListed(t *testing.T) {
	var names []string
	for _, f := range (&CircleCIProvider{}).DataSources(context.Background()) {
		var resp datasource.MetadataResponse
		f().Metadata(context.Background(), datasource.MetadataRequest{ProviderTypeName: "circleci"}, &resp)
		names = append(names, resp.TypeName)
	}
	if len(names) < 10 {
		t.Fatalf("only %d data sources: %v", len(names), names)
	}
	for _, c := range []struct{ file, prefix string }{
		{filepath.Join("templates", "index.md.tmpl"), "data-sources/"},
		{filepath.Join("docs", "index.md"), "data-sources/"},
		{"README.md", "docs/data-sources/"},
	} {
		b, err := os.ReadFile(filepath.Join("..", "..", c.file)) //nolint:gosec // G304: a file of this repository
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			link := "[`" + n + "`](" + c.prefix + strings.TrimPrefix(n, "circleci_") + ".md)"
			if !strings.Contains(string(b), link) {
				t.Errorf("%s does not link %s as %s", c.file, n, link)
			}
		}
	}
}

// README and the provider page link every guide.
func TestDocs_everyGuideListed(t *testing.T) {
	guides, err := filepath.Glob(filepath.Join("..", "..", "docs", "guides", "*.md"))
	if err != nil || len(guides) == 0 {
		t.Fatalf("no guides (%v)", err)
	}
	for _, c := range []struct{ file, prefix string }{
		{filepath.Join("templates", "index.md.tmpl"), "(guides/"},
		{"README.md", "(docs/guides/"},
	} {
		b, err := os.ReadFile(filepath.Join("..", "..", c.file)) //nolint:gosec // G304: a file of this repository
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range guides {
			if link := c.prefix + filepath.Base(g) + ")"; !strings.Contains(string(b), link) {
				t.Errorf("%s does not link the guide %s", c.file, link)
			}
		}
	}
}
