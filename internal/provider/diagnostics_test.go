package provider

import (
	"strings"
	"testing"

	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

func TestDiagnosticsNeverShowTheToken(t *testing.T) {
	const token = "super-secret-token"
	c, err := vcita.New(vcita.Config{BaseURL: "http://127.0.0.1:1", Token: token, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListSubscriptions(t.Context(), "")
	if err == nil {
		t.Fatal("listing from a closed port should fail")
	}
	d := apiErrorDiagnostic("read the webhook subscriptions", err)
	if d.Summary() != "Cannot Reach The vcita API" {
		t.Errorf("summary = %q", d.Summary())
	}
	if text := d.Summary() + d.Detail(); strings.Contains(text, token) {
		t.Errorf("the diagnostic leaks the token: %s", text)
	}
}
