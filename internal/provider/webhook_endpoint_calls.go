package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/sync/errgroup"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

// endpointParallelism bounds the API calls one endpoint has in flight: an
// endpoint of every event applies in a few round trips, and a hundred
// endpoints applied by Terraform ten at a time stay within what the API and
// the client's retries handle.
const endpointParallelism = 8

// The operations of an endpointCall.
const (
	opSubscribe   = "subscribe"
	opUnsubscribe = "unsubscribe"
)

// endpointCall is one subscribe or unsubscribe an endpoint sends, and what
// came of it.
type endpointCall struct {
	op    string // opSubscribe or opUnsubscribe
	event string // as sent
	// sub is what a successful subscribe made (or adopted).
	sub vcita.Subscription
	err error
}

// endpointChanges are the calls that take an endpoint from the
// subscriptions it has to the events it wants: a subscribe for each wanted
// event it does not have, an unsubscribe for each subscription whose event
// it does not want, nothing for an event it has under another spelling.
func endpointChanges(have endpointSubscriptions, want []string) []endpointCall {
	wanted := make(map[string]bool, len(want))
	var calls []endpointCall
	for _, event := range want {
		key := eventKey(event)
		wanted[key] = true
		if _, ok := have[key]; !ok {
			// Any equivalent spelling is sent as the catalogue's (client/create
			// as client/created), as the subscription resource does.
			sent, _ := catalog.CatalogueSpelling(event)
			calls = append(calls, endpointCall{op: opSubscribe, event: sent})
		}
	}
	for _, key := range have.keys() {
		if !wanted[key] {
			calls = append(calls, endpointCall{op: opUnsubscribe, event: have[key].Event})
		}
	}
	sort.SliceStable(calls, func(i, j int) bool { return calls[i].event < calls[j].event })
	return calls
}

// sendEndpointCalls makes the calls, at most endpointParallelism at a time,
// each through the client's retries, adoption after an unclear answer and
// shared list, and records each outcome in place. It waits for every call
// that started; once ctx is cancelled no further call starts.
func sendEndpointCalls(ctx context.Context, client *vcita.Client, business, targetURL string, calls []endpointCall) {
	var group errgroup.Group
	group.SetLimit(endpointParallelism)
	for i := range calls {
		group.Go(func() error {
			calls[i].send(ctx, client, business, targetURL)
			return nil // each call's outcome is its own; the others go on
		})
	}
	_ = group.Wait()
}

// send makes the call and records its outcome.
func (c *endpointCall) send(ctx context.Context, client *vcita.Client, business, targetURL string) {
	if c.err = ctx.Err(); c.err != nil {
		return // cancelled while waiting for its turn: not sent
	}
	if c.op == opSubscribe {
		c.sub, c.err = subscribeOrAdopt(ctx, client, business, c.event, targetURL)
		return
	}
	// Unsubscribe refuses an empty event: without one the API removes every
	// subscription of the URL.
	c.err = client.Unsubscribe(ctx, business, c.event, targetURL)
}

// subscribeOrAdopt subscribes targetURL to event; when the API answers that
// the subscription already exists (made since the endpoint last looked), it
// adopts the listed one, since the endpoint owns every subscription of its
// URL.
func subscribeOrAdopt(ctx context.Context, client *vcita.Client, business, event, targetURL string) (vcita.Subscription, error) {
	result, err := client.Subscribe(ctx, business, event, targetURL)
	if err == nil {
		if result.Adopted {
			tflog.Info(ctx, "The subscribe answer was lost, but the list shows the subscription this call created; adopting it", map[string]any{
				"event": event, "subscription_id": result.Subscription.ID,
			})
		}
		return result.Subscription, nil
	}
	if !vcita.IsConflict(err) {
		return vcita.Subscription{}, err
	}
	subs, listErr := client.ListSubscriptions(ctx, business)
	if listErr != nil {
		return vcita.Subscription{}, err
	}
	sub, found := vcita.Find(subs, "", event, targetURL)
	if !found {
		return vcita.Subscription{}, err
	}
	tflog.Info(ctx, "The event was already subscribed on the endpoint's URL; adopting the subscription", map[string]any{
		"event": event, "subscription_id": sub.ID,
	})
	return sub, nil
}

// afterEndpointCalls is what the endpoint has once the calls are done: what
// it had, less each subscription unsubscribed, plus each one subscribed.
// Events it wanted and already had take the wanted spelling; a failed call
// changes nothing, so the state holds what the API holds and the next plan
// shows only what is still missing.
func afterEndpointCalls(have endpointSubscriptions, want []string, calls []endpointCall) endpointSubscriptions {
	spelling := make(map[string]string, len(want))
	for _, event := range want {
		spelling[eventKey(event)] = event
	}
	after := make(endpointSubscriptions, len(have)+len(calls))
	for key, sub := range have {
		if event, wanted := spelling[key]; wanted {
			sub.Event = event
		}
		after[key] = sub
	}
	for _, call := range calls {
		if call.err != nil {
			continue
		}
		key := eventKey(call.event)
		switch call.op {
		case opSubscribe:
			after[key] = endpointSubscription{Event: spelling[key], ID: call.sub.ID}
		default:
			delete(after, key)
		}
	}
	return after
}

// endpointCallsDiagnostic reports the calls that failed, each with its
// event and the API's words, or nothing when none failed. The summary is the
// failure's own when every failure is of one kind (vcita Rejected The
// Credentials, vcita API Unavailable, ...).
func endpointCallsDiagnostic(targetURL string, calls []endpointCall) diag.Diagnostics {
	var failed []endpointCall
	for _, call := range calls {
		if call.err != nil {
			failed = append(failed, call)
		}
	}
	if len(failed) == 0 {
		return nil
	}
	var lines []string
	advice := map[string]string{}
	var summaries []string
	for _, call := range failed {
		summary, why := explainAPIError(call.err)
		if _, seen := advice[summary]; !seen {
			advice[summary] = why
			summaries = append(summaries, summary)
		}
		lines = append(lines, fmt.Sprintf("- %s %s: %s. %s", call.op, call.event, summary, apiWords(call.err)))
	}
	detail := fmt.Sprintf("%d of the %d calls for %s failed:\n\n%s\n\n", len(failed), len(calls), vcita.RedactedURL(targetURL), strings.Join(lines, "\n"))
	for _, summary := range summaries {
		detail += summary + ": " + advice[summary] + "\n\n"
	}
	detail += "The calls that succeeded are recorded in the state, which holds what vcita has for the URL now: " +
		"the next plan shows, and the next apply retries, only what is still missing."
	summary := "Webhook Endpoint Partly Applied"
	if len(summaries) == 1 {
		summary = summaries[0]
	}
	var diags diag.Diagnostics
	diags.AddError(summary, detail)
	return diags
}
