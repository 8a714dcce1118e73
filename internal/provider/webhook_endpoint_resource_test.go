package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
	"github.com/vcita/terraform-provider-vcita/internal/stub"
	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

const endpointURL = "https://hooks.example.com/vcita/endpoint"

func stringSet(values ...string) types.Set {
	elements := make([]attr.Value, len(values))
	for i, v := range values {
		elements[i] = types.StringValue(v)
	}
	return types.SetValueMust(types.StringType, elements)
}

func TestEndpointFromSubscriptions(t *testing.T) {
	listed := []vcita.Subscription{
		{ID: "1", Entity: "client", EventType: "create", TargetURL: endpointURL},
		{ID: "2", Entity: "meeting", EventType: "scheduled", TargetURL: endpointURL},
		{ID: "3", Entity: "invoice", EventType: "issued", TargetURL: endpointURL + "/"}, // another URL to the API
		{ID: "4", Entity: "payment", EventType: "paid", TargetURL: endpointURL},
		{ID: "5", Entity: "lead", EventType: "created", TargetURL: endpointURL}, // the same event as 1, listed twice
		{ID: "6", Entity: "", EventType: "", TargetURL: endpointURL},            // no event: no unsubscribe could name it
		{ID: "7", Entity: " ", EventType: " ", TargetURL: endpointURL},          // an event that does not parse: no more
		{ID: "8", Entity: "client", EventType: "created/extra", TargetURL: endpointURL},
	}
	got := endpointFromSubscriptions(listed, endpointURL, []string{"lead/created", "appointment/scheduled", "invoice/issued"})
	want := endpointSubscriptions{
		"client/create":     {Event: "lead/created", ID: "1"},
		"meeting/scheduled": {Event: "appointment/scheduled", ID: "2"},
		"payment/paid":      {Event: "payment/paid", ID: "4"}, // not written by the user: the catalogue spelling
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}

	warnings := unnamedSubscriptionsWarning(listed, endpointURL)
	if len(warnings) != 3 {
		t.Fatalf("the subscriptions without a usable event: %v, want one warning naming each", warnings)
	}
	for i, id := range []string{"6", "7", "8"} {
		if detail := warnings[i].Detail(); !strings.Contains(detail, "subscription "+id+" of "+endpointURL) || !strings.Contains(detail, "delete subscription "+id+" in vcita by hand") {
			t.Errorf("warning %d does not name subscription %s and what to do:\n%s", i, id, detail)
		}
	}
	if warnings := unnamedSubscriptionsWarning(listed, endpointURL+"/other"); len(warnings) != 0 {
		t.Errorf("another URL: %v", warnings)
	}

	model := endpointModelFromSubscriptions(listed, types.StringValue("biz"), endpointURL, nil)
	events, _ := knownStrings(model.Events)
	if !slices.Equal(events, []string{"client/created", "meeting/scheduled", "payment/paid"}) {
		t.Errorf("imported events %v, want the catalogue spellings", events)
	}
	if model.ID.ValueString() != "biz:"+endpointURL || model.BusinessID.ValueString() != "biz" {
		t.Errorf("id %q business %q", model.ID.ValueString(), model.BusinessID.ValueString())
	}
	if id := subscriptionID(model, "meeting/scheduled"); id != "2" {
		t.Errorf("subscription_ids %v", model.SubscriptionIDs)
	}
	if back := model.subscriptions(); fmt.Sprint(back) != fmt.Sprint(endpointFromSubscriptions(listed, endpointURL, nil)) {
		t.Errorf("state read back as %v", back)
	}

	// subscription_ids are keyed by the canonical spelling, whatever the
	// events are spelt as.
	written := endpointModelFromSubscriptions(listed, types.StringNull(), endpointURL, []string{"lead/create", "appointment/scheduled"})
	if got := fmt.Sprint(written.SubscriptionIDs.Elements()); got != `map[client/created:"1" meeting/scheduled:"2" payment/paid:"4"]` {
		t.Errorf("subscription_ids %s, want them keyed by the canonical spelling", got)
	}
	// A state keyed as the events were written, before the keys were
	// canonical, reads back the same.
	legacy := written
	legacy.SubscriptionIDs = types.MapValueMust(types.StringType, map[string]attr.Value{
		"lead/create": types.StringValue("1"), "appointment/scheduled": types.StringValue("2"), "payment/paid": types.StringValue("4"),
	})
	if fmt.Sprint(legacy.subscriptions()) != fmt.Sprint(written.subscriptions()) {
		t.Errorf("a state keyed by the written events reads back as %v, want %v", legacy.subscriptions(), written.subscriptions())
	}
}

// subscriptionID is the id model records for event, or "".
func subscriptionID(model webhookEndpointModel, event string) string {
	if id, ok := model.SubscriptionIDs.Elements()[event].(types.String); ok {
		return id.ValueString()
	}
	return ""
}

func TestEndpointID(t *testing.T) {
	if got := endpointID(types.StringNull(), endpointURL); got != endpointURL {
		t.Errorf("without a business: %q", got)
	}
	if got := endpointID(types.StringValue("biz"), endpointURL); got != "biz:"+endpointURL {
		t.Errorf("with a business: %q", got)
	}
}

func TestEndpointChanges(t *testing.T) {
	have := endpointSubscriptions{
		"client/create":     {Event: "client/created", ID: "1"},
		"meeting/scheduled": {Event: "meeting/scheduled", ID: "2"},
		"payment/paid":      {Event: "payment/paid", ID: "3"},
	}
	// lead/created and appointment/scheduled are respellings: no call.
	// client/create is not in the catalogue as written: sent as client/updated is.
	calls := endpointChanges(have, []string{"lead/created", "appointment/scheduled", "invoice/issued", "client/update"})
	var got []string
	for _, c := range calls {
		got = append(got, c.op+" "+c.event.String())
	}
	want := []string{"subscribe client/updated", "subscribe invoice/issued", "unsubscribe payment/paid"}
	if !slices.Equal(got, want) {
		t.Errorf("calls %v, want %v", got, want)
	}
	if calls := endpointChanges(have, []string{"lead/created", "appointment/scheduled", "payment/paid"}); len(calls) != 0 {
		t.Errorf("a respelling made calls: %+v", calls)
	}
	if calls := endpointChanges(have, nil); len(calls) != 3 || slices.ContainsFunc(calls, func(c endpointCall) bool { return c.op != opUnsubscribe || !c.event.Valid() }) {
		t.Errorf("deleting: %+v, want an unsubscribe naming each event", calls)
	}
}

func TestAfterEndpointCalls(t *testing.T) {
	have := endpointSubscriptions{
		"client/create": {Event: "client/created", ID: "1"},
		"payment/paid":  {Event: "payment/paid", ID: "3"},
		"invoice/paid":  {Event: "invoice/paid", ID: "4"},
	}
	failure := errors.New("503")
	calls := []endpointCall{
		{op: opSubscribe, event: parsedEvent("meeting/scheduled"), sub: vcita.Subscription{ID: "5"}},
		{op: opSubscribe, event: parsedEvent("invoice/issued"), err: failure},
		{op: opUnsubscribe, event: parsedEvent("payment/paid")},
		{op: opUnsubscribe, event: parsedEvent("invoice/paid"), err: failure},
	}
	got := afterEndpointCalls(have, []string{"lead/created", "appointment/scheduled", "invoice/issued"}, calls)
	want := endpointSubscriptions{
		"client/create":     {Event: "lead/created", ID: "1"},          // kept, respelt as planned
		"meeting/scheduled": {Event: "appointment/scheduled", ID: "5"}, // subscribed, as planned
		"invoice/paid":      {Event: "invoice/paid", ID: "4"},          // the unsubscribe failed: still there
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestEndpointCallsDiagnostic(t *testing.T) {
	if diags := endpointCallsDiagnostic(endpointURL, []endpointCall{{op: opSubscribe, event: parsedEvent("client/created")}}, appliedOutcome); diags.HasError() {
		t.Errorf("no failure, yet %v", diags)
	}
	unavailable := &vcita.APIError{Op: "subscribe", StatusCode: http.StatusServiceUnavailable, Message: "Service Unavailable", Attempts: 5}
	refused := &vcita.APIError{Op: "unsubscribe", StatusCode: http.StatusInternalServerError, Message: "Not Subscribed", Attempts: 1}
	calls := []endpointCall{
		{op: opSubscribe, event: parsedEvent("client/created")},
		{op: opSubscribe, event: parsedEvent("invoice/issued"), err: unavailable},
		{op: opUnsubscribe, event: parsedEvent("payment/paid"), err: refused},
	}
	// Each failure is explained as a single subscription's would be.
	refusedSummary, refusedAdvice := explainAPIError(refused)
	diags := endpointCallsDiagnostic(endpointURL, calls, appliedOutcome)
	if len(diags) != 1 {
		t.Fatalf("want one diagnostic, got %v", diags)
	}
	summary, detail := diags[0].Summary(), diags[0].Detail()
	for _, want := range []string{
		"2 of the 3 calls for " + endpointURL + " failed",
		"- subscribe invoice/issued: vcita API Unavailable. Details: " + unavailable.Error(),
		"- unsubscribe payment/paid: " + refusedSummary + ". Details: " + refused.Error(),
		refusedSummary + ": " + refusedAdvice,
		"the next plan shows, and the next apply retries, only what is still missing",
	} {
		if !strings.Contains(detail, want) {
			t.Errorf("detail lacks %q:\n%s", want, detail)
		}
	}
	if summary != "Webhook Endpoint Partly Applied" {
		t.Errorf("summary %q", summary)
	}
	if strings.Contains(detail, "client/created") {
		t.Errorf("the detail names a call that succeeded:\n%s", detail)
	}
	one := endpointCallsDiagnostic(endpointURL, calls[:2], appliedOutcome)
	if got := one[0].Summary(); got != "vcita API Unavailable" {
		t.Errorf("one kind of failure: summary %q, want the failure's own", got)
	}
}

func TestParseEndpointImportID(t *testing.T) {
	tests := []struct {
		raw, business, targetURL string
		wantErr                  string
	}{
		{raw: endpointURL, targetURL: endpointURL},
		{raw: "http://h.example.com:8080/x?a=b,c", targetURL: "http://h.example.com:8080/x?a=b,c"},
		{raw: "biz123:" + endpointURL, business: "biz123", targetURL: endpointURL},
		{raw: "", wantErr: "empty"},
		{raw: ":" + endpointURL, wantErr: "neither a target URL"},
		{raw: "hooks.example.com/x", wantErr: "neither a target URL"},
		{raw: "biz:ftp://h.example.com/x", wantErr: "must be an absolute URL"},
		{raw: "biz:", wantErr: "must be an absolute URL"},
		{raw: "https:///x", wantErr: "has no host"},
	}
	for _, tt := range tests {
		business, targetURL, err := parseEndpointImportID(tt.raw)
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("%q: error %v, want one saying %q", tt.raw, err, tt.wantErr)
			}
			// The diagnostic reads as one sentence, then the accepted forms.
			detail := invalidImportIDDetail(tt.raw, err, endpointImportIDForms)
			if want := fmt.Sprintf("Cannot import %q: %s. %s", tt.raw, err, endpointImportIDForms); detail != want || strings.Contains(err.Error(), "Use the target URL") {
				t.Errorf("%q: detail %q, want %q", tt.raw, detail, want)
			}
		case err != nil || business != tt.business || targetURL != tt.targetURL:
			t.Errorf("%q: got (%q, %q, %v), want (%q, %q)", tt.raw, business, targetURL, err, tt.business, tt.targetURL)
		}
	}
}

