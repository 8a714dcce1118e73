package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

func TestModelFromSubscription(t *testing.T) {
	listed := vcita.Subscription{ID: "1001", Entity: "meeting", EventType: "scheduled", TargetURL: "https://h.example.com"}
	prior := webhookSubscriptionModel{Event: newEventValue("appointment/scheduled"), BusinessID: types.StringValue("biz")}
	got := modelFromSubscription(listed, prior)
	if got.Event.ValueString() != "appointment/scheduled" || got.ID.ValueString() != "1001" || got.Entity.ValueString() != "meeting" ||
		got.EventType.ValueString() != "scheduled" || got.TargetURL.ValueString() != listed.TargetURL || got.BusinessID.ValueString() != "biz" {
		t.Errorf("with a prior spelling: %+v", got)
	}
	imported := modelFromSubscription(vcita.Subscription{ID: "7", Entity: "lead", EventType: "create", TargetURL: "u"}, webhookSubscriptionModel{Event: eventValue{StringValue: types.StringNull()}})
	if imported.Event.ValueString() != "client/created" || imported.Entity.ValueString() != "client" || imported.EventType.ValueString() != "create" {
		t.Errorf("imported by id: event %q entity %q event_type %q; want the catalogue spelling and the canonical entity",
			imported.Event.ValueString(), imported.Entity.ValueString(), imported.EventType.ValueString())
	}
}

func TestAccWebhookSubscription_lifecycle(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	config := providerConfig(s) + subscriptionConfig("test", "client/created", hookURL)

	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("vcita_webhook_subscription.test", plancheck.ResourceActionCreate),
						plancheck.ExpectKnownValue("vcita_webhook_subscription.test", tfjsonpath.New("entity"), knownvalue.StringExact("client")),
						plancheck.ExpectUnknownValue("vcita_webhook_subscription.test", tfjsonpath.New("id")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("vcita_webhook_subscription.test", tfjsonpath.New("event"), knownvalue.StringExact("client/created")),
					statecheck.ExpectKnownValue("vcita_webhook_subscription.test", tfjsonpath.New("target_url"), knownvalue.StringExact(hookURL)),
					statecheck.ExpectKnownValue("vcita_webhook_subscription.test", tfjsonpath.New("entity"), knownvalue.StringExact("client")),
					// Create takes the catalogue's spelling: the answer's id
					// proves the subscription exists, so nothing is listed.
					statecheck.ExpectKnownValue("vcita_webhook_subscription.test", tfjsonpath.New("event_type"), knownvalue.StringExact("created")),
					statecheck.ExpectKnownValue("vcita_webhook_subscription.test", tfjsonpath.New("id"), knownvalue.StringRegexp(regexpDigits)),
					statecheck.ExpectKnownValue("vcita_webhook_subscription.test", tfjsonpath.New("business_id"), knownvalue.Null()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStubHas(s, "", hookURL, "client/create"),
					func(state *terraform.State) error {
						want, err := stubIDOf(s, "", hookURL)
						if err != nil {
							return err
						}
						return resource.TestCheckResourceAttr("vcita_webhook_subscription.test", "id", want)(state)
					},
				),
			},
			{
				// A second plan with the same configuration changes nothing;
				// its refresh records the base verb the stub, like the API,
				// lists.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("vcita_webhook_subscription.test", tfjsonpath.New("entity"), knownvalue.StringExact("client")),
					statecheck.ExpectKnownValue("vcita_webhook_subscription.test", tfjsonpath.New("event_type"), knownvalue.StringExact("create")),
				},
			},
			{
				ResourceName:      "vcita_webhook_subscription.test",
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				ResourceName:      "vcita_webhook_subscription.test",
				ImportState:       true,
				ImportStateId:     "client/created," + hookURL,
				ImportStateVerify: true,
			},
			// import blocks work too, and plan no change after the import.
			importBlockStep(config, "vcita_webhook_subscription.test", ""),
		},
	})
	checkCallCount(t, s, 1, "subscribe calls: got %d, want 1", stub.OpSubscribe)
}

