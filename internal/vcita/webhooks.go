package vcita

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
)

// Subscription is one webhook subscription, as the list endpoint reports it
// or, straight after a subscribe answered with an id, as it was subscribed.
type Subscription struct {
	ID string
	// Entity and EventType are as the API lists them: the entity may be the
	// canonical one of an alias, and the event type the base verb (create)
	// of the past tense the subscription was made with (created). A
	// Subscribe answered with an id returns the canonical entity and the
	// event type as subscribed, until the next list.
	Entity    string
	EventType string
	TargetURL string
}

// Event returns the subscription's event as `entity/event_type`, as listed.
func (s Subscription) Event() string { return s.Entity + "/" + s.EventType }

// NamesAnEvent reports whether the API lists the subscription with an event
// of the form entity/event_type: only then can an unsubscribe name it.
// Without one (entity and event_type empty) or with one that does not parse
// (" / ", "client/created/extra"), Unsubscribe refuses it, since the API
// removes every subscription of the URL for an unsubscribe it reads as
// naming no event. Entity and EventType keep what the API listed, so that
// such an item can still be shown and warned about.
func (s Subscription) NamesAnEvent() bool { return s.listedEvent().Valid() }

// listedEvent is the subscription's event as listed, unchecked: enough to
// compare keys, which a malformed event never shares with a parsed one.
func (s Subscription) listedEvent() catalog.Event {
	return catalog.Event{Entity: s.Entity, Type: s.EventType}
}

// SubscribeResult is the outcome of a successful Subscribe.
type SubscribeResult struct {
	Subscription Subscription
	// Adopted is true when the subscribe call's answer was lost (a timeout,
	// a dropped connection, a gateway error, a cancellation) but the list
	// shows that the call did create the subscription.
	Adopted bool
}

// listConfirmAttempts is how many lists lookUp takes before giving up on
// finding a subscription: one the API accepted without giving its id (the
// list may lag the write), or one whose subscribe answer was unclear (the
// list itself may fail).
const listConfirmAttempts = 3

// listConfirmWait is the pause between those looks.
const listConfirmWait = time.Second

// Subscribe subscribes targetURL to event, acting for business ("" for the
// token's own scope), and returns the subscription.
//
// When the API answers with an id, the subscription exists: it is returned
// at once, its entity and event type taken from the catalogue (canonical
// entity, event type as subscribed), for the next list to settle. Nothing is
// listed to confirm it, so no failed or cancelled list can lose it.
//
// The list decides only what the answer did not say. An answer without an
// id is looked up in the list for its id. And the subscribe call is not
// idempotent, so when an attempt ends without a clear answer and the retry
// says "already exists" (or the retries run out), a subscription that was
// not there before this call and is there now is this call's, and is
// adopted; one that was there before is reported as the API's 422. Both
// lookups run even when ctx is cancelled, on a detached, bounded context, so
// that an interrupted apply leaves no subscription the state does not know
// about.
func (c *Client) Subscribe(ctx context.Context, business string, event catalog.Event, targetURL string) (SubscribeResult, error) {
	pair := pairKey(event, targetURL)
	before, err := c.lists.get(ctx, business, c.lists.pairGeneration(business, pair))
	if err != nil {
		return SubscribeResult{}, fmt.Errorf("listing the existing subscriptions before subscribing: %w", err)
	}

	ans, err := c.write(ctx, "subscribe", pathSubscribe, business, event, targetURL)
	var id string
	if err == nil {
		id, err = c.decodeSubscribe(ans)
	}
	switch {
	case err == nil && id != "":
		return SubscribeResult{Subscription: subscribedAs(id, event, targetURL)}, nil
	case err == nil:
		sub, err := c.findAccepted(ctx, business, event, targetURL)
		return SubscribeResult{Subscription: sub}, err
	case !ans.ambiguous && !IsDecode(err):
		return SubscribeResult{}, err
	}
	return c.resolveAmbiguousSubscribe(ctx, business, event, targetURL, before, err)
}

// subscribedAs is a subscription the API has just confirmed with its id, as
// the catalogue spells it: the canonical entity and the event type as
// subscribed. The API may list the base verb (create for created); the next
// refresh records that.
func subscribedAs(id string, event catalog.Event, targetURL string) Subscription {
	return Subscription{ID: id, Entity: catalog.CanonicalEntity(event.Entity), EventType: event.Type, TargetURL: targetURL}
}

// lookupContext is the context of a list that must learn what a write did,
// for its answer decides whether a subscription reaches the state. It does
// not end when ctx ends (a Ctrl-C may come at any moment, and the
// operation's budget may run out), only CleanupTimeout after that, so that
// an interrupted or timed-out operation still ends soon: its deadline is
// ctx's plus CleanupTimeout, and a cancellation ends it CleanupTimeout
// later.
func lookupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	lookup, cancel := context.WithCancel(context.WithoutCancel(ctx))
	if deadline, ok := ctx.Deadline(); ok {
		var cancelDeadline context.CancelFunc
		lookup, cancelDeadline = context.WithDeadline(lookup, deadline.Add(CleanupTimeout))
		cancelParent := cancel
		cancel = func() { cancelDeadline(); cancelParent() }
	}
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(CleanupTimeout, cancel) })
	return lookup, func() { stop(); cancel() }
}

