package provider

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

// Tests of the endpoint under Terraform's other lifecycle paths: replacement
// (with and without create_before_destroy, by a trigger or a taint), a URL
// moved between resource addresses, two resources on one URL, and plans
// whose apply finds the URL changed. Every one holds the endpoint to "the
// plan is a promise" (DESIGN.md).

var lifecycleEvents = []string{"client/created", "invoice/issued", "meeting/scheduled"}

// lifecycleStubEvents are lifecycleEvents as the stub lists them.
var lifecycleStubEvents = []string{"client/create", "invoice/issued", "meeting/scheduled"}

// replacedEndpointConfig is an endpoint named test of lifecycleEvents that
// Terraform replaces whenever trigger changes, as terraform apply -replace
// does (replace_triggered_by plans the same forced replacement), with
// create_before_destroy when cbd.
func replacedEndpointConfig(s *stub.Server, trigger string, cbd bool) string {
	return providerConfig(s, "") + fmt.Sprintf(`
resource "terraform_data" "trigger" {
  input = %[1]q
}
`, trigger) + endpointHCL("test", endpointURL, lifecycleEvents, fmt.Sprintf(`lifecycle {
    create_before_destroy = %[1]t
    replace_triggered_by  = [terraform_data.trigger]
  }`, cbd))
}

// checkIDsKept asserts that the stub still has, id for id, the
// subscriptions of *before.
func checkIDsKept(s *stub.Server, before *map[string]int64) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if after := stubIDsOf(s, endpointURL); !maps.Equal(after, *before) {
			return fmt.Errorf("the subscriptions of the URL changed: before %v, after %v", *before, after)
		}
		return nil
	}
}

// remember stores the stub's ids of the URL's subscriptions in *ids.
func remember(s *stub.Server, ids *map[string]int64) resource.TestCheckFunc {
	return func(*terraform.State) error {
		*ids = stubIDsOf(s, endpointURL)
		return nil
	}
}

// keptReplacementStep is step, a replacement with create_before_destroy of
// the endpoint test of lifecycleEvents: it sends no call and leaves the
// subscriptions of *before, id for id, all recorded by the new object.
func keptReplacementStep(s *stub.Server, step resource.TestStep, before *map[string]int64) resource.TestStep {
	const address = "vcita_webhook_endpoint.test"
	step.PreConfig = s.ResetCalls
	step.ConfigPlanChecks = resource.ConfigPlanChecks{
		PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(address, plancheck.ResourceActionCreateBeforeDestroy)},
	}
	step.Check = resource.ComposeAggregateTestCheckFunc(
		checkStubHas(s, "", endpointURL, lifecycleStubEvents...),
		checkIDsKept(s, before),
		checkEndpointMatchesStub(s, address, "", endpointURL),
		checkNoWrites(s),
	)
	return step
}

