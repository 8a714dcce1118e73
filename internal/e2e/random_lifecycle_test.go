package e2e

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

// The seeded random lifecycle test of issue 18: a sequence of steps drawn
// from a seeded source (random_lifecycle_steps_test.go) runs through the real CLI
// against the stub, and after each one the promises of the endpoint and the
// subscription hold:
//
//   - the apply removes no subscription that existed before it unless the
//     plan showed its removal: a resource destroyed or replaced without
//     create_before_destroy, an event dropped from an endpoint, a
//     subscription the plan's warning names. A replacement with
//     create_before_destroy shows the removal of none of the events it keeps;
//   - every unsubscribe names an event;
//   - a plan sends no subscribe or unsubscribe;
//   - a conflict (two resources managing one URL of one business through an
//     endpoint) fails the plan, naming the URL, before any call;
//   - after a fault-free apply of a fresh plan, vcita holds exactly the
//     configuration's events on every endpoint's URL and every subscription
//     resource's pair, the state holds the configuration's resources, none
//     tainted, whose ids are live, and the next plan is clean. A create may
//     leave on its URL the subscriptions its plan's warning named, for the
//     next plan: a "converge" step then plans and applies the same
//     configuration, and must end so;
//   - after a step with faults, a fault-free apply of the same configuration
//     unsubscribes nothing the configuration wants.
//
// LIFECYCLE_SEED and LIFECYCLE_STEPS run another sequence, or a longer one
// (give `go test` a -timeout to match, or -timeout 0: a step takes about
// three seconds on an idle machine, several on a busy one), and
// LIFECYCLE_SKIP, a comma-separated list of kinds of step, draws none of
// those: to look past one known bug for the next.

const (
	defaultLifecycleSeed  = 18
	defaultLifecycleSteps = 100
)

func TestLifecycleRandomSteps(t *testing.T) {
	t.Parallel()
	settings := lifecycleSettingsOf(t)
	w := newWorkspace(t, map[string]string{"main.tf": lcConfig{}.render()})
	l := &lifecycleRun{
		t:        t,
		w:        w,
		settings: settings,
		gen:      &lcGenerator{rng: rand.New(rand.NewPCG(settings.seed, 0)), stub: w.stub, kinds: settings.kinds},
	}
	seed, steps := settings.seed, settings.steps
	started := time.Now()
	for n := 1; n <= steps; n++ {
		l.step(n, l.gen.next(l.followUp))
	}
	// Removing every resource is the last step: it must remove what the
	// configuration made, and nothing else.
	l.step(steps+1, lcStep{kind: "remove-all", note: "removes every resource", next: lcConfig{}})
	t.Logf("lifecycle: seed %d, %d steps in %s", seed, steps+1, time.Since(started).Round(time.Second))
}

// lifecycleSettings is what the environment asks of a run.
type lifecycleSettings struct {
	seed  uint64
	steps int
	skip  string   // LIFECYCLE_SKIP as given
	kinds []lcKind // the kinds drawn
}

// lifecycleSettingsOf reads LIFECYCLE_SEED, LIFECYCLE_STEPS and
// LIFECYCLE_SKIP.
func lifecycleSettingsOf(t *testing.T) lifecycleSettings {
	s := lifecycleSettings{seed: defaultLifecycleSeed, steps: defaultLifecycleSteps, skip: os.Getenv("LIFECYCLE_SKIP"), kinds: lifecycleKinds}
	if v := os.Getenv("LIFECYCLE_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("LIFECYCLE_SEED=%q: %v", v, err)
		}
		s.seed = n
	}
	if v := os.Getenv("LIFECYCLE_STEPS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("LIFECYCLE_STEPS=%q: want a number of steps, at least 1", v)
		}
		s.steps = n
	}
	if s.skip != "" {
		skip := strings.Split(s.skip, ",")
		for _, name := range skip {
			if !slices.ContainsFunc(lifecycleKinds, func(k lcKind) bool { return k.name == name }) {
				t.Fatalf("LIFECYCLE_SKIP names %q, which is not a kind of step", name)
			}
		}
		s.kinds = slices.DeleteFunc(slices.Clone(lifecycleKinds), func(k lcKind) bool { return slices.Contains(skip, k.name) })
	}
	return s
}

