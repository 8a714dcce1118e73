package tfconfig

import (
	"strings"
	"testing"
)

func TestSubscriptionsAreEachAPairOfTheirOwn(t *testing.T) {
	t.Parallel()
	got := Subscriptions("bench", 7)
	for _, want := range []string{
		`resource "vcita_webhook_subscription" "bench" {`,
		"count = 7",
		`event      = "client/created"`,
		`target_url = "https://hooks.example.com/bench/${count.index}"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the configuration lacks %q:\n%s", want, got)
		}
	}
}
