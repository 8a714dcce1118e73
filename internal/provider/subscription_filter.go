package provider

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

// subscriptionFilter holds the filters of a listing of subscriptions (the
// vcita_webhook_subscriptions data source and both list resources); empty
// means any.
type subscriptionFilter struct {
	entity, eventType, targetURL string
}

// matchesNothing ends each warning of a filter outside the catalogue.
const matchesNothing = "so this filter matches no subscription of an event the provider knows."

// diagnostics warns about a filter that matches no subscription of a
// catalogue event, which would otherwise return nothing without a word (and
// let a check built on it pass without checking): an entity or an event type
// outside the catalogue (a typo, a wrong case), with the nearest ones, or a
// pair of them the catalogue has no event of. They are warnings, and the
// list is still filtered as asked: the API may list subscriptions of events
// the catalogue does not know (see allow_unknown_events).
func (f subscriptionFilter) diagnostics() diag.Diagnostics {
	var diags diag.Diagnostics
	entityKnown := f.entity == "" || catalog.KnownEntity(f.entity)
	if !entityKnown {
		warnNotInCatalogue(&diags, "entity", f.entity, "Unknown Webhook Entity", "an entity", catalog.SuggestEntity(f.entity, 3),
			"Entities are compared as the API lists them, with aliases resolved and case included. "+
				"The entities attribute of the vcita_webhook_events data source lists every entity.")
	}
	eventTypeKnown := f.eventType == "" || catalog.KnownEventType(f.eventType)
	if !eventTypeKnown {
		warnNotInCatalogue(&diags, "event_type", f.eventType, "Unknown Webhook Event Type", "an event type", catalog.SuggestEventType(f.eventType, 3),
			"Event types are compared as the API lists them, with create and created (update, delete) alike and case included. "+
				"The entities attribute of the vcita_webhook_events data source lists the event types of each entity.")
	}
	if f.entity != "" && f.eventType != "" && entityKnown && eventTypeKnown && !f.matchesACatalogueEvent() {
		diags.AddAttributeWarning(path.Root("event_type"), "No Such Webhook Event",
			fmt.Sprintf("The catalogue has no event %s/%s, %s The vcita_webhook_events data source with entity = %q lists the events of that entity.",
				f.entity, f.eventType, matchesNothing, f.entity))
	}
	return diags
}

// matchesACatalogueEvent reports whether some catalogue event passes the
// entity and event type filters.
func (f subscriptionFilter) matchesACatalogueEvent() bool {
	for _, event := range catalog.EventsOfEntity(f.entity) {
		parsed, _ := catalog.ParseEvent(event)
		if catalog.EventTypesMatch(parsed.Type, f.eventType) {
			return true
		}
	}
	return false
}

func (f subscriptionFilter) matches(s vcita.Subscription) bool {
	return (f.entity == "" || catalog.EntitiesMatch(f.entity, s.Entity)) &&
		(f.eventType == "" || catalog.EventTypesMatch(f.eventType, s.EventType)) &&
		(f.targetURL == "" || f.targetURL == s.TargetURL)
}

// matchingSubscriptions returns the subscriptions that match filter, ordered
// by id (numerically where ids are numbers), so that plans do not churn when
// the API returns them in another order. It never modifies subs, which the
// list cache shares. The data source and the list resource both filter here.
func matchingSubscriptions(subs []vcita.Subscription, filter subscriptionFilter) []vcita.Subscription {
	matched := make([]vcita.Subscription, 0, len(subs))
	for _, s := range subs {
		if filter.matches(s) {
			matched = append(matched, s)
		}
	}
	sort.SliceStable(matched, func(i, j int) bool { return idLess(matched[i].ID, matched[j].ID) })
	return matched
}

// listedSubscriptions returns subscriptions as the data source lists them.
func listedSubscriptions(matched []vcita.Subscription) []listedSubscription {
	out := make([]listedSubscription, len(matched))
	for i, s := range matched {
		out[i] = listedSubscription{
			ID:        types.StringValue(s.ID),
			Event:     types.StringValue(s.Event()),
			Entity:    types.StringValue(catalog.CanonicalEntity(s.Entity)),
			EventType: types.StringValue(s.EventType),
			TargetURL: types.StringValue(s.TargetURL),
		}
	}
	return out
}

func idLess(a, b string) bool {
	na, errA := strconv.ParseInt(a, 10, 64)
	nb, errB := strconv.ParseInt(b, 10, 64)
	if errA == nil && errB == nil {
		return na < nb
	}
	if (errA == nil) != (errB == nil) {
		return errA == nil // numbers first
	}
	return a < b
}

// warnNotInCatalogue warns that attribute = value names no entity or event
// type (what, with its article) of the catalogue, with the nearest ones
// (suggestions) and howCompared, which says how values are compared and
// where the catalogue's are listed.
func warnNotInCatalogue(diags *diag.Diagnostics, attribute, value, summary, what string, suggestions []string, howCompared string) {
	diags.AddAttributeWarning(path.Root(attribute), summary,
		fmt.Sprintf("%s = %q is not %s of the vcita webhook catalogue, %s%s %s",
			attribute, value, what, matchesNothing, didYouMean(suggestions), howCompared))
}