// lifecycleRun is one run of the test: the workspace, the generator, and the
// log of the steps so far.
type lifecycleRun struct {
	t        *testing.T
	w        *workspace
	settings lifecycleSettings
	gen      *lcGenerator
	log      []string
	// followUp is the kind of step the last one calls for: "retry" after
	// faults, "converge" after a create that left subscriptions of its URL
	// it does not want; "" for any.
	followUp string
	// clean is set when the last step ended with a clean plan.
	clean bool
	// lastOutputs is what the CLI said in the last step.
	lastOutputs string
	// replacedFirst holds, after a step with faults, the URLs its plan
	// replaced without create_before_destroy, or destroyed at one address
	// (a move to another address: its destroy may run first, a gap the docs
	// name).
	replacedFirst map[lcScope]bool
}

// lcOutcome is what one step saw, for the log and the checks.
type lcOutcome struct {
	edits      []string
	planCode   int
	planOut    string
	applyCode  int
	applyOut   string
	faults     int
	checked    []string
	violations []string
}

func (o *lcOutcome) violate(format string, args ...any) {
	o.violations = append(o.violations, fmt.Sprintf(format, args...))
}

// step runs one step and its checks, and fails the test, with the seed and
// the steps so far, on a violation.
func (l *lifecycleRun) step(n int, s lcStep) {
	l.t.Helper()
	o := &lcOutcome{planCode: -1, applyCode: -1}
	l.execute(s, o)
	line := fmt.Sprintf("step %d %s: %s", n, s.kind, s.note)
	if s.faulty {
		line += " [faults]"
	}
	if len(o.edits) > 0 {
		line += "; " + strings.Join(o.edits, "; ")
	}
	line += fmt.Sprintf("\n    config: %s\n    plan exit %d, apply exit %d, faults %d; checked: %s", s.next, o.planCode, o.applyCode, o.faults, strings.Join(o.checked, ", "))
	l.log = append(l.log, line)
	if testing.Verbose() {
		l.t.Log(line)
	}
	outputs := l.lastOutputs
	l.lastOutputs = fmt.Sprintf("Plan output of step %d:\n%s\nApply output of step %d:\n%s", n, o.planOut, n, o.applyOut)
	if len(o.violations) == 0 {
		return
	}
	rerun := fmt.Sprintf("LIFECYCLE_SEED=%d LIFECYCLE_STEPS=%d", l.settings.seed, n)
	if l.settings.skip != "" {
		rerun += " LIFECYCLE_SKIP=" + l.settings.skip
	}
	l.t.Fatalf(`lifecycle: seed %d fails at step %d:
  - %s
Rerun: %s go test -count=1 -run 'TestLifecycleRandomSteps$' ./internal/e2e/
Steps:
%s

%s
%s`, l.settings.seed, n, strings.Join(o.violations, "\n  - "), rerun, strings.Join(l.log, "\n"), outputs, l.lastOutputs)
}

// lifecyclePlanFile is the saved plan of each step.
const lifecyclePlanFile = "step.tfplan"

