package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

func TestMatchingSubscriptionsOrdersByIDAndLeavesItsInputAlone(t *testing.T) {
	subs := []vcita.Subscription{
		{ID: "10", Entity: "client", EventType: "create", TargetURL: "u"},
		{ID: "9", Entity: "lead", EventType: "created", TargetURL: "u"},
		{ID: "x", Entity: "client", EventType: "create", TargetURL: "u"},
	}
	got := listedSubscriptions(matchingSubscriptions(subs, subscriptionFilter{entity: "client", eventType: "created"}))
	var ids []string
	for _, s := range got {
		ids = append(ids, s.ID.ValueString())
	}
	if fmt.Sprint(ids) != "[9 10 x]" {
		t.Errorf("ids in order %v, want [9 10 x]", ids)
	}
	if subs[0].ID != "10" {
		t.Error("matchingSubscriptions reordered the shared list")
	}
	if got[0].Entity.ValueString() != "client" || got[0].Event.ValueString() != "lead/created" {
		t.Errorf("entity should be canonical and event as listed: %+v", got[0])
	}
}

func TestSubscriptionFilterDiagnostics(t *testing.T) {
	type warning struct {
		path    path.Path
		summary string
		detail  string
	}
	tests := map[string]struct {
		filter subscriptionFilter
		want   []warning
	}{
		"no filter":                {subscriptionFilter{}, nil},
		"catalogue entity":         {subscriptionFilter{entity: "client"}, nil},
		"alias":                    {subscriptionFilter{entity: "appointment"}, nil},
		"base verb":                {subscriptionFilter{eventType: "create"}, nil},
		"event of the entity":      {subscriptionFilter{entity: "lead", eventType: "create"}, nil},
		"only a target URL":        {subscriptionFilter{targetURL: "https://h.example.com"}, nil},
		"unknown entity":           {subscriptionFilter{entity: "nonsense"}, []warning{{path.Root("entity"), "Unknown Webhook Entity", `entity = "nonsense" is not an entity of the vcita webhook catalogue, so this filter matches no subscription`}}},
		"entity in the wrong case": {subscriptionFilter{entity: "Client"}, []warning{{path.Root("entity"), "Unknown Webhook Entity", "Did you mean `client`"}}},
		"entity typo":              {subscriptionFilter{entity: "clinet"}, []warning{{path.Root("entity"), "Unknown Webhook Entity", "Did you mean `client`"}}},
		"event type typo": {subscriptionFilter{eventType: "craeted"}, []warning{{path.Root("event_type"), "Unknown Webhook Event Type",
			`event_type = "craeted" is not an event type of the vcita webhook catalogue, so this filter matches no subscription of an event the provider knows. Did you mean ` + "`created`"}}},
		"both unknown": {subscriptionFilter{entity: "nonsense", eventType: "craeted"}, []warning{
			{path.Root("entity"), "Unknown Webhook Entity", "nonsense"}, {path.Root("event_type"), "Unknown Webhook Event Type", "craeted"},
		}},
		"no event of that pair": {subscriptionFilter{entity: "invoice", eventType: "scheduled"}, []warning{{path.Root("event_type"), "No Such Webhook Event",
			`The catalogue has no event invoice/scheduled, so this filter matches no subscription of an event the provider knows. The vcita_webhook_events data source with entity = "invoice"`}}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			diags := tc.filter.diagnostics()
			if len(diags) != len(tc.want) {
				t.Fatalf("got %d diagnostics, want %d: %v", len(diags), len(tc.want), diags)
			}
			for i, want := range tc.want {
				d, ok := diags[i].(diag.DiagnosticWithPath)
				if !ok || !d.Path().Equal(want.path) || d.Severity() != diag.SeverityWarning || d.Summary() != want.summary || !strings.Contains(d.Detail(), want.detail) {
					t.Errorf("diagnostic %d = %v; want a warning %q at %s saying %q", i, diags[i], want.summary, want.path, want.detail)
				}
			}
		})
	}
}

// The warnings reach Terraform from a real read of the data source, through
// the provider's protocol server: the acceptance test harness shows errors
// only. The filter is still applied.
func TestWebhookSubscriptionsDataSourceWarnsAboutAnUnknownFilter(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	if _, err := s.Add("", "client/created", hookURL); err != nil {
		t.Fatal(err)
	}
	resp := newProtocolProvider(t, s, nil).readDataSource("vcita_webhook_subscriptions", map[string]tftypes.Value{
		"entity": tftypes.NewValue(tftypes.String, "Client"),
	})
	var summaries []string
	for _, d := range resp.Diagnostics {
		summaries = append(summaries, fmt.Sprintf("%v %s: %s", d.Severity, d.Summary, d.Detail))
	}
	if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Summary != "Unknown Webhook Entity" || !strings.Contains(resp.Diagnostics[0].Detail, "Did you mean `client`") {
		t.Errorf("diagnostics %v, want one warning suggesting client", summaries)
	}
	if resp.State == nil {
		t.Fatal("no state: a warning must not stop the read")
	}
	// Entities compare with case included, so "Client" matches nothing.
	p := newProtocolProvider(t, s, nil)
	state, err := resp.State.Unmarshal(p.schemas.DataSourceSchemas["vcita_webhook_subscriptions"].ValueType())
	if err != nil {
		t.Fatal(err)
	}
	var attributes map[string]tftypes.Value
	var listed []tftypes.Value
	if err := state.As(&attributes); err != nil {
		t.Fatal(err)
	}
	if err := attributes["subscriptions"].As(&listed); err != nil {
		t.Fatal(err)
	}
	if len(listed) != 0 {
		t.Errorf("entity = \"Client\" listed %d subscriptions, want none: the filter still applies", len(listed))
	}
}