func TestDistinctEventsValidator(t *testing.T) {
	validate := func(events ...string) []string {
		req := validator.SetRequest{Path: path.Root("events"), ConfigValue: stringSet(events...)}
		var resp validator.SetResponse
		distinctEventsValidator{}.ValidateSet(context.Background(), req, &resp)
		var details []string
		for _, d := range resp.Diagnostics.Errors() {
			details = append(details, d.Detail())
		}
		return details
	}
	if got := validate("client/created", "client/updated", "appointment/scheduled", "not-an-event"); len(got) != 0 {
		t.Errorf("distinct events: %v", got)
	}
	got := validate("client/created", "lead/created", "invoice/issued", "meeting/scheduled", "appointment/scheduled")
	sort.Strings(got)
	if len(got) != 2 || !strings.Contains(got[0], `"appointment/scheduled" and "meeting/scheduled"`) || !strings.Contains(got[1], `"client/created" and "lead/created"`) {
		t.Errorf("two pairs of spellings: %v, want one error naming each pair", got)
	}
}

func TestKeepEquivalentEvents(t *testing.T) {
	plan := func(state, planned types.Set) types.Set {
		resp := planmodifier.SetResponse{PlanValue: planned}
		keepEquivalentEvents{}.PlanModifySet(context.Background(), planmodifier.SetRequest{StateValue: state, PlanValue: planned}, &resp)
		return resp.PlanValue
	}
	state := stringSet("client/created", "meeting/scheduled")
	if got := plan(state, stringSet("lead/created", "appointment/scheduled")); !got.Equal(state) {
		t.Errorf("a respelling planned %v, want the state", got)
	}
	changed := stringSet("lead/created", "invoice/issued")
	if got := plan(state, changed); !got.Equal(changed) {
		t.Errorf("a change planned %v, want the configuration", got)
	}
	more := stringSet("lead/created", "appointment/scheduled", "invoice/issued")
	if got := plan(state, more); !got.Equal(more) {
		t.Errorf("an added event planned %v, want the configuration", got)
	}
	if got := plan(types.SetNull(types.StringType), changed); !got.Equal(changed) {
		t.Errorf("a create planned %v", got)
	}
}

// endpointConfig is the configuration of an endpoint of endpointURL as
// Terraform sends it to the provider: what the user wrote, every computed
// attribute null.
func endpointConfig(events ...string) webhookEndpointModel {
	return webhookEndpointModel{
		ID:              types.StringNull(),
		TargetURL:       types.StringValue(endpointURL),
		Events:          stringSet(events...),
		BusinessID:      types.StringNull(),
		SubscriptionIDs: types.MapNull(types.StringType),
		Timeouts:        nullTimeouts(),
	}
}

// proposed is what Terraform proposes for config over prior: the
// configuration, with the computed attributes it leaves null from prior.
func proposed(prior, config webhookEndpointModel) webhookEndpointModel {
	config.ID, config.SubscriptionIDs = prior.ID, prior.SubscriptionIDs
	if config.BusinessID.IsNull() {
		config.BusinessID = prior.BusinessID
	}
	return config
}

// endpointRun is an endpoint driven through the protocol: its state and
// private state, as Terraform would keep them.
type endpointRun struct {
	h       *protocolHarness
	state   *webhookEndpointModel
	private []byte
}

func newEndpointRun(t *testing.T, s *stub.Server, settings map[string]any) *endpointRun {
	return &endpointRun{h: newProtocolHarness(t, s, "vcita_webhook_endpoint", newWebhookEndpointResource(), settings)}
}

// planAndApply plans config and, when applyToo, applies the plan; it
// returns the diagnostics of both.
func (e *endpointRun) planAndApply(config webhookEndpointModel, applyToo bool) (planDiags, applyDiags []*tfprotov6.Diagnostic) {
	e.h.t.Helper()
	// Each plan runs in a provider process of its own, configured afresh.
	e.h.configure()
	var prior any
	proposal := config
	if e.state != nil {
		prior, proposal = *e.state, proposed(*e.state, config)
	}
	planned := e.h.plan(prior, proposal, config, e.private)
	failOnErrors(e.h.t, "plan", planned.Diagnostics)
	if !applyToo {
		return planned.Diagnostics, nil
	}
	applied := e.h.apply(prior, planned.PlannedState, config, planned.PlannedPrivate)
	var after webhookEndpointModel
	if e.h.decode(applied.NewState, &after) {
		e.state, e.private = &after, applied.Private
	} else {
		e.state, e.private = nil, nil
	}
	return planned.Diagnostics, applied.Diagnostics
}

// refresh reads the endpoint as Terraform does at the start of a new plan.
func (e *endpointRun) refresh() {
	e.h.t.Helper()
	e.h.configure()
	read := e.h.read(*e.state, e.private)
	failOnErrors(e.h.t, "read", read.Diagnostics)
	var after webhookEndpointModel
	if !e.h.decode(read.NewState, &after) {
		e.h.t.Fatal("the endpoint is gone after a refresh")
	}
	e.state, e.private = &after, read.Private
}

func (e *endpointRun) events() []string {
	events, _ := knownStrings(e.state.Events)
	return events
}

const removalSummary = "Webhook Endpoint Removes Subscriptions It Did Not Make"

// checkRemovalWarning asserts that diags warn about exactly the listed
// subscriptions ("event (subscription id)"), or not at all when none are
// given.
func checkRemovalWarning(t *testing.T, diags []*tfprotov6.Diagnostic, want ...string) {
	t.Helper()
	warnings := diagnosticsOf(diags, tfprotov6.DiagnosticSeverityWarning, removalSummary)
	if len(want) == 0 {
		if len(warnings) != 0 {
			t.Errorf("unexpected warning:\n%s", describe(warnings))
		}
		return
	}
	if len(warnings) != 1 {
		t.Fatalf("want one removal warning, got:\n%s", describe(diags))
	}
	var named []string
	for _, line := range strings.Split(warnings[0].Detail, "\n") {
		if strings.HasPrefix(line, "- ") {
			named = append(named, strings.TrimPrefix(line, "- "))
		}
	}
	if !slices.Equal(named, want) {
		t.Errorf("the warning names %v, want %v:\n%s", named, want, warnings[0].Detail)
	}
	if !strings.Contains(warnings[0].Detail, "vcita_webhook_subscription") {
		t.Errorf("the warning does not explain the conflict with vcita_webhook_subscription:\n%s", warnings[0].Detail)
	}
}