// execute carries out one step: hand edits, plan, hand edits, apply, and the
// checks each allows.
func (l *lifecycleRun) execute(s lcStep, o *lcOutcome) {
	w := l.w
	wasClean := l.clean
	l.clean = false
	if s.beforePlan != nil {
		o.edits = append(o.edits, s.beforePlan())
	}
	if s.taint != "" {
		if code, out := w.run("taint", "-no-color", s.taint); code != 0 {
			o.violate("terraform taint %s: exit %d\n%s", s.taint, code, out)
			return
		}
	}
	w.writeFile("main.tf", s.next.render())
	// -json: the human view merges warnings that share a summary ("and one
	// more similar warning elsewhere"), and the test reads every one.
	args := []string{"plan", "-json", "-input=false", "-detailed-exitcode", "-out=" + lifecyclePlanFile}
	if s.replace != "" {
		args = append(args, "-replace="+s.replace)
	}
	w.stub.ResetCalls()
	o.planCode, o.planOut = w.run(args...)
	o.planOut = jsonViewText(o.planOut)
	checkNoWrites(o, "plan", w.stub.Requests())

	if s.conflict != "" {
		l.checkConflict(s, o)
		return
	}
	if o.planCode != 0 && o.planCode != 2 {
		o.violate("the plan failed (exit %d)", o.planCode)
		return
	}
	if s.noChange && wasClean {
		o.checked = append(o.checked, "respelling plans nothing")
		if o.planCode != 0 {
			o.violate("a configuration that only respells events should plan no change, the plan exits %d", o.planCode)
		}
	}
	if o.planCode == 0 && s.afterPlan == nil {
		// Nothing to apply: the plan was fresh and clean.
		l.gen.cfg = s.next
		l.followUp = ""
		l.checkEndState(s.next, o, false, nil)
		l.clean = len(o.violations) == 0
		return
	}
	plan := &tfjson.Plan{}
	created := map[string]bool{}        // the endpoints the plan creates or replaces
	replacedFirst := map[lcScope]bool{} // the URLs of what it destroys, before creating it again or for good
	if onlyCreates(o.planOut) {
		// No replacement: every endpoint created is new to the state.
		for _, e := range s.next.Endpoints {
			created[e.address()] = !slices.Contains(l.gen.state, e.address())
		}
	} else {
		var err error
		if plan, err = w.SavedPlan(l.t.Context(), lifecyclePlanFile); err != nil {
			o.violate("show -json %s: %v", lifecyclePlanFile, err)
			return
		}
		for _, rc := range plan.ResourceChanges {
			created[rc.Address] = rc.Change.Actions.Create() || rc.Change.Actions.Replace()
			if prior, ok := rc.Change.Before.(map[string]any); ok && (rc.Change.Actions.DestroyBeforeCreate() || rc.Change.Actions.Delete()) {
				business, _ := prior["business_id"].(string)
				url, _ := prior["target_url"].(string)
				replacedFirst[lcScope{business, url}] = true
			}
		}
	}
	if s.afterPlan != nil {
		o.edits = append(o.edits, s.afterPlan())
	}
	before := w.stub.All()
	shown := shownRemovals(plan, o.planOut, before, s.next)
	mayLeave := leftForNextPlan(before, warnedRemovals(o.planOut), s.next, created)
	if s.faulty {
		w.stub.SetFaults(stub.FaultConfig{
			Rate:  lifecycleFaultRate,
			Kinds: []stub.FaultKind{stub.Fault500, stub.Fault502, stub.FaultCommit502},
			Ops:   []string{stub.OpSubscribe, stub.OpUnsubscribe},
			Seed:  l.gen.rng.Int64(),
		})
	}
	w.stub.ResetCalls()
	o.applyCode, o.applyOut = w.run("apply", "-no-color", "-input=false", lifecyclePlanFile)
	o.faults = w.stub.Faults()
	w.stub.SetFaults(stub.FaultConfig{})
	requests := w.stub.Requests()
	l.gen.cfg = s.next
	l.gen.state = l.stateAddresses(o)

	o.checked = append(o.checked, "removals shown", "unsubscribes name events")
	checkRemovals(o, before, w.stub.All(), requests, shown)
	if s.retry {
		o.checked = append(o.checked, "wanted kept")
		checkWantedKept(o, before, requests, s.next.wanted(), l.replacedFirst)
	}
	l.followUp, l.replacedFirst = "", nil
	switch {
	case o.faults > 0:
		// A failure is allowed; the next step retries without faults.
		l.followUp, l.replacedFirst = "retry", replacedFirst
	case o.applyCode != 0:
		o.violate("the fault-free apply of a plan failed (exit %d)", o.applyCode)
	case s.afterPlan == nil:
		if l.checkEndState(s.next, o, true, mayLeave) {
			l.followUp = "converge"
		}
		l.clean = len(o.violations) == 0 && l.followUp == ""
	}
}