// An import normalises what cannot change which subscription is meant (the
// leading zeros of an id, the case of a catalogue event), and one that finds
// nothing says what it looked for, where, and what to try.
func TestAccWebhookSubscription_importNormalisesAndExplains(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	elsewhere, err := s.Add("biz-1", "client/updated", hookURL)
	if err != nil {
		t.Fatal(err)
	}
	config := providerConfig(s, "") + subscriptionConfig("test", "client/created", hookURL)
	const address = "vcita_webhook_subscription.test"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             checkStubHas(s, "", hookURL),
		Steps: []resource.TestStep{
			{Config: config},
			// The refresh records the spelling the API lists, as an import does.
			{RefreshState: true},
			{
				ResourceName: address, ImportState: true, ImportStateVerify: true,
				ImportStateIdFunc: func(state *terraform.State) (string, error) {
					return "00" + state.RootModule().Resources[address].Primary.ID, nil
				},
			},
			{ResourceName: address, ImportState: true, ImportStateVerify: true, ImportStateId: "Client/Created," + hookURL},
			// Another spelling of the event (an alias entity, the catalogue's
			// verb) names the same subscription; the import keeps the spelling
			// it was given, and the configuration's own plans no change after it.
			{
				ResourceName: address, ImportState: true, ImportStateId: "lead/created," + hookURL,
				ImportStateVerify: true, ImportStateVerifyIgnore: []string{"event"},
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if got := states[0].Attributes["event"]; got != "lead/created" {
						return fmt.Errorf("the import recorded event %q, want the spelling it was given", got)
					}
					return nil
				},
			},
			importBlockStep(config, address, "client/create,"+hookURL),
			{
				ResourceName: address, ImportState: true, ImportStateId: "999999",
				ExpectError: expectError("No subscription with id 999999 is listed in the token's own scope (the identifier has no <business_id>: prefix, and the provider has no business_id). " +
					"If it belongs to a business, import it with that business's id in front: '<business_id>:999999'."),
			},
			{
				// It exists, but in another business than the provider's.
				Config:       providerConfig(s, `business_id = "biz-2"`) + subscriptionConfig("test", "client/created", hookURL),
				ResourceName: address, ImportState: true, ImportStateId: fmt.Sprint(elsewhere.ID),
				ExpectError: expectError(fmt.Sprintf(`No subscription with id %d is listed in business "biz-2" (the provider's business_id, or VCITA_BUSINESS_ID). `+
					"If it belongs to another business, import it with that business's id in front: '<business_id>:%d'.", elsewhere.ID, elsewhere.ID)),
			},
			{
				ResourceName: address, ImportState: true, ImportStateId: "client/created," + hookURL + "/",
				ExpectError: expectError("The API does list " + hookURL + " for that event, which differs only in case or a trailing slash"),
			},
			{
				ResourceName: address, ImportState: true, ImportStateId: "garbage",
				ExpectError: expectError(`Cannot import "garbage": it is neither a numeric subscription id nor an <event>,<target_url> pair. Use one of:`),
			},
		},
	})
}

// An import by id of an item whose event does not parse is refused, as the
// import of one without an event is: its destroy could not name its event.
func TestAccWebhookSubscription_importOfAMalformedEventIsRefused(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	odd := s.AddMalformed("", "client", "created/extra", hookURL)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:       providerConfig(s, "") + subscriptionConfig("test", "client/created", hookURL),
			ResourceName: "vcita_webhook_subscription.test", ImportState: true, ImportStateId: fmt.Sprint(odd.ID),
			ExpectError: expectError(fmt.Sprintf(`Cannot Import A Subscription Without An Event vcita lists subscription %d of %s with entity "client" and event_type "created/extra"`, odd.ID, hookURL)),
		}},
	})
	if err := checkStubHas(s, "", hookURL, "client/created/extra")(nil); err != nil {
		t.Error(err)
	}
	checkCallCount(t, s, 0, "%d subscribe and unsubscribe calls were sent, want none", stub.OpSubscribe, stub.OpUnsubscribe)
}

