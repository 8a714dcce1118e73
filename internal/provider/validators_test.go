package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

func TestCheckTargetURL(t *testing.T) {
	for _, ok := range []string{
		"https://hooks.example.com/vcita",
		"https://hooks.example.com/vcita/",
		"http://127.0.0.1:8080/h?a=1&b=%20",
		"HTTPS://Hooks.Example.com/Path",
	} {
		if err := checkTargetURL(ok); err != nil {
			t.Errorf("checkTargetURL(%q) = %v, want nil", ok, err)
		}
	}
	for bad, want := range map[string]string{
		"/relative":                     "absolute URL",
		"hooks.example.com/x":           "absolute URL",
		"ftp://hooks.example.com/x":     "absolute URL",
		"https:///x":                    "no host",
		" https://hooks.example.com":    "white space",
		"https://hooks.example.com/a b": "white space",
		"https://hooks.example.com/%zz": "not a URL",
	} {
		err := checkTargetURL(bad)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("checkTargetURL(%q) = %v, want an error about %q", bad, err, want)
		}
	}
}

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

func TestModelFromSubscription(t *testing.T) {
	listed := vcita.Subscription{ID: "1001", Entity: "meeting", EventType: "scheduled", TargetURL: "https://h.example.com"}
	prior := webhookSubscriptionModel{Event: newEventValue("appointment/scheduled"), BusinessID: types.StringValue("biz")}
	got := modelFromSubscription(listed, prior)
	if got.Event.ValueString() != "appointment/scheduled" || got.ID.ValueString() != "1001" || got.Entity.ValueString() != "meeting" ||
		got.EventType.ValueString() != "scheduled" || got.TargetURL.ValueString() != listed.TargetURL || got.BusinessID.ValueString() != "biz" {
		t.Errorf("with a prior spelling: %+v", got)
	}
	imported := modelFromSubscription(vcita.Subscription{ID: "7", Entity: "lead", EventType: "create", TargetURL: "u"}, webhookSubscriptionModel{Event: eventValue{StringValue: types.StringNull()}})
	if imported.Event.ValueString() != "client/created" || imported.Entity.ValueString() != "client" || imported.EventType.ValueString() != "create" {
		t.Errorf("imported by id: event %q entity %q event_type %q; want the catalogue spelling and the canonical entity",
			imported.Event.ValueString(), imported.Entity.ValueString(), imported.EventType.ValueString())
	}
}

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