// leftForNextPlan returns the subscriptions of before that a create may
// leave on its URL for the next plan to remove: those the plan's warning
// named, on the URL of an endpoint the plan creates or replaces. (A create
// may remove them at once instead; an update must.)
func leftForNextPlan(before []stub.Subscription, warned map[int64]bool, next lcConfig, created map[string]bool) map[int64]bool {
	out := map[int64]bool{}
	for _, e := range next.Endpoints {
		if !created[e.address()] {
			continue
		}
		for _, sub := range before {
			if warned[sub.ID] && sub.Business == e.Business && sub.URL == e.URL && !e.keys()[eventKey(sub.Event())] {
				out[sub.ID] = true
			}
		}
	}
	return out
}

// checkConflict checks a plan that must fail on two resources managing one
// URL, and puts the configuration back.
func (l *lifecycleRun) checkConflict(s lcStep, o *lcOutcome) {
	o.checked = append(o.checked, "conflict fails the plan")
	switch {
	case o.planCode != 1:
		o.violate("two resources managing %s through an endpoint should fail the plan, it exits %d", s.conflict, o.planCode)
	case !strings.Contains(o.planOut, "Two Resources Manage One Webhook URL") || !strings.Contains(oneLine(o.planOut), "both manage "+s.conflict+" in "):
		o.violate("the plan should fail with Two Resources Manage One Webhook URL, naming the URL %s", s.conflict)
	}
	l.w.writeFile("main.tf", l.gen.cfg.render())
	l.clean = false
}

// jsonViewText renders the machine-readable output of a command (-json) as
// text for the log and the checks: each message, and each diagnostic's
// detail in full. A line that is not JSON is kept as it is.
func jsonViewText(out string) string {
	var b strings.Builder
	for _, line := range strings.Split(out, "\n") {
		var msg struct {
			Message    string `json:"@message"`
			Diagnostic struct {
				Detail string `json:"detail"`
			} `json:"diagnostic"`
		}
		if json.Unmarshal([]byte(line), &msg) != nil {
			b.WriteString(line + "\n")
			continue
		}
		if strings.Contains(msg.Message, "Provider development overrides are in effect") {
			continue // the warning every command of a workspace gives
		}
		b.WriteString(msg.Message + "\n")
		if msg.Diagnostic.Detail != "" {
			b.WriteString("  " + strings.ReplaceAll(msg.Diagnostic.Detail, "\n", "\n  ") + "\n")
		}
	}
	return b.String()
}

// planSummary matches the summary line of a plan with changes.
var planSummary = regexp.MustCompile(`Plan: \d+ to add, (\d+) to change, (\d+) to destroy\.`)

// onlyCreates reports whether a plan's output says it only adds resources:
// its JSON can show no removal, and reading it would cost a CLI run.
func onlyCreates(planOut string) bool {
	m := planSummary.FindStringSubmatch(planOut)
	return m != nil && m[1] == "0" && m[2] == "0"
}

// removalWarning matches a subscription a plan's warning names.
var removalWarning = regexp.MustCompile(`\(subscription\s+(\d+)\)`)

