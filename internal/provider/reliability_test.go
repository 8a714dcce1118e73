package provider

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

// manySubscriptions is n subscriptions of one event, each to its own URL.
func manySubscriptions(n int) string {
	return fmt.Sprintf(`
resource "vcita_webhook_subscription" "many" {
  count      = %d
  event      = "client/created"
  target_url = "https://hooks.example.com/many/${count.index}"
}
`, n)
}

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
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             checkStubCount(s, 0),
		Steps: []resource.TestStep{{
			Config: providerConfig(s, providerSettings) + manySubscriptions(n),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: resource.ComposeAggregateTestCheckFunc(checkStubCount(s, n), checkStateMatchesStub(s)),
		}},
	})
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
	if s.Faults() == 0 {
		t.Error("no fault was injected; the test proved nothing")
	}
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
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             checkStubEmpty(s),
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
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:      providerConfig(s, "") + subscriptionConfig("test", "client/created", hookURL),
			ExpectError: expectError("Unexpected Answer From The vcita API"),
		}},
	})
	if len(s.All()) != 0 {
		t.Errorf("an HTML answer must not leave anything behind, stub has %+v", s.All())
	}
}

func TestAccReliability_rateLimitExhaustedSaysSo(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.Fault429}, RetryAfter: "3600"})
	resource.UnitTest(t, resource.TestCase{
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
				return requiredProviders + fmt.Sprintf("provider \"vcita\" {\n  base_url = %q\n  token = %q\n}\n", s.URL()+"/not-the-api", stub.DefaultToken)
			},
			want: "vcita API Path Not Found",
		},
		"refused by the API": {
			setup: func(s *stub.Server) { s.SetBehaviour(stub.Behaviour{RefuseTargetsContaining: "unreachable"}) },
			config: func(s *stub.Server) string {
				return providerConfig(s, "") + subscriptionConfig("test", "client/created", "https://unreachable.example.com/h")
			},
			want: "vcita Refused The Request",
		},
		"timeout": {
			setup: func(s *stub.Server) {
				s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.FaultTimeout}})
			},
			config: func(s *stub.Server) string {
				return providerConfig(s, "max_retries = 0\n  request_timeout = \"300ms\"") + subscriptionConfig("test", "client/created", hookURL)
			},
			want: "vcita API Timed Out",
		},
		"unavailable": {
			setup: func(s *stub.Server) { s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.Fault503}}) },
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
			if !strings.Contains(config, "resource ") {
				config += subscriptionConfig("test", "client/created", hookURL)
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				Steps:                    []resource.TestStep{{Config: config, ExpectError: expectError(tc.want)}},
			})
			if len(s.All()) != 0 {
				t.Errorf("a failed create left %+v on the API", s.All())
			}
		})
	}
}