func TestEndpointPlanWarnsBeforeRemovingWhatItDidNotMake(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	adopted := mustAdd(t, s, "", "client/created", endpointURL)
	updated := mustAdd(t, s, "", "client/updated", endpointURL)
	paid := mustAdd(t, s, "", "payment/paid", endpointURL)
	elsewhere := mustAdd(t, s, "", "invoice/updated", endpointURL+"/other")
	e := newEndpointRun(t, s, map[string]any{})

	// Create: every listed subscription of the URL that is not in events,
	// which the create leaves for the next plan.
	config := endpointConfig("lead/created", "invoice/issued")
	planDiags, applyDiags := e.planAndApply(config, true)
	checkRemovalWarning(t, planDiags, fmt.Sprintf("client/updated (subscription %d)", updated.ID), fmt.Sprintf("payment/paid (subscription %d)", paid.ID))
	if w := diagnosticsOf(planDiags, tfprotov6.DiagnosticSeverityWarning, removalSummary); !strings.Contains(w[0].Detail, "Creating the endpoint leaves them as they are") {
		t.Errorf("the create's warning does not say the create leaves them:\n%s", w[0].Detail)
	}
	failOnErrors(t, "create", applyDiags)
	if got := e.events(); !slices.Equal(got, []string{"invoice/issued", "lead/created"}) {
		t.Errorf("events after create: %v", got)
	}
	if id := subscriptionID(*e.state, "client/created"); id != fmt.Sprint(adopted.ID) { // lead/created, keyed canonically
		t.Errorf("the subscription already on the URL was not adopted: %v", e.state.SubscriptionIDs)
	}
	if err := checkStubHas(s, "", endpointURL, "client/create", "client/update", "invoice/issued", "payment/paid")(nil); err != nil {
		t.Errorf("the create removed something: %v", err)
	}
	if err := checkStubHas(s, "", elsewhere.URL, "invoice/update")(nil); err != nil {
		t.Errorf("another URL was touched: %v", err)
	}
	if err := checkCalls(s, 1, 0)(nil); err != nil {
		t.Errorf("%v: the event already subscribed is adopted, nothing is removed", err)
	}

	// The next plan shows them, warns again, and its apply removes them.
	e.refresh()
	planDiags, applyDiags = e.planAndApply(config, true)
	checkRemovalWarning(t, planDiags, fmt.Sprintf("client/updated (subscription %d)", updated.ID), fmt.Sprintf("payment/paid (subscription %d)", paid.ID))
	failOnErrors(t, "update", applyDiags)
	if err := checkStubHas(s, "", endpointURL, "client/create", "invoice/issued")(nil); err != nil {
		t.Error(err)
	}

	// A plan that changes nothing warns about nothing.
	e.refresh()
	planDiags, _ = e.planAndApply(config, false)
	checkRemovalWarning(t, planDiags)

	// Update: someone subscribes the URL to another event. Removing it is
	// warned about; removing an event the endpoint made is not.
	extra := mustAdd(t, s, "", "meeting/scheduled", endpointURL)
	e.refresh()
	if got := e.events(); !slices.Equal(got, []string{"invoice/issued", "lead/created", "meeting/scheduled"}) {
		t.Fatalf("the refresh did not find the extra subscription: %v", got)
	}
	planDiags, applyDiags = e.planAndApply(endpointConfig("lead/created"), true)
	checkRemovalWarning(t, planDiags, fmt.Sprintf("meeting/scheduled (subscription %d)", extra.ID))
	failOnErrors(t, "update", applyDiags)
	if err := checkStubHas(s, "", endpointURL, "client/create")(nil); err != nil {
		t.Error(err)
	}

	// Once applied, an event the configuration keeps is the endpoint's own.
	mustAdd(t, s, "", "payment/paid", endpointURL)
	e.refresh()
	e.planAndApply(endpointConfig("lead/created", "payment/paid"), true)
	planDiags, _ = e.planAndApply(endpointConfig("lead/created"), false)
	checkRemovalWarning(t, planDiags)
}

func TestEndpointPlanAfterImportWarnsAboutEveryRemoval(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	mustAdd(t, s, "biz", "client/created", endpointURL)
	dropped := mustAdd(t, s, "biz", "payment/paid", endpointURL)
	e := newEndpointRun(t, s, map[string]any{})
	// What ImportState leaves for Read: the URL and the business.
	e.state = &webhookEndpointModel{
		ID: types.StringNull(), TargetURL: types.StringValue(endpointURL), Events: types.SetNull(types.StringType),
		BusinessID: types.StringValue("biz"), SubscriptionIDs: types.MapNull(types.StringType), Timeouts: nullTimeouts(),
	}
	e.refresh()
	if got := e.events(); !slices.Equal(got, []string{"client/created", "payment/paid"}) || e.state.ID.ValueString() != "biz:"+endpointURL {
		t.Fatalf("imported %v with id %q", got, e.state.ID.ValueString())
	}
	config := endpointConfig("client/created")
	config.BusinessID = types.StringValue("biz")
	planDiags, _ := e.planAndApply(config, false)
	checkRemovalWarning(t, planDiags, fmt.Sprintf("payment/paid (subscription %d)", dropped.ID))
}

func TestEndpointPartialFailureReturnsWhatTheAPIHas(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	e := newEndpointRun(t, s, map[string]any{"max_retries": 0})
	_, applyDiags := e.planAndApply(endpointConfig("client/created", "client/updated", "payment/paid"), true)
	failOnErrors(t, "create", applyDiags)

	// Adding invoice/issued and meeting/scheduled, removing client/updated
	// and payment/paid: the subscribe of invoice/issued and the unsubscribe
	// of payment/paid fail.
	s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.Fault503}, Events: []string{"invoice/issued", "payment/paid"}})
	e.refresh()
	_, applyDiags = e.planAndApply(endpointConfig("client/created", "invoice/issued", "meeting/scheduled"), true)
	failures := diagnosticsOf(applyDiags, tfprotov6.DiagnosticSeverityError, "vcita API Unavailable")
	if len(failures) != 1 {
		t.Fatalf("want one error for the failed calls, got:\n%s", describe(applyDiags))
	}
	for _, want := range []string{"- subscribe invoice/issued: vcita API Unavailable", "- unsubscribe payment/paid: vcita API Unavailable", "Service Unavailable"} {
		if !strings.Contains(failures[0].Detail, want) {
			t.Errorf("the error lacks %q:\n%s", want, failures[0].Detail)
		}
	}
	// The state is what the API has: client/updated removed, meeting/scheduled
	// added, payment/paid still there, invoice/issued not.
	if got := e.events(); !slices.Equal(got, []string{"client/created", "meeting/scheduled", "payment/paid"}) {
		t.Errorf("state after the partial update: %v", got)
	}
	if err := checkStubHas(s, "", endpointURL, "client/create", "meeting/scheduled", "payment/paid")(nil); err != nil {
		t.Error(err)
	}
	for _, event := range e.events() {
		if subscriptionID(*e.state, event) == "" {
			t.Errorf("%s has no subscription id in the state", event)
		}
	}

	// A delete whose calls partly fail keeps what is left in the state. It
	// is another apply: a provider configured afresh.
	s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.Fault503}, Events: []string{"payment/paid"}})
	e.h.configure()
	applied := e.h.apply(*e.state, e.h.encode(nil), nil, e.private)
	if len(diagnosticsOf(applied.Diagnostics, tfprotov6.DiagnosticSeverityError, "vcita API Unavailable")) != 1 {
		t.Fatalf("delete: want the failed unsubscribe reported, got:\n%s", describe(applied.Diagnostics))
	}
	var left webhookEndpointModel
	if !e.h.decode(applied.NewState, &left) {
		t.Fatal("a delete that failed in part removed the endpoint from the state")
	}
	if got, _ := knownStrings(left.Events); !slices.Equal(got, []string{"payment/paid"}) {
		t.Errorf("state after the partial delete: %v, want what is left on the API", got)
	}
	if err := checkStubHas(s, "", endpointURL, "payment/paid")(nil); err != nil {
		t.Error(err)
	}
}

// endpointHCL is one vcita_webhook_endpoint named name; extra lines go
// inside the block.
func endpointHCL(name, targetURL string, events []string, extra ...string) string {
	quoted := make([]string, len(events))
	for i, event := range events {
		quoted[i] = fmt.Sprintf("%q", event)
	}
	return fmt.Sprintf(`
resource "vcita_webhook_endpoint" %[1]q {
  target_url = %[2]q
  events     = [%[3]s]
  %[4]s
}
`, name, targetURL, strings.Join(quoted, ", "), strings.Join(extra, "\n  "))
}

// checkNoUnsubscribeWithoutEvent asserts that every unsubscribe the stub
// received named an event: without one, the API removes every subscription
// of the URL.
func checkNoUnsubscribeWithoutEvent(t *testing.T, s *stub.Server) {
	t.Helper()
	for _, req := range s.Requests() {
		if req.Op == stub.OpUnsubscribe && !containsEvent(req.Body) {
			t.Errorf("an unsubscribe call left out the event, which removes every subscription of the URL: %s", req.Body)
		}
	}
}

// checkEndpointMatchesStub asserts that the endpoint's subscription_ids are
// exactly the stub's subscriptions of its URL, id for id.
func checkEndpointMatchesStub(s *stub.Server, address, business, targetURL string) resource.TestCheckFunc {
	return func(state *terraform.State) error {
		r, ok := state.RootModule().Resources[address]
		if !ok {
			return fmt.Errorf("%s is not in the state", address)
		}
		inState := map[string]bool{}
		for key, value := range r.Primary.Attributes {
			if strings.HasPrefix(key, "subscription_ids.") && key != "subscription_ids.%" {
				inState[value] = true
			}
		}
		onStub := map[string]bool{}
		for _, sub := range s.Subscriptions(business) {
			if sub.URL == targetURL {
				onStub[fmt.Sprint(sub.ID)] = true
			}
		}
		if fmt.Sprint(inState) != fmt.Sprint(onStub) {
			return fmt.Errorf("%s records subscriptions %v, the stub has %v", address, inState, onStub)
		}
		return nil
	}
}