func TestAccWebhookSubscription_driftRecreatesOnlyTheDeletedOne(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	config := providerConfig(s) +
		subscriptionConfig("created", "client/created", hookURL) +
		subscriptionConfig("updated", "client/updated", hookURL)

	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: config,
				Check:  checkStubHas(s, "", hookURL, "client/create", "client/update"),
			},
			{
				// Someone deletes one subscription behind Terraform's back.
				// (On Terraform older than 1.12, which keeps no identity,
				// this also pins that Read sets the identity before it
				// removes the resource.)
				PreConfig: func() {
					id, _ := stubIDOfEvent(s, "client", "create")
					if !s.Remove(id) {
						t.Fatalf("could not remove subscription %d from the stub", id)
					}
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("vcita_webhook_subscription.created", plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction("vcita_webhook_subscription.updated", plancheck.ResourceActionNoop),
					},
				},
				Check: checkStubHas(s, "", hookURL, "client/update", "client/create"),
			},
		},
	})
}

func TestAccWebhookSubscription_destroyingOneKeepsTheOthersOnTheURL(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	both := providerConfig(s) +
		subscriptionConfig("created", "client/created", hookURL) +
		subscriptionConfig("updated", "client/updated", hookURL)
	onlyUpdated := providerConfig(s) + subscriptionConfig("updated", "client/updated", hookURL)

	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: both, Check: checkStubHas(s, "", hookURL, "client/create", "client/update")},
			{
				Config: onlyUpdated,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("vcita_webhook_subscription.created", plancheck.ResourceActionDestroy),
						plancheck.ExpectResourceAction("vcita_webhook_subscription.updated", plancheck.ResourceActionNoop),
					},
				},
				Check: checkStubHas(s, "", hookURL, "client/update"),
			},
		},
	})
	for _, req := range s.Requests() {
		if req.Op == stub.OpUnsubscribe && !containsEvent(req.Body) {
			t.Errorf("an unsubscribe call left out the event, which removes every subscription of the URL: %s", req.Body)
		}
	}
}

func TestAccWebhookSubscription_aliasAndBaseVerbSpellingsPlanClean(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	const url = "https://hooks.example.com/appointments"
	written := providerConfig(s) + subscriptionConfig("test", "appointment/scheduled", url)
	canonical := providerConfig(s) + subscriptionConfig("test", "meeting/scheduled", url)

	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{
				// Subscribed as appointment/scheduled, listed as meeting/scheduled:
				// the harness fails the step if the plan after apply is not empty.
				Config: written,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("vcita_webhook_subscription.test", tfjsonpath.New("event"), knownvalue.StringExact("appointment/scheduled")),
					statecheck.ExpectKnownValue("vcita_webhook_subscription.test", tfjsonpath.New("entity"), knownvalue.StringExact("meeting")),
					statecheck.ExpectKnownValue("vcita_webhook_subscription.test", tfjsonpath.New("event_type"), knownvalue.StringExact("scheduled")),
				},
				Check: checkStubHas(s, "", url, "meeting/scheduled"),
			},
			{
				// Changing only the spelling to an equivalent one is no change.
				Config: canonical,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			// An import by id records the catalogue spelling; the
			// configuration's alias spelling still plans no change.
			importBlockStep(written, "vcita_webhook_subscription.test", ""),
		},
	})
	checkCallCount(t, s, 1, "subscribe calls: got %d, want 1 (a spelling change must not replace)", stub.OpSubscribe)
}

