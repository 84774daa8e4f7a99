package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/circleci-access/terraform-provider-circleci/internal/fakeapi"
)

// Regression: the provider page's example prompted for a variable when
// pasted. examples/provider/provider.tf, alone in a directory, plans with
// nothing but CIRCLECI_TOKEN (and the fake's host) set, without -var and
// without a prompt (-input=false turns a prompt into an error).
func TestAccExamples_providerAsPasted(t *testing.T) {
	r := newCLIRunner(t)
	fx := fakeapi.DemoFixture()
	orgID, _, _ := demoOrganization(t, fx)
	r.useFake(fx, orgID)
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join(r.root, "examples", "provider", "provider.tf"))
	if err != nil {
		t.Fatal(err)
	}
	// A data source that uses the default provider, so that it is configured
	// and reads CircleCI.
	cfg := string(b) + "\ndata \"circleci_me\" \"me\" {}\n\noutput \"me\" {\n  value = data.circleci_me.me.login\n}\n"
	//nolint:gosec // G703: dir is a t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	res := r.tf(dir, "plan", "-input=false", "-no-color")
	if res.exitCode != 0 {
		t.Fatalf("the provider page's example does not plan as pasted\n%s", res)
	}
	res.assertContains(t, `me = "`+fx.Me.Login+`"`)
	if strings.Contains(res.output(), "No value for required variable") {
		t.Errorf("the example needs a variable\n%s", res)
	}
}