// shownRemovals returns the ids of the subscriptions whose removal the plan
// showed: those of a resource it deletes, or replaces without
// create_before_destroy; those a replacement with create_before_destroy
// does not want any more; the events an endpoint's update drops; and those
// its warnings name. before is vcita before the apply; next the configuration
// planned.
func shownRemovals(plan *tfjson.Plan, planOut string, before []stub.Subscription, next lcConfig) map[int64]bool {
	byID := map[int64]stub.Subscription{}
	for _, sub := range before {
		byID[sub.ID] = sub
	}
	wanted := next.wanted()
	shown := map[int64]bool{}
	for _, rc := range plan.ResourceChanges {
		actions := rc.Change.Actions
		if !actions.Delete() && !actions.Replace() && !actions.Update() {
			continue
		}
		kept := func(stub.Subscription) bool { return false }
		switch {
		case actions.Update():
			after, _ := rc.Change.After.(map[string]any)
			events, _ := after["events"].([]any)
			keys := map[string]bool{}
			for _, e := range events {
				keys[eventKey(fmt.Sprint(e))] = true
			}
			kept = func(sub stub.Subscription) bool { return keys[eventKey(sub.Event())] }
		case actions.CreateBeforeDestroy():
			kept = func(sub stub.Subscription) bool { return wanted[lcPair{sub.Business, sub.URL, eventKey(sub.Event())}] }
		}
		prior, _ := rc.Change.Before.(map[string]any)
		for _, id := range stateIDs(prior) {
			if sub, ok := byID[id]; !ok || !kept(sub) {
				shown[id] = true
			}
		}
	}
	maps.Copy(shown, warnedRemovals(planOut))
	return shown
}

// warnedRemovals returns the ids of the subscriptions a plan's warnings
// name for removal.
func warnedRemovals(planOut string) map[int64]bool {
	warned := map[int64]bool{}
	for _, m := range removalWarning.FindAllStringSubmatch(planOut, -1) {
		if id, err := strconv.ParseInt(m[1], 10, 64); err == nil {
			warned[id] = true
		}
	}
	return warned
}

