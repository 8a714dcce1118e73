package provider

import (
	"fmt"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

// How both managed resources (and the list resources through them) read the
// event of a subscription the API lists: the spelling they record, and what
// they do with an item whose event no unsubscribe could name.

// listedSpelling is the spelling a resource records for the event of a
// listed subscription: the one of prior (the spellings the user wrote) that
// names the same event, so that the API's own spelling never shows as a
// change; without one (an import, a subscription made outside Terraform) the
// catalogue spelling, which subscribe and unsubscribe calls accept.
func listedSpelling(sub vcita.Subscription, prior ...string) string {
	for _, event := range prior {
		if catalog.Equivalent(event, sub.Event()) {
			return event
		}
	}
	spelling, _ := catalog.SubscribeSpelling(sub.Entity, sub.EventType)
	return spelling
}

// unnamedSubscriptionExplanation says what is wrong with a listed
// subscription that fails vcita.Subscription.NamesAnEvent and why the provider cannot manage
// it; the caller completes the sentence with what it does about it.
func unnamedSubscriptionExplanation(sub vcita.Subscription) string {
	return fmt.Sprintf("vcita lists subscription %s of %s with entity %q and event_type %q, which is not an event of the form entity/event_type. "+
		"An unsubscribe must name its event (the API removes every subscription of the URL for one that names none),",
		sub.ID, vcita.RedactedURL(sub.TargetURL), sub.Entity, sub.EventType)
}