func TestAccWebhookSubscription_subscribeAnswerWithoutID(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	s.SetBehaviour(stub.Behaviour{SubscribeWithoutID: true, SubscribeStatus: 200, UnsubscribePlainText: true, ExtraFields: true})
	config := providerConfig(s) + subscriptionConfig("test", "invoice/issued", hookURL)

	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: config,
			Check: func(state *terraform.State) error {
				want, err := stubIDOf(s, "", hookURL)
				if err != nil {
					return err
				}
				return resource.TestCheckResourceAttr("vcita_webhook_subscription.test", "id", want)(state)
			},
		}},
	})
}

// The data source reports events as the API lists them (client/create, not
// a value of the subscribe enum); fed back into a resource, such an event is
// accepted, subscribed and unsubscribed in its catalogue spelling, and kept in
// the state as written.
func TestAccWebhookSubscription_listedSpellingFromTheDataSource(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	const madeByHand = "https://hooks.example.com/by-hand"
	if _, err := s.Add("", "lead/created", madeByHand); err != nil {
		t.Fatal(err)
	}
	config := providerConfig(s, "") + fmt.Sprintf(`
data "vcita_webhook_subscriptions" "by_hand" {
  target_url = %[1]q
}

resource "vcita_webhook_subscription" "copy" {
  event      = data.vcita_webhook_subscriptions.by_hand.subscriptions[0].event
  target_url = %[2]q
}
`, madeByHand, hookURL)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             checkStubHas(s, "", hookURL),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("vcita_webhook_subscription.copy", tfjsonpath.New("event"), knownvalue.StringExact("client/create")),
				statecheck.ExpectKnownValue("vcita_webhook_subscription.copy", tfjsonpath.New("entity"), knownvalue.StringExact("client")),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: checkStubHas(s, "", hookURL, "client/create"),
		}},
	})
	for _, req := range s.Requests() {
		if (req.Op == stub.OpSubscribe || req.Op == stub.OpUnsubscribe) && !strings.Contains(req.Body, `"event":"client/created"`) {
			t.Errorf("%s sent %s; want the catalogue spelling client/created", req.Op, req.Body)
		}
	}
	if s.Calls(stub.OpSubscribe) != 1 || s.Calls(stub.OpUnsubscribe) != 1 {
		t.Errorf("subscribe calls %d, unsubscribe calls %d; want one each", s.Calls(stub.OpSubscribe), s.Calls(stub.OpUnsubscribe))
	}
}

func TestAccWebhookSubscription_listedAsSubscribed(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	// The API may also list the alias and the past tense as subscribed.
	s.SetBehaviour(stub.Behaviour{ListAsSubscribed: true})
	config := providerConfig(s) + subscriptionConfig("test", "lead/created", hookURL)

	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("vcita_webhook_subscription.test", tfjsonpath.New("entity"), knownvalue.StringExact("client")),
				statecheck.ExpectKnownValue("vcita_webhook_subscription.test", tfjsonpath.New("event_type"), knownvalue.StringExact("created")),
			},
		}},
	})
}

func TestAccWebhookSubscription_invalidInputFailsAtPlanAndSendsNothing(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	tests := map[string]struct {
		config string
		want   string
	}{
		"unknown event":      {subscriptionConfig("test", "client/craeted", hookURL), "Did you mean `client/created`"},
		"bad event format":   {subscriptionConfig("test", "client.created", hookURL), "Invalid Event Format"},
		"relative URL":       {subscriptionConfig("test", "client/created", "/hooks/vcita"), "Invalid Target URL"},
		"ftp URL":            {subscriptionConfig("test", "client/created", "ftp://hooks.example.com/x"), "Invalid Target URL"},
		"URL without host":   {subscriptionConfig("test", "client/created", "https:///x"), "has no host"},
		"event with a space": {subscriptionConfig("test", "client/created ", hookURL), `white space before or after the event: write it as "client/created"`},
		"upper-case scheme":  {subscriptionConfig("test", "client/created", "HTTPS://Hooks.Example.com/vcita"), "must start with https:// in lower case"},
		"empty business id":  {subscriptionInBusinessConfig("test", "client/created", hookURL, ""), "business_id"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				Steps: []resource.TestStep{{
					Config:      providerConfig(s) + tc.config,
					PlanOnly:    true,
					ExpectError: expectError(tc.want),
				}},
			})
		})
	}
	if n := len(s.Requests()); n != 0 {
		t.Errorf("invalid configurations sent %d requests to the API, want 0", n)
	}
}

