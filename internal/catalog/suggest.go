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
