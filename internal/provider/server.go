package provider

// The provider's protocol server. It is the framework's, with one change:
// a data source's state goes to Terraform as the data source built it,
// without the framework's passes over it after Read.
//
// After a data source's Read, terraform-plugin-framework walks the whole
// state three more times before encoding it: it turns null list and set
// blocks into empty ones (tftypes.Transform, looking up the schema type at
// every value's path), runs semantic equality over every attribute, and
// compares the result with the state. For the 10,000 nested objects of a
// large organization's members those passes cost about 50 µs per member,
// many times what reading and mapping them does (`make bench`). On this
// provider's state they cannot change anything: no data source schema has a
// block, and every attribute is a plain framework type without semantic
// equality (TestServer_statePassesAreNoOps fails if that changes). So
// setState encodes the state itself when the server asks for it, and the
// server sends those bytes; the framework's passes see the configuration,
// which is small. Everything else (configuration, validation, diagnostics,
// logging) is the framework's, unchanged.

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// NewProtocol6 is the provider's protocol server, for main and for tests
// that serve it in-process.
func NewProtocol6(version string) func() tfprotov6.ProviderServer {
	framework := providerserver.NewProtocol6(New(version)())
	return func() tfprotov6.ProviderServer { return &server{ProviderServer: framework()} }
}

// NewProtocol6WithError is NewProtocol6 for terraform-plugin-testing's factories.
func NewProtocol6WithError(version string) func() (tfprotov6.ProviderServer, error) {
	srv := NewProtocol6(version)
	return func() (tfprotov6.ProviderServer, error) { return srv(), nil }
}

type server struct {
	tfprotov6.ProviderServer
}

// encodedStateKey is the context key under which ReadDataSource asks
// setState for the encoded state.
type encodedStateKey struct{}

// encodedState is where setState leaves the state it encoded.
type encodedState struct {
	value *tfprotov6.DynamicValue
}

// ReadDataSource is the framework's, with the state setState encoded in
// place of the one the framework would encode. A read that failed answers
// exactly as the framework does.
func (s *server) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	encoded := &encodedState{}
	resp, err := s.ProviderServer.ReadDataSource(context.WithValue(ctx, encodedStateKey{}, encoded), req)
	if err != nil || resp == nil || encoded.value == nil || hasError(resp.Diagnostics) {
		return resp, err
	}
	resp.State = encoded.value
	return resp, nil
}

func hasError(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}
