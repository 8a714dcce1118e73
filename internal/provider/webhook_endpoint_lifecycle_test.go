package provider

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
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
		checkCalls(s, 0, 0),
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
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             checkStubEmpty(s),
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
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             checkStubEmpty(s),
		Steps:                    steps,
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
			resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testProviders, CheckDestroy: checkStubEmpty(s), Steps: steps})
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
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             checkStubEmpty(s),
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
			if n, m := s.Calls(stub.OpSubscribe), s.Calls(stub.OpUnsubscribe); n+m != 0 {
				t.Errorf("%d subscribe and %d unsubscribe calls, want none", n, m)
			}
		})
	}
}

// The plan-time check is scoped: the same URL in two businesses, two
// subscriptions on one URL, and an endpoint destroyed while a subscription
// of its URL is created are no conflict.
func TestAccWebhookEndpoint_oneURLWithoutConflict(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             checkStubEmpty(s),
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
	if n := s.Calls(stub.OpUnsubscribe); n != 0 {
		t.Errorf("%d unsubscribe calls, want none", n)
	}
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
		if err := checkStubHas(s, "", endpointURL, lifecycleStubEvents...)(nil); err != nil {
			t.Fatalf("%s: %v", order, err)
		}
		for event, id := range stubIDsOf(s, endpointURL) {
			if !slices.ContainsFunc(slices.Collect(maps.Values(created.SubscriptionIDs.Elements())), func(v attr.Value) bool { return v.Equal(types.StringValue(fmt.Sprint(id))) }) {
				t.Fatalf("%s: %s is subscription %d, which the created endpoint does not record: %v", order, event, id, created.SubscriptionIDs)
			}
		}
	}

	// The create first (create_before_destroy), then the delete.
	h.configure()
	created := createEndpoint(t, h, config)
	deleteObject(t, h, old)
	check("create, then delete", created)

	// At once, many times.
	for range 20 {
		h.configure()
		old = created
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); created = createEndpoint(t, h, config) }()
		go func() { defer wg.Done(); deleteObject(t, h, old) }()
		wg.Wait()
		check("create and delete at once", created)
	}
	checkNoUnsubscribeWithoutEvent(t, s)
}

// Subscriptions moved into an endpoint: when the endpoint's create runs
// before their deletes, the deletes leave what the endpoint adopted.
func TestSubscriptionDeleteLeavesWhatAnEndpointOfTheApplyHolds(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	endpoints := newProtocolHarness(t, s, "vcita_webhook_endpoint", newWebhookEndpointResource(), map[string]any{})
	var schemaResp fwresource.SchemaResponse
	newWebhookSubscriptionResource().Schema(t.Context(), fwresource.SchemaRequest{}, &schemaResp)
	subscriptions := &protocolHarness{protocolProvider: endpoints.protocolProvider, typeName: "vcita_webhook_subscription", schema: tfsdk.State{Schema: schemaResp.Schema}}

	made := mustAdd(t, s, "", "client/created", endpointURL)
	sub := webhookSubscriptionModel{
		ID: types.StringValue(fmt.Sprint(made.ID)), Event: newEventValue("client/created"), TargetURL: types.StringValue(endpointURL),
		BusinessID: types.StringNull(), Entity: types.StringValue("client"), EventType: types.StringValue("create"), Timeouts: nullTimeouts(),
	}
	created := createEndpoint(t, endpoints, endpointConfig("client/created", "invoice/issued"))
	deleteObject(t, subscriptions, sub)
	if err := checkStubHas(s, "", endpointURL, "client/create", "invoice/issued")(nil); err != nil {
		t.Error(err)
	}
	if id := subscriptionID(created, "client/created"); id != fmt.Sprint(made.ID) {
		t.Errorf("the endpoint records %q for client/created, want the adopted %d", id, made.ID)
	}
	if n := s.Calls(stub.OpUnsubscribe); n != 0 {
		t.Errorf("%d unsubscribe calls, want none", n)
	}

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
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             checkStubEmpty(s),
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