func TestAccWebhookEndpoint_lifecycle(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	written := []string{"appointment/scheduled", "client/created", "invoice/issued"}
	config := providerConfig(s, "") + endpointHCL("test", endpointURL, written)
	respelt := providerConfig(s, "") + endpointHCL("test", endpointURL, []string{"meeting/scheduled", "lead/created", "invoice/issued"})
	const address = "vcita_webhook_endpoint.test"

	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(address, plancheck.ResourceActionCreate),
						plancheck.ExpectKnownValue(address, tfjsonpath.New("id"), knownvalue.StringExact(endpointURL)),
						plancheck.ExpectUnknownValue(address, tfjsonpath.New("subscription_ids").AtMapKey("meeting/scheduled")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, tfjsonpath.New("id"), knownvalue.StringExact(endpointURL)),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("business_id"), knownvalue.Null()),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("events"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("appointment/scheduled"), knownvalue.StringExact("client/created"), knownvalue.StringExact("invoice/issued"),
					})),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("subscription_ids"), knownvalue.MapSizeExact(3)),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("subscription_ids").AtMapKey("meeting/scheduled"), knownvalue.StringRegexp(regexpDigits)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStubHas(s, "", endpointURL, "meeting/scheduled", "client/create", "invoice/issued"),
					checkEndpointMatchesStub(s, address, "", endpointURL),
					checkCalls(s, 3, 0),
				),
			},
			{
				// Another spelling of every event is no change, and no call.
				PreConfig: s.ResetCalls,
				Config:    respelt,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: checkNoWrites(s),
			},
			{
				// An import records the catalogue spelling of each event.
				ResourceName: address,
				ImportState:  true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 {
						return fmt.Errorf("imported %d objects", len(states))
					}
					got := states[0].Attributes
					var events []string
					for key, value := range got {
						if strings.HasPrefix(key, "events.") && key != "events.#" {
							events = append(events, value)
						}
					}
					sort.Strings(events)
					if !slices.Equal(events, []string{"client/created", "invoice/issued", "meeting/scheduled"}) || got["id"] != endpointURL ||
						got["target_url"] != endpointURL || got["subscription_ids.meeting/scheduled"] == "" {
						return fmt.Errorf("imported %v", got)
					}
					return nil
				},
			},
			// The configuration's own spellings then plan no change.
			importBlockStep(config, address, endpointURL),
		},
	})
	checkNoUnsubscribeWithoutEvent(t, s)
}

// stubIDsOf returns the stub's id of each event (as the stub lists it) on
// targetURL in the token's own scope.
func stubIDsOf(s *stub.Server, targetURL string) map[string]int64 {
	ids := map[string]int64{}
	for _, sub := range s.Subscriptions("") {
		if sub.URL == targetURL {
			ids[sub.Event()] = sub.ID
		}
	}
	return ids
}

// stubID checks that a value is the stub's id of the subscription of
// endpointURL that the stub lists as listed (client/create,
// meeting/scheduled), as the stub has it when the check runs.
func stubID(s *stub.Server, listed string) knownvalue.Check {
	return knownvalue.StringFunc(func(value string) error {
		id, ok := stubIDsOf(s, endpointURL)[listed]
		if !ok {
			return fmt.Errorf("got id %s, but the stub has no %s on %s", value, listed, endpointURL)
		}
		if value != fmt.Sprint(id) {
			return fmt.Errorf("got id %s, the stub's id of %s is %d", value, listed, id)
		}
		return nil
	})
}

// subscription_ids are keyed by the canonical spelling of each event, whatever
// events spells it; a respelling that comes with a real change keeps every
// key, and the plan keeps the ids of the events it keeps known, so that
// whatever uses one does not change.
func TestAccWebhookEndpoint_subscriptionIDsKeepTheirKeys(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	const address = "vcita_webhook_endpoint.test"
	ids := tfjsonpath.New("subscription_ids")
	config := func(events ...string) string {
		return providerConfig(s, "") + endpointHCL("test", endpointURL, events) + `
output "scheduled" {
  value = vcita_webhook_endpoint.test.subscription_ids["meeting/scheduled"]
}
`
	}
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: config("appointment/scheduled", "lead/created", "invoice/issued"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(address, plancheck.ResourceActionCreate),
						// The keys are known before the ids are.
						plancheck.ExpectUnknownValue(address, ids.AtMapKey("meeting/scheduled")),
						plancheck.ExpectUnknownValue(address, ids.AtMapKey("client/created")),
						plancheck.ExpectUnknownValue(address, ids.AtMapKey("invoice/issued")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, ids, knownvalue.MapExact(map[string]knownvalue.Check{
						"meeting/scheduled": stubID(s, "meeting/scheduled"),
						"client/created":    stubID(s, "client/create"),
						"invoice/issued":    stubID(s, "invoice/issued"),
					})),
					statecheck.ExpectKnownOutputValue("scheduled", stubID(s, "meeting/scheduled")),
				},
			},
			{
				// Another spelling of two events, one event dropped and one
				// added: the kept ids, and the output that uses one, are
				// known in the plan and do not change.
				PreConfig: s.ResetCalls,
				Config:    config("meeting/scheduled", "client/create", "payment/paid"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(address, ids.AtMapKey("meeting/scheduled"), stubID(s, "meeting/scheduled")),
						plancheck.ExpectKnownValue(address, ids.AtMapKey("client/created"), stubID(s, "client/create")),
						plancheck.ExpectUnknownValue(address, ids.AtMapKey("payment/paid")),
						plancheck.ExpectKnownOutputValue("scheduled", stubID(s, "meeting/scheduled")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, ids, knownvalue.MapExact(map[string]knownvalue.Check{
						"meeting/scheduled": stubID(s, "meeting/scheduled"),
						"client/created":    stubID(s, "client/create"),
						"payment/paid":      stubID(s, "payment/paid"),
					})),
				},
				Check: checkCalls(s, 1, 1),
			},
			{
				// An import records the catalogue spelling of each event, and
				// the same keys.
				ResourceName:            address,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"events"},
			},
		},
	})
}

// A subscription_ids lookup by the spelling a configuration uses, through
// provider::vcita::canonical_event, works whatever the endpoint's state
// spells: after an import that records the catalogue spelling, and after a
// respelling.
func TestAccWebhookEndpoint_canonicalEventLooksUpAnIDInAnySpelling(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	const address = "vcita_webhook_endpoint.test"
	mustAdd(t, s, "", "meeting/scheduled", endpointURL)
	mustAdd(t, s, "", "account/updated", endpointURL) // listed as business/update
	config := func(events ...string) string {
		return providerConfig(s, "") + endpointHCL("test", endpointURL, events) + `
output "scheduled" {
  value = vcita_webhook_endpoint.test.subscription_ids[provider::vcita::canonical_event("appointment/scheduled")]
}

output "updated" {
  value = vcita_webhook_endpoint.test.subscription_ids[provider::vcita::canonical_event("account/updated")]
}
`
	}
	adopt := fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", address, endpointURL)
	outputs := []statecheck.StateCheck{
		statecheck.ExpectKnownOutputValue("scheduled", stubID(s, "meeting/scheduled")),
		statecheck.ExpectKnownOutputValue("updated", stubID(s, "business/update")),
	}
	testWithStub(t, s, resource.TestCase{
		TerraformVersionChecks: needsFunctions,
		Steps: []resource.TestStep{
			adoptionStep(s, config("appointment/scheduled", "account/updated")+adopt, append([]statecheck.StateCheck{
				statecheck.ExpectKnownValue(address, tfjsonpath.New("events"), knownvalue.SetExact([]knownvalue.Check{
					knownvalue.StringExact("meeting/scheduled"), knownvalue.StringExact("account/updated"),
				})),
				statecheck.ExpectKnownValue(address, tfjsonpath.New("subscription_ids"), knownvalue.MapExact(map[string]knownvalue.Check{
					"meeting/scheduled": stubID(s, "meeting/scheduled"),
					"business/updated":  stubID(s, "business/update"),
				})),
			}, outputs...), address),
			{
				Config: config("appointment/scheduled", "business/update", "client/created"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownOutputValue("scheduled", stubID(s, "meeting/scheduled")),
						plancheck.ExpectKnownOutputValue("updated", stubID(s, "business/update")),
					},
				},
				ConfigStateChecks: outputs,
			},
		},
	})
}

// An item the API lists on the endpoint's URL whose event does not parse
// cannot be unsubscribed safely: the endpoint leaves it out of its state
// and alone on vcita, and its applies succeed.
func TestAccWebhookEndpoint_malformedListedEventIsLeftAlone(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	const address = "vcita_webhook_endpoint.test"
	blank := s.AddMalformed("", " ", " ", endpointURL)
	extra := s.AddMalformed("", "client", "created/extra", endpointURL)
	mustAdd(t, s, "", "payment/paid", endpointURL) // made by hand: removed as usual, by the plan after the create
	malformed := []string{blank.Event(), extra.Event()}
	stubHas := func(events ...string) resource.TestCheckFunc {
		return checkStubHas(s, "", endpointURL, append(events, malformed...)...)
	}
	config := providerConfig(s, "") + endpointHCL("test", endpointURL, []string{"client/created"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             stubHas(),
		Steps: []resource.TestStep{
			{
				// A create removes nothing: the next plan shows payment/paid.
				Config:             config,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(stubHas("client/create", "payment/paid"), checkCalls(s, 1, 0)),
			},
			{
				PreConfig: s.ResetCalls,
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, tfjsonpath.New("events"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("client/created")})),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("subscription_ids"), knownvalue.MapExact(map[string]knownvalue.Check{
						"client/created": stubID(s, "client/create"),
					})),
				},
				Check: resource.ComposeAggregateTestCheckFunc(stubHas("client/create"), checkCalls(s, 0, 1)),
			},
			{
				PreConfig: s.ResetCalls,
				Config:    providerConfig(s, "") + endpointHCL("test", endpointURL, []string{"client/created", "invoice/issued"}),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(stubHas("client/create", "invoice/issued"), checkCalls(s, 1, 0)),
			},
		},
	})
	checkNoUnsubscribeWithoutEvent(t, s)
}

