package provider

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
	"github.com/vcita/terraform-provider-vcita/internal/tfconfig"
	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

// checkStubCount asserts the stub holds exactly n subscriptions, each once.
func checkStubCount(s *stub.Server, n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		all := s.All()
		seen := map[string]bool{}
		for _, sub := range all {
			if seen[sub.URL] {
				return fmt.Errorf("duplicate subscription of %s", sub.URL)
			}
			seen[sub.URL] = true
		}
		if len(all) != n {
			return fmt.Errorf("stub holds %d subscriptions, want %d", len(all), n)
		}
		return nil
	}
}

// checkStateMatchesStub asserts every resource's id is a subscription on the
// stub, and every subscription on the stub is in the state.
func checkStateMatchesStub(s *stub.Server) resource.TestCheckFunc {
	return func(state *terraform.State) error {
		onStub := map[string]string{}
		for _, sub := range s.All() {
			onStub[fmt.Sprint(sub.ID)] = sub.URL
		}
		inState := map[string]bool{}
		for _, r := range state.RootModule().Resources {
			if r.Type != "vcita_webhook_subscription" {
				continue
			}
			id := r.Primary.ID
			inState[id] = true
			if onStub[id] != r.Primary.Attributes["target_url"] {
				return fmt.Errorf("state has %s for %s, the stub has %q", id, r.Primary.Attributes["target_url"], onStub[id])
			}
		}
		for id, url := range onStub {
			if !inState[id] {
				return fmt.Errorf("subscription %s of %s is on the API but not in the state", id, url)
			}
		}
		return nil
	}
}

// applyExactly applies n subscriptions with the given provider settings and
// asserts that the stub then holds exactly n, all in the state, that the next
// plan is empty, and that destroy leaves nothing.
func applyExactly(t *testing.T, s *stub.Server, providerSettings string, n int) {
	t.Helper()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             checkStubCount(s, 0),
		Steps:                    []resource.TestStep{exactlyStep(s, providerConfig(s, providerSettings)+tfconfig.Subscriptions("many", n), n)},
	})
}

// exactlyStep applies config, then asserts that the stub holds exactly n
// subscriptions, all in the state, and that the next plan is empty.
func exactlyStep(s *stub.Server, config string, n int) resource.TestStep {
	return resource.TestStep{
		Config: config,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		Check: resource.ComposeAggregateTestCheckFunc(checkStubCount(s, n), checkStateMatchesStub(s)),
	}
}

func TestAccReliability_twentySubscriptionsThroughThirtyPercentFaults(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	s.SetFaults(stub.FaultConfig{
		Rate:       0.3,
		Kinds:      []stub.FaultKind{stub.Fault429, stub.Fault502, stub.Fault503},
		RetryAfter: "0",
		Seed:       20,
	})
	applyExactly(t, s, "max_retries = 10", 20)
	checkFaultsInjected(t, s)
}

// TestAccReliability_hundredSubscriptionsThroughThrottling applies 100
// subscriptions with the default settings while the API throttles 30 % of
// the requests (429 with Retry-After: 1, or 503), create and destroy alike.
// With five attempts per request, as max_retries = 4 allowed throttling
// before, one request in 0.3⁵ ≈ 410 failed for good, and such an apply often
// failed; throttling is now retried until the call's time budget ends.
func TestAccReliability_hundredSubscriptionsThroughThrottling(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	s.SetFaults(stub.FaultConfig{Rate: 0.3, Kinds: []stub.FaultKind{stub.Fault429, stub.Fault503}, RetryAfter: "1", Seed: 15})
	applyExactly(t, s, "", 100)
	checkFaultsInjected(t, s)
}

func TestAccReliability_committedButAnswered502MakesNoDuplicates(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	// Every subscribe is stored, then answered 502; so is every retry (which
	// the API refuses as a duplicate, behind the 502).
	s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.FaultCommit502}, Ops: []string{stub.OpSubscribe}})
	applyExactly(t, s, "max_retries = 1", 10)
}

func TestAccReliability_destroyingOneOfSeveralOnAURLUnderFaults(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	both := providerConfig(s, "max_retries = 10") +
		subscriptionConfig("created", "client/created", hookURL) +
		subscriptionConfig("updated", "client/updated", hookURL) +
		subscriptionConfig("paid", "payment/paid", hookURL)
	one := providerConfig(s, "max_retries = 10") +
		subscriptionConfig("updated", "client/updated", hookURL) +
		subscriptionConfig("paid", "payment/paid", hookURL)
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: both, Check: checkStubHas(s, "", hookURL, "client/create", "client/update", "payment/paid")},
			{
				PreConfig: func() {
					s.SetFaults(stub.FaultConfig{Rate: 0.5, Kinds: []stub.FaultKind{stub.FaultCommit502, stub.Fault502, stub.FaultDrop}, Ops: []string{stub.OpUnsubscribe}, Seed: 7})
				},
				Config: one,
				Check:  checkStubHas(s, "", hookURL, "client/update", "payment/paid"),
			},
		},
	})
}

