// Package catalog holds the vcita webhook event catalogue and the rules that
// decide when two spellings of an event name the same subscription.
//
// The catalogue is read from webhooks-openapi.json, embedded at build time:
// a verbatim excerpt of vcita's public API description of its (v1) platform
// API, the part that describes the three webhook calls (/webhook/subscribe,
// /webhook/unsubscribe and /webhooks, under https://api.vcita.biz/platform/v1)
// with their documented responses and enums; its "note" field says so. The
// events are the enum of the subscribe call's event parameter, so the
// provider's list of events is the vendor's and cannot drift from it by hand.
// The tests also hold it against the list response's enums.
//
// To take in a newer description, cut it down to those three paths and run
// `make catalog OPENAPI=path/to/that-excerpt.json`, which copies it here and
// runs this package's tests: they pin the number of events, so a changed
// catalogue is a deliberate change.
package catalog

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

//go:embed webhooks-openapi.json
var openAPIDocument []byte

// entityAliases maps each alias the API accepts to its canonical entity.
var entityAliases = map[string]string{
	"lead":        "client",
	"account":     "business",
	"appointment": "meeting",
	"engagement":  "matter",
}

// pastTenseVerbs maps the past-tense event types used on subscribe to the
// base verbs the list endpoint may report instead.
var pastTenseVerbs = map[string]string{
	"created": "create",
	"updated": "update",
	"deleted": "delete",
}

// eventFormat is deliberately looser than the catalogue: it rejects what can
// never be an event, and leaves "is it a known event?" to the catalogue so
// that users get a did-you-mean hint instead of a bare format error.
var eventFormat = regexp.MustCompile(`^[A-Za-z0-9_.\-]+/[A-Za-z0-9_.\-]+$`)

// Event is one webhook event, `entity/event_type`.
type Event struct {
	Entity string
	Type   string
}

// String returns the event in the API's `entity/event_type` form.
func (e Event) String() string { return e.Entity + "/" + e.Type }

// Key returns the canonical identity of the event: aliases resolved to their
// canonical entity and past-tense verbs reduced to their base form. Two events
// with the same key name the same subscription on the API.
func (e Event) Key() string {
	return CanonicalEntity(e.Entity) + "/" + BaseEventType(e.Type)
}

// Canonical returns the one spelling that stands for every spelling of the
// event: the canonical entity and the catalogue's verb (the past tense where
// the catalogue has both forms, as subscribe takes it). It is
// meeting/scheduled for appointment/scheduled, client/created for
// lead/create, matter/delete for engagement/deleted. An event the catalogue
// does not know keeps its verb, in the past tense where it has one. Two
// events have the same canonical spelling exactly when they have the same
// Key, so it is a key users can read and write.
func (e Event) Canonical() string {
	entity := CanonicalEntity(e.Entity)
	spelling, _ := SubscribeSpelling(entity, pastTense(e.Type))
	_, verb, _ := strings.Cut(spelling, "/")
	return entity + "/" + verb
}

// Valid reports whether e has the entity/event_type form ParseEvent checks:
// false for the zero Event and for one built by hand with an empty part or a
// slash inside a part. It is for a guard that must not trust its caller, such
// as the client's refusal of an unsubscribe that names no event.
func (e Event) Valid() bool { return eventFormat.MatchString(e.String()) }

// ParseEvent splits an `entity/event_type` string. It checks the format only;
// use Known or CatalogueSpelling to check the catalogue.
func ParseEvent(s string) (Event, error) {
	if trimmed := strings.TrimSpace(s); trimmed != s && eventFormat.MatchString(trimmed) {
		return Event{}, fmt.Errorf("%q has white space before or after the event: write it as %q", s, trimmed)
	}
	if !eventFormat.MatchString(s) {
		if foreign := foreignCharacters(s); foreign != "" {
			return Event{}, fmt.Errorf("%q holds %s: an event's entity and event type may hold only ASCII letters, digits, _, . and - (for example client/created)", s, foreign)
		}
		return Event{}, fmt.Errorf("%q is not of the form entity/event_type (for example client/created)", s)
	}
	entity, eventType, _ := strings.Cut(s, "/")
	return Event{Entity: entity, Type: eventType}, nil
}

