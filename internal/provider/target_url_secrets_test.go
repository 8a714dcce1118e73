package provider

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

// A target URL may carry a receiver's secret (a password, a ?token=): it is
// accepted and stored as written, and the provider's own diagnostics show
// the password and query values as ***, keeping the rest.

const (
	secretHookURL   = "https://hookuser:pw-S3cr3t@hooks.example.com/vcita?token=q-S3cr3t&mode=all"
	redactedHookURL = "https://hookuser:***@hooks.example.com/vcita?token=***&mode=***"
)

func TestDiagnosticsShowATargetURLsSecretsAsStars(t *testing.T) {
	t.Parallel()
	refused := &vcita.APIError{Op: "subscribe", StatusCode: 500, Message: "Not Subscribed"}
	details := map[string]string{
		"subscribe":     subscribeErrorDiagnostic("client/created", secretHookURL, refused).Detail(),
		"import":        importNotFoundDetail(importID{Event: "client/created", TargetURL: secretHookURL}, "", "", nil),
		"unnamed event": unnamedSubscriptionsWarning([]vcita.Subscription{{ID: "7", TargetURL: secretHookURL}}, secretHookURL)[0].Detail(),
	}
	badURL := "HTTPS://hookuser:pw-S3cr3t@hooks.example.com/vcita?token=q-S3cr3t"
	if err := checkTargetURL(badURL); err != nil {
		details["invalid URL"] = err.Error()
	}
	for name, detail := range details {
		if strings.Contains(detail, "S3cr3t") {
			t.Errorf("%s: the diagnostic shows the URL's secrets: %s", name, detail)
		}
		if !strings.Contains(detail, "hookuser:***@hooks.example.com/vcita?token=***") {
			t.Errorf("%s: the diagnostic does not show the URL with its secrets as ***: %s", name, detail)
		}
	}
	if _, ok := details["invalid URL"]; !ok {
		t.Error("an upper-case scheme was accepted")
	}
}

func TestAccWebhookSubscription_targetURLWithSecretsIsAcceptedAndRedactedInErrors(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	config := providerConfig(s) + subscriptionConfig("this", "client/created", secretHookURL)
	testWithStub(t, s, resource.TestCase{
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { s.FailNext(stub.OpSubscribe, stub.Fault500, 1) },
				Config:      config,
				ExpectError: regexp.MustCompile(`subscribe\s+` + regexp.QuoteMeta(redactedHookURL)),
			},
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("vcita_webhook_subscription.this", tfjsonpath.New("target_url"), knownvalue.StringExact(secretHookURL)),
				},
				Check: checkStubHas(s, "", secretHookURL, "client/create"),
			},
		},
	})
}
