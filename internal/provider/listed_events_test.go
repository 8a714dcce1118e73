package provider

import (
	"strings"
	"testing"

	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

// The one explanation of an item without a usable event, which the
// endpoint's warning and the subscription's import error both carry, names
// the item and shows its URL redacted, as every diagnostic does.
func TestUnnamedSubscriptionExplanation(t *testing.T) {
	sub := vcita.Subscription{ID: "7", Entity: "client", EventType: "created/extra", TargetURL: "https://user:pw@hooks.example.com/h?token=s3cret"}
	got := unnamedSubscriptionExplanation(sub)
	for _, want := range []string{`subscription 7 of https://user:***@hooks.example.com/h?token=***`, `entity "client" and event_type "created/extra"`, "An unsubscribe must name its event"} {
		if !strings.Contains(got, want) {
			t.Errorf("explanation %q lacks %q", got, want)
		}
	}
	if strings.Contains(got, "s3cret") || strings.Contains(got, ":pw@") {
		t.Errorf("explanation leaks the URL's secrets: %q", got)
	}
}
