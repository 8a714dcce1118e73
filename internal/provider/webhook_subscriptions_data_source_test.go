package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

func listed(id int64, event, entity, eventType, url string) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id":         knownvalue.StringExact(fmt.Sprint(id)),
		"event":      knownvalue.StringExact(event),
		"entity":     knownvalue.StringExact(entity),
		"event_type": knownvalue.StringExact(eventType),
		"target_url": knownvalue.StringExact(url),
	})
}

// otherURL is the second target URL of the listing tests.
const otherURL = "https://hooks.example.com/other"

// handMadeSubscriptions are what the listing tests (of this data source and of
// the list resource, whose filters mean the same) find: made by hand, and
// listed by the API as lead/created → client/create and
// appointment/scheduled → meeting/scheduled.
type handMadeSubscriptions struct {
	created, scheduled, paid, inBusiness stub.Subscription
}

func addHandMadeSubscriptions(t *testing.T, s *stub.Server) handMadeSubscriptions {
	t.Helper()
	return handMadeSubscriptions{
		created:    mustAdd(t, s, "", "lead/created", hookURL),
		scheduled:  mustAdd(t, s, "", "appointment/scheduled", hookURL),
		paid:       mustAdd(t, s, "", "payment/paid", otherURL),
		inBusiness: mustAdd(t, s, "biz-1", "client/updated", hookURL),
	}
}

func TestAccWebhookSubscriptionsDataSource(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	made := addHandMadeSubscriptions(t, s)
	created, scheduled, paid, inBusiness := made.created, made.scheduled, made.paid, made.inBusiness

	config := providerConfig(s) + fmt.Sprintf(`
data "vcita_webhook_subscriptions" "all" {}
data "vcita_webhook_subscriptions" "appointments" {
  entity = "appointment"
}
data "vcita_webhook_subscriptions" "created" {
  event_type = "created"
}
data "vcita_webhook_subscriptions" "other_url" {
  target_url = %[1]q
}
data "vcita_webhook_subscriptions" "combined" {
  entity     = "client"
  event_type = "create"
  target_url = %[2]q
}
data "vcita_webhook_subscriptions" "none" {
  entity = "invoice"
}
data "vcita_webhook_subscriptions" "business" {
  business_id = "biz-1"
}
`, otherURL, hookURL)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.vcita_webhook_subscriptions.all", tfjsonpath.New("subscriptions"), knownvalue.ListExact([]knownvalue.Check{
					listed(created.ID, "client/create", "client", "create", hookURL),
					listed(scheduled.ID, "meeting/scheduled", "meeting", "scheduled", hookURL),
					listed(paid.ID, "payment/paid", "payment", "paid", otherURL),
				})),
				statecheck.ExpectKnownValue("data.vcita_webhook_subscriptions.appointments", tfjsonpath.New("subscriptions"), knownvalue.ListExact([]knownvalue.Check{
					listed(scheduled.ID, "meeting/scheduled", "meeting", "scheduled", hookURL),
				})),
				statecheck.ExpectKnownValue("data.vcita_webhook_subscriptions.created", tfjsonpath.New("subscriptions"), knownvalue.ListExact([]knownvalue.Check{
					listed(created.ID, "client/create", "client", "create", hookURL),
				})),
				statecheck.ExpectKnownValue("data.vcita_webhook_subscriptions.other_url", tfjsonpath.New("subscriptions"), knownvalue.ListExact([]knownvalue.Check{
					listed(paid.ID, "payment/paid", "payment", "paid", otherURL),
				})),
				statecheck.ExpectKnownValue("data.vcita_webhook_subscriptions.combined", tfjsonpath.New("subscriptions"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("data.vcita_webhook_subscriptions.none", tfjsonpath.New("subscriptions"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue("data.vcita_webhook_subscriptions.business", tfjsonpath.New("subscriptions"), knownvalue.ListExact([]knownvalue.Check{
					listed(inBusiness.ID, "client/update", "client", "update", hookURL),
				})),
			},
		}},
	})
}
