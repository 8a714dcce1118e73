package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
)

// eventType is the type of the event attribute: a string whose values are
// equal when they name the same subscription, so that client/created,
// client/create and lead/created never cause a diff against each other.
type eventType struct {
	basetypes.StringType
}

var _ basetypes.StringTypable = eventType{}

func (t eventType) Equal(o attr.Type) bool {
	other, ok := o.(eventType)
	return ok && t.StringType.Equal(other.StringType)
}

func (t eventType) String() string { return "vcita event" }

func (t eventType) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return eventValue{StringValue: in}, nil
}

func (t eventType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	value, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	stringValue, ok := value.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("an event must be a string value")
	}
	return eventValue{StringValue: stringValue}, nil
}

func (t eventType) ValueType(context.Context) attr.Value { return eventValue{} }

// eventValue is a value of eventType.
type eventValue struct {
	basetypes.StringValue
}

var _ basetypes.StringValuableWithSemanticEquals = eventValue{}

func newEventValue(event string) eventValue {
	return eventValue{StringValue: basetypes.NewStringValue(event)}
}

func (v eventValue) Equal(o attr.Value) bool {
	other, ok := o.(eventValue)
	return ok && v.StringValue.Equal(other.StringValue)
}

func (v eventValue) Type(context.Context) attr.Type { return eventType{} }

// StringSemanticEquals reports whether two spellings name one subscription.
func (v eventValue) StringSemanticEquals(_ context.Context, newValuable basetypes.StringValuable) (bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	newValue, ok := newValuable.(eventValue)
	if !ok {
		diags.AddError("Semantic Equality Check Error",
			"An unexpected value type was received while comparing events. Please report this to the provider developers.")
		return false, diags
	}
	return catalog.Equivalent(v.ValueString(), newValue.ValueString()), diags
}

// parsedEvent is the event an attribute holds, parsed where it enters the
// provider (a plan, a prior state, an import) to go to the client. The
// attribute's validators have checked its form, so it parses; "" (an import
// by id, whose state has no event yet) is the zero Event, which vcita.Find
// reads as any event and Client.Unsubscribe refuses.
func parsedEvent(event string) catalog.Event {
	parsed, err := catalog.ParseEvent(event)
	if err != nil {
		return catalog.Event{}
	}
	return parsed
}