// The plan of a create, and every refresh, warn about an item of the URL
// the endpoint cannot remove, naming it and what to do.
func TestEndpointWarnsAboutAListedItemItCannotRemove(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	odd := s.AddMalformed("", "client", "created/extra", endpointURL)
	e := newEndpointRun(t, s, map[string]any{})
	want := fmt.Sprintf("vcita lists subscription %d of %s with entity \"client\" and event_type \"created/extra\"", odd.ID, endpointURL)
	checkWarning := func(step string, diags []*tfprotov6.Diagnostic) {
		t.Helper()
		warnings := diagnosticsOf(diags, tfprotov6.DiagnosticSeverityWarning, "Subscription Without A Usable Event")
		if len(warnings) != 1 || !strings.Contains(warnings[0].Detail, want) || !strings.Contains(warnings[0].Detail, fmt.Sprintf("delete subscription %d in vcita by hand", odd.ID)) {
			t.Errorf("%s: want one warning naming subscription %d and what to do, got:\n%s", step, odd.ID, describe(diags))
		}
	}
	planDiags, applyDiags := e.planAndApply(endpointConfig("client/created"), true)
	checkWarning("plan of the create", planDiags)
	failOnErrors(t, "create", applyDiags)
	read := e.h.read(*e.state, e.private)
	checkWarning("refresh", read.Diagnostics)
	checkRemovalWarning(t, planDiags) // nothing else of the URL to remove
}

// A state whose subscription_ids are keyed by the events as written, as
// they were before keys were canonical, is keyed canonically by its first
// refresh, which sends nothing.
func TestEndpointRefreshKeysAnOlderStateCanonically(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	e := newEndpointRun(t, s, map[string]any{})
	_, applyDiags := e.planAndApply(endpointConfig("appointment/scheduled", "lead/create"), true)
	failOnErrors(t, "create", applyDiags)
	ids := stubIDsOf(s, endpointURL)
	e.state.SubscriptionIDs = types.MapValueMust(types.StringType, map[string]attr.Value{
		"appointment/scheduled": types.StringValue(fmt.Sprint(ids["meeting/scheduled"])),
		"lead/create":           types.StringValue(fmt.Sprint(ids["client/create"])),
	})
	s.ResetCalls()
	e.refresh()
	want := fmt.Sprintf(`map[client/created:"%d" meeting/scheduled:"%d"]`, ids["client/create"], ids["meeting/scheduled"])
	if got := fmt.Sprint(e.state.SubscriptionIDs.Elements()); got != want {
		t.Errorf("subscription_ids after the refresh: %s, want %s", got, want)
	}
	checkCallCount(t, s, 0, "the refresh sent %d subscribe or unsubscribe calls", stub.OpSubscribe, stub.OpUnsubscribe)
}

func TestAccWebhookEndpoint_updateSendsExactlyTheDifference(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	const address = "vcita_webhook_endpoint.test"
	var before map[string]int64
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: providerConfig(s, "") + endpointHCL("test", endpointURL, []string{"client/created", "client/updated", "payment/paid"}),
				Check: func(*terraform.State) error {
					before = stubIDsOf(s, endpointURL)
					return nil
				},
			},
			{
				// client/updated goes, invoice/issued and meeting/scheduled
				// come, client/created is respelt: two subscribes, one
				// unsubscribe, in place.
				PreConfig: s.ResetCalls,
				Config:    providerConfig(s, "") + endpointHCL("test", endpointURL, []string{"lead/created", "payment/paid", "invoice/issued", "appointment/scheduled"}),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate),
						// The kept ids stay known; only the added ones are not.
						plancheck.ExpectKnownValue(address, tfjsonpath.New("subscription_ids").AtMapKey("client/created"), stubID(s, "client/create")),
						plancheck.ExpectKnownValue(address, tfjsonpath.New("subscription_ids").AtMapKey("payment/paid"), stubID(s, "payment/paid")),
						plancheck.ExpectUnknownValue(address, tfjsonpath.New("subscription_ids").AtMapKey("invoice/issued")),
						plancheck.ExpectUnknownValue(address, tfjsonpath.New("subscription_ids").AtMapKey("meeting/scheduled")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, tfjsonpath.New("events"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("appointment/scheduled"), knownvalue.StringExact("invoice/issued"),
						knownvalue.StringExact("lead/created"), knownvalue.StringExact("payment/paid"),
					})),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStubHas(s, "", endpointURL, "client/create", "payment/paid", "invoice/issued", "meeting/scheduled"),
					checkEndpointMatchesStub(s, address, "", endpointURL),
					checkCalls(s, 2, 1),
					func(*terraform.State) error {
						after := stubIDsOf(s, endpointURL)
						if after["client/create"] != before["client/create"] || after["payment/paid"] != before["payment/paid"] {
							return fmt.Errorf("a kept subscription was replaced: before %v, after %v", before, after)
						}
						for _, req := range s.Requests() {
							if req.Op == stub.OpUnsubscribe && !strings.Contains(req.Body, `"event":"client/updated"`) {
								return fmt.Errorf("unsubscribe %s; only client/updated was removed", req.Body)
							}
						}
						return nil
					},
				),
			},
		},
	})
	checkNoUnsubscribeWithoutEvent(t, s)
}

// exactUpdateStep applies config to the endpoint test of endpointURL as an
// in-place update of the given calls, after which the URL has exactly the
// events (as the stub lists them) and the state records their ids.
func exactUpdateStep(s *stub.Server, config string, subscribes, unsubscribes int, events ...string) resource.TestStep {
	const address = "vcita_webhook_endpoint.test"
	return resource.TestStep{
		PreConfig: s.ResetCalls,
		Config:    config,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate)},
		},
		Check: resource.ComposeAggregateTestCheckFunc(
			checkStubHas(s, "", endpointURL, events...),
			checkEndpointMatchesStub(s, address, "", endpointURL),
			checkCalls(s, subscribes, unsubscribes),
		),
	}
}

func TestAccWebhookEndpoint_driftIsAnInPlaceUpdate(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	const address = "vcita_webhook_endpoint.test"
	config := providerConfig(s, "") + endpointHCL("test", endpointURL, []string{"client/created", "invoice/issued"})
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: config, Check: checkStubHas(s, "", endpointURL, "client/create", "invoice/issued")},
			{
				// Someone subscribes the URL to another event by hand: the
				// plan is not empty (terraform plan -detailed-exitcode exits 2).
				PreConfig:          func() { mustAdd(t, s, "", "payment/paid", endpointURL) },
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				// ... and applying it removes the extra, in place.
				PreConfig: s.ResetCalls,
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(address, tfjsonpath.New("events"), knownvalue.SetSizeExact(2)),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStubHas(s, "", endpointURL, "client/create", "invoice/issued"),
					checkCalls(s, 0, 1),
				),
			},
			{
				// Someone unsubscribes one of its events by hand.
				PreConfig: func() {
					if !s.Remove(stubIDsOf(s, endpointURL)["invoice/issued"]) {
						t.Fatal("invoice/issued is not on the stub")
					}
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			exactUpdateStep(s, config, 1, 0, "client/create", "invoice/issued"),
			{
				// Every subscription of the URL gone: the endpoint is gone,
				// and the plan creates it again.
				PreConfig: func() {
					for _, id := range stubIDsOf(s, endpointURL) {
						s.Remove(id)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(address, plancheck.ResourceActionCreate)},
				},
				Check: checkStubHas(s, "", endpointURL, "client/create", "invoice/issued"),
			},
		},
	})
}

// A create adopts the wanted events already on the URL and removes
// nothing: what it does not want is left for the next plan, which shows it,
// and that plan's apply removes it (Terraform gives a create no way to know
// what its plan showed, so it removes nothing).
func TestAccWebhookEndpoint_createAdoptsWhatIsThereAndTheNextApplyRemovesTheRest(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	const address = "vcita_webhook_endpoint.test"
	const otherURL = endpointURL + "/other"
	var adopted, elsewhere stub.Subscription
	config := providerConfig(s, "") + endpointHCL("test", endpointURL, []string{"client/created", "invoice/issued"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             resource.ComposeAggregateTestCheckFunc(checkStubHas(s, "", endpointURL), checkStubHas(s, "", otherURL, "payment/paid")),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					adopted = mustAdd(t, s, "", "client/created", endpointURL)
					mustAdd(t, s, "", "client/updated", endpointURL)
					elsewhere = mustAdd(t, s, "", "payment/paid", otherURL)
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(address, plancheck.ResourceActionCreate)},
					// The next plan shows the subscription the create left.
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate)},
				},
				ExpectNonEmptyPlan: true,
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStubHas(s, "", endpointURL, "client/create", "client/update", "invoice/issued"),
					checkStubHas(s, "", otherURL, "payment/paid"),
					checkCalls(s, 1, 0),
					func(state *terraform.State) error {
						return resource.TestCheckResourceAttr(address, "subscription_ids.client/created", fmt.Sprint(adopted.ID))(state)
					},
				),
			},
			exactUpdateStep(s, config, 0, 1, "client/create", "invoice/issued"),
		},
	})
	if got := stubIDsOf(s, otherURL)["payment/paid"]; got != elsewhere.ID {
		t.Errorf("the subscription of another URL was replaced or removed")
	}
}

