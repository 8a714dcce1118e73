package catalog

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func TestCatalogueHoldsTheSubscribeEnum(t *testing.T) {
	events := Events()
	if len(events) != 78 {
		t.Fatalf("the subscribe enum has 78 events, the catalogue %d", len(events))
	}
	if !sort.StringsAreSorted(events) {
		t.Error("Events() is not sorted")
	}
	for _, event := range []string{"client/created", "appointment/scheduled", "purchasable_subscription/create", "purchasable_subscription/created", "voice_calls_settings/update"} {
		if !Known(event) {
			t.Errorf("%s is in the vendor's enum but not Known", event)
		}
	}
	for _, event := range []string{"client/create", "meeting/created", "Client/Created", "client", ""} {
		if Known(event) {
			t.Errorf("%q is not in the vendor's enum but Known", event)
		}
	}
	entities, eventTypes := listResponseEnums(t)
	if n := len(entities); n != 40 {
		t.Errorf("the list enum has 40 entities, got %d", n)
	}
	if n := len(eventTypes); n != 35 {
		t.Errorf("the list enum has 35 event types, got %d", n)
	}
}

func TestCatalogueAndListEnumsDisagreeOnlyWhereTheVendorDoes(t *testing.T) {
	// What the list reports should be in its enums once canonicalised. The
	// vendor's description has three known gaps; anything else means the
	// embedded document changed and the catalogue needs a look.
	knownGaps := map[string]bool{
		"entity business_rules_bulk_import": true,
		"entity customized_notification":    true,
		"event type add":                    true,
	}
	listedEntities, listedTypes := listResponseEnums(t)
	entities, types := setOf(listedEntities), setOf(listedTypes)
	for _, event := range Events() {
		parsed, err := ParseEvent(event)
		if err != nil {
			t.Fatal(err)
		}
		if !entities[parsed.Entity] && !entities[CanonicalEntity(parsed.Entity)] && !knownGaps["entity "+parsed.Entity] {
			t.Errorf("%s: entity %s is not in the list enum", event, parsed.Entity)
		}
		if !types[parsed.Type] && !types[BaseEventType(parsed.Type)] && !knownGaps["event type "+parsed.Type] {
			t.Errorf("%s: event type %s is not in the list enum", event, parsed.Type)
		}
	}
}

