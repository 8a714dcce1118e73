package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestKeepEquivalentEvent(t *testing.T) {
	tests := []struct {
		state, plan string
		want        string
	}{
		{"appointment/scheduled", "meeting/scheduled", "appointment/scheduled"},
		{"client/created", "lead/created", "client/created"},
		{"client/created", "client/updated", "client/updated"},
		{"", "client/created", "client/created"}, // create: no prior state
	}
	for _, tc := range tests {
		state := types.StringNull()
		if tc.state != "" {
			state = types.StringValue(tc.state)
		}
		req := planmodifier.StringRequest{StateValue: state, PlanValue: types.StringValue(tc.plan), ConfigValue: types.StringValue(tc.plan)}
		resp := &planmodifier.StringResponse{PlanValue: req.PlanValue}
		keepEquivalentEvent{}.PlanModifyString(t.Context(), req, resp)
		if got := resp.PlanValue.ValueString(); got != tc.want {
			t.Errorf("state %q, config %q: planned %q, want %q", tc.state, tc.plan, got, tc.want)
		}
	}
}