// foreignCharacters quotes the characters of an event that has the
// entity/event_type form (two non-empty parts around one slash) but holds
// characters no event can, or is "" for any other string: such an event is
// told what is wrong with it rather than that its form is.
func foreignCharacters(s string) string {
	entity, eventType, ok := strings.Cut(s, "/")
	if !ok || entity == "" || eventType == "" || strings.Contains(eventType, "/") {
		return ""
	}
	seen := map[rune]bool{}
	var quoted []string
	for _, r := range entity + eventType {
		if seen[r] || r < utf8.RuneSelf && (r == '_' || r == '.' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			continue
		}
		seen[r] = true
		quoted = append(quoted, strconv.Quote(string(r)))
	}
	return strings.Join(quoted, ", ")
}

// CanonicalEntity resolves an entity alias (lead, account, appointment,
// engagement) to the canonical entity; other names are returned unchanged.
func CanonicalEntity(entity string) string {
	if canonical, ok := entityAliases[entity]; ok {
		return canonical
	}
	return entity
}

// BaseEventType reduces created/updated/deleted to create/update/delete, the
// form the list endpoint reports; other event types are returned unchanged.
func BaseEventType(eventType string) string {
	if base, ok := pastTenseVerbs[eventType]; ok {
		return base
	}
	return eventType
}

// pastTense turns create/update/delete (or their past tense) into
// created/updated/deleted; other event types are returned unchanged.
func pastTense(eventType string) string {
	base := BaseEventType(eventType)
	for past, verb := range pastTenseVerbs {
		if verb == base {
			return past
		}
	}
	return eventType
}

// EventTypesMatch reports whether two event types name the same event type
// (created and create do).
func EventTypesMatch(a, b string) bool { return BaseEventType(a) == BaseEventType(b) }

// EntitiesMatch reports whether two entities name the same entity (lead and
// client do).
func EntitiesMatch(a, b string) bool { return CanonicalEntity(a) == CanonicalEntity(b) }

// Equivalent reports whether two event strings name the same subscription,
// for example client/created, client/create and lead/created. Strings that
// are not of the entity/event_type form are equivalent only when identical.
func Equivalent(a, b string) bool {
	if a == b {
		return true
	}
	ea, errA := ParseEvent(a)
	eb, errB := ParseEvent(b)
	if errA != nil || errB != nil {
		return false
	}
	return ea.Key() == eb.Key()
}

// Aliases returns a copy of the alias → canonical entity map.
func Aliases() map[string]string {
	out := make(map[string]string, len(entityAliases))
	for alias, canonical := range entityAliases {
		out[alias] = canonical
	}
	return out
}

// catalogue is the parsed form of the embedded API description.
type catalogue struct {
	events   []string            // the subscribe enum, sorted
	known    map[string]bool     // the subscribe enum as a set
	byEntity map[string][]string // entity → its event types, sorted
}

var load = sync.OnceValue(func() *catalogue {
	c, err := parse(openAPIDocument)
	if err != nil {
		// The document is embedded at build time and its parsing is covered
		// by tests, so this can only fire on a broken build.
		panic("catalog: embedded API description is unreadable: " + err.Error())
	}
	return c
})

// openAPIExcerpt is the part of the API description the catalogue is read
// from: the event enum of the subscribe call.
type openAPIExcerpt struct {
	Paths struct {
		Subscribe struct {
			Post struct {
				Parameters []struct {
					Schema struct {
						Properties struct {
							Event struct {
								Enum []string `json:"enum"`
							} `json:"event"`
						} `json:"properties"`
					} `json:"schema"`
				} `json:"parameters"`
			} `json:"post"`
		} `json:"/webhook/subscribe"`
	} `json:"paths"`
}

