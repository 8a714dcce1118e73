package provider

import (
	"fmt"
	"regexp"
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

const hookURL = "https://hooks.example.com/vcita"

// stubIDOf returns the stub's id for the one subscription of targetURL.
func stubIDOf(s *stub.Server, business, targetURL string) (string, error) {
	for _, sub := range s.Subscriptions(business) {
		if sub.URL == targetURL {
			return fmt.Sprint(sub.ID), nil
		}
	}
	return "", fmt.Errorf("no subscription of %s on the stub", targetURL)
}

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
	config := providerConfig(s, "") + subscriptionConfig("test", "client/created", hookURL)

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             checkStubEmpty(s),
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
					// The stub, like the API, lists the base verb.
					statecheck.ExpectKnownValue("vcita_webhook_subscription.test", tfjsonpath.New("event_type"), knownvalue.StringExact("create")),
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
				// A second plan with the same configuration changes nothing.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
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
			{
				// import blocks work too, and plan no change after the import.
				Config:          config,
				ResourceName:    "vcita_webhook_subscription.test",
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
		},
	})
	if n := s.Calls("subscribe"); n != 1 {
		t.Errorf("subscribe calls: got %d, want 1", n)
	}
}

func TestAccWebhookSubscription_driftRecreatesOnlyTheDeletedOne(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	config := providerConfig(s, "") +
		subscriptionConfig("created", "client/created", hookURL) +
		subscriptionConfig("updated", "client/updated", hookURL)

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             checkStubEmpty(s),
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

func stubIDOfEvent(s *stub.Server, entity, eventType string) (int64, bool) {
	for _, sub := range s.All() {
		if sub.Entity == entity && sub.EventType == eventType {
			return sub.ID, true
		}
	}
	return 0, false
}

func TestAccWebhookSubscription_destroyingOneKeepsTheOthersOnTheURL(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	both := providerConfig(s, "") +
		subscriptionConfig("created", "client/created", hookURL) +
		subscriptionConfig("updated", "client/updated", hookURL)
	onlyUpdated := providerConfig(s, "") + subscriptionConfig("updated", "client/updated", hookURL)

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             checkStubEmpty(s),
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
		if req.Op == "unsubscribe" && !containsEvent(req.Body) {
			t.Errorf("an unsubscribe call left out the event, which removes every subscription of the URL: %s", req.Body)
		}
	}
}

func containsEvent(body string) bool {
	return regexpEventField.MatchString(body)
}

func TestAccWebhookSubscription_aliasAndBaseVerbSpellingsPlanClean(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	const url = "https://hooks.example.com/appointments"
	written := providerConfig(s, "") + subscriptionConfig("test", "appointment/scheduled", url)
	canonical := providerConfig(s, "") + subscriptionConfig("test", "meeting/scheduled", url)

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             checkStubEmpty(s),
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
			{
				// An import by id records the catalogue spelling; the
				// configuration's alias spelling still plans no change.
				Config:          written,
				ResourceName:    "vcita_webhook_subscription.test",
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
		},
	})
	if n := s.Calls("subscribe"); n != 1 {
		t.Errorf("subscribe calls: got %d, want 1 (a spelling change must not replace)", n)
	}
}