// stateIDs returns the subscription ids of a resource's attributes: an
// endpoint's subscription_ids, a subscription's id.
func stateIDs(attributes map[string]any) []int64 {
	var raw []any
	if ids, ok := attributes["subscription_ids"].(map[string]any); ok {
		raw = slices.Collect(maps.Values(ids))
	} else if id, ok := attributes["id"]; ok {
		raw = []any{id}
	}
	var out []int64
	for _, v := range raw {
		if id, err := strconv.ParseInt(fmt.Sprint(v), 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// lcRequest is a subscribe or unsubscribe as the stub received it.
type lcRequest struct {
	op       string
	business string
	event    string
	url      string
}

func writesOf(requests []stub.Request) []lcRequest {
	var out []lcRequest
	for _, r := range requests {
		if r.Op != stub.OpSubscribe && r.Op != stub.OpUnsubscribe {
			continue
		}
		var body struct {
			Event     string `json:"event"`
			TargetURL string `json:"target_url"`
		}
		_ = json.Unmarshal([]byte(r.Body), &body)
		out = append(out, lcRequest{op: r.Op, business: r.Header.Get("X-On-Behalf-Of"), event: body.Event, url: body.TargetURL})
	}
	return out
}

// checkNoWrites checks that what sent requests (a plan) sent no subscribe
// or unsubscribe.
func checkNoWrites(o *lcOutcome, what string, requests []stub.Request) {
	o.checked = append(o.checked, what+" writes nothing")
	for _, r := range writesOf(requests) {
		o.violate("%s sent %s %s to %s", what, r.op, r.event, lcScope{r.business, r.url})
	}
}

// matching returns the subscriptions of before that an unsubscribe of r
// removes.
func (r lcRequest) matching(before []stub.Subscription) []stub.Subscription {
	var out []stub.Subscription
	for _, sub := range before {
		if sub.Business == r.business && sub.URL == r.url && eventKey(sub.Event()) == eventKey(r.event) {
			out = append(out, sub)
		}
	}
	return out
}

// checkRemovals checks that every unsubscribe names an event, and that no
// subscription of before was unsubscribed, or is gone after, unless the
// plan showed its removal.
func checkRemovals(o *lcOutcome, before, after []stub.Subscription, requests []stub.Request, shown map[int64]bool) {
	blamed := map[int64]bool{}
	for _, r := range writesOf(requests) {
		if r.op != stub.OpUnsubscribe {
			continue
		}
		if !strings.Contains(r.event, "/") || strings.HasPrefix(eventKey(r.event), "malformed:") {
			o.violate("an unsubscribe of %s names no event: %q", lcScope{r.business, r.url}, r.event)
			continue
		}
		for _, sub := range r.matching(before) {
			if !shown[sub.ID] && !blamed[sub.ID] {
				blamed[sub.ID] = true
				o.violate("the apply unsubscribed %s on %s (subscription %d), which the plan did not show for removal", sub.Event(), lcScope{sub.Business, sub.URL}, sub.ID)
			}
		}
	}
	left := map[int64]bool{}
	for _, sub := range after {
		left[sub.ID] = true
	}
	for _, sub := range before {
		if !left[sub.ID] && !shown[sub.ID] && !blamed[sub.ID] {
			o.violate("subscription %d (%s on %s) is gone after the apply, and the plan did not show its removal", sub.ID, sub.Event(), lcScope{sub.Business, sub.URL})
		}
	}
}

// checkWantedKept checks that an apply sent no unsubscribe of a subscription
// that existed before it and that the configuration wants, except on the URLs
// of replaced: a replacement without create_before_destroy that the step
// with faults planned (a taint, -replace) and may have left half done, which
// this apply finishes as that plan showed.
func checkWantedKept(o *lcOutcome, before []stub.Subscription, requests []stub.Request, wanted map[lcPair]bool, replaced map[lcScope]bool) {
	for _, r := range writesOf(requests) {
		if r.op != stub.OpUnsubscribe {
			continue
		}
		for _, sub := range r.matching(before) {
			if wanted[lcPair{sub.Business, sub.URL, eventKey(sub.Event())}] && !replaced[lcScope{sub.Business, sub.URL}] {
				o.violate("the fault-free apply after faults unsubscribed %s on %s (subscription %d), which the configuration wants", sub.Event(), lcScope{sub.Business, sub.URL}, sub.ID)
			}
		}
	}
}

// lcState is what the test reads of the state file.
type lcState struct {
	Resources []struct {
		Mode      string `json:"mode"`
		Type      string `json:"type"`
		Name      string `json:"name"`
		Instances []struct {
			Status     string         `json:"status"`
			Deposed    string         `json:"deposed"`
			Attributes map[string]any `json:"attributes"`
		} `json:"instances"`
	} `json:"resources"`
}

// readState reads the workspace's local state file, which is cheaper than
// `terraform show -json` after every step.
func (l *lifecycleRun) readState(o *lcOutcome) *lcState {
	data, err := os.ReadFile(filepath.Join(l.w.Dir, "terraform.tfstate"))
	if os.IsNotExist(err) {
		return &lcState{}
	}
	if err != nil {
		o.violate("reading the state: %v", err)
		return &lcState{}
	}
	var state lcState
	if err := json.Unmarshal(data, &state); err != nil {
		o.violate("reading the state: %v", err)
	}
	return &state
}

func (l *lifecycleRun) stateAddresses(o *lcOutcome) []string {
	var out []string
	for _, r := range l.readState(o).Resources {
		if r.Mode == "managed" {
			out = append(out, r.Type+"."+r.Name)
		}
	}
	slices.Sort(out)
	return out
}

// checkEndState checks, after a fault-free apply of a fresh plan (or a
// clean fresh plan), that vcita holds exactly what cfg wants on the URLs it
// manages, that the state holds cfg's resources with live ids, and, when
// planNext, that the next plan is clean. The subscriptions of mayLeave may
// still be there, for the next plan: it reports whether one is, and then
// leaves the next plan to the next step.
func (l *lifecycleRun) checkEndState(cfg lcConfig, o *lcOutcome, planNext bool, mayLeave map[int64]bool) (left bool) {
	o.checked = append(o.checked, "vcita holds the configuration", "state ids live")
	w := l.w
	all := w.stub.All()
	for _, e := range cfg.Endpoints {
		var got []string
		keys := map[string]bool{}
		for _, sub := range all {
			if sub.Business != e.Business || sub.URL != e.URL {
				continue
			}
			if mayLeave[sub.ID] {
				o.edits = append(o.edits, fmt.Sprintf("%s left %s (subscription %d), as its plan said, for the next plan", e.Name, sub.Event(), sub.ID))
				left = true
				continue
			}
			got = append(got, sub.Event())
			keys[eventKey(sub.Event())] = true
		}
		if want := e.keys(); !maps.Equal(keys, want) || len(got) != len(want) {
			o.violate("%s: vcita has %v on %s, the configuration wants %v", e.Name, got, e.scope(), e.Events)
		}
	}
	for _, s := range cfg.Subscriptions {
		if !slices.ContainsFunc(all, func(sub stub.Subscription) bool {
			return sub.Business == "" && sub.URL == s.URL && eventKey(sub.Event()) == eventKey(s.Event)
		}) {
			o.violate("%s: vcita has no %s on %s", s.Name, s.Event, s.URL)
		}
	}
	l.checkState(cfg, all, o)
	if !planNext || left {
		return left
	}
	o.checked = append(o.checked, "next plan clean")
	w.stub.ResetCalls()
	code, out := w.run("plan", "-no-color", "-input=false", "-detailed-exitcode")
	checkNoWrites(o, "next plan", w.stub.Requests())
	if code != 0 {
		o.violate("the plan after the apply should be clean, it exits %d:\n%s", code, out)
	}
	return false
}

// checkState checks that the state holds exactly cfg's resources, none
// tainted or deposed, and that each id it records is live on vcita with the
// resource's URL and one of its events.
func (l *lifecycleRun) checkState(cfg lcConfig, all []stub.Subscription, o *lcOutcome) {
	byID := map[int64]stub.Subscription{}
	for _, sub := range all {
		byID[sub.ID] = sub
	}
	endpoints := map[string]lcEndpoint{}
	for _, e := range cfg.Endpoints {
		endpoints[e.address()] = e
	}
	subscriptions := map[string]lcSubscription{}
	for _, s := range cfg.Subscriptions {
		subscriptions[s.address()] = s
	}
	var addresses []string
	for _, r := range l.readState(o).Resources {
		if r.Mode != "managed" {
			continue
		}
		address := r.Type + "." + r.Name
		addresses = append(addresses, address)
		for _, inst := range r.Instances {
			if inst.Status == "tainted" || inst.Deposed != "" {
				o.violate("%s is in the state tainted or deposed (status %q, deposed %q)", address, inst.Status, inst.Deposed)
				continue
			}
			var scope lcScope
			var want map[string]bool
			if e, ok := endpoints[address]; ok {
				scope, want = e.scope(), e.keys()
			} else if s, ok := subscriptions[address]; ok {
				scope, want = lcScope{"", s.URL}, map[string]bool{eventKey(s.Event): true}
			} else {
				continue
			}
			ids := stateIDs(inst.Attributes)
			seen := map[string]bool{}
			for _, id := range ids {
				sub, ok := byID[id]
				if !ok || sub.Business != scope.business || sub.URL != scope.url || !want[eventKey(sub.Event())] {
					o.violate("%s records subscription %d, which vcita does not have on %s with one of its events (vcita: %+v)", address, id, scope, sub)
					continue
				}
				seen[eventKey(sub.Event())] = true
			}
			if !maps.Equal(seen, want) {
				o.violate("%s records subscriptions %v, not one of each of its events %v", address, ids, slices.Sorted(maps.Keys(want)))
			}
		}
	}
	slices.Sort(addresses)
	if want := cfg.addresses(); !slices.Equal(addresses, want) {
		o.violate("the state holds %v, the configuration has %v", addresses, want)
	}
}
