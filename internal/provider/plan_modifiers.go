package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
)

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

// keepEquivalentEvents keeps the prior set of events in the plan when the
// configured set names the same events, some in another spelling: a
// respelling alone is no change and sends nothing. Terraform accepts a
// planned value that differs from the configuration only when it is the
// prior value whole, so a respelling that comes with a real change is
// planned (and then recorded) as configured.
type keepEquivalentEvents struct{}

var _ planmodifier.Set = keepEquivalentEvents{}

func (keepEquivalentEvents) Description(context.Context) string {
	return "equivalent spellings of the events (an alias entity, create for created) do not cause a change"
}

func (m keepEquivalentEvents) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (keepEquivalentEvents) PlanModifySet(_ context.Context, req planmodifier.SetRequest, resp *planmodifier.SetResponse) {
	planned, plannedKnown := knownStrings(req.PlanValue)
	prior, priorKnown := knownStrings(req.StateValue)
	if !plannedKnown || !priorKnown || len(planned) != len(prior) {
		return
	}
	priorKeys := make(map[string]bool, len(prior))
	for _, event := range prior {
		priorKeys[eventKey(event)] = true
	}
	for _, event := range planned {
		if !priorKeys[eventKey(event)] {
			return
		}
	}
	resp.PlanValue = req.StateValue
}
