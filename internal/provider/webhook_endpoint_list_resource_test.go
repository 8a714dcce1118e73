package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

// The endpoints a listing yields: one per URL with a matching subscription,
// ordered by URL, each with every event of its URL in the catalogue
// spelling; an item without a usable event is left out of its endpoint, and
// a URL that has only such items has no endpoint, each with a warning.
func TestListedEndpoints(t *testing.T) {
	t.Parallel()
	const a, b, c = "https://a.example.com/in", "https://b.example.com/in", "https://c.example.com/in"
	all := []vcita.Subscription{
		{ID: "1", Entity: "client", EventType: "create", TargetURL: b},
		{ID: "2", Entity: "meeting", EventType: "scheduled", TargetURL: b},
		{ID: "3", Entity: "payment", EventType: "paid", TargetURL: a},
		{ID: "4", TargetURL: c}, // listed without an event
		{ID: "5", Entity: "invoice", EventType: "issued", TargetURL: "https://unmatched.example.com/in"},
		{ID: "6", Entity: "client", EventType: "created/extra", TargetURL: b}, // an event that does not parse
	}
	listing := subscriptionListing{all: all, matching: []vcita.Subscription{all[0], all[1], all[2], all[3]}, business: "biz"}
	endpoints, warnings := listedEndpoints(listing)

	var got []string
	for _, m := range endpoints {
		events, _ := knownStrings(m.Events)
		got = append(got, fmt.Sprintf("%s %s %v %s", m.ID.ValueString(), m.BusinessID.ValueString(), events, endpointDisplayName(m)))
		if len(m.SubscriptionIDs.Elements()) != len(events) {
			t.Errorf("%s: subscription ids %v for events %v", m.TargetURL, m.SubscriptionIDs, events)
		}
	}
	want := []string{
		"biz:" + a + " biz [payment/paid] " + a + " (1 event)",
		"biz:" + b + " biz [client/created meeting/scheduled] " + b + " (2 events)",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("endpoints\n%v\nwant\n%v", got, want)
	}
	if len(warnings) != 2 || warnings[0].Summary() != "Subscription Without A Usable Event" ||
		!strings.Contains(warnings[0].Detail(), "subscription 6 of "+b) || !strings.Contains(warnings[1].Detail(), "subscription 4 of "+c) {
		t.Errorf("warnings %v, want one about subscription 6, then one about subscription 4", warnings)
	}

	// In the token's own scope the business is null, as an import records it.
	endpoints, _ = listedEndpoints(subscriptionListing{all: all, matching: all[2:3]})
	if len(endpoints) != 1 || !endpoints[0].BusinessID.Equal(types.StringNull()) || endpoints[0].ID.ValueString() != a {
		t.Errorf("endpoints of the token's own scope: %+v", endpoints)
	}
}

// The generated configuration of each listed endpoint, as `terraform query
// -generate-config-out` writes it: target_url, every event, and the business
// it was listed in; no computed id or subscription_ids, which Terraform
// would reject. It speaks the plugin protocol, so it runs on every
// Terraform.
func TestListedEndpointGeneratesItsImportConfig(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	mustAdd(t, s, "biz-p", "lead/created", endpointURL)
	mustAdd(t, s, "biz-p", "appointment/scheduled", endpointURL)
	mustAdd(t, s, "biz-p", "invoice/issued", otherURL) // first by URL
	p := newProtocolProvider(t, s, map[string]any{"business_id": "biz-p"})

	const typeName = "vcita_webhook_endpoint"
	// Filtered by one event type, the URL still comes with all its events.
	results := p.list(typeName, map[string]tftypes.Value{"event_type": tftypes.NewValue(tftypes.String, "scheduled")}, true, 1)
	if len(results) != 1 {
		t.Fatalf("%d results, want 1:\n%+v", len(results), results)
	}
	result := results[0]
	failOnErrors(t, "list", result.Diagnostics)
	if want := endpointURL + " (2 events)"; result.DisplayName != want {
		t.Errorf("display name %q, want %q", result.DisplayName, want)
	}
	want := map[string]string{"target_url": endpointURL, "events": "[client/created meeting/scheduled]", "business_id": "biz-p"}
	if got := p.generatedConfig(typeName, result.Resource); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("generated configuration %v, want %v", got, want)
	}
	identity := p.nonNullAttributes(p.schemas.ResourceSchemas[typeName].ValueType(), result.Resource)
	if identity["id"] != "biz-p:"+endpointURL || identity["subscription_ids"] == "" {
		t.Errorf("the listed resource %v lacks its id or subscription ids", identity)
	}

	// Limited to one, the first URL alone is built.
	if results := p.list(typeName, nil, false, 1); len(results) != 1 || results[0].DisplayName != otherURL+" (1 event)" {
		t.Errorf("limited to 1: %+v", results)
	}
}

// endpointListedAs is the query filter of the endpoint result of targetURL.
func endpointListedAs(targetURL string, business knownvalue.Check) queryfilter.QueryFilter {
	return queryfilter.ByResourceIdentity(endpointIdentity(targetURL, business))
}

