package provider

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
	"github.com/vcita/terraform-provider-vcita/internal/tfconfig"
)

// Configurations, checks against the stub and matchers shared by the tests
// of the provider, its resources and its data sources.

const hookURL = "https://hooks.example.com/vcita"

// requiredProviders names the provider by its registry address, as a user's
// configuration does, so that Terraform and OpenTofu resolve the same
// vcita/vcita. Every test configuration starts with it (providerConfig and
// providerConfigAt add it): without it OpenTofu looks for hashicorp/vcita
// (import steps use the configuration as written, with no required_providers
// added by the harness) and fails offline. TestMain serves the in-process
// provider at that address.
const requiredProviders = tfconfig.RequiredProviders

// providerConfig is a provider block pointing at the stub s, with the
// stub's token. Each setting is one more line of the block, such as
// `max_retries = 0`.
func providerConfig(s *stub.Server, settings ...string) string {
	return providerConfigAt(s.URL(), stub.DefaultToken, settings...)
}

// providerConfigAt is a provider block with the given base_url and token; an
// empty token leaves the attribute out, for the environment to supply (or
// not).
func providerConfigAt(baseURL, token string, settings ...string) string {
	if token != "" {
		settings = append([]string{fmt.Sprintf("token = %q", token)}, settings...)
	}
	return requiredProviders + fmt.Sprintf(`
provider "vcita" {
  base_url = %[1]q
  %[2]s
}
`, baseURL, strings.Join(settings, "\n  "))
}

// subscriptionConfig is one vcita_webhook_subscription named name, in the
// provider's business.
func subscriptionConfig(name, event, targetURL string) string {
	return fmt.Sprintf(`
resource "vcita_webhook_subscription" %[1]q {
  event      = %[2]q
  target_url = %[3]q
}
`, name, event, targetURL)
}

// subscriptionInBusinessConfig is one vcita_webhook_subscription named name
// with its own business_id.
func subscriptionInBusinessConfig(name, event, targetURL, businessID string) string {
	return fmt.Sprintf(`
resource "vcita_webhook_subscription" %[1]q {
  event       = %[2]q
  target_url  = %[3]q
  business_id = %[4]q
}
`, name, event, targetURL, businessID)
}

// checkStubEmpty is a CheckDestroy: after destroy, nothing is left on the API.
func checkStubEmpty(s *stub.Server) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if left := s.All(); len(left) != 0 {
			return fmt.Errorf("expected no subscription on the stub after destroy, found %d: %+v", len(left), left)
		}
		return nil
	}
}

// checkStubHas asserts exactly the given events (as the stub lists them,
// entity/event_type) are subscribed for targetURL in business's scope.
func checkStubHas(s *stub.Server, business, targetURL string, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var got []string
		for _, sub := range s.Subscriptions(business) {
			if sub.URL == targetURL {
				got = append(got, sub.Event())
			}
		}
		sort.Strings(got)
		sort.Strings(want)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("stub subscriptions of %s: got %v, want %v", targetURL, got, want)
		}
		return nil
	}
}

// stubIDOf returns the stub's id for the one subscription of targetURL.
func stubIDOf(s *stub.Server, business, targetURL string) (string, error) {
	for _, sub := range s.Subscriptions(business) {
		if sub.URL == targetURL {
			return fmt.Sprint(sub.ID), nil
		}
	}
	return "", fmt.Errorf("no subscription of %s on the stub", targetURL)
}

// stubIDOfEvent returns the stub's id for a subscription of the event as the
// stub lists it, in any scope.
func stubIDOfEvent(s *stub.Server, entity, eventType string) (int64, bool) {
	for _, sub := range s.All() {
		if sub.Entity == entity && sub.EventType == eventType {
			return sub.ID, true
		}
	}
	return 0, false
}

// expectError matches a diagnostic text however Terraform wraps its lines:
// each space in phrase matches any run of white space.
func expectError(phrase string) *regexp.Regexp {
	words := strings.Fields(phrase)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return regexp.MustCompile(strings.Join(words, `\s+`))
}

// expectErrorInOrder matches a diagnostic text that holds each phrase (see
// expectError), in this order.
func expectErrorInOrder(phrases ...string) *regexp.Regexp {
	parts := make([]string, len(phrases))
	for i, phrase := range phrases {
		parts[i] = expectError(phrase).String()
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, `.*`))
}

var (
	regexpDigits     = regexp.MustCompile(`^[0-9]+$`)
	regexpEventField = regexp.MustCompile(`"event"\s*:\s*"[^"]+"`)
)

// containsEvent reports whether a request body names an event.
func containsEvent(body string) bool {
	return regexpEventField.MatchString(body)
}