func TestAccWebhookEndpoint_twoEndpointsLeaveEachOtherAndOtherURLsAlone(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	const urlA, urlB, urlC = endpointURL + "/a", endpointURL + "/b", endpointURL + "/c"
	both := func(eventsA, eventsB []string) string {
		return providerConfig(s, "") + endpointHCL("a", urlA, eventsA) + endpointHCL("b", urlB, eventsB)
	}
	var handMade stub.Subscription
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             resource.ComposeAggregateTestCheckFunc(checkStubHas(s, "", urlA), checkStubHas(s, "", urlB), checkStubHas(s, "", urlC, "client/create")),
		Steps: []resource.TestStep{
			{
				// The hand-made subscription on a third URL has an event both
				// endpoints have.
				PreConfig: func() { handMade = mustAdd(t, s, "", "client/created", urlC) },
				Config:    both([]string{"client/created", "invoice/issued"}, []string{"client/created", "payment/paid"}),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStubHas(s, "", urlA, "client/create", "invoice/issued"),
					checkStubHas(s, "", urlB, "client/create", "payment/paid"),
				),
			},
			{
				Config: both([]string{"client/updated"}, []string{"client/created"}),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStubHas(s, "", urlA, "client/update"),
					checkStubHas(s, "", urlB, "client/create"),
					checkEndpointMatchesStub(s, "vcita_webhook_endpoint.a", "", urlA),
					checkEndpointMatchesStub(s, "vcita_webhook_endpoint.b", "", urlB),
				),
			},
			{
				// Destroying one endpoint leaves the other.
				Config: providerConfig(s, "") + endpointHCL("b", urlB, []string{"client/created"}),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStubHas(s, "", urlA),
					checkStubHas(s, "", urlB, "client/create"),
				),
			},
		},
	})
	if got := stubIDsOf(s, urlC)["client/create"]; got != handMade.ID {
		t.Errorf("the hand-made subscription on a third URL was touched")
	}
	for _, req := range s.Requests() {
		if req.Op == stub.OpUnsubscribe && strings.Contains(req.Body, urlC) {
			t.Errorf("an endpoint unsubscribed on a URL it does not manage: %s", req.Body)
		}
	}
	checkNoUnsubscribeWithoutEvent(t, s)
}

func TestAccWebhookEndpoint_partialFailureRetriesOnlyWhatIsMissing(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	const address = "vcita_webhook_endpoint.test"
	target := providerConfig(s, "max_retries = 0") + endpointHCL("test", endpointURL, []string{"client/created", "invoice/issued", "meeting/scheduled"})
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: providerConfig(s, "max_retries = 0") + endpointHCL("test", endpointURL, []string{"client/created", "client/updated", "payment/paid"})},
			{
				// The subscribe of invoice/issued and the unsubscribe of
				// payment/paid fail; the other two calls go through.
				PreConfig: func() {
					s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.Fault503}, Events: []string{"invoice/issued", "payment/paid"}})
				},
				Config:      target,
				ExpectError: regexp.MustCompile(`(?s)vcita API Unavailable.*2 of the 4 calls.*subscribe invoice/issued: vcita API Unavailable\. Details: .*Service Unavailable.*unsubscribe payment/paid: vcita API Unavailable`),
			},
			{
				PreConfig: func() {
					if err := checkStubHas(s, "", endpointURL, "client/create", "meeting/scheduled", "payment/paid")(nil); err != nil {
						t.Errorf("after the partial update: %v", err)
					}
					s.SetFaults(stub.FaultConfig{})
					s.ResetCalls()
				},
				Config: target,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStubHas(s, "", endpointURL, "client/create", "invoice/issued", "meeting/scheduled"),
					checkEndpointMatchesStub(s, address, "", endpointURL),
					checkCalls(s, 1, 1),
				),
			},
			{
				// A destroy whose calls partly fail keeps the endpoint, with
				// what is left; the next destroy removes only that.
				PreConfig: func() {
					s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.Fault503}, Events: []string{"invoice/issued"}})
				},
				Config:      target,
				Destroy:     true,
				ExpectError: regexp.MustCompile(`unsubscribe invoice/issued: vcita API Unavailable`),
			},
			{
				PreConfig: func() {
					if err := checkStubHas(s, "", endpointURL, "invoice/issued")(nil); err != nil {
						t.Errorf("after the partial destroy: %v", err)
					}
					s.SetFaults(stub.FaultConfig{})
					s.ResetCalls()
				},
				Config:  target,
				Destroy: true,
				Check:   checkCalls(s, 0, 1),
			},
		},
	})
	checkNoUnsubscribeWithoutEvent(t, s)
}

// A create in which a call fails undoes what it made, never what was on the
// URL before, and records nothing: the next apply creates the endpoint
// again, sending only the missing subscribes.
func TestAccWebhookEndpoint_failedCreateCostsNothingOnTheNextApply(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	// The API refuses (500 Not Subscribed) an event it does not have.
	config := providerConfig(s, "allow_unknown_events = true") + endpointHCL("test", endpointURL, []string{"client/created", "client/archived", "invoice/issued"})
	var before stub.Subscription
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{
				PreConfig: func() { before = mustAdd(t, s, "", "client/created", endpointURL) },
				Config:    config,
				ExpectError: expectErrorInOrder("subscribe client/archived: vcita Refused The Subscription. Details:", "Not Subscribed",
					"The create was undone: the subscriptions it made (invoice/issued) were unsubscribed again; those already on the URL before are left as they were.",
					"Nothing is recorded in the state. The next apply creates the endpoint again: it keeps the subscriptions on the URL, subscribes only the events that are missing and unsubscribes nothing."),
			},
			// Nothing recorded, so no tainted object to replace: the next
			// apply is a create that sends only the missing subscribes.
			applyAfterFailedCreate(s, config, &before, func() {
				if err := checkStubHas(s, "", endpointURL, "client/create")(nil); err != nil {
					t.Errorf("after the failed create: %v", err)
				}
				s.SetBehaviour(stub.Behaviour{ExtraEvents: []string{"client/archived"}})
				s.ResetCalls()
			}, plancheck.ResourceActionCreate, 2, 0),
		},
	})
	checkNoUnsubscribeWithoutEvent(t, s)
}

// applyAfterFailedCreate is the fault-free apply, after preConfig, that
// follows a failed create of config on a URL that had *before: it plans
// action, sends the given calls, and ends with every event, *before kept and
// the state's ids live.
func applyAfterFailedCreate(s *stub.Server, config string, before *stub.Subscription, preConfig func(), action plancheck.ResourceActionType, subscribes, unsubscribes int) resource.TestStep {
	const address = "vcita_webhook_endpoint.test"
	return resource.TestStep{
		PreConfig: preConfig,
		Config:    config,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(address, action)},
		},
		Check: resource.ComposeAggregateTestCheckFunc(
			checkStubHas(s, "", endpointURL, "client/create", "client/archived", "invoice/issued"),
			checkEndpointMatchesStub(s, address, "", endpointURL),
			checkCalls(s, subscribes, unsubscribes),
			func(state *terraform.State) error {
				return resource.TestCheckResourceAttr(address, "subscription_ids.client/created", fmt.Sprint(before.ID))(state)
			},
		),
	}
}

// failedCreateThatCannotUndo is the first step of a create whose event
// client/archived is refused and whose rollback cannot unsubscribe
// invoice/issued, on a URL that already has client/created (*before).
func failedCreateThatCannotUndo(t *testing.T, s *stub.Server, config string, before *stub.Subscription) resource.TestStep {
	return resource.TestStep{
		PreConfig: func() {
			*before = mustAdd(t, s, "", "client/created", endpointURL)
			s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.Fault503}, Ops: []string{stub.OpUnsubscribe}, Events: []string{"invoice/issued"}})
		},
		Config: config,
		ExpectError: expectErrorInOrder("subscribe client/archived: vcita Refused The Subscription",
			"The subscriptions already on the URL before the create are left as they were. These subscriptions it made could not be unsubscribed again:",
			"- invoice/issued (subscription", "): vcita API Unavailable",
			"They are recorded in the state, so Terraform marks the endpoint as tainted, and the next apply replaces it", "terraform destroy unsubscribes them."),
	}
}

// afterFailedCreate checks the stub after failedCreateThatCannotUndo, then
// takes the faults away.
func afterFailedCreate(t *testing.T, s *stub.Server) func() {
	return func() {
		if err := checkStubHas(s, "", endpointURL, "client/create", "invoice/issued")(nil); err != nil {
			t.Errorf("after the failed create: %v", err)
		}
		s.SetFaults(stub.FaultConfig{})
		s.ResetCalls()
	}
}

// When the rollback of a failed create cannot remove a subscription the
// create made, the state records it (and only it), the error says so, and a
// destroy right after leaves nothing the provider made.
func TestAccWebhookEndpoint_failedCreateRecordsWhatItCouldNotUndo(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	config := providerConfig(s, "allow_unknown_events = true", "max_retries = 0") + endpointHCL("test", endpointURL, []string{"client/created", "client/archived", "invoice/issued"})
	var before stub.Subscription
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             checkStubHas(s, "", endpointURL, "client/create"),
		Steps: []resource.TestStep{
			failedCreateThatCannotUndo(t, s, config, &before),
			{
				PreConfig: afterFailedCreate(t, s),
				Config:    config,
				Destroy:   true,
				// The destroy unsubscribes only what the create made.
				Check: checkCalls(s, 0, 1),
			},
		},
	})
	if got := stubIDsOf(s, endpointURL)["client/create"]; got != before.ID {
		t.Errorf("the subscription that was on the URL before was removed or replaced")
	}
	checkNoUnsubscribeWithoutEvent(t, s)
}

