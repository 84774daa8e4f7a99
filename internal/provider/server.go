package provider

// The provider's protocol server. It is the framework's, with one change:
// a data source's state goes to Terraform as the data source built it,
// without the framework's passes over it after Read.
//
// After a data source's Read, terraform-plugin-framework walks the whole
// state three more times before encoding it: it turns null list and set
// blocks into empty ones (tftypes.Transform, looking up the schema type at
// every value's path), runs semantic equality over every attribute, and
// compares the result with the state. On the thousands of nested objects of
// a large organization's members those passes cost many times what reading
// and mapping them does (`make bench`; the figures are in CONTRIBUTING.md). On this
// provider's state they cannot change anything: no data source schema has a
// block, and every attribute is a plain framework type without semantic
// equality (TestServer_statePassesAreNoOps fails if that changes). So
// setState encodes the state itself when the server asks for it, and the
// server sends those bytes; the framework's passes see the configuration,
// which is small. Everything else (configuration, validation, diagnostics,
// logging, and every RPC the framework serves) is the framework's, unchanged.
//
// The whole seam is in this file: the server, the context key through which
// it asks for the encoded state, and setState, which answers. Outside this
// server (the framework's own, in tests) setState is the framework's
// State.Set: one encoder, and the framework as the reference it is tested
// against (TestServer_sameStateAsFramework, TestStateWithoutReflection).

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// NewProtocol6 is the provider's protocol server, for main and for tests
// that serve it in-process.
func NewProtocol6(version string) func() tfprotov6.ProviderServer {
	framework := providerserver.NewProtocol6(New(version)())
	return func() tfprotov6.ProviderServer {
		// The framework's server implements every interface of
		// frameworkServer; if an upgrade drops one, this fails at once
		// (TestServer_forwardsEveryFrameworkRPC).
		return &server{frameworkServer: framework().(frameworkServer)} //nolint:forcetypeassert // see above
	}
}

// NewProtocol6WithError is NewProtocol6 for terraform-plugin-testing's factories.
func NewProtocol6WithError(version string) func() (tfprotov6.ProviderServer, error) {
	srv := NewProtocol6(version)
	return func() (tfprotov6.ProviderServer, error) { return srv(), nil }
}

// frameworkServer is every protocol interface the framework's server
// implements. The wrapper embeds it whole, so that each RPC, the optional
// ones included (list resources, actions, state stores), reaches the
// framework: an interface embedded partly would answer "not implemented" with
// no build error. TestServer_forwardsEveryFrameworkRPC fails when the
// framework gains a method this does not forward.
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

type server struct {
	frameworkServer
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
	resp, err := s.frameworkServer.ReadDataSource(context.WithValue(ctx, encodedStateKey{}, encoded), req)
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

// stateValuer is a data source model that describes its own state
// (state_values.go) and, through its tfsdk tags, the framework's.
type stateValuer interface {
	state() stateVal
}

// setState replaces the state with the model's. It must be a data source's
// last write to the state in Read: served by this file's server, it encodes
// the state at once and the server sends those bytes, so a later write would
// be lost (TestServer_sameStateAsFramework, which reads every data source
// through both servers, fails on one). Outside the server it is the
// framework's State.Set. A value that does not fit the schema is a provider
// bug: it is reported as one, never written.
func setState(ctx context.Context, state *tfsdk.State, m stateValuer) diag.Diagnostics {
	encoded, ok := ctx.Value(encodedStateKey{}).(*encodedState)
	if !ok {
		return state.Set(ctx, m)
	}
	b, err := m.state().encodeMsgpack(state.Schema.Type().TerraformType(ctx))
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Provider Built an Invalid State",
			fmt.Sprintf("The data source's state did not fit its schema. This is a bug in the provider, please report it. Cause: %v", err))
		return diags
	}
	encoded.value = &tfprotov6.DynamicValue{MsgPack: b}
	return nil
}
