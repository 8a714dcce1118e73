package e2e

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

// The steps of TestLifecycleRandomSteps: each kind draws one change of the
// configuration, of vcita behind Terraform's back, or of how Terraform
// applies, from the current configuration.

// lcStep is one step: the configuration it applies and how.
type lcStep struct {
	kind string
	// note says what the step changed, for the log.
	note string
	// next is the configuration the step plans and applies.
	next lcConfig
	// beforePlan changes vcita by hand before the plan (drift), and
	// afterPlan between the plan and the apply of the saved plan; each
	// returns what it did.
	beforePlan, afterPlan func() string
	// taint is an address to `terraform taint` before the plan; replace one
	// to plan with -replace.
	taint, replace string
	// faulty steps apply with a share of subscribe and unsubscribe calls
	// failing.
	faulty bool
	// conflict is the URL two resources of next manage: the plan must fail,
	// naming it, before any subscribe or unsubscribe.
	conflict string
	// noChange: next only respells events, and the plan must find nothing
	// to do (when the step before ended clean).
	noChange bool
	// retry: the step before had faults; this one applies the same
	// configuration again with none, and must not unsubscribe anything the
	// configuration wants.
	retry bool
}

// lcKind draws a step of one kind from the current configuration; it returns
// false when the configuration offers no such step.
type lcKind struct {
	name   string
	weight int
	draw   func(g *lcGenerator) (lcStep, bool)
}

// lifecycleKinds are the kinds of step, with how often each is drawn.
var lifecycleKinds = []lcKind{
	{"events", 14, (*lcGenerator).changeEvents},
	{"respell", 3, (*lcGenerator).respell},
	{"add-endpoint", 8, (*lcGenerator).addEndpoint},
	{"remove-endpoint", 4, (*lcGenerator).removeEndpoint},
	{"add-subscription", 8, (*lcGenerator).addSubscription},
	{"remove-subscription", 4, (*lcGenerator).removeSubscription},
	{"hand-add", 9, (*lcGenerator).handAdd},
	{"hand-remove", 6, (*lcGenerator).handRemove},
	{"replace", 6, (*lcGenerator).replaceResource},
	{"taint", 6, (*lcGenerator).taintResource},
	{"toggle-cbd", 5, (*lcGenerator).toggleCBD},
	{"saved-plan", 6, (*lcGenerator).savedPlanAfterHandEdit},
	{"business", 4, (*lcGenerator).moveBusiness},
	{"rename", 4, (*lcGenerator).renameEndpoint},
	{"adopt", 3, (*lcGenerator).adoptSubscriptions},
	{"conflict", 3, (*lcGenerator).conflict},
}

// The size of the configurations drawn: enough to meet each other, small
// enough for quick plans.
const (
	maxLifecycleEndpoints     = 4
	maxLifecycleSubscriptions = 5
	// lifecycleFaultyShare of the steps that apply run with faults.
	lifecycleFaultyShare = 0.2
	// lifecycleFaultRate is the share of calls that fail in a faulty step.
	lifecycleFaultRate = 0.2
)

// lcGenerator draws steps from a seeded source.
type lcGenerator struct {
	rng   *rand.Rand
	kinds []lcKind // the kinds of step drawn
	stub  *stub.Server
	cfg   lcConfig // the configuration applied so far
	state []string // the addresses in the state
	names int
}

