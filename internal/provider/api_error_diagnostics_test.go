package provider

import (
	"testing"

	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

func TestUnsafeUnsubscribeHasItsOwnDiagnostic(t *testing.T) {
	c, err := vcita.New(vcita.Config{BaseURL: "http://127.0.0.1:1", Token: "t", MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Unsubscribe(t.Context(), "", "/", "https://hooks.example.com/h")
	if d := apiErrorDiagnostic("unsubscribe", err); d.Summary() != "Unsubscribe Refused Without An Event" {
		t.Errorf("summary = %q, detail %q", d.Summary(), d.Detail())
	}
}