// resolveAmbiguousSubscribe decides, from the list, what an unclear subscribe
// did.
func (c *Client) resolveAmbiguousSubscribe(ctx context.Context, business string, event catalog.Event, targetURL string, before []Subscription, callErr error) (SubscribeResult, error) {
	sub, nowListed, err := c.lookUp(ctx, business, event, targetURL, false)
	if err != nil {
		return SubscribeResult{}, &UnresolvedSubscribeError{Err: callErr, ListErr: err}
	}
	if !nowListed {
		return SubscribeResult{}, callErr
	}
	if _, existedBefore := Find(before, "", event, targetURL); existedBefore {
		return SubscribeResult{}, callErr
	}
	return SubscribeResult{Subscription: sub, Adopted: true}, nil
}

// findAccepted finds a subscription the API accepted without giving its id
// in the list, which gives the id, and the entity and event type as the API
// reports them.
func (c *Client) findAccepted(ctx context.Context, business string, event catalog.Event, targetURL string) (Subscription, error) {
	sub, found, err := c.lookUp(ctx, business, event, targetURL, true)
	switch {
	case found:
		return sub, nil
	case err != nil:
		return Subscription{}, fmt.Errorf("%w (listing the subscriptions failed: %w)", ErrNotListed, err)
	}
	return Subscription{}, ErrNotListed
}

// lookUp looks for the pair in a list taken after a write, on a
// lookupContext. A list that fails is taken again, and so is one that does
// not show the pair yet when untilFound (the list may lag the write), up to
// listConfirmAttempts lists in all.
func (c *Client) lookUp(ctx context.Context, business string, event catalog.Event, targetURL string, untilFound bool) (sub Subscription, found bool, err error) {
	lookupCtx, cancel := lookupContext(ctx)
	defer cancel()
	for attempt := 1; ; attempt++ {
		var subs []Subscription
		subs, err = c.lists.get(lookupCtx, business, c.lists.current(business))
		if err == nil {
			if sub, found = Find(subs, "", event, targetURL); found || !untilFound {
				return sub, found, nil
			}
			c.lists.invalidate(business)
		}
		if attempt == listConfirmAttempts || IsUnauthorized(err) {
			return Subscription{}, false, err
		}
		if waitErr := sleep(lookupCtx, listConfirmWait); waitErr != nil {
			return Subscription{}, false, cmp.Or(err, waitErr)
		}
	}
}

// ErrNotListed is returned when the API accepted a subscribe without giving
// an id and the subscription then could not be found in the list.
var ErrNotListed = errors.New("the API accepted the subscription without giving its id, and the list did not show it, so its id is unknown")

// UnresolvedSubscribeError is a subscribe whose outcome is unknown: the call
// failed ambiguously, and the list that would tell whether it went through
// failed too.
type UnresolvedSubscribeError struct {
	Err     error
	ListErr error
}

func (e *UnresolvedSubscribeError) Error() string {
	return fmt.Sprintf("%s; whether the subscription was created is unknown, because listing the subscriptions failed too: %s", e.Err, e.ListErr)
}

func (e *UnresolvedSubscribeError) Unwrap() error { return e.Err }

// ErrUnsafeUnsubscribe refuses an unsubscribe whose event is not of the
// form entity/event_type (the zero Event, or one built by hand with an empty
// or slashed part) or whose target URL is empty: the API removes every
// subscription of a URL when the event is left out, and may read such an
// event as left out.
var ErrUnsafeUnsubscribe = errors.New("refusing to unsubscribe without an event of the form entity/event_type and a target URL: the API could take it as no event and remove every subscription of the URL")

// Unsubscribe removes the one subscription of targetURL to event.
//
// An event that is not of the form entity/event_type (catalog.Event.Valid),
// the zero Event among them, is refused
// (ErrUnsafeUnsubscribe) before anything is sent. A failed call,
// or one the API says removed nothing, is checked against the list: a
// subscription that is no longer listed counts as removed, and one still
// listed under another spelling of its event is unsubscribed by that
// spelling.
func (c *Client) Unsubscribe(ctx context.Context, business string, event catalog.Event, targetURL string) error {
	removedNothing, err := c.unsubscribe(ctx, business, event, targetURL)
	if (err == nil && !removedNothing) || errors.Is(err, ErrUnsafeUnsubscribe) || IsUnauthorized(err) || ctx.Err() != nil {
		return err
	}
	subs, listErr := c.lists.get(ctx, business, c.lists.current(business))
	if listErr != nil {
		if err != nil {
			return err
		}
		return fmt.Errorf("the API answered that it unsubscribed nothing, and listing the subscriptions to check failed: %w", listErr)
	}
	listed, stillListed := Find(subs, "", event, targetURL)
	switch {
	case !stillListed:
		return nil
	case err != nil:
		return err
	}
	return c.unsubscribeAsListed(ctx, business, event, listed)
}

