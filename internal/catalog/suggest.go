package catalog

import (
	"sort"
	"strings"
)

// Suggest returns up to limit catalogue events that the user most likely
// meant by event, best first. An equivalent spelling (client/create for
// client/created) always comes first; the rest are ranked by edit distance,
// with events of the same entity preferred.
func Suggest(event string, limit int) []string {
	if limit <= 0 {
		return nil
	}
	lowered := strings.ToLower(strings.TrimSpace(event))
	parsed, parseErr := ParseEvent(lowered)

	type candidate struct {
		event string
		score int
	}
	candidates := make([]candidate, 0, len(load().events))
	for _, known := range load().events {
		score := levenshtein(lowered, known)
		if parseErr == nil {
			knownEvent, _ := ParseEvent(known)
			switch {
			case knownEvent.Key() == parsed.Key():
				score = -1
			case EntitiesMatch(knownEvent.Entity, parsed.Entity):
				score -= 2
			}
		}
		candidates = append(candidates, candidate{known, score})
	}
	sort.SliceStable(candidates, func(i, j int) bool {
		if candidates[i].score != candidates[j].score {
			return candidates[i].score < candidates[j].score
		}
		return candidates[i].event < candidates[j].event
	})

	// Only offer events that are plausibly a typo of the input; a wild guess
	// is worse than no suggestion.
	maxDistance := len(lowered)/2 + 1
	var out []string
	for _, c := range candidates {
		if len(out) == limit || c.score > maxDistance {
			break
		}
		out = append(out, c.event)
	}
	return out
}

// KnownEntity reports whether the catalogue has an event of entity, in any
// of its spellings (appointment and meeting are one entity).
func KnownEntity(entity string) bool { return len(EventsOfEntity(entity)) > 0 }

// KnownEventType reports whether some catalogue event has eventType, in
// either verb form (create and created are one event type).
func KnownEventType(eventType string) bool {
	for _, event := range load().events {
		parsed, _ := ParseEvent(event)
		if EventTypesMatch(parsed.Type, eventType) {
			return true
		}
	}
	return false
}

// SuggestEntity returns up to limit entities, aliases included, that the
// user most likely meant by entity, best first.
func SuggestEntity(entity string, limit int) []string {
	var names []string
	for name := range Entities() {
		names = append(names, name)
	}
	for alias, canonical := range entityAliases {
		names = append(names, alias, canonical)
	}
	return nearest(entity, names, limit)
}

// SuggestEventType returns up to limit event types, in either verb form,
// that the user most likely meant by eventType, best first.
func SuggestEventType(eventType string, limit int) []string {
	var types []string
	for _, event := range load().events {
		parsed, _ := ParseEvent(event)
		types = append(types, parsed.Type, BaseEventType(parsed.Type))
	}
	return nearest(eventType, types, limit)
}

// nearest ranks the distinct candidates by edit distance to word, compared
// in lower case, and keeps up to limit of those plausibly a typo of it.
func nearest(word string, candidates []string, limit int) []string {
	lowered := strings.ToLower(strings.TrimSpace(word))
	distance := map[string]int{}
	for _, c := range candidates {
		distance[c] = levenshtein(lowered, c)
	}
	ranked := make([]string, 0, len(distance))
	for c := range distance {
		ranked = append(ranked, c)
	}
	sort.Slice(ranked, func(i, j int) bool {
		if distance[ranked[i]] != distance[ranked[j]] {
			return distance[ranked[i]] < distance[ranked[j]]
		}
		return ranked[i] < ranked[j]
	})
	maxDistance := len(lowered)/2 + 1
	var out []string
	for _, c := range ranked {
		if len(out) == limit || distance[c] > maxDistance {
			break
		}
		out = append(out, c)
	}
	return out
}

// levenshtein returns the edit distance between a and b.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	previous := make([]int, len(rb)+1)
	current := make([]int, len(rb)+1)
	for j := range previous {
		previous[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		current[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			current[j] = min(previous[j]+1, current[j-1]+1, previous[j-1]+cost)
		}
		previous, current = current, previous
	}
	return previous[len(rb)]
}