func parse(document []byte) (*catalogue, error) {
	var doc openAPIExcerpt
	if err := json.Unmarshal(document, &doc); err != nil {
		return nil, err
	}
	params := doc.Paths.Subscribe.Post.Parameters
	if len(params) == 0 || len(params[0].Schema.Properties.Event.Enum) == 0 {
		return nil, fmt.Errorf("no event enum under /webhook/subscribe")
	}
	c := &catalogue{known: map[string]bool{}, byEntity: map[string][]string{}}
	for _, raw := range params[0].Schema.Properties.Event.Enum {
		event, err := ParseEvent(raw)
		if err != nil {
			return nil, err
		}
		if c.known[raw] {
			continue
		}
		c.known[raw] = true
		c.events = append(c.events, raw)
		c.byEntity[event.Entity] = append(c.byEntity[event.Entity], event.Type)
	}
	sort.Strings(c.events)
	for entity := range c.byEntity {
		sort.Strings(c.byEntity[entity])
	}
	return c, nil
}

// Events returns every event of the subscribe enum, sorted.
func Events() []string { return append([]string(nil), load().events...) }

// Known reports whether event is one of the subscribe enum's values, exactly.
func Known(event string) bool { return load().known[event] }

// Entities returns each entity of the subscribe enum with its event types.
func Entities() map[string][]string {
	out := make(map[string][]string, len(load().byEntity))
	for entity, types := range load().byEntity {
		out[entity] = append([]string(nil), types...)
	}
	return out
}

// EventsOfEntity returns the catalogue events whose entity is entity or names
// the same canonical entity (so "appointment" also returns the meeting/...
// events), sorted.
func EventsOfEntity(entity string) []string {
	var out []string
	for _, event := range load().events {
		parsed, _ := ParseEvent(event)
		if EntitiesMatch(parsed.Entity, entity) {
			out = append(out, event)
		}
	}
	return out
}

// CatalogueSpelling returns the catalogue's spelling of event: event itself
// when the catalogue has it, else an equivalent spelling (see
// SubscribeSpelling), and whether the catalogue knows the event in any
// spelling. It is the spelling to send on subscribe and unsubscribe, so that
// any equivalent spelling a user writes, such as client/create, the form the
// list reports, reaches the API as a value of its enum (client/created). An
// event the catalogue does not know, or a string that is no event, is
// returned as it is.
func CatalogueSpelling(event string) (string, bool) {
	parsed, err := ParseEvent(event)
	if err != nil {
		return event, false
	}
	return SubscribeSpelling(parsed.Entity, parsed.Type)
}

// CatalogueSpelling is the catalogue's spelling of e (see the function
// CatalogueSpelling), as an Event: e itself when the catalogue knows no
// equivalent.
func (e Event) CatalogueSpelling() (Event, bool) {
	spelling, known := SubscribeSpelling(e.Entity, e.Type)
	if !known {
		return e, false
	}
	entity, eventType, _ := strings.Cut(spelling, "/") // a catalogue event: it parses
	return Event{Entity: entity, Type: eventType}, true
}

// SubscribeSpelling turns an event as the list reports it (entity and
// event_type) into the catalogue spelling a subscribe or unsubscribe call
// takes: the exact value when the catalogue has it, else an equivalent one,
// preferring the canonical entity and the past tense. It returns the listed
// form and false when the catalogue knows no equivalent.
func SubscribeSpelling(entity, eventType string) (string, bool) {
	listed := Event{Entity: entity, Type: eventType}
	if Known(listed.String()) {
		return listed.String(), true
	}
	var best string
	bestScore := -1
	for _, candidate := range load().events {
		parsed, _ := ParseEvent(candidate)
		if parsed.Key() != listed.Key() {
			continue
		}
		score := 0
		if parsed.Entity == CanonicalEntity(parsed.Entity) {
			score += 2
		}
		if _, past := pastTenseVerbs[parsed.Type]; past {
			score++
		}
		if score > bestScore {
			best, bestScore = candidate, score
		}
	}
	if bestScore < 0 {
		return listed.String(), false
	}
	return best, true
}
