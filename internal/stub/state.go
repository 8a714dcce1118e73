package stub

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
)

// State is what outlives a restart of vcita-stub -state: the subscriptions
// and the next id. Faults, behaviour, call counters and the journal are
// not in it: they belong to one run of a test, not to the service.
type State struct {
	NextID        int64         `json:"next_id"`
	Subscriptions []StoredEvent `json:"subscriptions"`
}

// StoredEvent is one subscription of a State, with the event as it was
// subscribed (the list shows it in the API's spelling).
type StoredEvent struct {
	ID        int64  `json:"id"`
	Business  string `json:"business"`
	Event     string `json:"event"`
	TargetURL string `json:"target_url"`
}

// State returns the server's subscriptions and next id, sorted by id.
func (s *Server) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stateLocked()
}

func (s *Server) stateLocked() State {
	st := State{NextID: s.nextID, Subscriptions: []StoredEvent{}}
	for _, recs := range s.subs {
		for _, rec := range recs {
			st.Subscriptions = append(st.Subscriptions, StoredEvent{ID: rec.id, Business: rec.business, Event: rec.event.String(), TargetURL: rec.url})
		}
	}
	slices.SortFunc(st.Subscriptions, func(a, b StoredEvent) int { return cmp.Compare(a.ID, b.ID) })
	return st
}

// Restore replaces the subscriptions and the next id with st's. It refuses
// a state it could not have written: an event that does not parse, an
// empty target URL, an id used twice. A next id at or below an id in use
// is raised past it, so that no id is handed out twice.
func (s *Server) Restore(st State) error {
	subs := map[string][]record{}
	next := max(st.NextID, firstID)
	seen := map[int64]bool{}
	for _, stored := range st.Subscriptions {
		event, err := catalog.ParseEvent(stored.Event)
		switch {
		case err != nil:
			return fmt.Errorf("subscription %d: %w", stored.ID, err)
		case stored.TargetURL == "":
			return fmt.Errorf("subscription %d has no target_url", stored.ID)
		case seen[stored.ID]:
			return fmt.Errorf("subscription id %d is used twice", stored.ID)
		}
		seen[stored.ID] = true
		subs[stored.Business] = append(subs[stored.Business], record{id: stored.ID, business: stored.Business, event: event, url: stored.TargetURL})
		next = max(next, stored.ID+1)
	}
	for _, recs := range subs {
		slices.SortFunc(recs, func(a, b record) int { return cmp.Compare(a.id, b.id) })
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.subs, s.nextID = subs, next
	s.changedLocked()
	return nil
}

// OnChange makes the server call save with its new State after every
// change of its subscriptions (an API call, an admin call, Add, Remove,
// Reset, Restore), in the order of the changes: vcita-stub -state writes
// it to a file. save runs under the server's lock, so it must be quick
// and must not call the server.
func (s *Server) OnChange(save func(State)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onChange = save
}

// changedLocked tells OnChange's function about a change.
func (s *Server) changedLocked() {
	if s.onChange != nil {
		s.onChange(s.stateLocked())
	}
}