// mustAdd makes a subscription on the stub behind Terraform's back, as a
// person would by hand.
func mustAdd(t *testing.T, s *stub.Server, business, event, targetURL string) stub.Subscription {
	t.Helper()
	sub, err := s.Add(business, event, targetURL)
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// checkCalls asserts the number of subscribe and unsubscribe calls the stub
// received since its counters were last reset.
func checkCalls(s *stub.Server, subscribes, unsubscribes int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := s.Calls(stub.OpSubscribe); got != subscribes {
			return fmt.Errorf("%d subscribe calls, want %d", got, subscribes)
		}
		if got := s.Calls(stub.OpUnsubscribe); got != unsubscribes {
			return fmt.Errorf("%d unsubscribe calls, want %d", got, unsubscribes)
		}
		return nil
	}
}

// checkNoWrites asserts that nothing was subscribed or unsubscribed so far.
func checkNoWrites(s *stub.Server) resource.TestCheckFunc { return checkCalls(s, 0, 0) }

// testWithStub runs tc against the provider, with the stub s as its API,
// and checks after the destroy that s holds no subscription: the case every
// acceptance test of a resource shares.
func testWithStub(t *testing.T, s *stub.Server, tc resource.TestCase) {
	t.Helper()
	tc.ProtoV6ProviderFactories = testProviders
	tc.CheckDestroy = checkStubEmpty(s)
	resource.Test(t, tc)
}

// movedToAnotherBusinessStep applies config, which moves resourceType's
// "own" from business biz-own to biz-moved and keeps its "inherited" in the
// provider's business biz-provider: moving to another business replaces
// own and leaves inherited alone, and targetURL's client/create ends
// subscribed in biz-moved and biz-provider, and no longer in biz-own.
func movedToAnotherBusinessStep(s *stub.Server, resourceType, config, targetURL string) resource.TestStep {
	return resource.TestStep{
		Config: config,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(resourceType+".own", plancheck.ResourceActionDestroyBeforeCreate),
				plancheck.ExpectResourceAction(resourceType+".inherited", plancheck.ResourceActionNoop),
			},
		},
		Check: resource.ComposeAggregateTestCheckFunc(
			checkStubHas(s, "biz-own", targetURL),
			checkStubHas(s, "biz-moved", targetURL, "client/create"),
			checkStubHas(s, "biz-provider", targetURL, "client/create"),
		),
	}
}

// checkCallCount reports, with format (which has one %d for the count), when
// the stub has not received exactly want calls of ops together.
func checkCallCount(t *testing.T, s *stub.Server, want int, format string, ops ...string) {
	t.Helper()
	n := 0
	for _, op := range ops {
		n += s.Calls(op)
	}
	if n != want {
		t.Errorf(format, n)
	}
}

// checkFaultsInjected fails a test whose faults never happened: it would
// prove nothing about them.
func checkFaultsInjected(t *testing.T, s *stub.Server) {
	t.Helper()
	if s.Faults() == 0 {
		t.Error("no fault was injected; the test proved nothing")
	}
}

// leftTheTokenScopeStep applies resourceHCL, made in the token's own scope,
// after the provider gains business_id = "b2": the plan replaces address,
// and targetURL's client/create ends removed from the token's scope, not
// forgotten there, and subscribed in b2.
func leftTheTokenScopeStep(s *stub.Server, address, resourceHCL, targetURL string) resource.TestStep {
	return resource.TestStep{
		Config: providerConfig(s, `business_id = "b2"`) + resourceHCL,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(address, plancheck.ResourceActionDestroyBeforeCreate),
			},
		},
		Check: resource.ComposeAggregateTestCheckFunc(
			checkStubHas(s, "", targetURL),
			checkStubHas(s, "b2", targetURL, "client/create"),
		),
	}
}

// importBlockStep imports address with an import block added to config, by
// id (the id in the state when id is "").
func importBlockStep(config, address, id string) resource.TestStep {
	return resource.TestStep{
		Config:          config,
		ResourceName:    address,
		ImportState:     true,
		ImportStateKind: resource.ImportBlockWithID,
		ImportStateId:   id,
	}
}

// importByIdentityStep imports address with an import block naming its
// identity, which adopts it with no change planned and the same identity.
func importByIdentityStep(address string) resource.TestStep {
	return resource.TestStep{
		ResourceName:    address,
		ImportState:     true,
		ImportStateKind: resource.ImportBlockWithResourceIdentity,
	}
}

// generatedConfigImportStep imports the object of address again, with an
// import block naming its identity, into <type>.generated, whose
// configuration Terraform generates (plan -generate-config-out): valid as
// written, no change planned, the same identity. config is the step's
// configuration without address: the harness keeps address in the state,
// and two resources that manage one object fail the plan.
func generatedConfigImportStep(address, config string) resource.TestStep {
	step := importByIdentityStep(address)
	step.GenerateConfig = true
	step.Config = config
	return step
}
