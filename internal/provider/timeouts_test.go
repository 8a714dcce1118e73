package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

// timeoutsConfig is a resource of type kind named name, whose body is body,
// with a timeouts block setting create, and the other operations' budgets
// to a minute.
func timeoutsConfig(kind, name, body, create string) string {
	return fmt.Sprintf(`
resource %[1]q %[2]q {
  %[3]s
  timeouts {
    create = %[4]q
    read   = "1m"
    update = "1m"
    delete = "1m"
  }
}
`, kind, name, body, create)
}

// testTimeoutsBlock checks a resource's timeouts block: a budget that is not
// a duration is refused at plan time; with every subscribe throttled and a
// create budget of 3s, the apply fails within far less than the default two
// minutes, with the API's 429; unthrottled, it applies with the block
// recorded in the state.
func testTimeoutsBlock(t *testing.T, kind, body string) {
	s := stub.NewTestServer(t)
	address := kind + ".this"
	var started time.Time
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:      providerConfig(s) + timeoutsConfig(kind, "this", body, "soon"),
				PlanOnly:    true,
				ExpectError: expectErrorInOrder("Invalid Attribute Value Time Duration", `"soon" must be a string containing a sequence of decimal numbers`),
			},
			{
				PreConfig: func() {
					s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.Fault429}, Ops: []string{stub.OpSubscribe}})
					started = time.Now()
				},
				Config:      providerConfig(s) + timeoutsConfig(kind, "this", body, "3s"),
				ExpectError: regexp.MustCompile(`vcita Rate Limit Exhausted`),
			},
			{
				PreConfig: func() {
					// The budget ends the subscribe's retries after 3s; the
					// rest is Terraform's own time.
					if took := time.Since(started); took > time.Minute {
						t.Errorf("the throttled create took %s; its timeouts.create is 3s", took)
					}
					s.SetFaults(stub.FaultConfig{})
				},
				Config: providerConfig(s) + timeoutsConfig(kind, "this", body, "90s"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, tfjsonpath.New("timeouts").AtMapKey("create"), knownvalue.StringExact("90s")),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("timeouts").AtMapKey("delete"), knownvalue.StringExact("1m")),
				},
			},
		},
	})
}

func TestAccWebhookSubscription_timeoutsBlock(t *testing.T) {
	t.Parallel()
	testTimeoutsBlock(t, "vcita_webhook_subscription", fmt.Sprintf("event = %q\n  target_url = %q", "client/created", hookURL))
}

func TestAccWebhookEndpoint_timeoutsBlock(t *testing.T) {
	t.Parallel()
	testTimeoutsBlock(t, "vcita_webhook_endpoint", fmt.Sprintf("events = [%q, %q]\n  target_url = %q", "client/created", "payment/paid", endpointURL))
}
