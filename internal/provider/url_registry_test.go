package provider

import (
	"context"
	"maps"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestURLRegistryClaims(t *testing.T) {
	r := newURLRegistry()
	const u = "https://h.example.com"
	for _, step := range []struct {
		name                string
		business, url, kind string
		token               planToken
		wantConflict        bool
		wantOtherKind       string
	}{
		{name: "the first endpoint", business: "b", url: u, kind: claimEndpoint, token: planToken{plan: "e1"}},
		{name: "its second plan (a replacement)", business: "b", url: u, kind: claimEndpoint, token: planToken{plan: "e1"}},
		{name: "another endpoint", business: "b", url: u, kind: claimEndpoint, token: planToken{plan: "e2"}, wantConflict: true, wantOtherKind: claimEndpoint},
		{name: "a subscription of the endpoint's URL", business: "b", url: u, kind: claimSubscription, token: planToken{plan: "s1"}, wantConflict: true, wantOtherKind: claimEndpoint},
		{name: "another business", business: "", url: u, kind: claimEndpoint, token: planToken{plan: "e3"}},
		{name: "another URL", business: "b", url: u + "/", kind: claimEndpoint, token: planToken{plan: "e4"}},
		{name: "a subscription", business: "c", url: u, kind: claimSubscription, token: planToken{plan: "s2"}},
		{name: "another subscription of its URL", business: "c", url: u, kind: claimSubscription, token: planToken{plan: "s3"}},
		{name: "an endpoint of a subscription's URL", business: "c", url: u, kind: claimEndpoint, token: planToken{plan: "e5"}, wantConflict: true, wantOtherKind: claimSubscription},
		{name: "then any other subscription conflicts with the endpoint", business: "c", url: u, kind: claimSubscription, token: planToken{plan: "s4"}, wantConflict: true, wantOtherKind: claimEndpoint},
	} {
		other, conflict := r.claimURL(step.business, step.url, step.kind, step.token)
		if conflict != step.wantConflict || other.kind != step.wantOtherKind {
			t.Errorf("%s: conflict %v with %q, want %v with %q", step.name, conflict, other.kind, step.wantConflict, step.wantOtherKind)
		}
	}
	for range 2 {
		if r.claimPair("b", "client/created", u, planToken{plan: "s1"}) {
			t.Error("one subscription's plans conflict with each other")
		}
	}
	if !r.claimPair("b", "lead/created", u, planToken{plan: "s2"}) {
		t.Error("two subscriptions of one event (two spellings) do not conflict")
	}
	if r.claimPair("b", "client/updated", u, planToken{plan: "s2"}) || r.claimPair("", "client/created", u, planToken{plan: "s3"}) {
		t.Error("another event or business conflicts")
	}
	var nilRegistry *urlRegistry
	if _, conflict := nilRegistry.claimURL("b", u, claimEndpoint, planToken{plan: "x"}); conflict || nilRegistry.claimPair("b", "client/created", u, planToken{plan: "x"}) || nilRegistry.holds("b", u, "client/created") {
		t.Error("a nil registry (before Configure) knows something")
	}
	nilRegistry.lockURL("b", u, true)()
}

func TestURLRegistryHoldings(t *testing.T) {
	r := newURLRegistry()
	const u = "https://h.example.com"
	r.hold("b", u, endpointSubscriptions{"client/create": {Event: "lead/created", ID: "1"}})
	if !r.holds("b", u, "client/created") {
		t.Error("another spelling of a held event is not held")
	}
	if r.holds("b", u, "invoice/issued") || r.holds("", u, "client/created") || r.holds("b", u+"/", "client/created") {
		t.Error("an event, business or URL not held is held")
	}
}

// An endpoint's lock excludes everything on its URL; subscriptions share it.
func TestURLRegistryLocks(t *testing.T) {
	r := newURLRegistry()
	const u = "https://h.example.com"
	releaseA := r.lockURL("b", u, false)
	releaseB := r.lockURL("b", u, false) // a second subscription does not wait
	got := make(chan struct{})
	go func() {
		defer r.lockURL("b", u, true)()
		close(got)
	}()
	select {
	case <-got:
		t.Fatal("an endpoint took the URL while subscriptions held it")
	case <-time.After(50 * time.Millisecond):
	}
	defer r.lockURL("b", u+"/other", true)() // another URL does not wait
	releaseA()
	releaseB()
	<-got
}

// fakePrivate is a private state in memory.
type fakePrivate map[string][]byte

func (p fakePrivate) GetKey(_ context.Context, key string) ([]byte, diag.Diagnostics) {
	return p[key], nil
}

func (p fakePrivate) SetKey(_ context.Context, key string, value []byte) diag.Diagnostics {
	p[key] = value
	return nil
}

// The second plan of a replacement (a null prior state, the first plan's
// private state as its prior) claims as the first; a plan with a prior state
// claims with a token of that state, as the same object each time it is
// planned, with its private state or without, and as another object for
// another state or another instance value; a create draws a new token.
func TestClaimToken(t *testing.T) {
	ctx := t.Context()
	none := tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.String}}, nil)
	stateOf := func(id string) tftypes.Value {
		return tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.String}}, map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.String, id)})
	}
	imported := func() fakePrivate {
		private := fakePrivate{}
		if diags := startInstance(ctx, private); diags.HasError() {
			t.Fatal(diags)
		}
		return private
	}
	a, b := imported(), imported()
	firstPlanned := fakePrivate{}
	maps.Copy(firstPlanned, a)
	first, _ := claimToken(ctx, stateOf("1"), a, firstPlanned)
	second, _ := claimToken(ctx, none, firstPlanned, fakePrivate{})
	if first.plan == "" || first.instance == "" || !second.sameObject(first) {
		t.Errorf("first %+v, second %+v: want one object", first, second)
	}
	// The same object planned again (an import whose configuration is
	// generated), with its private state or without, claims as itself.
	for name, private := range map[string]fakePrivate{"with": a, "without": {}} {
		if again, _ := claimToken(ctx, stateOf("1"), private, fakePrivate{}); !again.sameObject(first) {
			t.Errorf("the same object planned again %s its private state: %+v, then %+v", name, first, again)
		}
	}
	// Another state, or another instance value of the same state (two
	// resources that imported one object), is another object.
	if other, _ := claimToken(ctx, stateOf("2"), a, fakePrivate{}); other.sameObject(first) {
		t.Error("two prior states claimed as one object")
	}
	if other, _ := claimToken(ctx, stateOf("1"), b, fakePrivate{}); other.sameObject(first) {
		t.Error("two imports of one object claimed as one object")
	}
	// A prior state's private state holds an old plan's token: a plan with
	// a prior state never takes it.
	old := fakePrivate{}
	_ = old.SetKey(ctx, privatePlanToken, []byte(`"old"`))
	if update, _ := claimToken(ctx, stateOf("1"), old, fakePrivate{}); update.plan == "old" {
		t.Error("an update reused the token of its prior private state")
	}
	tokens := map[string]bool{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			token, _ := claimToken(ctx, none, fakePrivate{}, fakePrivate{})
			mu.Lock()
			defer mu.Unlock()
			tokens[token.plan] = true
		})
	}
	wg.Wait()
	if len(tokens) != 50 {
		t.Errorf("50 creates drew %d tokens", len(tokens))
	}
}
