package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
)

var _ function.Function = canonicalEventFunction{}

func newCanonicalEventFunction() function.Function {
	return canonicalEventFunction{}
}

// canonicalEventFunction is provider::vcita::canonical_event: the one
// spelling of an event that keys an endpoint's subscription_ids, for any
// spelling a user writes. It needs no provider configuration and calls no
// API, so it works in any expression, plans included.
type canonicalEventFunction struct{}

func (canonicalEventFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "canonical_event"
}

func (canonicalEventFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The canonical spelling of a vcita webhook event: the key of its id in an endpoint's subscription_ids",
		MarkdownDescription: "Returns the canonical spelling of a webhook event, the key under which `vcita_webhook_endpoint` records its subscription id in " +
			"`subscription_ids`: the canonical entity and the catalogue's verb. Every spelling of one event gives the same result: " +
			"`appointment/scheduled` and `meeting/scheduled` give `meeting/scheduled`, `lead/create` and `client/created` give `client/created`. " +
			"Only the `entity/event_type` form is checked, not the catalogue, so an event the provider does not know yet works too " +
			"(its verb kept, in the past tense where it has one). A value that is not of that form is an error.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "event",
				MarkdownDescription: "An event as `entity/event_type`, in any spelling: an alias entity (`lead`, `appointment`, `account`, `engagement`) or either verb form (`create`, `created`).",
			},
		},
		Return: function.StringReturn{},
	}
}

func (canonicalEventFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var event string
	resp.Error = req.Arguments.Get(ctx, &event)
	if resp.Error != nil {
		return
	}
	parsed, err := catalog.ParseEvent(event)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, fmt.Sprintf("Invalid Event Format: %s. "+
			"Events name an entity and an event type separated by a slash, as in the events of the vcita_webhook_events data source.", err))
		return
	}
	resp.Error = resp.Result.Set(ctx, parsed.Canonical())
}
