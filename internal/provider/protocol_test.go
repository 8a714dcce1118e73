package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

// Tests that drive the provider through the plugin protocol, call by call,
// as Terraform does. They show what the acceptance test harness cannot: the
// warnings of a plan, a read or a query, and the state an apply returns
// together with its error. They need no Terraform CLI, so they run on every
// machine, whatever Terraform it has (list resources included).

// protocolProvider is the provider's protocol 6 server, configured for a
// stub.
type protocolProvider struct {
	t       *testing.T
	server  tfprotov6.ProviderServer
	schemas *tfprotov6.GetProviderSchemaResponse
	config  *tfprotov6.DynamicValue // the provider's configuration
}

// newProtocolProvider configures a provider for the stub s, with the
// provider attributes in settings (a string, bool or int for each, such as
// "business_id": "biz").
func newProtocolProvider(t *testing.T, s *stub.Server, settings map[string]any) *protocolProvider {
	t.Helper()
	server, err := testProviders["vcita"]()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	providerType := schemas.Provider.ValueType()
	values := map[string]tftypes.Value{
		"base_url": tftypes.NewValue(tftypes.String, s.URL()),
		"token":    tftypes.NewValue(tftypes.String, stub.DefaultToken),
	}
	for name, value := range settings {
		values[name] = tftypes.NewValue(attributeType(t, providerType, name), value)
	}
	p := &protocolProvider{t: t, server: server, schemas: schemas, config: objectValue(t, providerType, values)}
	p.configure()
	return p
}

// configure configures the provider afresh, as each Terraform command does
// in a process of its own: a new client, whose list cache knows nothing of
// what the stub holds.
func (p *protocolProvider) configure() {
	p.t.Helper()
	configured, err := p.server.ConfigureProvider(p.t.Context(), &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.11.4", Config: p.config})
	if err != nil {
		p.t.Fatal(err)
	}
	failOnErrors(p.t, "configure", configured.Diagnostics)
}

// readDataSource reads one data source of typeName, with the given
// attributes set and every other one null.
func (p *protocolProvider) readDataSource(typeName string, attributes map[string]tftypes.Value) *tfprotov6.ReadDataSourceResponse {
	p.t.Helper()
	resp, err := p.server.ReadDataSource(p.t.Context(), &tfprotov6.ReadDataSourceRequest{
		TypeName: typeName,
		Config:   objectValue(p.t, p.schemas.DataSourceSchemas[typeName].ValueType(), attributes),
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp
}

// list runs one list block of the list resource typeName, with the given
// config attributes set and every other one null, and returns every result
// it streams.
func (p *protocolProvider) list(typeName string, config map[string]tftypes.Value, includeResource bool, limit int64) []tfprotov6.ListResourceResult {
	p.t.Helper()
	lister, ok := p.server.(tfprotov6.ListResourceServer)
	if !ok {
		p.t.Fatal("the provider server does not serve list resources")
	}
	stream, err := lister.ListResource(p.t.Context(), &tfprotov6.ListResourceRequest{
		TypeName:        typeName,
		Config:          objectValue(p.t, p.schemas.ListResourceSchemas[typeName].ValueType(), config),
		IncludeResource: includeResource,
		Limit:           limit,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	var results []tfprotov6.ListResourceResult
	for result := range stream.Results {
		results = append(results, result)
	}
	return results
}

// generatedConfig is the configuration Terraform writes for a resource of
// typeName in state (`-generate-config-out`): its non-null attributes, each
// as plainValue shows it.
func (p *protocolProvider) generatedConfig(typeName string, state *tfprotov6.DynamicValue) map[string]string {
	p.t.Helper()
	generated, err := p.server.GenerateResourceConfig(p.t.Context(), &tfprotov6.GenerateResourceConfigRequest{TypeName: typeName, State: state})
	if err != nil {
		p.t.Fatal(err)
	}
	failOnErrors(p.t, "generate config", generated.Diagnostics)
	return p.nonNullAttributes(p.schemas.ResourceSchemas[typeName].ValueType(), generated.Config)
}

// nonNullAttributes decodes an object of type typ and returns its non-null
// attributes, each as plainValue shows it.
func (p *protocolProvider) nonNullAttributes(typ tftypes.Type, dv *tfprotov6.DynamicValue) map[string]string {
	p.t.Helper()
	value, err := dv.Unmarshal(typ)
	if err != nil {
		p.t.Fatal(err)
	}
	var attributes map[string]tftypes.Value
	if err := value.As(&attributes); err != nil {
		p.t.Fatal(err)
	}
	out := map[string]string{}
	for name, v := range attributes {
		if !v.IsNull() {
			out[name] = plainValue(p.t, v)
		}
	}
	return out
}

// plainValue shows a string as itself, and a set, list or map of strings as
// its sorted elements ([a b]; [key=value ...]).
func plainValue(t *testing.T, v tftypes.Value) string {
	t.Helper()
	var s string
	if err := v.As(&s); err == nil {
		return s
	}
	var elements []tftypes.Value
	if err := v.As(&elements); err == nil {
		out := make([]string, len(elements))
		for i, e := range elements {
			out[i] = plainValue(t, e)
		}
		sort.Strings(out)
		return fmt.Sprint(out)
	}
	var entries map[string]tftypes.Value
	if err := v.As(&entries); err != nil {
		t.Fatalf("cannot show %s", v)
	}
	out := make([]string, 0, len(entries))
	for key, e := range entries {
		out = append(out, key+"="+plainValue(t, e))
	}
	sort.Strings(out)
	return fmt.Sprint(out)
}

// objectValue is an object of type typ: the given attributes, every other
// one null.
func objectValue(t *testing.T, typ tftypes.Type, attributes map[string]tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	object, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not an object type", typ)
	}
	values := make(map[string]tftypes.Value, len(object.AttributeTypes))
	for name, attrType := range object.AttributeTypes {
		values[name] = tftypes.NewValue(attrType, nil)
		if value, set := attributes[name]; set {
			values[name] = value
		}
	}
	dv, err := tfprotov6.NewDynamicValue(object, tftypes.NewValue(object, values))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

// attributeType is the type of the attribute name of the object type typ.
func attributeType(t *testing.T, typ tftypes.Type, name string) tftypes.Type {
	t.Helper()
	object, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not an object type", typ)
	}
	attrType, ok := object.AttributeTypes[name]
	if !ok {
		t.Fatalf("%s has no attribute %q", typ, name)
	}
	return attrType
}

// protocolHarness drives one resource type of the provider through the
// plugin protocol: plan, apply and read, with models encoded and decoded
// by the resource's schema.
type protocolHarness struct {
	*protocolProvider
	typeName string
	schema   tfsdk.State // the resource's schema, for encoding and decoding models
}

// newProtocolHarness configures a provider for the stub s (see
// newProtocolProvider) and returns a harness for the resource r of type
// typeName.
func newProtocolHarness(t *testing.T, s *stub.Server, typeName string, r resource.Resource, settings map[string]any) *protocolHarness {
	t.Helper()
	var schemaResp resource.SchemaResponse
	r.Schema(t.Context(), resource.SchemaRequest{}, &schemaResp)
	return &protocolHarness{protocolProvider: newProtocolProvider(t, s, settings), typeName: typeName, schema: tfsdk.State{Schema: schemaResp.Schema}}
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
