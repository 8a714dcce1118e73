package provider

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

// urlRegistry is what the resources of one configured provider know of each
// other about one target URL in one business: Terraform plans every resource
// of a provider configuration in one process, and applies every create,
// update and delete of an apply in one process (a new one, or at least a new
// Configure, for each walk), so a registry on the configured provider sees
// them all. It is safe for concurrent use; a nil *urlRegistry knows nothing
// and locks nothing (before Configure).
//
// It serves four things:
//
//   - At plan, claims: which resources manage each URL through an endpoint,
//     so that two of them on one URL (endpoint and endpoint, endpoint and
//     vcita_webhook_subscription) are an error before any call (see
//     claimURL).
//   - At apply, a lock per URL: an endpoint's create, update or delete holds
//     it for writing, so that a Delete and a Create of one URL at once (a
//     renamed for_each key) run one after the other, each listing after the
//     other's calls finished (the client's list cache never answers a list
//     with one taken before a write that finished). Subscriptions take it
//     for reading, so that many subscriptions of one URL still apply in
//     parallel.
//   - At apply, holdings: the events each endpoint create or update of this
//     apply holds on a URL. A delete leaves those alone: with
//     create_before_destroy the new object has already adopted the
//     subscriptions the old object's delete would otherwise remove, and a
//     subscription moved into an endpoint belongs to the endpoint now.
//   - At apply, leftovers: the events a delete of this apply failed to
//     unsubscribe from a URL. The destroyed resource stays in the state
//     holding them, and the next apply destroys it again, unsubscribing
//     them: an endpoint of this apply must not adopt them, or two resources
//     would record one subscription and the next apply would remove a
//     wanted one (see leftByDelete).
type urlRegistry struct {
	mu     sync.Mutex
	locks  map[string]*sync.RWMutex
	held   map[string]map[string]bool // URL key -> event keys held
	left   map[string]map[string]bool // URL key -> event keys a failed delete keeps
	claims map[string]urlClaim        // URL key -> the first claim of the plan
	pairs  map[string]planToken       // claimKey -> the token of the first subscription planned for it
}

func newURLRegistry() *urlRegistry {
	return &urlRegistry{locks: map[string]*sync.RWMutex{}, held: map[string]map[string]bool{}, left: map[string]map[string]bool{}, claims: map[string]urlClaim{}, pairs: map[string]planToken{}}
}

// claimKey identifies a subscription: its business, its event up to
// spellings (eventKey) and its exact target URL.
func claimKey(business, event, targetURL string) string {
	return business + "\x00" + eventKey(event) + "\x00" + targetURL
}

// urlKey identifies a URL in a business: the API compares URLs as strings.
func urlKey(business, targetURL string) string {
	return business + "\x00" + targetURL
}

// lockURL takes the URL's lock, for writing when exclusive (an endpoint)
// else for reading (a subscription), and returns its release.
func (r *urlRegistry) lockURL(business, targetURL string, exclusive bool) func() {
	if r == nil {
		return func() {}
	}
	r.mu.Lock()
	key := urlKey(business, targetURL)
	lock, ok := r.locks[key]
	if !ok {
		lock = &sync.RWMutex{}
		r.locks[key] = lock
	}
	r.mu.Unlock()
	if exclusive {
		lock.Lock()
		return lock.Unlock
	}
	lock.RLock()
	return lock.RUnlock
}

// hold records that an endpoint of this apply holds the subscriptions subs
// of the URL; call it with the URL locked.
func (r *urlRegistry) hold(business, targetURL string, subs endpointSubscriptions) {
	if r == nil || len(subs) == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	key := urlKey(business, targetURL)
	if r.held[key] == nil {
		r.held[key] = map[string]bool{}
	}
	for event := range subs {
		r.held[key][event] = true
	}
}

