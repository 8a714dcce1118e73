package catalog

import "testing"

// FuzzEventNormalisation checks the invariants the provider relies on for
// any input: parsing never panics, a parsed event prints back as its input,
// equivalence is reflexive and symmetric, a key is stable under
// normalisation, and the canonical spelling is an event of the same key that
// is its own canonical spelling.
func FuzzEventNormalisation(f *testing.F) {
	for _, seed := range []string{"client/created", "lead/create", "appointment/scheduled", "a/b", "/", "", "x//y", "Client/Created", "ü/ß", "client/created,https://x"} {
		f.Add(seed, "client/create")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if !Equivalent(a, a) {
			t.Fatalf("Equivalent(%q, %q) is false", a, a)
		}
		if Equivalent(a, b) != Equivalent(b, a) {
			t.Fatalf("Equivalent is not symmetric for %q, %q", a, b)
		}
		event, err := ParseEvent(a)
		if err != nil {
			return
		}
		if event.String() != a {
			t.Fatalf("ParseEvent(%q).String() = %q", a, event.String())
		}
		canonical := Event{Entity: CanonicalEntity(event.Entity), Type: BaseEventType(event.Type)}
		if canonical.Key() != event.Key() {
			t.Fatalf("key of %q changes under normalisation: %q vs %q", a, canonical.Key(), event.Key())
		}
		if again, err := ParseEvent(event.Canonical()); err != nil || again.Key() != event.Key() || again.Canonical() != event.Canonical() {
			t.Fatalf("the canonical spelling %q of %q does not parse back to itself and the same key", event.Canonical(), a)
		}
		_ = Suggest(a, 3)
	})
}
