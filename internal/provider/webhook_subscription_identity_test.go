package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

// identity is the identity check of a subscription with a known id.
func identity(id int64, business knownvalue.Check) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{"id": knownvalue.StringExact(fmt.Sprint(id)), "business_id": business}
}

func TestAccWebhookSubscription_identity(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	config := providerConfig(s, "") + subscriptionConfig("own", "client/created", hookURL) + fmt.Sprintf(`
resource "vcita_webhook_subscription" "other" {
  event       = "invoice/issued"
  target_url  = %q
  business_id = "biz-1"
}
`, hookURL)
	const own, other = "vcita_webhook_subscription.own", "vcita_webhook_subscription.other"

	testWithStub(t, s, resource.TestCase{
		TerraformVersionChecks: needsIdentity,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(own, map[string]knownvalue.Check{
						"id": knownvalue.StringRegexp(regexpDigits), "business_id": knownvalue.Null(),
					}),
					statecheck.ExpectIdentityValueMatchesState(own, tfjsonpath.New("id")),
					statecheck.ExpectIdentity(other, map[string]knownvalue.Check{
						"id": knownvalue.StringRegexp(regexpDigits), "business_id": knownvalue.StringExact("biz-1"),
					}),
					statecheck.ExpectIdentityValueMatchesState(other, tfjsonpath.New("id")),
				},
			},
			importByIdentityStep(own, false),
			importByIdentityStep(other, false),
			importByIdentityStep(other, true),
		},
	})
	checkCallCount(t, s, 2, "subscribe calls: got %d, want the 2 creates", stub.OpSubscribe)
}

func TestAccWebhookSubscription_importByIdentity(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	inherited := mustAdd(t, s, "biz-p", "appointment/scheduled", hookURL)
	elsewhere := mustAdd(t, s, "biz-x", "lead/created", hookURL)
	// The identity leaves the business out for the provider's, and names
	// another one explicitly.
	config := providerConfig(s, `business_id = "biz-p"`) + fmt.Sprintf(`
resource "vcita_webhook_subscription" "inherited" {
  event      = "appointment/scheduled"
  target_url = %[1]q
}

import {
  to       = vcita_webhook_subscription.inherited
  identity = { id = "%[2]d" }
}

resource "vcita_webhook_subscription" "elsewhere" {
  event       = "client/created"
  target_url  = %[1]q
  business_id = "biz-x"
}

import {
  to       = vcita_webhook_subscription.elsewhere
  identity = { id = "%[3]d", business_id = "biz-x" }
}
`, hookURL, inherited.ID, elsewhere.ID)

	testWithStub(t, s, resource.TestCase{
		TerraformVersionChecks: needsIdentity,
		Steps: []resource.TestStep{adoptionStep(s, config, []statecheck.StateCheck{
			// The business left out is recorded, in the state and the identity.
			statecheck.ExpectIdentity("vcita_webhook_subscription.inherited", identity(inherited.ID, knownvalue.StringExact("biz-p"))),
			statecheck.ExpectKnownValue("vcita_webhook_subscription.inherited", tfjsonpath.New("business_id"), knownvalue.StringExact("biz-p")),
			statecheck.ExpectIdentity("vcita_webhook_subscription.elsewhere", identity(elsewhere.ID, knownvalue.StringExact("biz-x"))),
			statecheck.ExpectKnownValue("vcita_webhook_subscription.elsewhere", tfjsonpath.New("entity"), knownvalue.StringExact("client")),
		}, "vcita_webhook_subscription.inherited", "vcita_webhook_subscription.elsewhere")},
	})
}

func TestAccWebhookSubscription_invalidImportIdentity(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	testInvalidImportIdentities(t, s, providerConfig(s, "")+subscriptionConfig("test", "client/created", hookURL), "vcita_webhook_subscription.test",
		invalidIdentity{`{ id = "client/created" }`, `the identity's id "client/created" is not a subscription id`},
		invalidIdentity{`{ id = "1001", business_id = "" }`, "the identity's business_id is empty"},
	)
}

// A subscription deleted and made again by hand with the same event and
// target URL has a new id: the refresh takes it, and the identity follows
// instead of failing the plan.
func TestAccWebhookSubscription_identityFollowsASubscriptionMadeAgain(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	config := providerConfig(s, "") + subscriptionConfig("test", "client/created", hookURL)
	var remade stub.Subscription
	testWithStub(t, s, resource.TestCase{
		TerraformVersionChecks: needsIdentity,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					id, ok := stubIDOfEvent(s, "client", "create")
					if !ok || !s.Remove(id) {
						t.Fatal("could not remove the subscription of client/create from the stub")
					}
					remade = mustAdd(t, s, "", "client/created", hookURL)
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentityValueMatchesState("vcita_webhook_subscription.test", tfjsonpath.New("id")),
				},
				Check: func(state *terraform.State) error {
					return resource.TestCheckResourceAttr("vcita_webhook_subscription.test", "id", fmt.Sprint(remade.ID))(state)
				},
			},
		},
	})
	checkCallCount(t, s, 1, "subscribe calls: got %d, want 1", stub.OpSubscribe)
}

// An import by <event>,<target_url> that names nothing listed has no id, and
// so no identity: it must fail with its own explanation, on every Terraform
// (Terraform older than 1.12 would otherwise report a missing identity).
func TestAccWebhookSubscription_importOfAPairNotListed(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: providerConfig(s, "") + subscriptionConfig("test", "client/created", hookURL)},
			{
				ResourceName:  "vcita_webhook_subscription.test",
				ImportState:   true,
				ImportStateId: "client/updated," + hookURL,
				ExpectError:   expectError("No subscription of " + hookURL + " to client/updated, or to another spelling of that event, is listed in the token's own scope"),
			},
		},
	})
}
