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