// listResponseEnums reads the entity and event_type enums of the list
// response from the embedded API description. The provider does not use
// them; the tests compare the catalogue against them.
func listResponseEnums(t *testing.T) (entities, eventTypes []string) {
	t.Helper()
	type enum struct {
		Enum []string `json:"enum"`
	}
	var doc struct {
		Paths map[string]struct {
			Get struct {
				Responses map[string]struct {
					Schema struct {
						Properties struct {
							Response struct {
								Properties struct {
									Data struct {
										Properties struct {
											Subscriptions struct {
												Items struct {
													Properties struct {
														Entity    enum `json:"entity"`
														EventType enum `json:"event_type"`
													} `json:"properties"`
												} `json:"items"`
											} `json:"subscriptions"`
										} `json:"properties"`
									} `json:"data"`
								} `json:"properties"`
							} `json:"response"`
						} `json:"properties"`
					} `json:"schema"`
				} `json:"responses"`
			} `json:"get"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatal(err)
	}
	item := doc.Paths["/webhooks"].Get.Responses["200"].Schema.Properties.Response.Properties.Data.Properties.Subscriptions.Items.Properties
	if len(item.Entity.Enum) == 0 || len(item.EventType.Enum) == 0 {
		t.Fatal("no entity or event_type enum in the list response of the embedded API description")
	}
	return item.Entity.Enum, item.EventType.Enum
}

func setOf(values []string) map[string]bool {
	out := map[string]bool{}
	for _, v := range values {
		out[v] = true
	}
	return out
}

func TestParseEvent(t *testing.T) {
	tests := map[string]struct {
		in      string
		want    Event
		wantErr bool
	}{
		"simple":           {in: "client/created", want: Event{"client", "created"}},
		"underscores":      {in: "payment_gateways_settings/changed_primary_payment_gateway", want: Event{"payment_gateways_settings", "changed_primary_payment_gateway"}},
		"no slash":         {in: "client.created", wantErr: true},
		"two slashes":      {in: "client/created/now", wantErr: true},
		"empty entity":     {in: "/created", wantErr: true},
		"empty event type": {in: "client/", wantErr: true},
		"space":            {in: "client/ created", wantErr: true},
		"empty":            {in: "", wantErr: true},
		"comma":            {in: "client/created,https://x", wantErr: true},
		"leading space":    {in: " client/created", wantErr: true},
		"trailing newline": {in: "client/created\n", wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := ParseEvent(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("ParseEvent(%q) error = %v, wantErr %v", tc.in, err, tc.wantErr)
			}
			if err == nil && got != tc.want {
				t.Errorf("ParseEvent(%q) = %+v, want %+v", tc.in, got, tc.want)
			}
		})
	}
}

func TestEquivalent(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"client/created", "client/create", true},
		{"client/created", "lead/created", true},
		{"lead/create", "client/created", true},
		{"appointment/scheduled", "meeting/scheduled", true},
		{"account/updated", "business/update", true},
		{"engagement/delete", "matter/deleted", true},
		{"purchasable_subscription/create", "purchasable_subscription/created", true},
		{"client/created", "client/updated", false},
		{"client/created", "business/created", false},
		{"meeting/scheduled", "meeting/rescheduled", false},
		{"payment/paid", "payment/paid", true},
		{"not an event", "not an event", true},
		{"not an event", "client/created", false},
	}
	for _, tc := range tests {
		if got := Equivalent(tc.a, tc.b); got != tc.want {
			t.Errorf("Equivalent(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
		if got := Equivalent(tc.b, tc.a); got != tc.want {
			t.Errorf("Equivalent(%q, %q) = %v, want %v (not symmetric)", tc.b, tc.a, got, tc.want)
		}
	}
}

func TestSubscribeSpelling(t *testing.T) {
	tests := []struct {
		entity, eventType string
		want              string
		known             bool
	}{
		{"client", "create", "client/created", true},
		{"client", "created", "client/created", true},
		{"meeting", "scheduled", "meeting/scheduled", true},
		{"appointment", "scheduled", "appointment/scheduled", true},
		{"business", "update", "account/updated", true},
		{"matter", "delete", "matter/delete", true},
		{"purchasable_subscription", "create", "purchasable_subscription/create", true},
		{"client", "exploded", "client/exploded", false},
	}
	for _, tc := range tests {
		got, known := SubscribeSpelling(tc.entity, tc.eventType)
		if got != tc.want || known != tc.known {
			t.Errorf("SubscribeSpelling(%q, %q) = %q, %v; want %q, %v", tc.entity, tc.eventType, got, known, tc.want, tc.known)
		}
		if known && !Known(got) {
			t.Errorf("SubscribeSpelling(%q, %q) = %q, which the catalogue does not know", tc.entity, tc.eventType, got)
		}
	}
}

func TestCanonical(t *testing.T) {
	tests := map[string]string{
		"meeting/scheduled":               "meeting/scheduled",
		"appointment/scheduled":           "meeting/scheduled", // the canonical entity
		"client/created":                  "client/created",
		"client/create":                   "client/created", // the catalogue's verb, as the list does not spell it
		"lead/create":                     "client/created",
		"account/updated":                 "business/updated", // the canonical entity, though the catalogue spells it account/
		"account/closed":                  "business/closed",
		"engagement/deleted":              "matter/delete", // the catalogue has only the base verb
		"purchasable_subscription/create": "purchasable_subscription/created",
		"client/exploded":                 "client/exploded", // unknown: the verb as written
		"lead/archive":                    "client/archive",
		"widget/update":                   "widget/updated", // unknown, with a past tense
	}
	for in, want := range tests {
		event, err := ParseEvent(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := event.Canonical(); got != want {
			t.Errorf("ParseEvent(%q).Canonical() = %q, want %q", in, got, want)
		}
	}
}

// Canonical is a readable form of Key: every spelling of an event, in the
// catalogue or as the list reports it, has one canonical spelling, which is
// itself, and no two events share one.
func TestCanonicalNamesEachEventOnce(t *testing.T) {
	byKey := map[string]string{}
	for _, event := range Events() {
		parsed, _ := ParseEvent(event)
		listed := Event{Entity: CanonicalEntity(parsed.Entity), Type: BaseEventType(parsed.Type)}
		for _, form := range []Event{parsed, listed} {
			canonical := form.Canonical()
			if again, err := ParseEvent(canonical); err != nil || again.Canonical() != canonical || !Equivalent(canonical, form.String()) {
				t.Errorf("%s: canonical %q does not parse, is not its own canonical spelling, or names another event", form, canonical)
			}
			if seen, ok := byKey[form.Key()]; ok && seen != canonical {
				t.Errorf("%s: canonical %q, another spelling of it had %q", form, canonical, seen)
			}
			byKey[form.Key()] = canonical
		}
	}
	seen := map[string]bool{}
	for _, canonical := range byKey {
		if seen[canonical] {
			t.Errorf("two events share the canonical spelling %q", canonical)
		}
		seen[canonical] = true
	}
	if len(byKey) != 65 {
		t.Errorf("%d canonical spellings, want one for each of the catalogue's 65 subscriptions", len(byKey))
	}
}

// White space around an event says so, rather than only "not of the form".
func TestParseEventNamesSurroundingWhiteSpace(t *testing.T) {
	for _, in := range []string{" client/created", "client/created ", "\tclient/created\n"} {
		_, err := ParseEvent(in)
		if err == nil || !strings.Contains(err.Error(), `white space before or after the event: write it as "client/created"`) {
			t.Errorf("ParseEvent(%q) error = %v, want one about the white space around it", in, err)
		}
	}
	if _, err := ParseEvent("client/ created"); err == nil || strings.Contains(err.Error(), "before or after") {
		t.Errorf("white space inside an event is a format error, not white space around it: %v", err)
	}
}

func TestCatalogueSpelling(t *testing.T) {
	tests := []struct {
		event, want string
		known       bool
	}{
		{"client/created", "client/created", true},
		{"client/create", "client/created", true}, // the form the list reports
		{"lead/created", "lead/created", true},
		{"lead/create", "client/created", true}, // the canonical entity is preferred
		{"meeting/scheduled", "meeting/scheduled", true},
		{"business/update", "account/updated", true},
		{"client/exploded", "client/exploded", false},
		{"Client/Created", "Client/Created", false}, // case is not a spelling
		{"not an event", "not an event", false},
	}
	for _, tc := range tests {
		got, known := CatalogueSpelling(tc.event)
		if got != tc.want || known != tc.known {
			t.Errorf("CatalogueSpelling(%q) = %q, %v; want %q, %v", tc.event, got, known, tc.want, tc.known)
		}
		// The method on a parsed event says the same, as an Event.
		if parsed, err := ParseEvent(tc.event); err == nil {
			if got, known := parsed.CatalogueSpelling(); got.String() != tc.want || known != tc.known || !got.Valid() {
				t.Errorf("Event(%q).CatalogueSpelling() = %+v, %v; want %q, %v", tc.event, got, known, tc.want, tc.known)
			}
		}
	}
}

// Valid is the guard the client puts before an unsubscribe: only an event of
// the form ParseEvent accepts passes, never the zero Event or one built by
// hand with an empty or slashed part.
func TestEventValid(t *testing.T) {
	for _, e := range []Event{{}, {Entity: "client"}, {Type: "created"}, {Entity: " ", Type: " "}, {Entity: "client", Type: "created/extra"}, {Entity: "client ", Type: "created"}} {
		if e.Valid() {
			t.Errorf("%+v is valid, want it refused", e)
		}
	}
	for _, s := range []string{"client/created", "lead/create", "payment/paid"} {
		if e, err := ParseEvent(s); err != nil || !e.Valid() {
			t.Errorf("ParseEvent(%q) = %+v, %v; want a valid event", s, e, err)
		}
	}
}

// Whatever form the list reports a subscription of a catalogue event in (the
// canonical entity and the base verb, or the spelling subscribed), that form
// has a catalogue spelling naming the same event: a data source's output can
// always be fed back into a resource.
func TestEveryListedFormHasACatalogueSpelling(t *testing.T) {
	for _, event := range Events() {
		parsed, _ := ParseEvent(event)
		listed := Event{Entity: CanonicalEntity(parsed.Entity), Type: BaseEventType(parsed.Type)}
		for _, form := range []string{event, listed.String()} {
			spelling, known := CatalogueSpelling(form)
			if !known || !Known(spelling) || !Equivalent(spelling, form) {
				t.Errorf("CatalogueSpelling(%q) = %q, %v; want a catalogue event equivalent to it", form, spelling, known)
			}
		}
	}
}

func TestEventsOfEntityFollowsAliases(t *testing.T) {
	appointment := EventsOfEntity("appointment")
	meeting := EventsOfEntity("meeting")
	if !reflect.DeepEqual(appointment, meeting) {
		t.Errorf("appointment and meeting are one entity: %v vs %v", appointment, meeting)
	}
	if !contains(meeting, "appointment/scheduled") || !contains(meeting, "meeting/scheduled") {
		t.Errorf("EventsOfEntity(meeting) = %v, want both spellings of scheduled", meeting)
	}
	if got := EventsOfEntity("no_such_entity"); len(got) != 0 {
		t.Errorf("EventsOfEntity(no_such_entity) = %v, want none", got)
	}
}

func TestEntitiesCoverEveryEvent(t *testing.T) {
	n := 0
	for entity, types := range Entities() {
		for _, eventType := range types {
			if !Known(entity + "/" + eventType) {
				t.Errorf("Entities() has %s/%s, which is not Known", entity, eventType)
			}
			n++
		}
	}
	if n != len(Events()) {
		t.Errorf("Entities() holds %d events, Events() %d", n, len(Events()))
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		in    string
		first string
	}{
		{"client/craeted", "client/created"},
		{"client/create", "client/created"},
		{"Client/Created", "client/created"},
		{"appointment/schedule", "appointment/scheduled"},
		{"invoice/issue", "invoice/issued"},
		{"payment/pai", "payment/paid"},
	}
	for _, tc := range tests {
		got := Suggest(tc.in, 3)
		if len(got) == 0 || got[0] != tc.first {
			t.Errorf("Suggest(%q) = %v, want %q first", tc.in, got, tc.first)
		}
		if len(got) > 3 {
			t.Errorf("Suggest(%q) returned %d suggestions, limit 3", tc.in, len(got))
		}
	}
	if got := Suggest("zzzzzzzzzzzzzzzzzzzzzzzzzz/qqqqqqqqqqqqq", 3); len(got) != 0 {
		t.Errorf("a wild input should get no suggestion, got %v", got)
	}
	if got := Suggest("client/created", 0); got != nil {
		t.Errorf("limit 0 must return nothing, got %v", got)
	}
}

func TestParseRejectsABrokenDocument(t *testing.T) {
	for name, doc := range map[string]string{
		"not JSON":     "{",
		"no enum":      `{"paths":{}}`,
		"bad event":    `{"paths":{"/webhook/subscribe":{"post":{"parameters":[{"schema":{"properties":{"event":{"enum":["nope"]}}}}]}}}}`,
		"empty params": `{"paths":{"/webhook/subscribe":{"post":{"parameters":[]}}}}`,
	} {
		if _, err := parse([]byte(doc)); err == nil {
			t.Errorf("%s: parse accepted a broken document", name)
		}
	}
}

func contains(values []string, want string) bool {
	for _, v := range values {
		if strings.EqualFold(v, want) {
			return true
		}
	}
	return false
}

func TestKnownEntityAndEventType(t *testing.T) {
	for entity, want := range map[string]bool{"client": true, "lead": true, "business": true, "meeting": true, "appointment": true, "Client": false, "nonsense": false, "": false} {
		if got := KnownEntity(entity); got != want {
			t.Errorf("KnownEntity(%q) = %v, want %v", entity, got, want)
		}
	}
	for eventType, want := range map[string]bool{"created": true, "create": true, "scheduled": true, "paid": true, "Created": false, "craeted": false, "": false} {
		if got := KnownEventType(eventType); got != want {
			t.Errorf("KnownEventType(%q) = %v, want %v", eventType, got, want)
		}
	}
}

func TestSuggestEntityAndEventType(t *testing.T) {
	tests := []struct {
		suggest   func(string, int) []string
		in, first string
	}{
		{SuggestEntity, "Client", "client"},
		{SuggestEntity, "clinet", "client"},
		{SuggestEntity, "appointmnet", "appointment"},
		{SuggestEventType, "craeted", "created"},
		{SuggestEventType, "Scheduled", "scheduled"},
		{SuggestEventType, "cancelled ", "cancelled"},
	}
	for _, tc := range tests {
		got := tc.suggest(tc.in, 3)
		if len(got) == 0 || got[0] != tc.first {
			t.Errorf("suggestions for %q = %v, want %q first", tc.in, got, tc.first)
		}
		if len(got) > 3 {
			t.Errorf("suggestions for %q = %v, more than asked for", tc.in, got)
		}
	}
	if got := SuggestEntity("nonsense", 3); len(got) != 0 {
		t.Errorf("SuggestEntity(nonsense) = %v, want no wild guess", got)
	}
}

func TestParseEventNamesCharactersNoEventHolds(t *testing.T) {
	for in, foreign := range map[string]string{
		"client/créé":     `"é"`,
		"clïent/created":  `"ï"`,
		"client/creat ed": `" "`,
		"client/cr€a€ed":  `"€"`,
	} {
		_, err := ParseEvent(in)
		want := fmt.Sprintf("%q holds %s: an event's entity and event type may hold only ASCII letters, digits, _, . and -", in, foreign)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseEvent(%q) error = %v, want it to say %s", in, err, want)
		}
		if strings.Contains(err.Error(), "not of the form") {
			t.Errorf("ParseEvent(%q) says the form is wrong, though it is entity/event_type: %v", in, err)
		}
	}
}