func TestAccWebhookSubscription_alreadyExistsShowsTheImportCommand(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	existing, err := s.Add("", "client/created", hookURL)
	if err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:      providerConfig(s) + subscriptionConfig("test", "client/created", hookURL),
			ExpectError: expectError(fmt.Sprintf("terraform import 'vcita_webhook_subscription.NAME' '%d'", existing.ID)),
		}},
	})
	if got := s.All(); len(got) != 1 || got[0].ID != existing.ID {
		t.Errorf("the existing subscription must be left alone, stub has %+v", got)
	}
}

// client/created and lead/created on one URL are one subscription: when the
// plan knows both pairs, it fails, before any call; when a URL is known only
// at apply, the plan Terraform makes again at apply, which knows it, fails
// before any call to vcita.
func TestAccWebhookSubscription_twoResourcesNameOneSubscription(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: providerConfig(s, "") +
					subscriptionConfig("client", "client/created", hookURL) +
					subscriptionConfig("lead", "lead/created", hookURL),
				ExpectError: expectErrorInOrder("Two Resources Name One Webhook Subscription", "two resources name the same subscription", "Keep one of them",
					"This resource sent nothing to vcita."),
			},
			{
				PreConfig: func() {
					checkCallCount(t, s, 0, "the plan-time conflict sent %d subscribe calls", stub.OpSubscribe)
				},
				Config: providerConfig(s, "") + fmt.Sprintf(`
resource "terraform_data" "url" {
  input = %[1]q
}
`, hookURL) + `
resource "vcita_webhook_subscription" "client" {
  event      = "client/created"
  target_url = terraform_data.url.output
}
resource "vcita_webhook_subscription" "lead" {
  event      = "lead/created"
  target_url = terraform_data.url.output
}
`,
				ExpectError: expectErrorInOrder("Two Resources Name One Webhook Subscription", "two resources name the same subscription", "This resource sent nothing to vcita."),
			},
		},
	})
	// At apply, where the URL became known, the conflict shows in the plan
	// Terraform makes again for each resource just before applying it: the
	// one applied first may have subscribed by then, the other sent nothing.
	if n := s.Calls(stub.OpSubscribe); n > 1 {
		t.Errorf("the conflict at apply sent %d subscribe calls: the second resource subscribed too", n)
	}
}

// With create_before_destroy, a replacement that keeps the event and target
// URL (taint, -replace) meets the subscription it replaces: the error says
// why and what to do, instead of only "import it". A resource for an
// equivalent event of a subscription made by hand says which subscription it
// meets.
func TestAccWebhookSubscription_alreadyExistsExplainsCreateBeforeDestroy(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	config := providerConfig(s, "") + fmt.Sprintf(`
resource "vcita_webhook_subscription" "test" {
  event      = "client/created"
  target_url = %q

  lifecycle {
    create_before_destroy = true
  }
}
`, hookURL)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             resource.ComposeAggregateTestCheckFunc(checkStubHas(s, "", hookURL), checkStubHas(s, "", hookURL+"/other", "client/create")),
		Steps: []resource.TestStep{
			{Config: config, Check: checkStubHas(s, "", hookURL, "client/create")},
			{
				Config:      config,
				Taint:       []string{"vcita_webhook_subscription.test"},
				ExpectError: expectError("The one this resource is replacing, when the resource has lifecycle { create_before_destroy = true } and keeps its event and target URL"),
			},
			{
				// (Another resource of this configuration for an equivalent
				// event fails at plan: TestAccWebhookSubscription_twoResourcesNameOneSubscription.)
				PreConfig:   func() { mustAdd(t, s, "", "client/created", hookURL+"/other") },
				Config:      config + subscriptionConfig("lead", "lead/created", hookURL+"/other"),
				ExpectError: expectError("which the API lists as client/create, the same event as lead/created"),
			},
		},
	})
}

