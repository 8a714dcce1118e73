package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

func TestAccWebhookEventsDataSource(t *testing.T) {
	t.Parallel()
	s := stub.NewTestServer(t)
	config := providerConfig(s) + `
data "vcita_webhook_events" "all" {}
data "vcita_webhook_events" "appointment" {
  entity = "appointment"
}
data "vcita_webhook_events" "meeting" {
  entity = "meeting"
}
`
	meetingEvents := catalog.EventsOfEntity("meeting")
	checks := make([]knownvalue.Check, len(meetingEvents))
	for i, e := range meetingEvents {
		checks[i] = knownvalue.StringExact(e)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.vcita_webhook_events.all", tfjsonpath.New("events"), knownvalue.ListSizeExact(78)),
				statecheck.ExpectKnownValue("data.vcita_webhook_events.all", tfjsonpath.New("events").AtSliceIndex(0), knownvalue.StringExact("account/closed")),
				statecheck.ExpectKnownValue("data.vcita_webhook_events.all", tfjsonpath.New("entities").AtMapKey("client"),
					knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("created"), knownvalue.StringExact("updated")})),
				statecheck.ExpectKnownValue("data.vcita_webhook_events.all", tfjsonpath.New("aliases"), knownvalue.MapExact(map[string]knownvalue.Check{
					"lead": knownvalue.StringExact("client"), "account": knownvalue.StringExact("business"),
					"appointment": knownvalue.StringExact("meeting"), "engagement": knownvalue.StringExact("matter"),
				})),
				statecheck.ExpectKnownValue("data.vcita_webhook_events.appointment", tfjsonpath.New("events"), knownvalue.ListExact(checks)),
				statecheck.ExpectKnownValue("data.vcita_webhook_events.meeting", tfjsonpath.New("events"), knownvalue.ListExact(checks)),
				statecheck.ExpectKnownValue("data.vcita_webhook_events.meeting", tfjsonpath.New("entities"), knownvalue.MapSizeExact(2)),
			},
		}},
	})
	if n := len(s.Requests()); n != 0 {
		t.Errorf("the catalogue data source made %d API requests, want 0", n)
	}
}

func TestCatalogueModelForAnUnknownEntityIsEmpty(t *testing.T) {
	m := catalogueModel("spaceship")
	if len(m.Events) != 0 || len(m.Entities) != 0 || len(m.Aliases) != 4 {
		t.Errorf("catalogueModel(spaceship) = %d events, %d entities, %d aliases", len(m.Events), len(m.Entities), len(m.Aliases))
	}
	if m.Events == nil {
		t.Error("events must be an empty list, not null")
	}
}

func TestWebhookEventsDataSourceSuggestsAnEntity(t *testing.T) {
	t.Parallel()
	resp := newProtocolProvider(t, stub.NewTestServer(t), nil).readDataSource("vcita_webhook_events", map[string]tftypes.Value{
		"entity": tftypes.NewValue(tftypes.String, "clinet"),
	})
	if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Summary != "No Events For This Entity" ||
		!strings.Contains(resp.Diagnostics[0].Detail, "Did you mean `client`") {
		t.Errorf("diagnostics %+v, want one warning suggesting client", resp.Diagnostics)
	}
}
