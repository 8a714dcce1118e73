package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestEventCatalogueDiagnostics(t *testing.T) {
	element := path.Root("events").AtSetValue(types.StringValue("client/craeted"))
	tests := map[string]struct {
		path         path.Path
		event        string
		allowUnknown bool
		wantSeverity diag.Severity // diag.SeverityInvalid: no diagnostic
		wantDetail   []string
	}{
		"known":                            {path.Root("event"), "client/created", false, diag.SeverityInvalid, nil},
		"known, unknown allowed":           {path.Root("event"), "client/created", true, diag.SeverityInvalid, nil},
		"the listed form of a known event": {path.Root("event"), "client/create", false, diag.SeverityInvalid, nil},
		"an alias with the base verb":      {path.Root("event"), "appointment/schedule", false, diag.SeverityError, []string{"Did you mean `appointment/scheduled`"}},
		"a known event in upper case":      {path.Root("event"), "Client/Created", false, diag.SeverityError, []string{"Did you mean `client/created`"}},
		"typo": {path.Root("event"), "client/craeted", false, diag.SeverityError,
			[]string{`"client/craeted" is not an event`, "Did you mean `client/created`", "vcita_webhook_events", "set allow_unknown_events = true"}},
		"typo, unknown allowed": {path.Root("event"), "client/craeted", true, diag.SeverityWarning,
			[]string{"Did you mean `client/created`", "allow_unknown_events is true, so the event is sent to the API as written"}},
		"element of a set": {element, "client/craeted", false, diag.SeverityError, []string{"Did you mean `client/created`"}},
		"nothing close":    {path.Root("event"), "spaceship/launched", false, diag.SeverityError, []string{`"spaceship/launched" is not an event`}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			diags := eventCatalogueDiagnostics(tc.path, tc.event, tc.allowUnknown)
			if tc.wantSeverity == diag.SeverityInvalid {
				if len(diags) != 0 {
					t.Fatalf("want no diagnostic, got %v", diags)
				}
				return
			}
			if len(diags) != 1 {
				t.Fatalf("want one diagnostic, got %v", diags)
			}
			d, ok := diags[0].(diag.DiagnosticWithPath)
			if !ok || !d.Path().Equal(tc.path) {
				t.Errorf("the diagnostic should point at %s: %v", tc.path, diags[0])
			}
			if d.Severity() != tc.wantSeverity || d.Summary() != "Unknown Webhook Event" {
				t.Errorf("got %v %q, want %v Unknown Webhook Event", d.Severity(), d.Summary(), tc.wantSeverity)
			}
			for _, want := range tc.wantDetail {
				if !strings.Contains(d.Detail(), want) {
					t.Errorf("detail %q does not say %q", d.Detail(), want)
				}
			}
		})
	}
}

func TestQuoteAll(t *testing.T) {
	for values, want := range map[string]string{
		"a":     "`a`",
		"a b":   "`a` or `b`",
		"a b c": "`a`, `b` or `c`",
	} {
		if got := quoteAll(strings.Fields(values)); got != want {
			t.Errorf("quoteAll(%s) = %s, want %s", values, got, want)
		}
	}
}
