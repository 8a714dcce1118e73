package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

// This file turns what the API lists for a target URL into the state of a
// vcita_webhook_endpoint and back, without any API call, so that the list
// resource maps the same way; and it keeps, in the resource's private state,
// the events the endpoint applied (recordAppliedEvents).

// webhookEndpointModel is the state of a vcita_webhook_endpoint.
type webhookEndpointModel struct {
	ID              types.String   `tfsdk:"id"`
	TargetURL       types.String   `tfsdk:"target_url"`
	Events          types.Set      `tfsdk:"events"`
	BusinessID      types.String   `tfsdk:"business_id"`
	SubscriptionIDs types.Map      `tfsdk:"subscription_ids"`
	Timeouts        timeouts.Value `tfsdk:"timeouts"`
}

// endpointSubscription is one subscription of an endpoint's URL: the event
// as the state spells it, and the API's id ("" while not known).
type endpointSubscription struct {
	Event string
	ID    string
}

// endpointSubscriptions are the subscriptions of one URL, by event key
// (catalog.Event.Key): one entry per event, whatever its spelling.
type endpointSubscriptions map[string]endpointSubscription

// eventKey is the identity of an event: two spellings with one key name one
// subscription. A string that is not an event is its own key (validation
// stops such strings before any call).
func eventKey(event string) string {
	parsed, err := catalog.ParseEvent(event)
	if err != nil {
		return event
	}
	return parsed.Key()
}

// canonicalEvent is the key of an event in subscription_ids: one spelling
// for every spelling of the event (catalog.Event.Canonical), so that a
// respelling, an import or a refresh never changes a key. A string that is
// not an event is its own key.
func canonicalEvent(event string) string {
	parsed, err := catalog.ParseEvent(event)
	if err != nil {
		return event
	}
	return parsed.Canonical()
}

// endpointFromSubscriptions is the one place that reads the subscriptions of
// targetURL out of a list of a business's subscriptions (subs, as the API
// lists them). Each event takes the spelling of spellings that names it
// (what the user wrote), else the catalogue spelling (see listedSpelling).
// Should the API list one event twice on the URL, the first listed counts.
// A subscription listed without a usable event is left out: no unsubscribe
// could name it (see unnamedSubscriptionsWarning).
func endpointFromSubscriptions(subs []vcita.Subscription, targetURL string, spellings []string) endpointSubscriptions {
	out := endpointSubscriptions{}
	for _, sub := range subs {
		if sub.TargetURL != targetURL || !sub.NamesAnEvent() {
			continue // the API compares URLs as strings; so does the endpoint
		}
		key := (catalog.Event{Entity: sub.Entity, Type: sub.EventType}).Key()
		if _, seen := out[key]; !seen {
			out[key] = endpointSubscription{Event: listedSpelling(sub, spellings...), ID: sub.ID}
		}
	}
	return out
}

// unnamedSubscriptionsWarning warns about each subscription of targetURL
// that subs list without a usable name: no event, or one that does not parse
// (see vcita.Subscription.NamesAnEvent). The endpoint leaves it out of its state and never
// removes it, so applies go on; the warning says which it is and that only a
// person can remove it. It is the one warning for both kinds.
func unnamedSubscriptionsWarning(subs []vcita.Subscription, targetURL string) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, sub := range subs {
		if sub.TargetURL == targetURL && !sub.NamesAnEvent() {
			diags.AddWarning("Subscription Without A Usable Event",
				unnamedSubscriptionExplanation(sub)+" so Terraform leaves this subscription out of the endpoint and will never remove it; applies go on without it. "+
					fmt.Sprintf("If it must go, delete subscription %s in vcita by hand.", sub.ID))
		}
	}
	return diags
}

// endpointModelFromSubscriptions is the endpoint as the API lists it: subs
// are a business's subscriptions, business the business_id to record (null
// for the token's own scope), spellings the events as the user wrote them
// (none for an import).
func endpointModelFromSubscriptions(subs []vcita.Subscription, business types.String, targetURL string, spellings []string) webhookEndpointModel {
	return endpointModel(business, targetURL, endpointFromSubscriptions(subs, targetURL, spellings))
}

// endpointModel is the state of an endpoint of targetURL in business that
// has the subscriptions subs: each event as spelt in subs, and its id under
// the event's canonical spelling.
func endpointModel(business types.String, targetURL string, subs endpointSubscriptions) webhookEndpointModel {
	events := make([]attr.Value, 0, len(subs))
	ids := make(map[string]attr.Value, len(subs))
	for _, key := range subs.keys() {
		sub := subs[key]
		events = append(events, types.StringValue(sub.Event))
		ids[canonicalEvent(sub.Event)] = types.StringValue(sub.ID)
	}
	return webhookEndpointModel{
		ID:              types.StringValue(endpointID(business, targetURL)),
		TargetURL:       types.StringValue(targetURL),
		Events:          types.SetValueMust(types.StringType, events),
		BusinessID:      business,
		SubscriptionIDs: types.MapValueMust(types.StringType, ids),
		Timeouts:        nullTimeouts(),
	}
}