// ... and the next apply replaces the tainted endpoint: it unsubscribes what
// the failed create left, then subscribes what is missing, and keeps the
// subscription that was on the URL before.
func TestAccWebhookEndpoint_failedCreateThatCouldNotUndoIsReplaced(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	config := providerConfig(s, "allow_unknown_events = true", "max_retries = 0") + endpointHCL("test", endpointURL, []string{"client/created", "client/archived", "invoice/issued"})
	var before stub.Subscription
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			failedCreateThatCannotUndo(t, s, config, &before),
			applyAfterFailedCreate(s, config, &before, func() {
				afterFailedCreate(t, s)()
				s.SetBehaviour(stub.Behaviour{ExtraEvents: []string{"client/archived"}})
			}, plancheck.ResourceActionDestroyBeforeCreate, 2, 1),
		},
	})
	checkNoUnsubscribeWithoutEvent(t, s)
}

// The rollback of a failed create runs on a context of its own: an
// interrupt (a cancelled context) does not stop it.
func TestRollBackCreateRunsAfterCtrlC(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	client, err := vcita.New(vcita.Config{BaseURL: s.URL(), Token: stub.DefaultToken})
	if err != nil {
		t.Fatal(err)
	}
	made := mustAdd(t, s, "", "invoice/issued", endpointURL)
	mustAdd(t, s, "", "client/created", endpointURL)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	calls := []endpointCall{
		{op: opSubscribe, event: parsedEvent("invoice/issued"), sub: vcita.Subscription{ID: fmt.Sprint(made.ID)}},
		{op: opSubscribe, event: parsedEvent("client/created"), existed: true}, // adopted: never undone
		{op: opSubscribe, event: parsedEvent("payment/paid"), err: context.Canceled},
	}
	undone, left := rollBackCreate(ctx, client, "", endpointURL, calls)
	if !slices.Equal(undone, []string{"invoice/issued"}) || len(left) != 0 {
		t.Errorf("undone %v, left %v; want invoice/issued undone", undone, left)
	}
	if err := checkStubHas(s, "", endpointURL, "client/create")(nil); err != nil {
		t.Error(err)
	}
	if createRollbackTimeout != time.Minute {
		t.Errorf("createRollbackTimeout = %v; the endpoint's docs say the rollback has one minute", createRollbackTimeout)
	}
}

// distinctEvents is one spelling of every event of the catalogue: the
// catalogue's 78 events name 65 subscriptions.
func distinctEvents() []string {
	var out []string
	seen := map[string]bool{}
	for _, event := range catalog.Events() {
		if key := eventKey(event); !seen[key] {
			seen[key] = true
			out = append(out, event)
		}
	}
	return out
}

func TestAccWebhookEndpoint_everyEventAppliesInParallel(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	events := distinctEvents()
	if len(events) != 65 {
		t.Fatalf("the catalogue names %d distinct events, want 65", len(events))
	}
	const address = "vcita_webhook_endpoint.test"
	config := providerConfig(s, "") + endpointHCL("test", endpointURL, events)
	var highWater int
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{
				PreConfig: func() { s.SetFaults(stub.FaultConfig{Latency: 20 * time.Millisecond}) },
				Config:    config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, tfjsonpath.New("subscription_ids"), knownvalue.MapSizeExact(len(events))),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkCalls(s, len(events), 0),
					checkEndpointMatchesStub(s, address, "", endpointURL),
					func(*terraform.State) error {
						highWater = s.MaxInFlight(stub.OpSubscribe)
						// The list before the subscribes, and the ones that
						// follow writes, are shared: far fewer than one a call.
						if lists := s.Calls(stub.OpList); lists > len(events)/2 {
							return fmt.Errorf("%d list calls for %d subscribes", lists, len(events))
						}
						return nil
					},
				),
			},
			{
				// A plan lists once, whatever the number of events.
				PreConfig: s.ResetCalls,
				Config:    config,
				PlanOnly:  true,
			},
			{
				PreConfig: func() {
					checkCallCount(t, s, 1, "a plan made %d list calls, want 1", stub.OpList)
					s.ResetCalls()
				},
				Config:  config,
				Destroy: true,
				Check: func(*terraform.State) error {
					if n := s.Calls(stub.OpUnsubscribe); n != len(events) {
						return fmt.Errorf("%d unsubscribe calls, want %d", n, len(events))
					}
					return nil
				},
			},
		},
	})
	if highWater < 2 || highWater > endpointParallelism {
		t.Errorf("at most %d subscribes were in flight at once, want between 2 and %d", highWater, endpointParallelism)
	}
}

func TestAccWebhookEndpoint_exactlyItsEventsThroughFaultsOnEveryCall(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	const address = "vcita_webhook_endpoint.test"
	events := distinctEvents()
	first, second := events[:20], append(slices.Clone(events[10:20]), events[40:45]...)
	step := func(events []string) resource.TestStep {
		return resource.TestStep{
			Config: providerConfig(s, "max_retries = 10") + endpointHCL("test", endpointURL, events),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				checkStubHas(s, "", endpointURL, stubSpellings(events)...),
				checkEndpointMatchesStub(s, address, "", endpointURL),
			),
		}
	}
	s.SetFaults(stub.FaultConfig{
		Rate:       0.3,
		Kinds:      []stub.FaultKind{stub.Fault429, stub.Fault502, stub.Fault503, stub.FaultCommit502, stub.FaultDrop},
		RetryAfter: "0",
		Seed:       11,
	})
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{step(first), step(second)},
	})
	checkFaultsInjected(t, s)
	checkNoUnsubscribeWithoutEvent(t, s)
}

func TestAccWebhookEndpoint_everySubscribeCommittedButAnswered502(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	const address = "vcita_webhook_endpoint.test"
	events := distinctEvents()[:10]
	// Every subscribe is stored, then answered 502; so is the retry (which
	// the API refuses as a duplicate, behind the 502). The list settles
	// each one: adopted, never duplicated.
	s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.FaultCommit502}, Ops: []string{stub.OpSubscribe}})
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: providerConfig(s, "max_retries = 1") + endpointHCL("test", endpointURL, events),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				checkStubHas(s, "", endpointURL, stubSpellings(events)...),
				checkEndpointMatchesStub(s, address, "", endpointURL),
				checkCalls(s, 2*len(events), 0), // each subscribe once and retried once
			),
		}},
	})
}

// stubSpellings are events as the stub lists them: the canonical entity and
// the base verb.
func stubSpellings(events []string) []string {
	out := make([]string, len(events))
	for i, event := range events {
		out[i] = eventKey(event)
	}
	return out
}

func TestAccWebhookEndpoint_business(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	config := func(ownBusiness string) string {
		return providerConfig(s, `business_id = "biz-provider"`) +
			endpointHCL("own", endpointURL, []string{"client/created"}, fmt.Sprintf("business_id = %q", ownBusiness)) +
			endpointHCL("inherited", endpointURL, []string{"client/created"})
	}
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: config("biz-own"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownValue("vcita_webhook_endpoint.inherited", tfjsonpath.New("id"), knownvalue.StringExact("biz-provider:"+endpointURL)),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("vcita_webhook_endpoint.own", tfjsonpath.New("id"), knownvalue.StringExact("biz-own:"+endpointURL)),
					statecheck.ExpectKnownValue("vcita_webhook_endpoint.inherited", tfjsonpath.New("business_id"), knownvalue.StringExact("biz-provider")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStubHas(s, "biz-own", endpointURL, "client/create"),
					checkStubHas(s, "biz-provider", endpointURL, "client/create"),
					checkStubHas(s, "", endpointURL),
					checkEndpointMatchesStub(s, "vcita_webhook_endpoint.own", "biz-own", endpointURL),
					checkEndpointMatchesStub(s, "vcita_webhook_endpoint.inherited", "biz-provider", endpointURL),
				),
			},
			{ResourceName: "vcita_webhook_endpoint.own", ImportState: true, ImportStateVerify: true},
			// Without a prefix, the import looks in the provider's business and records it.
			{ResourceName: "vcita_webhook_endpoint.inherited", ImportState: true, ImportStateId: endpointURL, ImportStateVerify: true},
			movedToAnotherBusinessStep(s, "vcita_webhook_endpoint", config("biz-moved"), endpointURL),
		},
	})
}

// An endpoint made in the token's own scope (no business_id anywhere) is read
// and deleted there after the provider gains a business_id: the plan
// replaces it, and its subscriptions are removed, not looked for in the new
// business and forgotten on vcita.
func TestAccWebhookEndpoint_leavesTheTokenScopeWithoutLosingTrack(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	const address = "vcita_webhook_endpoint.test"
	endpoint := endpointHCL("test", endpointURL, []string{"client/created"})
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: providerConfig(s) + endpoint,
				Check:  checkStubHas(s, "", endpointURL, "client/create"),
			},
			leftTheTokenScopeStep(s, address, endpoint, endpointURL),
		},
	})
}

func TestAccWebhookEndpoint_invalidInputFailsAtPlanAndSendsNothing(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	tests := map[string]struct {
		config string
		want   *regexp.Regexp
	}{
		"two spellings of one event": {
			endpointHCL("test", endpointURL, []string{"client/created", "invoice/issued", "lead/created"}),
			regexp.MustCompile(`(?s)Duplicate Webhook Event.*"client/created" and\s+"lead/created"`),
		},
		"unknown event":    {endpointHCL("test", endpointURL, []string{"client/created", "client/craeted"}), expectError("Did you mean `client/created`")},
		"bad event format": {endpointHCL("test", endpointURL, []string{"client.created"}), expectError("Invalid Event Format")},
		"no event":         {endpointHCL("test", endpointURL, nil), expectError("an endpoint needs at least one event")},
		"three spellings of one event": {
			endpointHCL("test", endpointURL, []string{"client/created", "client/create", "lead/created"}),
			regexp.MustCompile(`(?s)Duplicate Webhook Event.*"client/create",\s+"client/created"\s+and\s+"lead/created",\s+three\s+spellings`),
		},
		"non-ASCII event": {
			endpointHCL("test", endpointURL, []string{"client/créé"}),
			regexp.MustCompile(`(?s)events: "client/créé" holds "é":.*only ASCII letters, digits, _, \. and -`),
		},
		"relative URL":   {endpointHCL("test", "/hooks", []string{"client/created"}), expectError("Invalid Target URL")},
		"empty business": {endpointHCL("test", endpointURL, []string{"client/created"}, `business_id = ""`), expectError("business_id")},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				Steps: []resource.TestStep{{
					Config:      providerConfig(s, "") + tc.config,
					PlanOnly:    true,
					ExpectError: tc.want,
				}},
			})
		})
	}
	checkCallCount(t, s, 0, "invalid configurations sent %d writes to the API, want 0", stub.OpSubscribe, stub.OpUnsubscribe)
}

