package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
)

// eventCatalogueDiagnostics checks one event against the catalogue: an event
// the catalogue does not know in any equivalent spelling (client/create, the
// form the list reports, is client/created) is an error on the attribute at p
// or, with the provider's allow_unknown_events, a warning, and either names
// the events the user most likely meant. What is sent for an event the
// catalogue knows is its catalogue spelling (catalog.CatalogueSpelling). It runs at plan time (ModifyPlan), where the
// provider's configuration is known; the event's format is checked earlier,
// by eventFormatValidator. p is path.Root("event") for a single event, or an
// element's path (path.Root("events").AtSetValue(v)) for each of a set.
func eventCatalogueDiagnostics(p path.Path, event string, allowUnknown bool) diag.Diagnostics {
	var diags diag.Diagnostics
	if _, known := catalog.CatalogueSpelling(event); known {
		return diags
	}
	const summary = "Unknown Webhook Event"
	detail := fmt.Sprintf("%q is not an event of the vcita webhook API.", event)
	detail += didYouMean(catalog.Suggest(event, 3))
	detail += " The vcita_webhook_events data source lists every event the provider knows."
	if allowUnknown {
		diags.AddAttributeWarning(p, summary, detail+" The provider's allow_unknown_events is true, so the event is sent to the API as written.")
	} else {
		diags.AddAttributeError(p, summary, detail+" If the API has added this event since this provider was released, set allow_unknown_events = true in the provider block.")
	}
	return diags
}

// didYouMean offers suggestions in a diagnostic (" Did you mean `a` or
// `b`?"), or nothing when there are none.
func didYouMean(suggestions []string) string {
	if len(suggestions) == 0 {
		return ""
	}
	return fmt.Sprintf(" Did you mean %s?", quoteAll(suggestions))
}

// quoteAll lists values for a diagnostic: each in backticks, the last
// joined by "or" (`a`, `b` or `c`).
func quoteAll(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = "`" + v + "`"
	}
	switch len(quoted) {
	case 1:
		return quoted[0]
	case 2:
		return quoted[0] + " or " + quoted[1]
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}