func TestAccWebhookSubscription_subscribeAnswerWithoutID(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	s.SetBehaviour(stub.Behaviour{SubscribeWithoutID: true, SubscribeStatus: 200, UnsubscribePlainText: true, ExtraFields: true})
	config := providerConfig(s, "") + subscriptionConfig("test", "invoice/issued", hookURL)

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             checkStubEmpty(s),
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

func TestAccWebhookSubscription_listedAsSubscribed(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	// The API may also list the alias and the past tense as subscribed.
	s.SetBehaviour(stub.Behaviour{ListAsSubscribed: true})
	config := providerConfig(s, "") + subscriptionConfig("test", "lead/created", hookURL)

	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             checkStubEmpty(s),
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
		"unknown event":     {subscriptionConfig("test", "client/craeted", hookURL), "Did you mean `client/created`"},
		"bad event format":  {subscriptionConfig("test", "client.created", hookURL), "Invalid Event Format"},
		"relative URL":      {subscriptionConfig("test", "client/created", "/hooks/vcita"), "Invalid Target URL"},
		"ftp URL":           {subscriptionConfig("test", "client/created", "ftp://hooks.example.com/x"), "Invalid Target URL"},
		"URL without host":  {subscriptionConfig("test", "client/created", "https:///x"), "has no host"},
		"empty business id": {fmt.Sprintf("resource \"vcita_webhook_subscription\" \"test\" {\n  event = \"client/created\"\n  target_url = %q\n  business_id = \"\"\n}\n", hookURL), "business_id"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				Steps: []resource.TestStep{{
					Config:      providerConfig(s, "") + tc.config,
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
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:      providerConfig(s, "") + subscriptionConfig("test", "client/created", hookURL),
			ExpectError: expectError(fmt.Sprintf("terraform import 'vcita_webhook_subscription.NAME' '%d'", existing.ID)),
		}},
	})
	if got := s.All(); len(got) != 1 || got[0].ID != existing.ID {
		t.Errorf("the existing subscription must be left alone, stub has %+v", got)
	}
}

func TestAccWebhookSubscription_rejectedToken(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	config := fmt.Sprintf("provider \"vcita\" {\n  base_url = %q\n  token = \"not-the-token\"\n}\n", s.URL()) +
		subscriptionConfig("test", "client/created", hookURL)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: expectError("vcita Rejected The Credentials"),
		}},
	})
	if got := s.All(); len(got) != 0 {
		t.Errorf("a rejected token must create nothing, stub has %+v", got)
	}
}

// Not parallel: it sets the process environment.
func TestAccWebhookSubscription_missingToken(t *testing.T) {
	t.Setenv(envToken, "")
	s := stub.NewTestServer(t)
	config := fmt.Sprintf("provider \"vcita\" {\n  base_url = %q\n}\n", s.URL()) + subscriptionConfig("test", "client/created", hookURL)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: regexp.MustCompile(`(?s)Missing vcita API Token.*token\s+attribute.*VCITA_API_TOKEN`),
		}},
	})
}

// Not parallel: it sets the process environment.
func TestAccWebhookSubscription_credentialsFromEnvironment(t *testing.T) {
	s := stub.NewTestServer(t)
	t.Setenv(envToken, stub.DefaultToken)
	t.Setenv(envBaseURL, s.URL())
	t.Setenv(envBusinessID, "biz-env")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             checkStubEmpty(s),
		Steps: []resource.TestStep{{
			Config: subscriptionConfig("test", "client/created", hookURL),
			Check:  checkStubHas(s, "biz-env", hookURL, "client/create"),
		}},
	})
	for _, req := range s.Requests() {
		if got := req.Header.Get("X-On-Behalf-Of"); got != "biz-env" {
			t.Errorf("%s request: X-On-Behalf-Of = %q, want biz-env", req.Op, got)
		}
		if got := req.Header.Get("User-Agent"); got != "terraform-provider-vcita/test" {
			t.Errorf("%s request: User-Agent = %q", req.Op, got)
		}
		if got := req.Header.Get("Authorization"); got != "Bearer "+stub.DefaultToken {
			t.Errorf("%s request: Authorization header is not the bearer token", req.Op)
		}
	}
}

func TestAccProvider_plainHTTPOnlyForLoopback(t *testing.T) {
	t.Parallel()
	config := "provider \"vcita\" {\n  base_url = \"http://api.vcita.biz\"\n  token = \"x\"\n}\n" + subscriptionConfig("test", "client/created", hookURL)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:      config,
			PlanOnly:    true,
			ExpectError: expectError("https is required"),
		}},
	})
}

