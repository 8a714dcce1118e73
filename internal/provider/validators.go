package provider

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
)

// eventFormatValidator checks that an event is of the entity/event_type form.
// Whether the catalogue knows it is checked at plan time, where the provider's
// allow_unknown_events is known (see checkEventInCatalogue).
type eventFormatValidator struct{}

var _ validator.String = eventFormatValidator{}

func (eventFormatValidator) Description(context.Context) string {
	return "must be of the form entity/event_type, for example client/created"
}

func (v eventFormatValidator) MarkdownDescription(ctx context.Context) string {
	return "must be of the form `entity/event_type`, for example `client/created`"
}

func (eventFormatValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := catalog.ParseEvent(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Event Format",
			fmt.Sprintf("%s: %s. Events name an entity and an event type separated by a slash.", req.Path, err))
	}
}

// targetURLValidator checks that a target URL is an absolute http(s) URL
// with a host. It does not normalise anything: the API compares URLs as
// strings, so the URL is sent and stored exactly as written.
type targetURLValidator struct{}

var _ validator.String = targetURLValidator{}

func (targetURLValidator) Description(context.Context) string {
	return "must be an absolute http or https URL with a host"
}

func (v targetURLValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (targetURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := checkTargetURL(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Target URL", fmt.Sprintf("%s %s.", req.Path, err))
	}
}

func checkTargetURL(raw string) error {
	if strings.TrimSpace(raw) != raw || strings.ContainsAny(raw, " \t\r\n") {
		return fmt.Errorf("%q must not contain white space", raw)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a URL", raw)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q must be an absolute URL starting with https:// (or http://)", raw)
	}
	if u.Host == "" || u.Hostname() == "" {
		return fmt.Errorf("%q has no host", raw)
	}
	return nil
}

// keepEquivalentEvent keeps the prior event in the plan when the configured
// one names the same subscription in another spelling (lead/created for
// client/created). The framework does not consult semantic equality when it
// plans, so without this the spelling change would force a replacement.
type keepEquivalentEvent struct{}

var _ planmodifier.String = keepEquivalentEvent{}

func (keepEquivalentEvent) Description(context.Context) string {
	return "an equivalent spelling of the event (an alias entity, create for created) does not cause a change"
}

func (m keepEquivalentEvent) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (keepEquivalentEvent) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || req.PlanValue.IsNull() || req.PlanValue.IsUnknown() {
		return
	}
	if catalog.Equivalent(req.StateValue.ValueString(), req.PlanValue.ValueString()) {
		resp.PlanValue = req.StateValue
	}
}

// checkEventInCatalogue adds an error (or, with allow_unknown_events, a
// warning) when event is not in the catalogue, with the likeliest events the
// user meant.
func checkEventInCatalogue(event string, allowUnknown bool) (summary, detail string, known bool) {
	if catalog.Known(event) {
		return "", "", true
	}
	detail = fmt.Sprintf("%q is not an event of the vcita webhook API.", event)
	if suggestions := catalog.Suggest(event, 3); len(suggestions) > 0 {
		detail += fmt.Sprintf(" Did you mean %s?", quoteAll(suggestions))
	}
	detail += " The vcita_webhook_events data source lists every event the provider knows."
	if allowUnknown {
		return "Unknown Webhook Event", detail + " The provider's allow_unknown_events is true, so the event is sent to the API as written.", false
	}
	return "Unknown Webhook Event", detail + " If the API has added this event since this provider was released, set allow_unknown_events = true in the provider block.", false
}

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