func TestAccWebhookEndpoint_importOfAURLWithoutSubscriptions(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{
				Config:        providerConfig(s, "") + endpointHCL("test", endpointURL, []string{"client/created"}),
				ResourceName:  "vcita_webhook_endpoint.test",
				ImportState:   true,
				ImportStateId: endpointURL,
				ExpectError:   expectError("Cannot import non-existent remote object"),
			},
			{
				Config:        providerConfig(s, "") + endpointHCL("test", endpointURL, []string{"client/created"}),
				ResourceName:  "vcita_webhook_endpoint.test",
				ImportState:   true,
				ImportStateId: "hooks.example.com/vcita",
				ExpectError:   expectError("Invalid Import Identifier"),
			},
		},
	})
}

// An import of a URL that vcita lists only with (or only without) a
// trailing slash names the URL it does list.
func TestAccWebhookEndpoint_importOfTheOtherSlashFormNamesIt(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	mustAdd(t, s, "", "client/created", endpointURL+"/")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:        providerConfig(s, "") + endpointHCL("test", endpointURL, []string{"client/created"}),
			ResourceName:  "vcita_webhook_endpoint.test",
			ImportState:   true,
			ImportStateId: endpointURL,
			ExpectError:   regexp.MustCompile(`(?s)Webhook Endpoint Not Found.*vcita has a subscription on\s+` + regexp.QuoteMeta(endpointURL+"/,")),
		}},
	})
}

func TestSendEndpointCallsStartsNoCallOnceCancelled(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	client, err := vcita.New(vcita.Config{BaseURL: s.URL(), Token: stub.DefaultToken})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // Ctrl-C before the calls start
	calls := endpointChanges(endpointSubscriptions{"payment/paid": {Event: "payment/paid", ID: "1"}}, []string{"client/created"})
	sendEndpointCalls(ctx, client, "", endpointURL, calls)
	for _, call := range calls {
		if !errors.Is(call.err, context.Canceled) {
			t.Errorf("%s %s: error %v, want the cancellation", call.op, call.event, call.err)
		}
	}
	// A list the client started would run on, detached from ctx: give it
	// the time to arrive.
	time.Sleep(200 * time.Millisecond)
	if n := len(s.Requests()); n != 0 {
		t.Errorf("%d requests after the cancellation, want none", n)
	}
}

func TestAccWebhookEndpoint_aPlanOfManyEndpointsListsOnce(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	config := providerConfig(s, "")
	for i := range 10 {
		config += endpointHCL(fmt.Sprintf("e%d", i), fmt.Sprintf("%s/%d", endpointURL, i), []string{"client/created", "invoice/issued", "payment/paid"})
	}
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: config, Check: checkCalls(s, 30, 0)},
			{PreConfig: s.ResetCalls, Config: config, PlanOnly: true},
			{
				PreConfig: func() {
					checkCallCount(t, s, 1, "a plan of 10 endpoints made %d list calls, want 1", stub.OpList)
				},
				Config:   config,
				PlanOnly: true,
			},
		},
	})
}

// endpointIdentity is the identity check of an endpoint.
func endpointIdentity(targetURL string, business knownvalue.Check) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{"target_url": knownvalue.StringExact(targetURL), "business_id": business}
}

// eventsAre checks a set of events.
func eventsAre(events ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(events))
	for i, event := range events {
		checks[i] = knownvalue.StringExact(event)
	}
	return knownvalue.SetExact(checks)
}

func TestAccWebhookEndpoint_identity(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	config := providerConfig(s, "") +
		endpointHCL("own", endpointURL, []string{"client/created", "invoice/issued"}) +
		endpointHCL("other", endpointURL, []string{"appointment/scheduled"}, `business_id = "biz-1"`)
	const own, other = "vcita_webhook_endpoint.own", "vcita_webhook_endpoint.other"

	testWithStub(t, s, resource.TestCase{
		TerraformVersionChecks: needsIdentity,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(own, endpointIdentity(endpointURL, knownvalue.Null())),
					statecheck.ExpectIdentityValueMatchesState(own, tfjsonpath.New("target_url")),
					statecheck.ExpectIdentity(other, endpointIdentity(endpointURL, knownvalue.StringExact("biz-1"))),
					statecheck.ExpectIdentityValueMatchesState(other, tfjsonpath.New("business_id")),
				},
			},
			importByIdentityStep(own),
			importByIdentityStep(other),
			generatedConfigImportStep(own, providerConfig(s, "")+endpointHCL("other", endpointURL, []string{"appointment/scheduled"}, `business_id = "biz-1"`)),
			{
				// An update in place keeps the identity.
				Config: providerConfig(s, "") +
					endpointHCL("own", endpointURL, []string{"client/created", "payment/paid"}) +
					endpointHCL("other", endpointURL, []string{"appointment/scheduled"}, `business_id = "biz-1"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(own, endpointIdentity(endpointURL, knownvalue.Null())),
					statecheck.ExpectKnownValue(own, tfjsonpath.New("events"), eventsAre("client/created", "payment/paid")),
				},
			},
		},
	})
	checkNoUnsubscribeWithoutEvent(t, s)
}

func TestAccWebhookEndpoint_importByIdentity(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	mustAdd(t, s, "biz-p", "appointment/scheduled", endpointURL)
	mustAdd(t, s, "biz-p", "lead/created", endpointURL)
	mustAdd(t, s, "biz-x", "invoice/issued", endpointURL)
	// The identity leaves the business out for the provider's, and names
	// another one explicitly. The configuration spells an event otherwise
	// than the import records it: no change.
	config := providerConfig(s, `business_id = "biz-p"`) +
		endpointHCL("inherited", endpointURL, []string{"appointment/scheduled", "client/created"}) + `
import {
  to       = vcita_webhook_endpoint.inherited
  identity = { target_url = "` + endpointURL + `" }
}
` + endpointHCL("elsewhere", endpointURL, []string{"invoice/issued"}, `business_id = "biz-x"`) + `
import {
  to       = vcita_webhook_endpoint.elsewhere
  identity = { target_url = "` + endpointURL + `", business_id = "biz-x" }
}
`
	const inherited, elsewhere = "vcita_webhook_endpoint.inherited", "vcita_webhook_endpoint.elsewhere"
	testWithStub(t, s, resource.TestCase{
		TerraformVersionChecks: needsIdentity,
		Steps: []resource.TestStep{adoptionStep(s, config, []statecheck.StateCheck{
			// The business left out is recorded, in the state and the identity.
			statecheck.ExpectIdentity(inherited, endpointIdentity(endpointURL, knownvalue.StringExact("biz-p"))),
			statecheck.ExpectKnownValue(inherited, tfjsonpath.New("business_id"), knownvalue.StringExact("biz-p")),
			statecheck.ExpectKnownValue(inherited, tfjsonpath.New("id"), knownvalue.StringExact("biz-p:"+endpointURL)),
			statecheck.ExpectKnownValue(inherited, tfjsonpath.New("events"), eventsAre("meeting/scheduled", "client/created")),
			statecheck.ExpectIdentity(elsewhere, endpointIdentity(endpointURL, knownvalue.StringExact("biz-x"))),
			statecheck.ExpectKnownValue(elsewhere, tfjsonpath.New("subscription_ids"), knownvalue.MapSizeExact(1)),
		}, inherited, elsewhere)},
	})
}

func TestAccWebhookEndpoint_invalidImportIdentity(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	testInvalidImportIdentities(t, s, providerConfig(s, "")+endpointHCL("test", endpointURL, []string{"client/created"}), "vcita_webhook_endpoint.test",
		invalidIdentity{`{ target_url = "hooks.example.com/vcita" }`, `the identity's target_url "hooks.example.com/vcita" must be an absolute URL`},
		invalidIdentity{`{ target_url = "` + endpointURL + `", business_id = "" }`, "the identity's business_id is empty"},
	)
}

// Terraform older than 1.12 sends no identity, and keeps none: a refresh
// that finds the endpoint gone must still return one, or the framework
// fails it ("Missing Resource Identity After Read") instead of removing the
// endpoint from the state.
func TestEndpointRefreshWithoutAnIdentityRemovesAGoneEndpoint(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	e := newEndpointRun(t, s, nil)
	_, applyDiags := e.planAndApply(endpointConfig("client/created"), true)
	failOnErrors(t, "apply", applyDiags)
	for _, sub := range s.All() {
		s.Remove(sub.ID)
	}
	e.h.configure()
	read := e.h.read(*e.state, e.private)
	failOnErrors(t, "read", read.Diagnostics)
	var after webhookEndpointModel
	if e.h.decode(read.NewState, &after) {
		t.Errorf("the endpoint is still in the state: %+v", after)
	}
}