func TestAccWebhookSubscription_businessIDOverridesTheProvider(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	config := providerConfig(s, `business_id = "biz-provider"`) + fmt.Sprintf(`
resource "vcita_webhook_subscription" "own" {
  event       = "client/created"
  target_url  = %[1]q
  business_id = "biz-own"
}

resource "vcita_webhook_subscription" "inherited" {
  event      = "client/created"
  target_url = %[1]q
}
`, hookURL)

	importID := func(prefix string, pair bool) resource.ImportStateIdFunc {
		return func(*terraform.State) (string, error) {
			if pair {
				return prefix + "client/created," + hookURL, nil
			}
			id, err := stubIDOf(s, "biz-own", hookURL)
			return prefix + id, err
		}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             checkStubEmpty(s),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStubHas(s, "biz-own", hookURL, "client/create"),
					checkStubHas(s, "biz-provider", hookURL, "client/create"),
					checkStubHas(s, "", hookURL),
				),
			},
			{ResourceName: "vcita_webhook_subscription.own", ImportState: true, ImportStateIdFunc: importID("biz-own:", false), ImportStateVerify: true},
			{ResourceName: "vcita_webhook_subscription.own", ImportState: true, ImportStateIdFunc: importID("biz-own:", true), ImportStateVerify: true},
			{
				// Moving a subscription to another business replaces it.
				Config: providerConfig(s, `business_id = "biz-provider"`) + fmt.Sprintf(`
resource "vcita_webhook_subscription" "own" {
  event       = "client/created"
  target_url  = %[1]q
  business_id = "biz-moved"
}

resource "vcita_webhook_subscription" "inherited" {
  event      = "client/created"
  target_url = %[1]q
}
`, hookURL),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("vcita_webhook_subscription.own", plancheck.ResourceActionDestroyBeforeCreate),
						plancheck.ExpectResourceAction("vcita_webhook_subscription.inherited", plancheck.ResourceActionNoop),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkStubHas(s, "biz-own", hookURL),
					checkStubHas(s, "biz-moved", hookURL, "client/create"),
					checkStubHas(s, "biz-provider", hookURL, "client/create"),
				),
			},
		},
	})
}

func TestAccWebhookSubscription_changingTheEventReplacesOnlyThatSubscription(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	before := providerConfig(s, "") + subscriptionConfig("a", "meeting/scheduled", hookURL) + subscriptionConfig("b", "meeting/completed", hookURL)
	after := providerConfig(s, "") + subscriptionConfig("a", "meeting/cancelled", hookURL) + subscriptionConfig("b", "meeting/completed", hookURL)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             checkStubEmpty(s),
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
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             checkStubEmpty(s),
		Steps: []resource.TestStep{
			{
				Config:      providerConfig(s, "") + subscriptionConfig("test", "client/archived", hookURL),
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
	if n := s.Calls(stub.OpSubscribe); n != 1 {
		t.Errorf("subscribe calls = %d, want exactly the one allowed", n)
	}
}

// The fan-out pattern of examples/modules/webhook-fanout, inline and with
// count instead of for_each: the test harness installs no modules and cannot
// read for_each instances back. The module itself, for_each and all, is
// applied through the Terraform CLI by TestEndToEndWithTheBuiltProvider.
func TestAccWebhookSubscription_fanoutValidatedByTheCatalogue(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	const url = "https://hooks.example.com/fanout"
	fanout := func(events string) string {
		return providerConfig(s, "") + fmt.Sprintf(`
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
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             checkStubEmpty(s),
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
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             checkStubEmpty(s),
		Steps: []resource.TestStep{{
			Config: providerConfig(s, "") +
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
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             checkStubEmpty(s),
		Steps: []resource.TestStep{
			{
				Config: inBusiness("b1"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("vcita_webhook_subscription.test", tfjsonpath.New("business_id"), knownvalue.StringExact("b1")),
				},
				Check: checkStubHas(s, "b1", hookURL, "client/create"),
			},
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