func TestAccWebhookEndpointListResource(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	// hookURL: client/create and meeting/scheduled; otherURL: payment/paid;
	// in biz-1, hookURL: client/update.
	addHandMadeSubscriptions(t, s)

	query := fmt.Sprintf(`
list "vcita_webhook_endpoint" "all" {
  provider         = vcita
  include_resource = true
}
list "vcita_webhook_endpoint" "appointments" {
  provider         = vcita
  include_resource = true
  config {
    entity = "appointment"
  }
}
list "vcita_webhook_endpoint" "paid" {
  provider = vcita
  config {
    event_type = "paid"
  }
}
list "vcita_webhook_endpoint" "other_url" {
  provider = vcita
  config {
    target_url = %[1]q
  }
}
list "vcita_webhook_endpoint" "none" {
  provider = vcita
  config {
    entity = "invoice"
  }
}
list "vcita_webhook_endpoint" "business" {
  provider         = vcita
  include_resource = true
  config {
    business_id = "biz-1"
  }
}
list "vcita_webhook_endpoint" "limited" {
  provider = vcita
  limit    = 1
}
`, otherURL)
	null := knownvalue.Null()
	const all = "vcita_webhook_endpoint.all"

	// Seven list blocks in two businesses: two list calls.
	resource.Test(t, queryTestCase(s, query, 2,
		// One result per URL, with every event of the URL in the
		// catalogue spelling an import records.
		querycheck.ExpectLength(all, 2),
		querycheck.ExpectIdentity(all, endpointIdentity(hookURL, null)),
		querycheck.ExpectIdentity(all, endpointIdentity(otherURL, null)),
		querycheck.ExpectResourceDisplayName(all, endpointListedAs(hookURL, null), knownvalue.StringExact(hookURL+" (2 events)")),
		querycheck.ExpectResourceDisplayName(all, endpointListedAs(otherURL, null), knownvalue.StringExact(otherURL+" (1 event)")),
		querycheck.ExpectResourceKnownValues(all, endpointListedAs(hookURL, null), []querycheck.KnownValueCheck{
			{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(hookURL)},
			{Path: tfjsonpath.New("target_url"), KnownValue: knownvalue.StringExact(hookURL)},
			{Path: tfjsonpath.New("events"), KnownValue: eventsAre("client/created", "meeting/scheduled")},
			{Path: tfjsonpath.New("business_id"), KnownValue: null},
			{Path: tfjsonpath.New("subscription_ids"), KnownValue: knownvalue.MapSizeExact(2)},
		}),

		// A filter picks URLs by their subscriptions; a URL comes
		// whole, since the endpoint owns all of them.
		querycheck.ExpectLength("vcita_webhook_endpoint.appointments", 1),
		querycheck.ExpectResourceKnownValues("vcita_webhook_endpoint.appointments", endpointListedAs(hookURL, null), []querycheck.KnownValueCheck{
			{Path: tfjsonpath.New("events"), KnownValue: eventsAre("client/created", "meeting/scheduled")},
		}),
		querycheck.ExpectLength("vcita_webhook_endpoint.paid", 1),
		querycheck.ExpectIdentity("vcita_webhook_endpoint.paid", endpointIdentity(otherURL, null)),
		querycheck.ExpectLength("vcita_webhook_endpoint.other_url", 1),
		querycheck.ExpectIdentity("vcita_webhook_endpoint.other_url", endpointIdentity(otherURL, null)),
		querycheck.ExpectLength("vcita_webhook_endpoint.none", 0),

		querycheck.ExpectLength("vcita_webhook_endpoint.business", 1),
		querycheck.ExpectResourceKnownValues("vcita_webhook_endpoint.business", endpointListedAs(hookURL, knownvalue.StringExact("biz-1")), []querycheck.KnownValueCheck{
			{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact("biz-1:" + hookURL)},
			{Path: tfjsonpath.New("business_id"), KnownValue: knownvalue.StringExact("biz-1")},
			{Path: tfjsonpath.New("events"), KnownValue: eventsAre("client/updated")},
		}),

		// The first URL (in order), no more.
		querycheck.ExpectLength("vcita_webhook_endpoint.limited", 1),
		querycheck.ExpectIdentity("vcita_webhook_endpoint.limited", endpointIdentity(otherURL, null)),
	))
}

// What `terraform query -generate-config-out` writes for listed endpoints
// (see TestListedEndpointGeneratesItsImportConfig), applied as written:
// every URL is adopted whole without a single subscribe or unsubscribe, and
// the next plan is empty.
func TestAccWebhookEndpointListResource_generatedConfigAdoptsWithoutWrites(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	mustAdd(t, s, "biz-p", "lead/created", hookURL)
	mustAdd(t, s, "biz-p", "appointment/scheduled", hookURL)
	mustAdd(t, s, "biz-1", "invoice/issued", otherURL)
	const typeName = "vcita_webhook_endpoint"
	generated := providerConfig(s, `business_id = "biz-p"`) +
		generatedHCL(typeName, "own_0",
			map[string]any{"business_id": "biz-p", "events": []string{"client/created", "meeting/scheduled"}, "target_url": hookURL},
			map[string]any{"business_id": "biz-p", "target_url": hookURL}) +
		generatedHCL(typeName, "biz1_0",
			map[string]any{"business_id": "biz-1", "events": []string{"invoice/issued"}, "target_url": otherURL},
			map[string]any{"business_id": "biz-1", "target_url": otherURL})

	testWithStub(t, s, resource.TestCase{
		TerraformVersionChecks: needsIdentity,
		Steps: []resource.TestStep{adoptionStep(s, generated, []statecheck.StateCheck{
			statecheck.ExpectIdentity("vcita_webhook_endpoint.own_0", endpointIdentity(hookURL, knownvalue.StringExact("biz-p"))),
			statecheck.ExpectKnownValue("vcita_webhook_endpoint.own_0", tfjsonpath.New("subscription_ids"), knownvalue.MapSizeExact(2)),
			statecheck.ExpectIdentity("vcita_webhook_endpoint.biz1_0", endpointIdentity(otherURL, knownvalue.StringExact("biz-1"))),
		}, "vcita_webhook_endpoint.own_0", "vcita_webhook_endpoint.biz1_0")},
	})
	checkNoUnsubscribeWithoutEvent(t, s)
}
