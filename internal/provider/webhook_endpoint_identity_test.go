package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

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
			importByIdentityStep(own, false),
			importByIdentityStep(other, false),
			importByIdentityStep(own, true),
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