// unsubscribeAsListed retries an unsubscribe the API said matched nothing
// with the spellings under which the list shows the subscription: the listed
// one and its catalogue spelling. Each names the event, so each can only
// remove this subscription.
func (c *Client) unsubscribeAsListed(ctx context.Context, business string, tried catalog.Event, listed Subscription) error {
	asListed := listed.listedEvent() // Find matched it to a parsed event, so it is one
	spelling, _ := asListed.CatalogueSpelling()
	for _, candidate := range []catalog.Event{asListed, spelling} {
		if candidate == tried {
			continue
		}
		tried = candidate
		if _, err := c.unsubscribe(ctx, business, candidate, listed.TargetURL); err != nil {
			return err
		}
		subs, err := c.lists.get(ctx, business, c.lists.current(business))
		if err != nil {
			return err
		}
		if _, stillListed := Find(subs, listed.ID, candidate, listed.TargetURL); !stillListed {
			return nil
		}
	}
	return fmt.Errorf("the API answered that it unsubscribed nothing, and it still lists subscription %s as %s", listed.ID, listed.Event())
}

// unsubscribe sends one unsubscribe call naming event. It is the one place
// that sends an unsubscribe, so the one place that refuses an unsafe one.
func (c *Client) unsubscribe(ctx context.Context, business string, event catalog.Event, targetURL string) (removedNothing bool, err error) {
	if !event.Valid() || targetURL == "" {
		return false, fmt.Errorf("%w (event %q, target URL %q)", ErrUnsafeUnsubscribe, event, RedactedURL(targetURL))
	}
	ans, err := c.write(ctx, "unsubscribe", pathUnsubscribe, business, event, targetURL)
	if err != nil {
		return false, err
	}
	return c.decodeUnsubscribe(ans)
}

// write sends a subscribe or unsubscribe call for one pair and records it as
// a write whatever its outcome (a failed call may still have changed the
// API), so that no list taken before it answers a later caller.
func (c *Client) write(ctx context.Context, op, path, business string, event catalog.Event, targetURL string) (answer, error) {
	ans, err := c.do(ctx, call{
		op:       op,
		method:   http.MethodPost,
		path:     path,
		body:     map[string]string{"event": event.String(), "target_url": targetURL},
		business: business,
	})
	c.lists.noteWrite(business, pairKey(event, targetURL))
	return ans, err
}

// ListSubscriptions returns every subscription in business's scope. Callers
// at the same time share one request, and later callers reuse its answer
// until this client writes to that scope. The slice is shared: do not
// modify it.
func (c *Client) ListSubscriptions(ctx context.Context, business string) ([]Subscription, error) {
	return c.lists.get(ctx, business, c.lists.current(business))
}

// fetchSubscriptions is the one real list call, behind the list cache.
func (c *Client) fetchSubscriptions(ctx context.Context, business string) ([]Subscription, error) {
	ans, err := c.do(ctx, call{op: "list", method: http.MethodGet, path: pathList, business: business, maxBody: maxListBodyBytes})
	if err != nil {
		return nil, err
	}
	return c.decodeList(ans)
}

// Find returns the subscription identified by id or, when no listed
// subscription has that id (or id is empty), by the pair of event and
// targetURL. The zero event matches any event, for a look-up by id alone. Events match when they name the same subscription (client/created
// matches client/create and lead/created); target URLs match only exactly,
// as the API compares them. An id whose subscription has another event or
// URL is not a match: the pair is the identity.
func Find(subs []Subscription, id string, event catalog.Event, targetURL string) (Subscription, bool) {
	var wantKey string
	if event != (catalog.Event{}) {
		wantKey = event.Key()
	}
	matchesPair := func(s Subscription) bool {
		if targetURL != "" && s.TargetURL != targetURL {
			return false
		}
		return wantKey == "" || s.listedEvent().Key() == wantKey
	}
	if id != "" {
		for _, s := range subs {
			if s.ID == id && matchesPair(s) {
				return s, true
			}
		}
	}
	if wantKey == "" || targetURL == "" {
		return Subscription{}, false
	}
	for _, s := range subs {
		if matchesPair(s) {
			return s, true
		}
	}
	return Subscription{}, false
}

// pairKey identifies a subscription within a scope: its canonical event and
// its exact target URL.
func pairKey(event catalog.Event, targetURL string) string {
	return event.Key() + " " + targetURL
}
