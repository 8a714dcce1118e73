package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

// listedAs is the query filter of the result with that identity.
func listedAs(id int64, business knownvalue.Check) queryfilter.QueryFilter {
	return queryfilter.ByResourceIdentity(identity(id, business))
}

func TestAccWebhookSubscriptionListResource(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	made := addHandMadeSubscriptions(t, s)
	created, scheduled, paid, inBusiness := made.created, made.scheduled, made.paid, made.inBusiness

	query := fmt.Sprintf(`
list "vcita_webhook_subscription" "all" {
  provider         = vcita
  include_resource = true
}
list "vcita_webhook_subscription" "appointments" {
  provider = vcita
  config {
    entity = "appointment"
  }
}
list "vcita_webhook_subscription" "created" {
  provider = vcita
  config {
    event_type = "created"
  }
}
list "vcita_webhook_subscription" "other_url" {
  provider = vcita
  config {
    target_url = %[1]q
  }
}
list "vcita_webhook_subscription" "combined" {
  provider = vcita
  config {
    entity     = "client"
    event_type = "create"
    target_url = %[2]q
  }
}
list "vcita_webhook_subscription" "none" {
  provider = vcita
  config {
    entity = "invoice"
  }
}
list "vcita_webhook_subscription" "business" {
  provider         = vcita
  include_resource = true
  config {
    business_id = "biz-1"
  }
}
list "vcita_webhook_subscription" "limited" {
  provider = vcita
  limit    = 2
}
`, otherURL, hookURL)
	null := knownvalue.Null()

	// Eight list blocks in two businesses: two list calls.
	resource.Test(t, queryTestCase(s, query, 2,
		querycheck.ExpectLength("vcita_webhook_subscription.all", 3),
		querycheck.ExpectIdentity("vcita_webhook_subscription.all", identity(created.ID, null)),
		querycheck.ExpectIdentity("vcita_webhook_subscription.all", identity(scheduled.ID, null)),
		querycheck.ExpectIdentity("vcita_webhook_subscription.all", identity(paid.ID, null)),
		// The display name and the resource show the catalogue
		// spelling an import records, not the API's base verb.
		querycheck.ExpectResourceDisplayName("vcita_webhook_subscription.all", listedAs(created.ID, null),
			knownvalue.StringExact("client/created → "+hookURL)),
		querycheck.ExpectResourceDisplayName("vcita_webhook_subscription.all", listedAs(scheduled.ID, null),
			knownvalue.StringExact("meeting/scheduled → "+hookURL)),
		querycheck.ExpectResourceKnownValues("vcita_webhook_subscription.all", listedAs(created.ID, null), []querycheck.KnownValueCheck{
			{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(fmt.Sprint(created.ID))},
			{Path: tfjsonpath.New("event"), KnownValue: knownvalue.StringExact("client/created")},
			{Path: tfjsonpath.New("target_url"), KnownValue: knownvalue.StringExact(hookURL)},
			{Path: tfjsonpath.New("business_id"), KnownValue: null},
			{Path: tfjsonpath.New("entity"), KnownValue: knownvalue.StringExact("client")},
			{Path: tfjsonpath.New("event_type"), KnownValue: knownvalue.StringExact("create")},
		}),

		// The filters mean what they mean on the data source.
		querycheck.ExpectLength("vcita_webhook_subscription.appointments", 1),
		querycheck.ExpectIdentity("vcita_webhook_subscription.appointments", identity(scheduled.ID, null)),
		querycheck.ExpectLength("vcita_webhook_subscription.created", 1),
		querycheck.ExpectIdentity("vcita_webhook_subscription.created", identity(created.ID, null)),
		querycheck.ExpectLength("vcita_webhook_subscription.other_url", 1),
		querycheck.ExpectIdentity("vcita_webhook_subscription.other_url", identity(paid.ID, null)),
		querycheck.ExpectLength("vcita_webhook_subscription.combined", 1),
		querycheck.ExpectIdentity("vcita_webhook_subscription.combined", identity(created.ID, null)),
		querycheck.ExpectLength("vcita_webhook_subscription.none", 0),

		querycheck.ExpectLength("vcita_webhook_subscription.business", 1),
		querycheck.ExpectIdentity("vcita_webhook_subscription.business", identity(inBusiness.ID, knownvalue.StringExact("biz-1"))),
		querycheck.ExpectResourceKnownValues("vcita_webhook_subscription.business", listedAs(inBusiness.ID, knownvalue.StringExact("biz-1")), []querycheck.KnownValueCheck{
			{Path: tfjsonpath.New("business_id"), KnownValue: knownvalue.StringExact("biz-1")},
			{Path: tfjsonpath.New("event"), KnownValue: knownvalue.StringExact("client/updated")},
		}),

		// The first results by id, no more.
		querycheck.ExpectLength("vcita_webhook_subscription.limited", 2),
		querycheck.ExpectIdentity("vcita_webhook_subscription.limited", identity(created.ID, null)),
		querycheck.ExpectIdentity("vcita_webhook_subscription.limited", identity(scheduled.ID, null)),
	))
}