// endpointID is an endpoint's id, which is also its import id:
// [<business_id>:]<target_url>.
func endpointID(business types.String, targetURL string) string {
	if business.IsNull() || business.IsUnknown() || business.ValueString() == "" {
		return targetURL
	}
	return business.ValueString() + ":" + targetURL
}

// subscriptions reads the endpoint's subscriptions back out of its state.
// An id is found by its event's key, so a state whose subscription_ids are
// keyed as events were written (before they were keyed canonically) reads
// the same.
func (m webhookEndpointModel) subscriptions() endpointSubscriptions {
	events, _ := knownStrings(m.Events)
	ids := map[string]string{}
	if !m.SubscriptionIDs.IsNull() && !m.SubscriptionIDs.IsUnknown() {
		for event, id := range m.SubscriptionIDs.Elements() {
			if s, ok := id.(types.String); ok && !s.IsUnknown() {
				ids[eventKey(event)] = s.ValueString()
			}
		}
	}
	out := make(endpointSubscriptions, len(events))
	for _, event := range events {
		key := eventKey(event)
		out[key] = endpointSubscription{Event: event, ID: ids[key]}
	}
	return out
}

// only returns the subscriptions of the events (any spelling) in events.
func (s endpointSubscriptions) only(events []string) endpointSubscriptions {
	out := endpointSubscriptions{}
	for _, event := range events {
		if sub, ok := s[eventKey(event)]; ok {
			out[eventKey(event)] = sub
		}
	}
	return out
}

// keys returns the event keys, sorted, so that calls and diagnostics come in
// a stable order.
func (s endpointSubscriptions) keys() []string {
	keys := make([]string, 0, len(s))
	for key := range s {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	return keys
}

// knownStrings returns the elements of a set of strings, and false while the
// set, or any element of it, is null or unknown.
func knownStrings(set types.Set) ([]string, bool) {
	if set.IsNull() || set.IsUnknown() {
		return nil, false
	}
	out := make([]string, 0, len(set.Elements()))
	for _, element := range set.Elements() {
		s, ok := element.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			return nil, false
		}
		out = append(out, s.ValueString())
	}
	sort.Strings(out)
	return out, true
}

// privateAppliedEvents is the private state key under which an endpoint
// keeps the keys of the events it subscribed or adopted itself, so that a
// plan can tell a subscription found on its URL (made by hand, or by another
// resource) from one it made.
const privateAppliedEvents = "applied_events"

// privateState is the part of the framework's private state an endpoint
// reads and writes (CreateResponse.Private, ModifyPlanRequest.Private, ...).
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// recordAppliedEvents stores the keys of subs as the events this endpoint
// applied.
func recordAppliedEvents(ctx context.Context, private privateState, subs endpointSubscriptions) diag.Diagnostics {
	data, err := json.Marshal(subs.keys())
	if err != nil {
		// A list of strings always encodes.
		return nil
	}
	return private.SetKey(ctx, privateAppliedEvents, data)
}

// appliedEvents returns the keys of the events this endpoint applied itself;
// none after an import.
func appliedEvents(ctx context.Context, private privateState) map[string]bool {
	data, diags := private.GetKey(ctx, privateAppliedEvents)
	var keys []string
	if diags.HasError() || len(data) == 0 || json.Unmarshal(data, &keys) != nil {
		return nil
	}
	applied := make(map[string]bool, len(keys))
	for _, key := range keys {
		applied[key] = true
	}
	return applied
}

// privateLeftByFailedCreate is the private state key that marks an endpoint
// recorded by a failed create: it holds only the subscriptions the create
// made and could not undo (see rollBackCreate), and a refresh keeps it to
// those, never taking in the rest of the URL.
const privateLeftByFailedCreate = "left_by_failed_create"

// markLeftByFailedCreate marks the endpoint as recorded by a failed create.
func markLeftByFailedCreate(ctx context.Context, private privateState) diag.Diagnostics {
	return private.SetKey(ctx, privateLeftByFailedCreate, []byte("true"))
}

// leftByFailedCreate reports whether a failed create recorded the endpoint.
func leftByFailedCreate(ctx context.Context, private privateState) bool {
	data, diags := private.GetKey(ctx, privateLeftByFailedCreate)
	return !diags.HasError() && string(data) == "true"
}