func TestAccWebhookSubscription_businessIDOverridesTheProvider(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	inBusiness := func(own string) string {
		return providerConfig(s, `business_id = "biz-provider"`) +
			subscriptionInBusinessConfig("own", "client/created", hookURL, own) +
			subscriptionConfig("inherited", "client/created", hookURL)
	}
	config := inBusiness("biz-own")

	importID := func(prefix string, pair bool) resource.ImportStateIdFunc {
		return func(*terraform.State) (string, error) {
			if pair {
				return prefix + "client/created," + hookURL, nil
			}
			id, err := stubIDOf(s, "biz-own", hookURL)
			return prefix + id, err
		}
	}
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStubHas(s, "biz-own", hookURL, "client/create"),
					checkStubHas(s, "biz-provider", hookURL, "client/create"),
					checkStubHas(s, "", hookURL),
				),
			},
			// The refresh records the spelling the API lists, as an import does.
			{RefreshState: true},
			{ResourceName: "vcita_webhook_subscription.own", ImportState: true, ImportStateIdFunc: importID("biz-own:", false), ImportStateVerify: true},
			{ResourceName: "vcita_webhook_subscription.own", ImportState: true, ImportStateIdFunc: importID("biz-own:", true), ImportStateVerify: true},
			movedToAnotherBusinessStep(s, "vcita_webhook_subscription", inBusiness("biz-moved"), hookURL),
		},
	})
}

func TestAccWebhookSubscription_changingTheEventReplacesOnlyThatSubscription(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	before := providerConfig(s) + subscriptionConfig("a", "meeting/scheduled", hookURL) + subscriptionConfig("b", "meeting/completed", hookURL)
	after := providerConfig(s) + subscriptionConfig("a", "meeting/cancelled", hookURL) + subscriptionConfig("b", "meeting/completed", hookURL)
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: before, Check: checkStubHas(s, "", hookURL, "meeting/scheduled", "meeting/completed")},
			{
				Config: after,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("vcita_webhook_subscription.a", plancheck.ResourceActionDestroyBeforeCreate),
						plancheck.ExpectUnknownValue("vcita_webhook_subscription.a", tfjsonpath.New("id")),
						plancheck.ExpectResourceAction("vcita_webhook_subscription.b", plancheck.ResourceActionNoop),
					},
				},
				Check: checkStubHas(s, "", hookURL, "meeting/completed", "meeting/cancelled"),
			},
		},
	})
}

func TestAccWebhookSubscription_allowUnknownEvents(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	// The API has added an event this provider's catalogue does not know.
	s.SetBehaviour(stub.Behaviour{ExtraEvents: []string{"client/archived"}})
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:      providerConfig(s) + subscriptionConfig("test", "client/archived", hookURL),
				PlanOnly:    true,
				ExpectError: expectError("Unknown Webhook Event"),
			},
			{
				// The format is still checked.
				Config:      providerConfig(s, "allow_unknown_events = true") + subscriptionConfig("test", "client-archived", hookURL),
				PlanOnly:    true,
				ExpectError: expectError("Invalid Event Format"),
			},
			{
				Config: providerConfig(s, "allow_unknown_events = true") + subscriptionConfig("test", "client/archived", hookURL),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("vcita_webhook_subscription.test", tfjsonpath.New("event_type"), knownvalue.StringExact("archived")),
				},
				Check: checkStubHas(s, "", hookURL, "client/archived"),
			},
		},
	})
	checkCallCount(t, s, 1, "subscribe calls = %d, want exactly the one allowed", stub.OpSubscribe)
}