// holds reports whether an endpoint of this apply holds the subscription of
// the URL to the event (any spelling); call it with the URL locked.
func (r *urlRegistry) holds(business, targetURL, event string) bool {
	if r == nil {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.held[urlKey(business, targetURL)][eventKey(event)]
}

// keepForDelete records that a delete of this apply failed to unsubscribe
// the URL from the event, so that the resource being destroyed keeps the
// subscription in the state; call it with the URL locked.
func (r *urlRegistry) keepForDelete(business, targetURL, event string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	key := urlKey(business, targetURL)
	if r.left[key] == nil {
		r.left[key] = map[string]bool{}
	}
	r.left[key][eventKey(event)] = true
}

// leftByDelete returns those of events (any spelling) whose subscription of
// the URL a delete of this apply failed to remove (see keepForDelete), in
// the order given; call it with the URL locked.
func (r *urlRegistry) leftByDelete(business, targetURL string, events []string) []string {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, event := range events {
		if r.left[urlKey(business, targetURL)][eventKey(event)] {
			out = append(out, event)
		}
	}
	return out
}

// The kinds of claim.
const (
	claimEndpoint     = "vcita_webhook_endpoint"
	claimSubscription = "vcita_webhook_subscription"
)

// urlClaim is one resource's plan to manage a URL: its kind and the token
// that tells its plans apart from another resource's (see claimToken).
type urlClaim struct {
	kind  string
	token planToken
}

// planToken is what tells one object's plans apart from another's (see
// claimToken): the token of its plan, and its instance value when the call
// has one.
type planToken struct {
	plan     string
	instance string
}

// sameObject reports whether two plans are of one object: one plan token,
// and no two instance values that differ (Terraform may plan an object once
// with its private state and once without it; see claimToken).
func (t planToken) sameObject(other planToken) bool {
	return t.plan == other.plan && (t.instance == "" || other.instance == "" || t.instance == other.instance)
}

// claimURL records a plan of a resource of kind (claimEndpoint or
// claimSubscription) on the URL, and returns the claim of another resource
// it conflicts with, if any: an endpoint owns every subscription of its URL,
// so it conflicts with any other resource on the URL; subscriptions do not
// conflict with each other. token identifies the resource across the plans
// Terraform makes for it (see claimToken).
func (r *urlRegistry) claimURL(business, targetURL, kind string, token planToken) (urlClaim, bool) {
	if r == nil {
		return urlClaim{}, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	key := urlKey(business, targetURL)
	first, claimed := r.claims[key]
	mine := urlClaim{kind: kind, token: token}
	switch {
	case !claimed:
		r.claims[key] = mine
		return urlClaim{}, false
	case first.token.sameObject(token):
		return urlClaim{}, false
	case first.kind == claimSubscription && kind == claimSubscription:
		return urlClaim{}, false
	case first.kind == claimSubscription:
		// Keep the endpoint's claim: any further resource on the URL
		// conflicts with it.
		r.claims[key] = mine
	}
	return first, true
}

// claimPair records a plan of a vcita_webhook_subscription of the pair
// (business, event up to spellings, URL), and reports whether another
// resource's plan named the same subscription. token is as for claimURL.
func (r *urlRegistry) claimPair(business, event, targetURL string, token planToken) bool {
	if r == nil {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	key := claimKey(business, event, targetURL)
	first, claimed := r.pairs[key]
	if !claimed {
		r.pairs[key] = token
	}
	return claimed && !first.sameObject(token)
}

// privatePlanToken is the private state key of the token a resource's plan
// claims its URL with.
const privatePlanToken = "plan_token"

// privateInstance is the private state key of a random value an object
// draws when it enters the state (its create or its import) and keeps for
// its life: Terraform hands a resource's private state to its own calls
// only, so two resources that import one object differ in it, though their
// states are the same.
const privateInstance = "instance"

// startInstance gives an object entering the state its instance value.
// Call it from Create and ImportState.
func startInstance(ctx context.Context, private privateState) diag.Diagnostics {
	data, _ := json.Marshal(randomHex())
	return private.SetKey(ctx, privateInstance, data)
}

// claimToken is the token a resource's plan claims its URL with, its plan
// token kept in its planned private state. Terraform plans a replacement
// twice: first with the prior state, then, for the create half, with a null
// prior state and, as its prior private state, the private state the first
// call planned (Terraform's and OpenTofu's core, plan of a replace; checked
// through the CLI, Terraform 1.5.7, 1.11.4 and 1.15.9 and OpenTofu 1.12.6, by
// the replacement tests of webhook_endpoint_lifecycle_test.go, whose plans
// would otherwise fail as a conflict of the endpoint with itself). So the
// second call finds the first call's token and claims as the same resource.
//
// A plan with a prior state claims with a plan token drawn from that state:
// an object Terraform plans twice in one process (an import whose
// configuration `plan -generate-config-out` writes, Terraform 1.15, which
// hands the import's private state to one of those plans only) claims as
// itself both times. Two resources that imported one object have the same
// state, but each its own instance value (startInstance), so they claim as
// two. The plan token of a prior private state is never trusted for it: it
// may be an old plan's. A create draws a new plan token.
func claimToken(ctx context.Context, priorState tftypes.Value, prior privateState, planned privateState) (planToken, diag.Diagnostics) {
	token := planToken{instance: privateString(ctx, prior, privateInstance)}
	if priorState.IsNull() {
		token.plan = privateString(ctx, prior, privatePlanToken)
		if token.plan == "" {
			token.plan = randomHex()
		}
	} else {
		sum := sha256.Sum256([]byte(priorState.String()))
		token.plan = "state-" + hex.EncodeToString(sum[:16])
	}
	data, _ := json.Marshal(token.plan)
	return token, planned.SetKey(ctx, privatePlanToken, data)
}

// privateString is the string a private state holds under key, or "".
func privateString(ctx context.Context, private privateState, key string) string {
	var value string
	if data, diags := private.GetKey(ctx, key); !diags.HasError() && len(data) > 0 {
		_ = json.Unmarshal(data, &value)
	}
	return value
}

// randomHex is 128 random bits, in hex.
func randomHex() string {
	var random [16]byte
	_, _ = rand.Read(random[:]) // crypto/rand.Read never fails (Go 1.24)
	return hex.EncodeToString(random[:])
}

// claimPlannedURL claims, for the plan of a resource of kind, its URL in its
// business (both known: a null business is the token's own scope), and
// fails the plan when another resource of this provider configuration
// manages the URL in a way that conflicts (see claimURL). A subscription
// (event not empty) also claims its pair, and fails the plan when another
// subscription names the same one. Call it from ModifyPlan, never for a
// destroy.
func claimPlannedURL(ctx context.Context, data *providerData, kind string, business types.String, targetURL, event string, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) diag.Diagnostics {
	if data == nil {
		return nil
	}
	token, diags := claimToken(ctx, req.State.Raw, req.Private, resp.Private)
	scope := "the token's own scope"
	if !business.IsNull() && business.ValueString() != "" {
		scope = "business " + business.ValueString()
	}
	if other, conflict := data.urls.claimURL(recordedScope(business), targetURL, kind, token); conflict {
		otherKind := "another " + other.kind
		if other.kind == claimSubscription {
			otherKind = "a " + other.kind
		}
		diags.AddAttributeError(path.Root("target_url"), "Two Resources Manage One Webhook URL",
			fmt.Sprintf("This %s and %s of this configuration both manage %s in %s. "+
				"A vcita_webhook_endpoint owns every subscription of its URL: it would remove the other resource's subscriptions, which would make them again, and each apply would undo the last. "+
				"This resource sent nothing to vcita. Manage each URL with one endpoint only: put every event of the URL in the endpoint's events and remove the other resource from the configuration "+
				"(the apply hands its subscriptions over to the endpoint without unsubscribing them), or give each resource a URL of its own.",
				kind, otherKind, vcita.RedactedURL(targetURL), scope))
	}
	if event != "" && data.urls.claimPair(recordedScope(business), event, targetURL, token) {
		diags.AddAttributeError(path.Root("event"), "Two Resources Name One Webhook Subscription",
			fmt.Sprintf("Another vcita_webhook_subscription of this configuration subscribes %s to %s, or to another spelling of that event, in %s. "+
				"The API identifies a subscription by its event and target URL, and the spellings of one event (client/created, client/create and lead/created) "+
				"are one subscription: two resources name the same subscription, and they cannot both manage it. Keep one of them and remove the other from the configuration. "+
				"This resource sent nothing to vcita.", vcita.RedactedURL(targetURL), event, scope))
	}
	return diags
}