// next draws the next step, or makes the one the step before calls for
// (followUp): "retry" applies the same configuration without faults after a
// step with faults; "converge" plans and applies it again after a create
// that left subscriptions it does not want for the next plan.
func (g *lcGenerator) next(followUp string) lcStep {
	switch followUp {
	case "retry":
		return lcStep{kind: followUp, note: "the same configuration, without faults", next: g.cfg.clone(), retry: true}
	case "converge":
		return lcStep{kind: followUp, note: "the same configuration: the plan removes what a create left", next: g.cfg.clone()}
	}
	total := 0
	for _, k := range g.kinds {
		total += k.weight
	}
	for range 1000 {
		n := g.rng.IntN(total)
		for _, k := range g.kinds {
			if n -= k.weight; n >= 0 {
				continue
			}
			step, ok := k.draw(g)
			if !ok {
				break
			}
			step.kind = k.name
			if step.conflict == "" && !step.noChange {
				step.faulty = g.rng.Float64() < lifecycleFaultyShare
			}
			return step
		}
	}
	// Only when LIFECYCLE_SKIP leaves no kind the configuration allows.
	return lcStep{kind: "none", note: "no kind of step fits", next: g.cfg.clone()}
}

func (g *lcGenerator) pick(n int) int { return g.rng.IntN(n) }

func (g *lcGenerator) newName(prefix string) string {
	g.names++
	return fmt.Sprintf("%s%d", prefix, g.names)
}

// spell writes event as the configuration does: mostly its catalogue
// spelling, sometimes another one of the same event.
func (g *lcGenerator) spell(event string) string {
	if other, ok := lifecycleSpellings[event]; ok && g.rng.IntN(5) == 0 {
		return other
	}
	return event
}

// events draws a set of one to three events.
func (g *lcGenerator) events() []string {
	perm := g.rng.Perm(len(lifecycleEvents))
	n := 1 + g.pick(3)
	out := make([]string, 0, n)
	for _, i := range perm[:n] {
		out = append(out, g.spell(lifecycleEvents[i]))
	}
	slices.Sort(out)
	return out
}

func sameKeys(a, b []string) bool {
	ka, kb := (lcEndpoint{Events: a}).keys(), (lcEndpoint{Events: b}).keys()
	if len(ka) != len(kb) {
		return false
	}
	for k := range ka {
		if !kb[k] {
			return false
		}
	}
	return true
}

// freeScope draws a scope no resource manages, in business when it is not
// nil.
func (g *lcGenerator) freeScope(business *string) (lcScope, bool) {
	var free []lcScope
	for _, b := range lifecycleBusinesses {
		if business != nil && b != *business {
			continue
		}
		for _, url := range lifecycleURLs {
			if s := (lcScope{b, url}); g.cfg.free(s) {
				free = append(free, s)
			}
		}
	}
	if len(free) == 0 {
		return lcScope{}, false
	}
	return free[g.pick(len(free))], true
}

// someEndpoint returns a copy of the configuration to change, and one of its
// endpoints in it, or false when it has none.
func (g *lcGenerator) someEndpoint() (lcConfig, *lcEndpoint, bool) {
	if len(g.cfg.Endpoints) == 0 {
		return lcConfig{}, nil, false
	}
	next := g.cfg.clone()
	return next, &next.Endpoints[g.pick(len(next.Endpoints))], true
}

func (g *lcGenerator) changeEvents() (lcStep, bool) {
	next, e, ok := g.someEndpoint()
	if !ok {
		return lcStep{}, false
	}
	events := g.events()
	if sameKeys(events, e.Events) {
		return lcStep{}, false
	}
	note := fmt.Sprintf("%s events %v -> %v", e.Name, e.Events, events)
	e.Events = events
	return lcStep{note: note, next: next}, true
}

func (g *lcGenerator) respell() (lcStep, bool) {
	next := g.cfg.clone()
	for _, i := range g.rng.Perm(len(next.Endpoints)) {
		e := &next.Endpoints[i]
		for j, event := range e.Events {
			for a, b := range lifecycleSpellings {
				if event == a || event == b {
					other := map[bool]string{true: b, false: a}[event == a]
					note := fmt.Sprintf("%s respells %s as %s", e.Name, event, other)
					e.Events[j] = other
					slices.Sort(e.Events)
					return lcStep{note: note, next: next, noChange: true}, true
				}
			}
		}
	}
	return lcStep{}, false
}

