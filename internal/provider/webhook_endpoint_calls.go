package provider

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

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
	op    string        // opSubscribe or opUnsubscribe
	event catalog.Event // as sent
	// sub is what a successful subscribe made (or adopted).
	sub vcita.Subscription
	// existed is true when the subscribe found the subscription already
	// there ("already exists") and adopted it: the call made nothing, so a
	// failed create's rollback leaves it.
	existed bool
	err     error
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
			sent, _ := parsedEvent(event).CatalogueSpelling()
			calls = append(calls, endpointCall{op: opSubscribe, event: sent})
		}
	}
	for _, key := range have.keys() {
		if !wanted[key] {
			calls = append(calls, endpointCall{op: opUnsubscribe, event: parsedEvent(have[key].Event)})
		}
	}
	sort.SliceStable(calls, func(i, j int) bool { return calls[i].event.String() < calls[j].event.String() })
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
		c.sub, c.existed, c.err = subscribeOrAdopt(ctx, client, business, c.event, targetURL)
		return
	}
	// Unsubscribe refuses an empty event: without one the API removes every
	// subscription of the URL.
	c.err = client.Unsubscribe(ctx, business, c.event, targetURL)
}

// subscribeOrAdopt subscribes targetURL to event; when the API answers that
// the subscription already exists (made since the endpoint last looked), it
// adopts the listed one, since the endpoint owns every subscription of its
// URL. existed is true in that case: the call made nothing.
func subscribeOrAdopt(ctx context.Context, client *vcita.Client, business string, event catalog.Event, targetURL string) (sub vcita.Subscription, existed bool, err error) {
	result, err := client.Subscribe(ctx, business, event, targetURL)
	if err == nil {
		if result.Adopted {
			tflog.Info(ctx, "The subscribe answer was lost, but the list shows the subscription this call created; adopting it", map[string]any{
				"event": event.String(), "subscription_id": result.Subscription.ID,
			})
		}
		return result.Subscription, false, nil
	}
	if !vcita.IsConflict(err) {
		return vcita.Subscription{}, false, err
	}
	subs, listErr := client.ListSubscriptions(ctx, business)
	if listErr != nil {
		return vcita.Subscription{}, false, err
	}
	sub, found := vcita.Find(subs, "", event, targetURL)
	if !found {
		return vcita.Subscription{}, false, err
	}
	tflog.Info(ctx, "The event was already subscribed on the endpoint's URL; adopting the subscription", map[string]any{
		"event": event.String(), "subscription_id": sub.ID,
	})
	return sub, true, nil
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
		key := call.event.Key()
		switch call.op {
		case opSubscribe:
			after[key] = endpointSubscription{Event: spelling[key], ID: call.sub.ID}
		default:
			delete(after, key)
		}
	}
	return after
}

// appliedOutcome ends the error of an update or a delete whose calls failed
// in part: its state holds what the API has.
const appliedOutcome = "The calls that succeeded are recorded in the state, which holds what vcita has for the URL now: " +
	"the next plan shows, and the next apply retries, only what is still missing."

// endpointCallsDiagnostic reports the calls that failed, each with its
// event and the API's words, or nothing when none failed; outcome, the
// last paragraph, says what became of the calls that succeeded and what the
// next apply does. The summary is the failure's own when every failure is
// of one kind (vcita Rejected The Credentials, vcita API Unavailable, ...).
func endpointCallsDiagnostic(targetURL string, calls []endpointCall, outcome string) diag.Diagnostics {
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
	detail += outcome
	summary := "Webhook Endpoint Partly Applied"
	if len(summaries) == 1 {
		summary = summaries[0]
	}
	var diags diag.Diagnostics
	diags.AddError(summary, detail)
	return diags
}

// createRollbackTimeout is the time the rollback of a failed create has,
// on a context of its own: it runs even after Ctrl-C (which cancels the
// create's context), and ends by then. Each unsubscribe of the rollback
// still goes through the client's retries, cut short by this deadline.
const createRollbackTimeout = time.Minute