// With create_before_destroy, the new object adopts the URL's subscriptions
// and the old object's destroy leaves them: no call at all, the same ids,
// every event still subscribed, and a clean next plan. Also shows that the
// two plans Terraform makes for one replacement are one claim of the URL.
func TestAccWebhookEndpoint_replaceWithCreateBeforeDestroyKeepsTheURL(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	const address = "vcita_webhook_endpoint.test"
	var before map[string]int64
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: replacedEndpointConfig(s, "1", true), Check: remember(s, &before)},
			// terraform apply -replace (here by a trigger), then a taint: the
			// same replacement.
			keptReplacementStep(s, resource.TestStep{Config: replacedEndpointConfig(s, "2", true)}, &before),
			keptReplacementStep(s, resource.TestStep{Config: replacedEndpointConfig(s, "2", true), Taint: []string{address}}, &before),
			{
				// A replacement that also drops an event and finds one made
				// by hand removes both, and keeps the rest.
				PreConfig: func() {
					mustAdd(t, s, "", "payment/paid", endpointURL)
					s.ResetCalls()
				},
				Config: providerConfig(s, "") + `
resource "terraform_data" "trigger" {
  input = "3"
}
` + endpointHCL("test", endpointURL, lifecycleEvents[:2], `lifecycle {
    create_before_destroy = true
    replace_triggered_by  = [terraform_data.trigger]
  }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(address, plancheck.ResourceActionCreateBeforeDestroy)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStubHas(s, "", endpointURL, lifecycleStubEvents[:2]...),
					checkEndpointMatchesStub(s, address, "", endpointURL),
					checkCalls(s, 0, 2),
				),
			},
		},
	})
	checkNoUnsubscribeWithoutEvent(t, s)
}

// Without create_before_destroy a replacement destroys, then creates: every
// event is unsubscribed and subscribed again, and the end state is exact.
func TestAccWebhookEndpoint_replaceWithoutCreateBeforeDestroyEndsExact(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	const address = "vcita_webhook_endpoint.test"
	steps := []resource.TestStep{{Config: replacedEndpointConfig(s, "1", false)}}
	for _, step := range []resource.TestStep{
		{Config: replacedEndpointConfig(s, "2", false)},
		{Config: replacedEndpointConfig(s, "2", false), Taint: []string{address}},
	} {
		step.PreConfig = s.ResetCalls
		step.ConfigPlanChecks = resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(address, plancheck.ResourceActionDestroyBeforeCreate)},
		}
		step.Check = resource.ComposeAggregateTestCheckFunc(
			checkStubHas(s, "", endpointURL, lifecycleStubEvents...),
			checkEndpointMatchesStub(s, address, "", endpointURL),
			checkCalls(s, 3, 3),
		)
		steps = append(steps, step)
	}
	testWithStub(t, s, resource.TestCase{
		Steps: steps,
	})
	checkNoUnsubscribeWithoutEvent(t, s)
}

// renamedEndpointConfig is one endpoint of lifecycleEvents on endpointURL,
// named name.
func renamedEndpointConfig(s *stub.Server, name string, cbd bool) string {
	return providerConfig(s, "") + endpointHCL(name, endpointURL, lifecycleEvents, fmt.Sprintf(`lifecycle {
    create_before_destroy = %[1]t
  }`, cbd))
}

// A URL moved to another resource address without a moved block (a renamed
// resource, or a renamed for_each key: the harness cannot read for_each
// instances, and both are a delete at one address and a create at another,
// with no order between them) ends with every event on the URL, the new
// address's ids live and a clean next plan, in whatever order or overlap
// Terraform runs the two.
func TestAccWebhookEndpoint_urlMovedBetweenAddresses(t *testing.T) {
	t.Parallel()
	for name, cbd := range map[string]bool{"without create_before_destroy": false, "with create_before_destroy": true} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := stub.NewTestServer(t)
			steps := []resource.TestStep{{Config: renamedEndpointConfig(s, "a", cbd)}}
			for _, name := range []string{"b", "c", "a", "b"} {
				address := "vcita_webhook_endpoint." + name
				steps = append(steps, resource.TestStep{
					Config: renamedEndpointConfig(s, name, cbd),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(address, plancheck.ResourceActionCreate)},
					},
					Check: resource.ComposeAggregateTestCheckFunc(
						checkStubHas(s, "", endpointURL, lifecycleStubEvents...),
						checkEndpointMatchesStub(s, address, "", endpointURL),
					),
				})
			}
			testWithStub(t, s, resource.TestCase{Steps: steps})
			checkNoUnsubscribeWithoutEvent(t, s)
		})
	}
}

// A URL moved to another address whose apply fails to unsubscribe one event
// from the old resource: the apply fails, the new endpoint adopts nothing
// the old resource still records, and the next apply, without faults, ends
// with every event on the URL, recorded by the new endpoint alone, and a
// clean plan (the harness plans again after each step). Both from an
// endpoint (a renamed address) and from a vcita_webhook_subscription.
//
// Terraform puts no order between a delete at one address and a create at
// another, and runs either first. The delete must come first here (the
// order in which its leftovers could be adopted; the other order is
// TestEndpointDeleteAndCreateOfOneURLInAnyOrder's), and no dependency can
// order it without also skipping the create once the delete fails. So the
// endpoint depends on a terraform_data whose create, in the failing apply
// only, waits two seconds: the delete, which waits for nothing, runs well
// before. TestEndpointCreateAdoptsNothingAFailedDeleteKeeps drives the same
// order exactly through the protocol.
func TestAccWebhookEndpoint_urlMovedWhileTheDeleteFails(t *testing.T) {
	t.Parallel()
	const dependsOn = "depends_on = [terraform_data.after_the_delete]"
	const wait = `
resource "terraform_data" "after_the_delete" {
  provisioner "local-exec" {
    command = "sleep 2"
  }
}
`
	for name, tc := range map[string]struct {
		before, after, event string
		listed               []string
	}{
		"from an endpoint": {
			before: endpointHCL("a", endpointURL, lifecycleEvents), after: endpointHCL("b", endpointURL, lifecycleEvents, dependsOn),
			event: "invoice/issued", listed: lifecycleStubEvents,
		},
		"from a subscription": {
			before: fmt.Sprintf(`
resource "vcita_webhook_subscription" "a" {
  event      = "client/created"
  target_url = %[1]q
}
`, endpointURL),
			after: endpointHCL("b", endpointURL, lifecycleEvents[:2], dependsOn),
			event: "client/created", listed: lifecycleStubEvents[:2],
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := stub.NewTestServer(t)
			const address = "vcita_webhook_endpoint.b"
			testWithStub(t, s, resource.TestCase{
				Steps: []resource.TestStep{
					{Config: providerConfig(s, "") + tc.before},
					{
						PreConfig: func() {
							s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.Fault500}, Ops: []string{stub.OpUnsubscribe}, Events: []string{tc.event}})
						},
						Config:      providerConfig(s, "") + wait + tc.after,
						ExpectError: expectErrorInOrder("Webhook Subscriptions Still Held By A Destroyed Resource", tc.event, "finishes the destroy and the create together"),
					},
					{
						PreConfig: func() { s.SetFaults(stub.FaultConfig{}) },
						Config:    providerConfig(s, "") + wait + tc.after,
						Check: resource.ComposeAggregateTestCheckFunc(
							checkStubHas(s, "", endpointURL, tc.listed...),
							checkEndpointMatchesStub(s, address, "", endpointURL),
						),
					},
				},
			})
			checkNoUnsubscribeWithoutEvent(t, s)
		})
	}
}

// Subscriptions moved into an endpoint in one apply (their resources
// removed, their events in the endpoint's) end on the URL, owned by the
// endpoint, whatever the order of the deletes and the create.
func TestAccWebhookEndpoint_subscriptionsMovedIntoAnEndpoint(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	const address = "vcita_webhook_endpoint.test"
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: providerConfig(s, "") + subscriptionConfig("a", "client/created", endpointURL) + subscriptionConfig("b", "invoice/issued", endpointURL),
			},
			{
				Config: providerConfig(s, "") + endpointHCL("test", endpointURL, lifecycleEvents[:2]),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStubHas(s, "", endpointURL, lifecycleStubEvents[:2]...),
					checkEndpointMatchesStub(s, address, "", endpointURL),
				),
			},
		},
	})
	checkNoUnsubscribeWithoutEvent(t, s)
}

// Two resources of one configuration that manage one URL in one business
// through an endpoint fail at plan time, naming the URL, before any call
// that changes anything.
func TestAccWebhookEndpoint_twoResourcesOnOneURLFailAtPlan(t *testing.T) {
	t.Parallel()
	for name, other := range map[string]string{
		"endpoint and endpoint":     endpointHCL("other", endpointURL, []string{"payment/paid"}),
		"endpoint and subscription": subscriptionConfig("other", "payment/paid", endpointURL),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := stub.NewTestServer(t)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				Steps: []resource.TestStep{{
					Config: providerConfig(s, "") + endpointHCL("test", endpointURL, lifecycleEvents) + other,
					ExpectError: expectErrorInOrder("Two Resources Manage One Webhook URL",
						"both manage "+endpointURL+" in the token's own scope", "This resource sent nothing to vcita."),
				}},
			})
			if err := checkNoWrites(s)(nil); err != nil {
				t.Error(err)
			}
		})
	}
}

// Two resources that import one object fail the plan too, although
// Terraform plans both with the same state: the URL, or the subscription,
// imported twice in one plan, and imported again next to the resource that
// manages it.
func TestAccWebhookEndpoint_oneObjectImportedTwiceFailsAtPlan(t *testing.T) {
	t.Parallel()
	importBlock := func(to, id string) string {
		return fmt.Sprintf("\nimport {\n  to = %[1]s\n  id = %[2]q\n}\n", to, id)
	}
	endpoint := func(name string) string {
		return endpointHCL(name, endpointURL, lifecycleEvents) + importBlock("vcita_webhook_endpoint."+name, endpointURL)
	}
	subscription := func(name, id string) string {
		return subscriptionConfig(name, "client/created", endpointURL) + importBlock("vcita_webhook_subscription."+name, id)
	}
	const urlConflict, pairConflict = "Two Resources Manage One Webhook URL", "Two Resources Name One Webhook Subscription"
	for name, tc := range map[string]struct {
		events            []string // on the URL before the test
		managed, imported func(id string) string
		conflict          string
	}{
		"two endpoints": {
			events:   lifecycleEvents,
			managed:  func(string) string { return endpoint("a") },
			imported: func(string) string { return endpoint("b") },
			conflict: urlConflict,
		},
		"two subscriptions": {
			events:   []string{"client/created"},
			managed:  func(id string) string { return subscription("a", id) },
			imported: func(id string) string { return subscription("b", id) },
			conflict: pairConflict,
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := stub.NewTestServer(t)
			var id string
			for _, event := range tc.events {
				if sub := mustAdd(t, s, "", event, endpointURL); event == "client/created" {
					id = strconv.FormatInt(sub.ID, 10)
				}
			}
			testWithStub(t, s, resource.TestCase{
				Steps: []resource.TestStep{
					{
						Config:      providerConfig(s, "") + tc.managed(id) + tc.imported(id),
						ExpectError: expectErrorInOrder(tc.conflict, "This resource sent nothing to vcita."),
					},
					{Config: providerConfig(s, "") + tc.managed(id), Check: checkNoWrites(s)},
					{
						Config:      providerConfig(s, "") + tc.managed(id) + tc.imported(id),
						ExpectError: expectErrorInOrder(tc.conflict, "This resource sent nothing to vcita."),
					},
					{
						PreConfig: func() {
							checkCallCount(t, s, 0, "the conflicts sent %d subscribe and unsubscribe calls", stub.OpSubscribe, stub.OpUnsubscribe)
						},
						Config: providerConfig(s, "") + tc.managed(id),
						Check:  checkNoWrites(s),
					},
				},
			})
		})
	}
}

// The plan-time check is scoped: the same URL in two businesses, two
// subscriptions on one URL, and an endpoint destroyed while a subscription
// of its URL is created are no conflict.
func TestAccWebhookEndpoint_oneURLWithoutConflict(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: providerConfig(s, "") +
					endpointHCL("a", endpointURL, []string{"client/created"}, `business_id = "b1"`) +
					endpointHCL("b", endpointURL, []string{"client/created"}, `business_id = "b2"`) +
					subscriptionConfig("x", "client/created", endpointURL) + subscriptionConfig("y", "invoice/issued", endpointURL),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStubHas(s, "b1", endpointURL, "client/create"),
					checkStubHas(s, "b2", endpointURL, "client/create"),
					checkStubHas(s, "", endpointURL, "client/create", "invoice/issued"),
				),
			},
			{
				// The endpoint of b2 goes; a subscription of its URL comes.
				Config: providerConfig(s, "") +
					endpointHCL("a", endpointURL, []string{"client/created"}, `business_id = "b1"`) +
					subscriptionInBusinessConfig("z", "payment/paid", endpointURL, "b2") +
					subscriptionConfig("x", "client/created", endpointURL) + subscriptionConfig("y", "invoice/issued", endpointURL),
				Check: checkStubHas(s, "b2", endpointURL, "payment/paid"),
			},
		},
	})
}

// A create removes nothing its plan did not show: a subscription made on the
// URL between the plan and the apply (a saved plan applied later) stays, and
// the next plan shows it, with the warning, for its apply to remove.
func TestEndpointCreateRemovesNothingItsPlanDidNotShow(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	e := newEndpointRun(t, s, map[string]any{})
	config := endpointConfig("client/created", "invoice/issued")
	planned := e.h.plan(nil, config, config, nil)
	failOnErrors(t, "plan", planned.Diagnostics)
	checkRemovalWarning(t, planned.Diagnostics)

	newcomer := mustAdd(t, s, "", "payment/paid", endpointURL)
	e.h.configure() // the apply is another run of the provider
	applied := e.h.apply(nil, planned.PlannedState, config, planned.PlannedPrivate)
	failOnErrors(t, "apply", applied.Diagnostics)
	if err := checkStubHas(s, "", endpointURL, "client/create", "invoice/issued", "payment/paid")(nil); err != nil {
		t.Errorf("the apply removed what its plan did not show: %v", err)
	}
	checkCallCount(t, s, 0, "%d unsubscribe calls, want none", stub.OpUnsubscribe)
	var after webhookEndpointModel
	e.h.decode(applied.NewState, &after)
	e.state, e.private = &after, applied.Private

	e.refresh()
	planDiags, applyDiags := e.planAndApply(config, true)
	checkRemovalWarning(t, planDiags, fmt.Sprintf("payment/paid (subscription %d)", newcomer.ID))
	failOnErrors(t, "the next apply", applyDiags)
	if err := checkStubHas(s, "", endpointURL, "client/create", "invoice/issued")(nil); err != nil {
		t.Error(err)
	}

	// An update removes only what its plan showed too.
	e.refresh()
	update := endpointConfig("client/created")
	planned = e.h.plan(*e.state, proposed(*e.state, update), update, e.private)
	failOnErrors(t, "update plan", planned.Diagnostics)
	late := mustAdd(t, s, "", "payment/paid", endpointURL)
	e.h.configure()
	applied = e.h.apply(*e.state, planned.PlannedState, update, planned.PlannedPrivate)
	failOnErrors(t, "update", applied.Diagnostics)
	if err := checkStubHas(s, "", endpointURL, "client/create", "payment/paid")(nil); err != nil {
		t.Errorf("the update removed what its plan did not show (subscription %d): %v", late.ID, err)
	}
}

// A replacement into another business warns, in its first plan (the one
// whose warnings Terraform shows), about the subscriptions of the URL in
// the new business that the endpoint does not want, and says the create
// leaves them for the next plan.
func TestEndpointReplacementIntoAnotherBusinessWarnsInItsFirstPlan(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	handMade := mustAdd(t, s, "b2", "payment/paid", endpointURL)
	e := newEndpointRun(t, s, map[string]any{})
	inB1 := endpointConfig("client/created")
	inB1.BusinessID = types.StringValue("b1")
	_, applyDiags := e.planAndApply(inB1, true)
	failOnErrors(t, "create", applyDiags)

	e.refresh()
	inB2 := endpointConfig("client/created")
	inB2.BusinessID = types.StringValue("b2")
	first := e.h.plan(*e.state, proposed(*e.state, inB2), inB2, e.private)
	failOnErrors(t, "plan", first.Diagnostics)
	if !requiresReplace(first, "business_id") {
		t.Fatalf("the plan does not replace the endpoint: %v", first.RequiresReplace)
	}
	checkRemovalWarning(t, first.Diagnostics, fmt.Sprintf("payment/paid (subscription %d)", handMade.ID))
	warning := diagnosticsOf(first.Diagnostics, tfprotov6.DiagnosticSeverityWarning, removalSummary)[0].Detail
	for _, want := range []string{endpointURL + " in business b2", "Creating the endpoint leaves them as they are"} {
		if !strings.Contains(warning, want) {
			t.Errorf("the warning lacks %q:\n%s", want, warning)
		}
	}
	// The second plan, for the create half, is the same resource: no
	// conflict with the first.
	second := e.h.plan(nil, inB2, inB2, first.PlannedPrivate)
	failOnErrors(t, "the replacement's second plan", second.Diagnostics)
}

// requiresReplace reports whether the plan replaces for the attribute.
func requiresReplace(resp *tfprotov6.PlanResourceChangeResponse, attribute string) bool {
	for _, p := range resp.RequiresReplace {
		if p.String() == `AttributeName("`+attribute+`")` {
			return true
		}
	}
	return false
}

// createEndpoint plans and applies a new endpoint of config through h, and
// returns its state.
func createEndpoint(t *testing.T, h *protocolHarness, config webhookEndpointModel) webhookEndpointModel {
	t.Helper()
	planned := h.plan(nil, config, config, nil)
	failOnErrors(t, "plan", planned.Diagnostics)
	applied := h.apply(nil, planned.PlannedState, config, planned.PlannedPrivate)
	failOnErrors(t, "create", applied.Diagnostics)
	var state webhookEndpointModel
	h.decode(applied.NewState, &state)
	return state
}

// deleteObject applies the destroy of prior through h.
func deleteObject(t *testing.T, h *protocolHarness, prior any) {
	t.Helper()
	applied := h.apply(prior, h.encode(nil), nil, nil)
	failOnErrors(t, "delete", applied.Diagnostics)
}

// The create at one address and the delete at another of one apply (a URL
// moved between addresses; a replacement with create_before_destroy) end
// with every event on the URL and the create's ids live, in either order
// and at once. Terraform 1.11 happens to run the delete first in the
// acceptance tests above; this runs the other orders.
func TestEndpointDeleteAndCreateOfOneURLInAnyOrder(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	h := newProtocolHarness(t, s, "vcita_webhook_endpoint", newWebhookEndpointResource(), map[string]any{})
	config := endpointConfig(lifecycleEvents...)
	old := createEndpoint(t, h, config)

	check := func(order string, created webhookEndpointModel) {
		t.Helper()
		if err := checkURLRecordedBy(s, created, lifecycleStubEvents...); err != nil {
			t.Fatalf("%s: %v", order, err)
		}
	}

	// The create first (create_before_destroy), then the delete.
	h.configure()
	created := createEndpoint(t, h, config)
	deleteObject(t, h, old)
	check("create, then delete", created)

	// At once, many times: the create's plan first, as Terraform plans
	// before it applies; the two applies at once, their diagnostics read
	// after both ended (a test may not fail from another goroutine).
	for range 20 {
		h.configure()
		old = created
		planned := h.plan(nil, config, config, nil)
		failOnErrors(t, "plan", planned.Diagnostics)
		var applied, deleted *tfprotov6.ApplyResourceChangeResponse
		var wg sync.WaitGroup
		wg.Go(func() { applied = h.apply(nil, planned.PlannedState, config, planned.PlannedPrivate) })
		wg.Go(func() { deleted = h.apply(old, h.encode(nil), nil, nil) })
		wg.Wait()
		failOnErrors(t, "create", applied.Diagnostics)
		failOnErrors(t, "delete", deleted.Diagnostics)
		created = webhookEndpointModel{}
		h.decode(applied.NewState, &created)
		check("create and delete at once", created)
	}
	checkNoUnsubscribeWithoutEvent(t, s)
}

// checkURLRecordedBy checks that the stub has exactly the events listed
// (as the stub lists them) on endpointURL, and that endpoint records each
// of their ids.
func checkURLRecordedBy(s *stub.Server, endpoint webhookEndpointModel, listed ...string) error {
	if err := checkStubHas(s, "", endpointURL, listed...)(nil); err != nil {
		return err
	}
	for event, id := range stubIDsOf(s, endpointURL) {
		if !slices.ContainsFunc(slices.Collect(maps.Values(endpoint.SubscriptionIDs.Elements())), func(v attr.Value) bool { return v.Equal(types.StringValue(fmt.Sprint(id))) }) {
			return fmt.Errorf("%s is subscription %d, which the endpoint does not record: %v", event, id, endpoint.SubscriptionIDs)
		}
	}
	return nil
}

// A URL moved from one resource to an endpoint at another address (a
// renamed for_each key; subscriptions moved into an endpoint), whose delete
// runs first and fails to unsubscribe one event: the create adopts nothing
// the failed delete keeps, and fails before any call, so that no
// subscription is recorded by two resources. The next apply, without
// faults, destroys the old resource and creates the endpoint, and the URL
// ends with every event, recorded by the endpoint.
func TestEndpointCreateAdoptsNothingAFailedDeleteKeeps(t *testing.T) {
	t.Parallel()
	faultOn := func(s *stub.Server, event string) {
		s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.Fault500}, Ops: []string{stub.OpUnsubscribe}, Events: []string{event}})
	}
	// run drives the two applies: old is the object destroyed, through
	// destroyed, and config the endpoint created.
	run := func(t *testing.T, s *stub.Server, endpoints, destroyed *protocolHarness, old any, config webhookEndpointModel, listed []string) {
		t.Helper()
		endpoints.configure() // a new apply
		deleted := destroyed.apply(old, destroyed.encode(nil), nil, nil)
		if !slices.ContainsFunc(deleted.Diagnostics, func(d *tfprotov6.Diagnostic) bool { return d.Severity == tfprotov6.DiagnosticSeverityError }) {
			t.Fatalf("the delete under a fault succeeded: %s", describe(deleted.Diagnostics))
		}
		planned := endpoints.plan(nil, config, config, nil)
		failOnErrors(t, "plan", planned.Diagnostics)
		s.ResetCalls()
		created := endpoints.apply(nil, planned.PlannedState, config, planned.PlannedPrivate)
		if got := diagnosticsOf(created.Diagnostics, tfprotov6.DiagnosticSeverityError, "Webhook Subscriptions Still Held By A Destroyed Resource"); len(got) != 1 ||
			!strings.Contains(got[0].Detail, "the create sent nothing to vcita") || !strings.Contains(got[0].Detail, "finishes the destroy and the create together") {
			t.Fatalf("the create adopted what the failed delete keeps: %s", describe(created.Diagnostics))
		}
		var recorded webhookEndpointModel
		if endpoints.decode(created.NewState, &recorded) {
			t.Fatalf("the failed create recorded %v", recorded.SubscriptionIDs)
		}
		checkCallCount(t, s, 0, "the failed create sent %d calls, want none", stub.OpSubscribe, stub.OpUnsubscribe)

		// The next apply, without faults: the old object (as the failed
		// delete left it) is destroyed first, then the endpoint created.
		s.SetFaults(stub.FaultConfig{})
		endpoints.configure()
		var left any
		switch old.(type) {
		case webhookEndpointModel:
			var model webhookEndpointModel
			destroyed.decode(deleted.NewState, &model)
			left = model
		default:
			var model webhookSubscriptionModel
			destroyed.decode(deleted.NewState, &model)
			left = model
		}
		deleteObject(t, destroyed, left)
		endpoint := createEndpoint(t, endpoints, config)
		if err := checkURLRecordedBy(s, endpoint, listed...); err != nil {
			t.Error(err)
		}
		checkNoUnsubscribeWithoutEvent(t, s)
	}

	t.Run("endpoint to endpoint", func(t *testing.T) {
		t.Parallel()
		s := stub.NewTestServer(t)
		h := newProtocolHarness(t, s, "vcita_webhook_endpoint", newWebhookEndpointResource(), map[string]any{})
		config := endpointConfig(lifecycleEvents...)
		old := createEndpoint(t, h, config)
		faultOn(s, "invoice/issued")
		run(t, s, h, h, old, config, lifecycleStubEvents)
	})
	t.Run("subscription to endpoint", func(t *testing.T) {
		t.Parallel()
		s := stub.NewTestServer(t)
		endpoints := newProtocolHarness(t, s, "vcita_webhook_endpoint", newWebhookEndpointResource(), map[string]any{})
		subscriptions := subscriptionHarness(t, s, endpoints)
		sub := madeSubscription(t, s, "client/created", "client", "create")
		faultOn(s, "client/created")
		run(t, s, endpoints, subscriptions, sub, endpointConfig("client/created", "invoice/issued"), lifecycleStubEvents[:2])
	})
}

// subscriptionHarness drives vcita_webhook_subscription through the
// provider of endpoints: one registry for both, as in one apply.
func subscriptionHarness(t *testing.T, s *stub.Server, endpoints *protocolHarness) *protocolHarness {
	h := newProtocolHarness(t, s, "vcita_webhook_subscription", newWebhookSubscriptionResource(), map[string]any{})
	h.protocolProvider = endpoints.protocolProvider
	return h
}

// madeSubscription subscribes endpointURL to event on the stub and returns
// the state of a vcita_webhook_subscription that made it, which the API
// lists as entity/eventType.
func madeSubscription(t *testing.T, s *stub.Server, event, entity, eventType string) webhookSubscriptionModel {
	t.Helper()
	made := mustAdd(t, s, "", event, endpointURL)
	return webhookSubscriptionModel{
		ID: types.StringValue(fmt.Sprint(made.ID)), Event: newEventValue(event), TargetURL: types.StringValue(endpointURL),
		BusinessID: types.StringNull(), Entity: types.StringValue(entity), EventType: types.StringValue(eventType), Timeouts: nullTimeouts(),
	}
}

// An update has the same guard as a create: an endpoint whose update would
// subscribe an event that a failed delete of its apply keeps on the URL
// (a state two resources of one URL came to by another way than a plan,
// which would have failed) sends nothing and keeps its prior state; the
// next apply ends with every event, recorded by the endpoint.
func TestEndpointUpdateAdoptsNothingAFailedDeleteKeeps(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	e := newEndpointRun(t, s, map[string]any{})
	_, created := e.planAndApply(endpointConfig("client/created"), true)
	failOnErrors(t, "create", created)
	before := *e.state
	sub := madeSubscription(t, s, "invoice/issued", "invoice", "issued")
	subscriptions := subscriptionHarness(t, s, e.h)

	e.h.configure() // the apply of an update of the endpoint and a destroy of the subscription
	config := endpointConfig("client/created", "invoice/issued")
	planned := e.h.plan(before, proposed(before, config), config, e.private)
	failOnErrors(t, "plan", planned.Diagnostics)
	s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.Fault500}, Ops: []string{stub.OpUnsubscribe}, Events: []string{"invoice/issued"}})
	deleted := subscriptions.apply(sub, subscriptions.encode(nil), nil, nil)
	if len(diagnosticsOf(deleted.Diagnostics, tfprotov6.DiagnosticSeverityError, "vcita Refused The Unsubscribe")) != 1 {
		t.Fatalf("the delete under a fault: %s", describe(deleted.Diagnostics))
	}
	s.ResetCalls()
	updated := e.h.apply(before, planned.PlannedState, config, planned.PlannedPrivate)
	if got := diagnosticsOf(updated.Diagnostics, tfprotov6.DiagnosticSeverityError, "Webhook Subscriptions Still Held By A Destroyed Resource"); len(got) != 1 ||
		!strings.Contains(got[0].Detail, "the update sent nothing to vcita") {
		t.Fatalf("the update adopted what the failed delete keeps: %s", describe(updated.Diagnostics))
	}
	var after webhookEndpointModel
	if e.h.decode(updated.NewState, &after); !after.SubscriptionIDs.Equal(before.SubscriptionIDs) || !after.Events.Equal(before.Events) {
		t.Errorf("the failed update recorded %v, want its prior state %v", after.SubscriptionIDs, before.SubscriptionIDs)
	}
	checkCallCount(t, s, 0, "the failed update sent %d calls, want none", stub.OpSubscribe, stub.OpUnsubscribe)

	s.SetFaults(stub.FaultConfig{})
	e.h.configure() // the next apply: the destroy, then the update
	deleteObject(t, subscriptions, sub)
	_, applied := e.planAndApply(config, true)
	failOnErrors(t, "update", applied)
	if err := checkURLRecordedBy(s, *e.state, "client/create", "invoice/issued"); err != nil {
		t.Error(err)
	}
}

// Subscriptions moved into an endpoint: when the endpoint's create runs
// before their deletes, the deletes leave what the endpoint adopted.
func TestSubscriptionDeleteLeavesWhatAnEndpointOfTheApplyHolds(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	endpoints := newProtocolHarness(t, s, "vcita_webhook_endpoint", newWebhookEndpointResource(), map[string]any{})
	subscriptions := subscriptionHarness(t, s, endpoints)

	sub := madeSubscription(t, s, "client/created", "client", "create")
	created := createEndpoint(t, endpoints, endpointConfig("client/created", "invoice/issued"))
	deleteObject(t, subscriptions, sub)
	if err := checkStubHas(s, "", endpointURL, "client/create", "invoice/issued")(nil); err != nil {
		t.Error(err)
	}
	if id := subscriptionID(created, "client/created"); id != sub.ID.ValueString() {
		t.Errorf("the endpoint records %q for client/created, want the adopted %s", id, sub.ID)
	}
	checkCallCount(t, s, 0, "%d unsubscribe calls, want none", stub.OpUnsubscribe)

	// In the next apply, with no endpoint create, a delete unsubscribes.
	endpoints.configure()
	other := mustAdd(t, s, "", "payment/paid", endpointURL+"/other")
	sub.ID, sub.Event, sub.TargetURL, sub.Entity, sub.EventType = types.StringValue(fmt.Sprint(other.ID)), newEventValue("payment/paid"), types.StringValue(endpointURL+"/other"), types.StringValue("payment"), types.StringValue("paid")
	deleteObject(t, subscriptions, sub)
	if err := checkStubHas(s, "", endpointURL+"/other")(nil); err != nil {
		t.Error(err)
	}
}

// A move to another business replaces the endpoint: the old business's
// subscriptions go, the new business's hand-made one stays until the next
// plan, which removes it.
func TestAccWebhookEndpoint_moveToAnotherBusiness(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	const address = "vcita_webhook_endpoint.test"
	inBusiness := func(business string) string {
		return providerConfig(s, "") + endpointHCL("test", endpointURL, lifecycleEvents[:1], fmt.Sprintf("business_id = %q", business))
	}
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: inBusiness("b1")},
			{
				PreConfig: func() { mustAdd(t, s, "b2", "payment/paid", endpointURL) },
				Config:    inBusiness("b2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(address, plancheck.ResourceActionDestroyBeforeCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate)},
				},
				ExpectNonEmptyPlan: true,
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStubHas(s, "b1", endpointURL),
					checkStubHas(s, "b2", endpointURL, "client/create", "payment/paid"),
				),
			},
			{
				Config: inBusiness("b2"),
				Check:  checkStubHas(s, "b2", endpointURL, "client/create"),
			},
		},
	})
}
