package provider

// Every diagnostic the provider returns to a CLI during the acceptance tests
// that serve it in-process (testAccProtoV6ProviderFactories) is scanned: no
// line of its summary or detail may start with "Error:" (CI scripts grep
// for the CLI's own error lines), and TestMain fails the run otherwise.
// TestDiagnostics_noLineStartsWithError covers each diagnostic class without
// a CLI; this covers what the suite actually produces.

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

var diagnosticScan struct {
	sync.Mutex
	scanned int
	bad     []string
}

// scanDiagnostics records the diagnostics of one response.
func scanDiagnostics(diags []*tfprotov6.Diagnostic) {
	diagnosticScan.Lock()
	defer diagnosticScan.Unlock()
	for _, d := range diags {
		if d == nil {
			continue
		}
		diagnosticScan.scanned++
		for _, line := range strings.Split(d.Summary+"\n"+d.Detail, "\n") {
			if startsWithError(line) {
				diagnosticScan.bad = append(diagnosticScan.bad, fmt.Sprintf("%q: %q", d.Summary, line))
				break
			}
		}
	}
}

// scanningServer is the provider's protocol server with every response's
// diagnostics scanned.
type scanningServer struct{ tfprotov6.ProviderServer }

func (s scanningServer) ValidateProviderConfig(ctx context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	resp, err := s.ProviderServer.ValidateProviderConfig(ctx, req)
	if resp != nil {
		scanDiagnostics(resp.Diagnostics)
	}
	return resp, err
}

func (s scanningServer) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	resp, err := s.ProviderServer.ConfigureProvider(ctx, req)
	if resp != nil {
		scanDiagnostics(resp.Diagnostics)
	}
	return resp, err
}

func (s scanningServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	resp, err := s.ProviderServer.ValidateDataResourceConfig(ctx, req)
	if resp != nil {
		scanDiagnostics(resp.Diagnostics)
	}
	return resp, err
}

func (s scanningServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	resp, err := s.ProviderServer.ReadDataSource(ctx, req)
	if resp != nil {
		scanDiagnostics(resp.Diagnostics)
	}
	return resp, err
}

// scanning wraps a provider factory so that its servers scan diagnostics.
func scanning(factory func() (tfprotov6.ProviderServer, error)) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) {
		srv, err := factory()
		if err != nil {
			return nil, err
		}
		return scanningServer{srv}, nil
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	diagnosticScan.Lock()
	defer diagnosticScan.Unlock()
	if len(diagnosticScan.bad) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: %d of the %d diagnostics the tests produced have a line starting with Error:\n  %s\n",
			len(diagnosticScan.bad), diagnosticScan.scanned, strings.Join(diagnosticScan.bad, "\n  "))
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// The scan itself: a diagnostic with such a line is recorded, others not.
func TestScanDiagnostics(t *testing.T) {
	diagnosticScan.Lock()
	before, bad := diagnosticScan.scanned, len(diagnosticScan.bad)
	diagnosticScan.Unlock()
	scanDiagnostics([]*tfprotov6.Diagnostic{{Summary: "Fine", Detail: "a\nCause: GET /x"}})
	diagnosticScan.Lock()
	defer diagnosticScan.Unlock()
	if diagnosticScan.scanned != before+1 || len(diagnosticScan.bad) != bad {
		t.Errorf("a clean diagnostic: scanned %d→%d, bad %d→%d", before, diagnosticScan.scanned, bad, len(diagnosticScan.bad))
	}
	// What a bad one would record, without failing the run.
	var line string
	for _, l := range strings.Split("x\nError: GET /x", "\n") {
		if startsWithError(l) {
			line = l
		}
	}
	if line != "Error: GET /x" {
		t.Errorf("startsWithError missed %q", "Error: GET /x")
	}
}