func (g *lcGenerator) addEndpoint() (lcStep, bool) {
	if len(g.cfg.Endpoints) >= maxLifecycleEndpoints {
		return lcStep{}, false
	}
	scope, ok := g.freeScope(nil)
	if !ok {
		return lcStep{}, false
	}
	next := g.cfg.clone()
	e := lcEndpoint{Name: g.newName("ep"), Business: scope.business, URL: scope.url, Events: g.events(), CBD: g.pick(3) == 0}
	next.Endpoints = append(next.Endpoints, e)
	return lcStep{note: fmt.Sprintf("adds %s on %s", e.Name, scope), next: next}, true
}

func (g *lcGenerator) removeEndpoint() (lcStep, bool) {
	next := g.cfg.clone()
	name, ok := removeOne(g, &next.Endpoints, func(e lcEndpoint) string { return e.Name })
	return lcStep{note: "removes " + name, next: next}, ok
}

// removeOne deletes an element drawn from list, and returns its name; false
// when list is empty.
func removeOne[T any](g *lcGenerator, list *[]T, name func(T) string) (string, bool) {
	if len(*list) == 0 {
		return "", false
	}
	i := g.pick(len(*list))
	removed := name((*list)[i])
	*list = slices.Delete(*list, i, i+1)
	return removed, true
}

func (g *lcGenerator) addSubscription() (lcStep, bool) {
	if len(g.cfg.Subscriptions) >= maxLifecycleSubscriptions {
		return lcStep{}, false
	}
	url := lifecycleURLs[g.pick(len(lifecycleURLs))]
	if g.cfg.endpointOn(lcScope{"", url}) >= 0 {
		return lcStep{}, false
	}
	event := g.spell(lifecycleEvents[g.pick(len(lifecycleEvents))])
	pair := lcPair{"", url, eventKey(event)}
	// A pair that exists already is an "already exists" error by design.
	if g.cfg.wanted()[pair] || slices.ContainsFunc(g.stub.Subscriptions(""), func(s stub.Subscription) bool {
		return s.URL == url && eventKey(s.Event()) == pair.key
	}) {
		return lcStep{}, false
	}
	next := g.cfg.clone()
	s := lcSubscription{Name: g.newName("sub"), URL: url, Event: event}
	next.Subscriptions = append(next.Subscriptions, s)
	return lcStep{note: fmt.Sprintf("adds %s: %s on %s", s.Name, event, url), next: next}, true
}

func (g *lcGenerator) removeSubscription() (lcStep, bool) {
	next := g.cfg.clone()
	name, ok := removeOne(g, &next.Subscriptions, func(s lcSubscription) string { return s.Name })
	return lcStep{note: "removes " + name, next: next}, ok
}

// handAddOn adds a subscription of an event that scope does not have, and
// that is not one of except, as a user of the vcita UI would, and says which.
func (g *lcGenerator) handAddOn(scope lcScope, except map[string]bool) string {
	for _, i := range g.rng.Perm(len(lifecycleEvents)) {
		if except[eventKey(lifecycleEvents[i])] {
			continue
		}
		sub, err := g.stub.Add(scope.business, lifecycleEvents[i], scope.url)
		if errors.Is(err, stub.ErrAlreadyExists) {
			continue
		}
		if err != nil {
			return "hand-add failed: " + err.Error()
		}
		return fmt.Sprintf("hand-added %s on %s (subscription %d)", sub.Event(), scope, sub.ID)
	}
	return "hand-added nothing: " + scope.String() + " has every other event"
}

// randomScope draws a URL, mostly in the token's own scope.
func (g *lcGenerator) randomScope() lcScope {
	business := ""
	if g.pick(4) == 0 {
		business = lifecycleBusinesses[g.pick(len(lifecycleBusinesses))]
	}
	return lcScope{business, lifecycleURLs[g.pick(len(lifecycleURLs))]}
}