// One URL fanned out to several events, each checked against the catalogue
// by a precondition, with count instead of for_each: the test harness cannot
// read for_each instances back.
func TestAccWebhookSubscription_fanoutValidatedByTheCatalogue(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	const url = "https://hooks.example.com/fanout"
	fanout := func(events string) string {
		return providerConfig(s) + fmt.Sprintf(`
data "vcita_webhook_events" "catalogue" {}

locals {
  events = %[1]s
}

resource "vcita_webhook_subscription" "this" {
  count      = length(local.events)
  event      = local.events[count.index]
  target_url = %[2]q

  lifecycle {
    precondition {
      condition     = contains(data.vcita_webhook_events.catalogue.events, local.events[count.index])
      error_message = "not a vcita webhook event"
    }
  }
}

output "ids" {
  value = { for s in vcita_webhook_subscription.this : s.event => s.id }
}
`, events, url)
	}
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: fanout(`["client/created", "appointment/scheduled", "invoice/issued"]`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("ids", knownvalue.MapSizeExact(3)),
					statecheck.ExpectKnownOutputValueAtPath("ids", tfjsonpath.New("appointment/scheduled"), knownvalue.StringRegexp(regexpDigits)),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: checkStubHas(s, "", url, "client/create", "meeting/scheduled", "invoice/issued"),
			},
			{
				Config:      fanout(`["client/created", "invoice/isued"]`),
				ExpectError: expectError("Resource precondition failed"),
			},
		},
	})
}

func TestAccWebhookSubscription_destroyWhenUnsubscribeTakesOnlyTheListedSpelling(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	s.SetBehaviour(stub.Behaviour{UnsubscribeListedSpellingOnly: true})
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: providerConfig(s) +
				subscriptionConfig("alias", "appointment/scheduled", hookURL) +
				subscriptionConfig("past", "client/created", hookURL),
			Check: checkStubHas(s, "", hookURL, "meeting/scheduled", "client/create"),
		}},
	})
}

func TestAccWebhookSubscription_followsTheProviderBusinessWithoutLosingTrack(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	inBusiness := func(business string) string {
		return providerConfig(s, fmt.Sprintf("business_id = %q", business)) + subscriptionConfig("test", "client/created", hookURL)
	}
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: inBusiness("b1"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("vcita_webhook_subscription.test", tfjsonpath.New("business_id"), knownvalue.StringExact("b1")),
				},
				Check: checkStubHas(s, "b1", hookURL, "client/create"),
			},
			// The refresh records the spelling the API lists, as an import does.
			{RefreshState: true},
			// A plain id imports into the provider's business, and records it.
			{ResourceName: "vcita_webhook_subscription.test", ImportState: true, ImportStateVerify: true},
			{
				// The provider now acts for b2: the subscription moves, and
				// the one in b1 is deleted, not forgotten.
				Config: inBusiness("b2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("vcita_webhook_subscription.test", plancheck.ResourceActionDestroyBeforeCreate),
						plancheck.ExpectKnownValue("vcita_webhook_subscription.test", tfjsonpath.New("business_id"), knownvalue.StringExact("b2")),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStubHas(s, "b1", hookURL),
					checkStubHas(s, "b2", hookURL, "client/create"),
				),
			},
		},
	})
}

// A subscription made in the token's own scope (no business_id anywhere) is
// read and deleted there after the provider gains a business_id: the plan
// replaces it, and the old one is deleted, not looked for in the new
// business and forgotten on vcita.
func TestAccWebhookSubscription_leavesTheTokenScopeWithoutLosingTrack(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	const address = "vcita_webhook_subscription.test"
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: providerConfig(s) + subscriptionConfig("test", "client/created", hookURL),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, tfjsonpath.New("business_id"), knownvalue.Null()),
				},
				Check: checkStubHas(s, "", hookURL, "client/create"),
			},
			leftTheTokenScopeStep(s, address, subscriptionConfig("test", "client/created", hookURL), hookURL),
		},
	})
}

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
			importByIdentityStep(own),
			importByIdentityStep(other),
			generatedConfigImportStep(other, providerConfig(s, "")+subscriptionConfig("own", "client/created", hookURL)),
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