func TestAccReliability_htmlAnswerIsACleanError(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.FaultHTML}, HTMLStatus: http.StatusOK})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:      providerConfig(s) + subscriptionConfig("test", "client/created", hookURL),
			ExpectError: expectError("Unexpected Answer From The vcita API"),
		}},
	})
	if len(s.All()) != 0 {
		t.Errorf("an HTML answer must not leave anything behind, stub has %+v", s.All())
	}
}

func TestAccReliability_nullSubscriptionsListRemovesNothing(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	config := providerConfig(s, "") + tfconfig.Subscriptions("many", 3)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             checkStubCount(s, 0),
		Steps: []resource.TestStep{
			{Config: config, Check: checkStubCount(s, 3)},
			{
				// One malformed answer must fail the refresh, not empty the
				// state and plan to create everything again.
				PreConfig: func() {
					s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.FaultBody}, Ops: []string{stub.OpList},
						Body: `{"response":{"success":"ok","data":{"subscriptions":null}}}`})
				},
				Config:      config,
				ExpectError: expectError(`Unexpected Answer From The vcita API`),
			},
			{
				PreConfig:        func() { s.SetFaults(stub.FaultConfig{}) },
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            resource.ComposeAggregateTestCheckFunc(checkStubCount(s, 3), checkStateMatchesStub(s)),
			},
		},
	})
}

func TestAccReliability_importOfASubscriptionWithoutAnEventIsRefused(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	// The API lists an item without entity or event type.
	s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.FaultBody}, Ops: []string{stub.OpList},
		Body: fmt.Sprintf(`{"response":{"success":"ok","data":{"subscriptions":[{"id":77,"entity":"","event_type":"","url":%q}]}}}`, hookURL)})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:        providerConfig(s, "") + subscriptionConfig("test", "client/created", hookURL),
			ResourceName:  "vcita_webhook_subscription.test",
			ImportState:   true,
			ImportStateId: "77",
			ExpectError:   expectError("Cannot Import A Subscription Without An Event"),
		}},
	})
	checkCallCount(t, s, 0, "%d unsubscribe calls were sent", stub.OpUnsubscribe)
}

func TestAccReliability_rateLimitExhaustedSaysSo(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.Fault429}, RetryAfter: "3600"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			// A hostile Retry-After: 3600 is capped; with no retries the
			// error comes at once.
			Config:      providerConfig(s, "max_retries = 0") + subscriptionConfig("test", "client/created", hookURL),
			ExpectError: expectError("vcita Rate Limit Exhausted"),
		}},
	})
}

func TestAccReliability_eachFailureHasItsOwnDiagnostic(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		setup  func(*stub.Server)
		config func(*stub.Server) string
		want   string
	}{
		"wrong base_url path": {
			config: func(s *stub.Server) string {
				return providerConfigAt(s.URL()+"/not-the-api", stub.DefaultToken)
			},
			want: "vcita API Path Not Found",
		},
		"refused by the API": {
			setup: func(s *stub.Server) { s.SetBehaviour(stub.Behaviour{RefuseTargetsContaining: "unreachable"}) },
			config: func(s *stub.Server) string {
				return providerConfig(s) + subscriptionConfig("test", "client/created", "https://unreachable.example.com/h")
			},
			want: "vcita Refused The Subscription",
		},
		"unknown event refused by the API": {
			// allow_unknown_events let it through; the API does not know it.
			config: func(s *stub.Server) string {
				return providerConfig(s, "allow_unknown_events = true") + subscriptionConfig("test", "client/archived", hookURL)
			},
			want: `"client/archived" is not in the provider's event catalogue, and was sent only because allow_unknown_events is true`,
		},
		"list refused by the API": {
			setup: func(s *stub.Server) {
				s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.FaultHTML}, HTMLStatus: http.StatusInternalServerError, Ops: []string{stub.OpList}})
			},
			config: func(s *stub.Server) string {
				return providerConfig(s, "") + "data \"vcita_webhook_subscriptions\" \"all\" {}\n"
			},
			want: "vcita Could Not List The Subscriptions",
		},
		"timeout": {
			setup: func(s *stub.Server) {
				s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.FaultTimeout}})
			},
			config: func(s *stub.Server) string {
				return providerConfig(s, "max_retries = 0", `request_timeout = "300ms"`) + subscriptionConfig("test", "client/created", hookURL)
			},
			want: "vcita API Timed Out",
		},
		"redirect": {
			setup: func(s *stub.Server) {
				s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.FaultRedirect}, RedirectStatus: http.StatusPermanentRedirect, RedirectTo: "https://moved.example.com"})
			},
			config: func(s *stub.Server) string { return providerConfig(s, "") },
			want:   "vcita API Answered With A Redirect",
		},
		"unavailable": {
			// A 502, not a 503: throttling is retried for two minutes
			// whatever max_retries says, unless it is 0.
			setup: func(s *stub.Server) { s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.Fault502}}) },
			config: func(s *stub.Server) string {
				return providerConfig(s, "max_retries = 1") + subscriptionConfig("test", "client/created", hookURL)
			},
			want: "vcita API Unavailable",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := stub.NewTestServer(t)
			if tc.setup != nil {
				tc.setup(s)
			}
			config := tc.config(s)
			if !strings.Contains(config, "resource ") && !strings.Contains(config, "data ") {
				config += subscriptionConfig("test", "client/created", hookURL)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				Steps:                    []resource.TestStep{{Config: config, ExpectError: expectError(tc.want)}},
			})
			if len(s.All()) != 0 {
				t.Errorf("a failed create left %+v on the API", s.All())
			}
		})
	}
}