func (g *lcGenerator) handAdd() (lcStep, bool) {
	scope := g.randomScope()
	// Any URL: on an endpoint's it is drift the next plan removes; on a
	// subscription resource's, or one nothing manages, it is someone
	// else's, which no apply may remove unless its plan says so.
	// handAddOn skips the pairs vcita has, those the resources manage
	// among them.
	return lcStep{note: "hand-add", next: g.cfg.clone(), beforePlan: func() string { return g.handAddOn(scope, nil) }}, true
}

func (g *lcGenerator) handRemove() (lcStep, bool) {
	all := g.stub.All()
	if len(all) == 0 {
		return lcStep{}, false
	}
	victim := all[g.pick(len(all))]
	return lcStep{note: "hand-remove", next: g.cfg.clone(), beforePlan: func() string {
		g.stub.Remove(victim.ID)
		return fmt.Sprintf("hand-removed %s on %s (subscription %d)", victim.Event(), lcScope{victim.Business, victim.URL}, victim.ID)
	}}, true
}

// replaceable draws an address in the state that a -replace or a taint may
// name. A subscription replaced with create_before_destroy is refused by
// design, and none has it.
func (g *lcGenerator) replaceable() (string, bool) {
	var out []string
	for _, address := range g.cfg.addresses() {
		if slices.Contains(g.state, address) {
			out = append(out, address)
		}
	}
	if len(out) == 0 {
		return "", false
	}
	return out[g.pick(len(out))], true
}

func (g *lcGenerator) replaceResource() (lcStep, bool) {
	address, ok := g.replaceable()
	return lcStep{note: "-replace=" + address, next: g.cfg.clone(), replace: address}, ok
}

func (g *lcGenerator) taintResource() (lcStep, bool) {
	address, ok := g.replaceable()
	return lcStep{note: "taint " + address, next: g.cfg.clone(), taint: address}, ok
}

func (g *lcGenerator) toggleCBD() (lcStep, bool) {
	next, e, ok := g.someEndpoint()
	if !ok {
		return lcStep{}, false
	}
	e.CBD = !e.CBD
	return lcStep{note: fmt.Sprintf("%s create_before_destroy = %t", e.Name, e.CBD), next: next}, true
}

// savedPlanAfterHandEdit plans a change of events or a new endpoint, adds a
// subscription by hand to that endpoint's URL, and applies the saved plan:
// the plan did not show the newcomer, so the apply must leave it.
func (g *lcGenerator) savedPlanAfterHandEdit() (lcStep, bool) {
	var step lcStep
	var ok bool
	if g.pick(2) == 0 {
		step, ok = g.addEndpoint()
	} else {
		step, ok = g.changeEvents()
	}
	if !ok {
		return lcStep{}, false
	}
	// The endpoint the change touches is the one whose events differ, or
	// the new one.
	// An event the plan subscribes is left out: adding it by hand would
	// make the apply's subscribe meet it.
	var changed lcEndpoint
	for _, e := range step.next.Endpoints {
		if i := slices.IndexFunc(g.cfg.Endpoints, func(old lcEndpoint) bool { return old.Name == e.Name }); i < 0 || !slices.Equal(g.cfg.Endpoints[i].Events, e.Events) {
			changed = e
		}
	}
	step.note += ", saved plan"
	step.afterPlan = func() string { return g.handAddOn(changed.scope(), changed.keys()) }
	return step, true
}

// moveBusiness moves an endpoint to the other business: a replacement. Half
// of the time the URL already has a hand-made subscription there, which the
// plan must name before the apply removes it.
func (g *lcGenerator) moveBusiness() (lcStep, bool) {
	next, e, ok := g.someEndpoint()
	if !ok {
		return lcStep{}, false
	}
	to := lcScope{lifecycleBusinesses[0], e.URL}
	if e.Business == to.business {
		to.business = lifecycleBusinesses[1]
	}
	if !g.cfg.free(to) {
		return lcStep{}, false
	}
	step := lcStep{note: fmt.Sprintf("%s moves from %s to %s", e.Name, e.scope(), to), next: next}
	e.Business = to.business
	if g.pick(2) == 0 {
		step.beforePlan = func() string { return g.handAddOn(to, nil) }
	}
	return step, true
}