// rollBackCreate unsubscribes, at most createRollbackTimeout after it
// starts and whether or not ctx is cancelled, each subscription the calls
// of a failed create made (never one a call found already there). It
// returns the events it unsubscribed, and the subscribe calls whose
// subscription it could not remove, each with the rollback's error.
func rollBackCreate(ctx context.Context, client *vcita.Client, business, targetURL string, calls []endpointCall) (undone []string, left []endpointCall) {
	var undo []endpointCall
	made := map[catalog.Event]endpointCall{}
	for _, call := range calls {
		if call.op == opSubscribe && call.err == nil && !call.existed {
			undo = append(undo, endpointCall{op: opUnsubscribe, event: call.event})
			made[call.event] = call
		}
	}
	if len(undo) == 0 {
		return nil, nil
	}
	rollbackCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), createRollbackTimeout)
	defer cancel()
	sendEndpointCalls(rollbackCtx, client, business, targetURL, undo)
	for _, call := range undo {
		if call.err == nil {
			undone = append(undone, call.event.String())
			continue
		}
		kept := made[call.event]
		kept.err = call.err // why it is left
		left = append(left, kept)
	}
	return undone, left
}

// madeSubscriptions are the subscriptions the subscribe calls made, each
// event spelt as in want, whatever became of them since.
func madeSubscriptions(want []string, calls []endpointCall) endpointSubscriptions {
	made := make([]endpointCall, len(calls))
	for i, call := range calls {
		call.err = nil
		made[i] = call
	}
	return afterEndpointCalls(nil, want, made)
}

// createOutcome ends the error of a failed create: what its rollback did
// (undone: the events it unsubscribed again; left: the subscriptions it
// could not remove) and what the next apply does.
func createOutcome(undone []string, left []endpointCall) string {
	var out string
	switch {
	case len(undone) > 0:
		out = fmt.Sprintf("The create was undone: the subscriptions it made (%s) were unsubscribed again; those already on the URL before are left as they were.", strings.Join(undone, ", "))
	case len(left) > 0:
		out = "The subscriptions already on the URL before the create are left as they were."
	default:
		out = "The create made no subscription, and left those already on the URL as they were."
	}
	if len(left) == 0 {
		return out + " Nothing is recorded in the state. " +
			"The next apply creates the endpoint again: it keeps the subscriptions on the URL, subscribes only the events that are missing and unsubscribes nothing."
	}
	var lines []string
	for _, call := range left {
		summary, _ := explainAPIError(call.err)
		lines = append(lines, fmt.Sprintf("- %s (subscription %s): %s. %s", call.event, call.sub.ID, summary, apiWords(call.err)))
	}
	return out + fmt.Sprintf(" These subscriptions it made could not be unsubscribed again:\n\n%s\n\n", strings.Join(lines, "\n")) +
		"They are recorded in the state, so Terraform marks the endpoint as tainted, and the next apply replaces it: " +
		"it unsubscribes them, then subscribes the events that are missing, theirs included (with create_before_destroy, the new endpoint keeps them instead and subscribes only the other missing events). " +
		"terraform destroy unsubscribes them."
}

// subscribedEvents are the events the calls subscribe.
func subscribedEvents(calls []endpointCall) []string {
	var events []string
	for _, call := range calls {
		if call.op == opSubscribe {
			events = append(events, call.event.String())
		}
	}
	return events
}

// failedAny reports whether any of the calls failed.
func failedAny(calls []endpointCall) bool {
	return slices.ContainsFunc(calls, func(c endpointCall) bool { return c.err != nil })
}

// leftByDeleteDiagnostic fails a create or update (op) of an endpoint that
// wants events a delete of this apply failed to unsubscribe from targetURL
// (urlRegistry.leftByDelete). The resource being destroyed stays in the
// state holding them, and the next apply destroys it, unsubscribing them:
// were this endpoint to adopt them, the two would record one subscription
// and that destroy would remove what this endpoint wants. So the endpoint
// sends nothing; the next apply finishes the destroy and this change in one
// apply, whose handoff (urlRegistry's holdings and lock) ends with every
// event subscribed.
func leftByDeleteDiagnostic(targetURL, op string, events []string) diag.Diagnostics {
	var diags diag.Diagnostics
	diags.AddError("Webhook Subscriptions Still Held By A Destroyed Resource",
		fmt.Sprintf("Another resource of this configuration that this apply destroys (an endpoint or a vcita_webhook_subscription of %s, such as the same URL at its old address) "+
			"could not unsubscribe %s: its own error says why. It stays in the state holding them, and the next apply destroys it again, unsubscribing them. "+
			"So this endpoint does not take them over, which would leave two resources recording one subscription: the %s sent nothing to vcita, and the state is as before it. "+
			"Run the apply again once the cause is gone: it finishes the destroy and the %s together, and the URL ends with every event of this endpoint subscribed.",
			vcita.RedactedURL(targetURL), strings.Join(events, ", "), op, op))
	return diags
}
