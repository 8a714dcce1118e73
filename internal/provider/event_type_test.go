package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestEventValueSemanticEquality(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"client/created", "client/create", true},
		{"client/created", "lead/created", true},
		{"client/created", "client/updated", false},
	} {
		got, diags := newEventValue(tc.a).StringSemanticEquals(t.Context(), newEventValue(tc.b))
		if diags.HasError() || got != tc.want {
			t.Errorf("%s ~ %s = %v (%v), want %v", tc.a, tc.b, got, diags, tc.want)
		}
	}
	if _, diags := newEventValue("a/b").StringSemanticEquals(t.Context(), types.StringValue("a/b")); !diags.HasError() {
		t.Error("comparing with a plain string value must be reported, not guessed")
	}
}
