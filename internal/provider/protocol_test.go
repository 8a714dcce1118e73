package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

// protocolHarness drives one resource type of the provider through the
// plugin protocol, call by call, as Terraform does. It shows what the
// acceptance test harness cannot: the warnings of a plan, and the state an
// apply returns together with its error. It needs no Terraform CLI.
type protocolHarness struct {
	t        *testing.T
	server   tfprotov6.ProviderServer
	config   tfprotov6.DynamicValue // the provider's configuration
	typeName string
	schema   tfsdk.State // the resource's schema, for encoding and decoding models
}

// newProtocolHarness configures a provider for the stub s (with the
// provider attributes in settings: a string, bool or int for each, such as
// "business_id": "biz") and returns a harness for the resource r of type
// typeName.
func newProtocolHarness(t *testing.T, s *stub.Server, typeName string, r resource.Resource, settings map[string]any) *protocolHarness {
	t.Helper()
	server, err := testProviders["vcita"]()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	providerType, ok := schemas.Provider.ValueType().(tftypes.Object)
	if !ok {
		t.Fatalf("the provider schema is a %s, not an object", schemas.Provider.ValueType())
	}
	values := map[string]tftypes.Value{}
	for name, attrType := range providerType.AttributeTypes {
		values[name] = tftypes.NewValue(attrType, nil)
	}
	values["base_url"] = tftypes.NewValue(tftypes.String, s.URL())
	values["token"] = tftypes.NewValue(tftypes.String, stub.DefaultToken)
	for name, value := range settings {
		values[name] = tftypes.NewValue(providerType.AttributeTypes[name], value)
	}
	config, err := tfprotov6.NewDynamicValue(providerType, tftypes.NewValue(providerType, values))
	if err != nil {
		t.Fatal(err)
	}
	var schemaResp resource.SchemaResponse
	r.Schema(t.Context(), resource.SchemaRequest{}, &schemaResp)
	h := &protocolHarness{t: t, server: server, config: config, typeName: typeName, schema: tfsdk.State{Schema: schemaResp.Schema}}
	h.configure()
	return h
}

// configure configures the provider afresh, as each Terraform command does
// in a process of its own: a new client, whose list cache knows nothing of
// what the stub holds.
func (h *protocolHarness) configure() {
	h.t.Helper()
	configured, err := h.server.ConfigureProvider(h.t.Context(), &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.11.4", Config: &h.config})
	if err != nil {
		h.t.Fatal(err)
	}
	failOnErrors(h.t, "configure", configured.Diagnostics)
}

// encode turns a model into the protocol's value (nil: a null object).
func (h *protocolHarness) encode(model any) *tfprotov6.DynamicValue {
	h.t.Helper()
	state := h.schema
	state.Raw = tftypes.NewValue(state.Schema.Type().TerraformType(h.t.Context()), nil)
	if model != nil {
		if diags := state.Set(h.t.Context(), model); diags.HasError() {
			h.t.Fatalf("encoding %+v: %v", model, diags)
		}
	}
	value, err := tfprotov6.NewDynamicValue(state.Raw.Type(), state.Raw)
	if err != nil {
		h.t.Fatal(err)
	}
	return &value
}

// decode reads a protocol value into model, and reports whether it was
// an object (false: null, the resource is gone).
func (h *protocolHarness) decode(value *tfprotov6.DynamicValue, model any) bool {
	h.t.Helper()
	raw, err := value.Unmarshal(h.schema.Schema.Type().TerraformType(h.t.Context()))
	if err != nil {
		h.t.Fatal(err)
	}
	if raw.IsNull() {
		return false
	}
	state := h.schema
	state.Raw = raw
	if diags := state.Get(h.t.Context(), model); diags.HasError() {
		h.t.Fatalf("decoding: %v", diags)
	}
	return true
}

// plan plans config against prior (nil: a create), with proposed as
// Terraform proposes it (the configuration, computed attributes taken from
// the prior state).
func (h *protocolHarness) plan(prior, proposed, config any, priorPrivate []byte) *tfprotov6.PlanResourceChangeResponse {
	h.t.Helper()
	resp, err := h.server.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
		TypeName:         h.typeName,
		PriorState:       h.encode(prior),
		ProposedNewState: h.encode(proposed),
		Config:           h.encode(config),
		PriorPrivate:     priorPrivate,
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return resp
}

// apply applies a plan.
func (h *protocolHarness) apply(prior any, planned *tfprotov6.DynamicValue, config any, plannedPrivate []byte) *tfprotov6.ApplyResourceChangeResponse {
	h.t.Helper()
	resp, err := h.server.ApplyResourceChange(context.Background(), &tfprotov6.ApplyResourceChangeRequest{
		TypeName:       h.typeName,
		PriorState:     h.encode(prior),
		PlannedState:   planned,
		Config:         h.encode(config),
		PlannedPrivate: plannedPrivate,
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return resp
}

// read refreshes current.
func (h *protocolHarness) read(current any, private []byte) *tfprotov6.ReadResourceResponse {
	h.t.Helper()
	resp, err := h.server.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{
		TypeName:     h.typeName,
		CurrentState: h.encode(current),
		Private:      private,
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return resp
}

func failOnErrors(t *testing.T, step string, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Fatalf("%s: %s: %s", step, d.Summary, d.Detail)
		}
	}
}

// diagnosticsOf returns the diagnostics of severity with the summary.
func diagnosticsOf(diags []*tfprotov6.Diagnostic, severity tfprotov6.DiagnosticSeverity, summary string) []*tfprotov6.Diagnostic {
	var out []*tfprotov6.Diagnostic
	for _, d := range diags {
		if d.Severity == severity && d.Summary == summary {
			out = append(out, d)
		}
	}
	return out
}

// describe lists diagnostics for a failure message.
func describe(diags []*tfprotov6.Diagnostic) string {
	var lines []string
	for _, d := range diags {
		lines = append(lines, d.Severity.String()+": "+d.Summary+": "+d.Detail)
	}
	return strings.Join(lines, "\n")
}