// What `terraform query -generate-config-out` writes for the results above
// (see TestListedSubscriptionGeneratesItsImportConfig), applied as written:
// every subscription is adopted without a single subscribe or unsubscribe,
// and the next plan is empty.
func TestAccWebhookSubscriptionListResource_generatedConfigAdoptsWithoutWrites(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	own := mustAdd(t, s, "biz-p", "lead/created", hookURL)
	inBusiness := mustAdd(t, s, "biz-1", "appointment/scheduled", hookURL)
	// A result in the provider's business pins that business too.
	const typeName = "vcita_webhook_subscription"
	generated := providerConfig(s, `business_id = "biz-p"`) +
		generatedHCL(typeName, "own_0",
			map[string]any{"business_id": "biz-p", "event": "client/created", "target_url": hookURL},
			map[string]any{"business_id": "biz-p", "id": fmt.Sprint(own.ID)}) +
		generatedHCL(typeName, "biz1_0",
			map[string]any{"business_id": "biz-1", "event": "meeting/scheduled", "target_url": hookURL},
			map[string]any{"business_id": "biz-1", "id": fmt.Sprint(inBusiness.ID)})

	testWithStub(t, s, resource.TestCase{
		TerraformVersionChecks: needsIdentity,
		Steps: []resource.TestStep{adoptionStep(s, generated, []statecheck.StateCheck{
			statecheck.ExpectIdentity("vcita_webhook_subscription.own_0", identity(own.ID, knownvalue.StringExact("biz-p"))),
			statecheck.ExpectIdentity("vcita_webhook_subscription.biz1_0", identity(inBusiness.ID, knownvalue.StringExact("biz-1"))),
		}, "vcita_webhook_subscription.own_0", "vcita_webhook_subscription.biz1_0")},
	})
}

// The generated configuration of each listed subscription is what Terraform
// writes with `terraform query -generate-config-out`: the list result's
// resource, through the provider's GenerateResourceConfig. It must hold the
// configurable attributes only (no computed id, entity or event_type, which
// Terraform would reject), and pin the business the subscription was listed
// in, so that the import plans no change. It runs on every Terraform, without
// one: it speaks the plugin protocol directly.
func TestListedSubscriptionGeneratesItsImportConfig(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	mustAdd(t, s, "biz-p", "lead/created", hookURL)
	mustAdd(t, s, "biz-p", "invoice/issued", hookURL) // after the limit of 1
	mustAdd(t, s, "biz-1", "appointment/scheduled", hookURL)
	p := newProtocolProvider(t, s, map[string]any{"business_id": "biz-p"})

	const typeName = "vcita_webhook_subscription"
	tests := map[string]struct {
		business string // the list block's business_id; "" for the provider's
		limit    int64
		want     map[string]string
		display  string
	}{
		"the provider's business, limited": {"", 1, map[string]string{"event": "client/created", "target_url": hookURL, "business_id": "biz-p"}, "client/created → " + hookURL},
		"another business":                 {"biz-1", 100, map[string]string{"event": "meeting/scheduled", "target_url": hookURL, "business_id": "biz-1"}, "meeting/scheduled → " + hookURL},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			listConfig := map[string]tftypes.Value{}
			if tc.business != "" {
				listConfig["business_id"] = tftypes.NewValue(tftypes.String, tc.business)
			}
			results := p.list(typeName, listConfig, true, tc.limit)
			// Terraform cuts a longer stream short itself, but the provider
			// should not build results past the limit.
			if len(results) != 1 {
				t.Fatalf("%d results, want 1", len(results))
			}
			result := results[0]
			if len(result.Diagnostics) != 0 || result.Resource == nil {
				t.Fatalf("result %q: diagnostics %+v, resource %v", result.DisplayName, result.Diagnostics, result.Resource)
			}
			if result.DisplayName != tc.display {
				t.Errorf("display name %q, want %q", result.DisplayName, tc.display)
			}
			if got := p.generatedConfig(typeName, result.Resource); fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("generated configuration %v, want %v", got, tc.want)
			}
		})
	}
}