// renameEndpoint gives an endpoint another address, as renaming a for_each
// key does: Terraform deletes one object and creates another for the URL,
// in either order or at once.
func (g *lcGenerator) renameEndpoint() (lcStep, bool) {
	next, e, ok := g.someEndpoint()
	if !ok {
		return lcStep{}, false
	}
	name := g.newName("ep")
	note := fmt.Sprintf("renames %s to %s", e.Name, name)
	e.Name = name
	return lcStep{note: note, next: next}, true
}

// adoptSubscriptions replaces the subscription resources of one URL by an
// endpoint of their events, perhaps one more: the endpoint takes their
// subscriptions over while they are destroyed.
func (g *lcGenerator) adoptSubscriptions() (lcStep, bool) {
	if len(g.cfg.Endpoints) >= maxLifecycleEndpoints || len(g.cfg.Subscriptions) == 0 {
		return lcStep{}, false
	}
	url := g.cfg.Subscriptions[g.pick(len(g.cfg.Subscriptions))].URL
	next := g.cfg.clone()
	var events []string
	next.Subscriptions = slices.DeleteFunc(next.Subscriptions, func(s lcSubscription) bool {
		if s.URL == url {
			events = append(events, s.Event)
		}
		return s.URL == url
	})
	if extra := lifecycleEvents[g.pick(len(lifecycleEvents))]; g.pick(2) == 0 && !sameKeys(append(slices.Clone(events), extra), events) {
		events = append(events, extra)
	}
	slices.Sort(events)
	e := lcEndpoint{Name: g.newName("ep"), URL: url, Events: events, CBD: g.pick(2) == 0}
	next.Endpoints = append(next.Endpoints, e)
	return lcStep{note: fmt.Sprintf("moves the subscriptions of %s into %s", url, e.Name), next: next}, true
}

// conflict adds a resource on a URL another resource manages in the same
// business through an endpoint: an error at plan time.
func (g *lcGenerator) conflict() (lcStep, bool) {
	next := g.cfg.clone()
	switch {
	case len(g.cfg.Endpoints) > 0 && g.pick(2) == 0:
		e := g.cfg.Endpoints[g.pick(len(g.cfg.Endpoints))]
		if e.Business == "" && g.pick(2) == 0 {
			s := lcSubscription{Name: g.newName("sub"), URL: e.URL, Event: lifecycleEvents[g.pick(len(lifecycleEvents))]}
			next.Subscriptions = append(next.Subscriptions, s)
			return lcStep{note: fmt.Sprintf("adds %s on %s, the URL of %s", s.Name, e.URL, e.Name), next: next, conflict: e.URL}, true
		}
		other := lcEndpoint{Name: g.newName("ep"), Business: e.Business, URL: e.URL, Events: g.events()}
		next.Endpoints = append(next.Endpoints, other)
		return lcStep{note: fmt.Sprintf("adds %s on %s, the URL of %s", other.Name, e.scope(), e.Name), next: next, conflict: e.URL}, true
	case len(g.cfg.Subscriptions) > 0:
		s := g.cfg.Subscriptions[g.pick(len(g.cfg.Subscriptions))]
		e := lcEndpoint{Name: g.newName("ep"), URL: s.URL, Events: g.events()}
		next.Endpoints = append(next.Endpoints, e)
		return lcStep{note: fmt.Sprintf("adds %s on %s, the URL of %s", e.Name, s.URL, s.Name), next: next, conflict: s.URL}, true
	}
	return lcStep{}, false
}