// TestAccReliability_everySubscriptionMadeReachesTheState applies n
// subscriptions under 500s (which are not retried): some creates fail, but
// each subscription the API made must be in the state, so that the next
// apply converges to exactly n instead of meeting its own orphan ("already
// exists"). One subscription the API always refuses makes sure the first
// apply fails, whatever the faults hit.
func TestAccReliability_everySubscriptionMadeReachesTheState(t *testing.T) {
	t.Parallel()
	tests := map[string]stub.FaultConfig{
		"500 on every call":  {Rate: 0.3, Kinds: []stub.FaultKind{stub.Fault500}, Seed: 9},
		"500 on lists alone": {Rate: 0.3, Kinds: []stub.FaultKind{stub.Fault500}, Ops: []string{stub.OpList}, Seed: 2},
	}
	for name, faults := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := stub.NewTestServer(t)
			s.SetBehaviour(stub.Behaviour{RefuseTargetsContaining: "refused"})
			const n = 30
			config := providerConfig(s, "max_retries = 0") + tfconfig.Subscriptions("many", n)
			converge := exactlyStep(s, config, n)
			converge.PreConfig = func() { s.SetFaults(stub.FaultConfig{}) }
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				CheckDestroy:             checkStubCount(s, 0),
				Steps: []resource.TestStep{
					{
						PreConfig:   func() { s.SetFaults(faults) },
						Config:      config + subscriptionConfig("refused", "client/created", "https://refused.example.com/h"),
						ExpectError: expectError("vcita Refused The Subscription"),
					},
					converge,
				},
			})
		})
	}
}

// TestCreateCancelledAfterTheAnswerRecordsTheSubscription calls Create as
// Terraform does when the apply is interrupted just after vcita answered,
// with every list failing from then on: the subscription the API made is
// in the state, with no error.
func TestCreateCancelledAfterTheAnswerRecordsTheSubscription(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	client, err := vcita.New(vcita.Config{BaseURL: s.URL(), Token: stub.DefaultToken, MaxRetries: -1, Transport: stub.Interrupt{Op: stub.OpSubscribe, Cancel: cancel}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.ListSubscriptions(ctx, ""); err != nil {
		t.Fatal(err)
	}
	s.FailNext(stub.OpList, stub.Fault500, 100)

	r := &webhookSubscriptionResource{data: &providerData{client: client}}
	var schemaResp fwresource.SchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &schemaResp)
	plan := tfsdk.Plan{Schema: schemaResp.Schema}
	planned := webhookSubscriptionModel{
		ID:         types.StringUnknown(),
		Event:      newEventValue("lead/created"),
		TargetURL:  types.StringValue(hookURL),
		BusinessID: types.StringNull(),
		Entity:     types.StringValue("client"),
		EventType:  types.StringUnknown(),
		Timeouts:   nullTimeouts(),
	}
	if diags := plan.Set(ctx, planned); diags.HasError() {
		t.Fatal(diags)
	}
	resp := fwresource.CreateResponse{State: tfsdk.State{Schema: schemaResp.Schema, Raw: tftypes.NewValue(schemaResp.Schema.Type().TerraformType(ctx), nil)}}
	r.Create(ctx, fwresource.CreateRequest{Plan: plan}, &resp)

	if resp.Diagnostics.HasError() {
		t.Fatalf("Create failed after vcita answered with an id: %v", resp.Diagnostics)
	}
	var got webhookSubscriptionModel
	if diags := resp.State.Get(context.Background(), &got); diags.HasError() {
		t.Fatal(diags)
	}
	if got.ID.ValueString() != "1001" || got.Entity.ValueString() != "client" || got.EventType.ValueString() != "created" || got.Event.ValueString() != "lead/created" {
		t.Errorf("state = %+v; want subscription 1001, client/created, as the user spelt it", got)
	}
}
