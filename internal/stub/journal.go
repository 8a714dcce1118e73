package stub

import (
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The journal's bounds. A stub that a CI job leaves running for hours, or
// that something floods with large requests, must not grow without end: it
// keeps the last journalSize entries, and each entry at most
// journalEntryText bytes of text, copied out of the request so that no
// entry holds on to a request's body or headers.
const (
	journalSize      = 10_000
	journalEntryText = 2 << 10
)

// cutMark ends a field the journal cut.
const cutMark = "…"

// JournalEntry is one API request the server answered, as
// GET /_stub/requests lists it: what a test of a module needs to assert on
// the calls Terraform made, and nothing else (no header but the business,
// no body but the event and the target URL, never the token).
type JournalEntry struct {
	Time   time.Time `json:"time"` // when the request arrived
	Method string    `json:"method"`
	Path   string    `json:"path"`
	// Business is the X-On-Behalf-Of header; "" for the token's own scope.
	Business string `json:"business"`
	// Event and TargetURL are read from a subscribe's or unsubscribe's body;
	// "" when it has none.
	Event     string `json:"event"`
	TargetURL string `json:"target_url"`
	// Status is the answer's status; 0 when none was sent (the connection
	// was dropped, or the client gave up first).
	Status int `json:"status"`
	// Fault is the fault kind that answered instead of the API ("" when
	// the API did).
	Fault FaultKind `json:"fault"`
}

// journal is a ring of the last journalSize entries. Each entry has a
// sequence number, so that the answer to a request can be filled in after
// its entry was taken (it is listed in arrival order), unless the entry was
// pushed out or cleared meanwhile.
type journal struct {
	entries []JournalEntry // entry seq lives at seq % journalSize
	next    uint64         // sequence number of the next entry
	oldest  uint64         // the first sequence number still listed
}

// add records the arrival of a request and returns its sequence number.
func (j *journal) add(e JournalEntry) uint64 {
	seq := j.next
	j.next++
	if len(j.entries) < journalSize {
		j.entries = append(j.entries, e)
	} else {
		j.entries[seq%journalSize] = e
	}
	j.oldest = max(j.oldest, j.next-min(j.next, journalSize))
	return seq
}

// answered fills in how request seq was answered, if it is still listed.
func (j *journal) answered(seq uint64, status int, fault FaultKind) {
	if seq < j.oldest || seq >= j.next {
		return
	}
	e := &j.entries[seq%journalSize]
	e.Status, e.Fault = status, fault
}

// list returns the listed entries, oldest first.
func (j *journal) list() []JournalEntry {
	out := make([]JournalEntry, 0, j.next-j.oldest)
	for seq := j.oldest; seq < j.next; seq++ {
		out = append(out, j.entries[seq%journalSize])
	}
	return out
}

// clear forgets every entry; the memory of the ring is kept for reuse.
func (j *journal) clear() { j.oldest = j.next }

// journalEntry is the entry of a request on its arrival, cut to the
// journal's bounds.
func journalEntry(r *http.Request, named eventRequest) JournalEntry {
	e := JournalEntry{
		Time:      time.Now().UTC(),
		Method:    r.Method,
		Path:      r.URL.Path,
		Business:  r.Header.Get("X-On-Behalf-Of"),
		Event:     named.Event,
		TargetURL: named.TargetURL,
	}
	shareText(journalEntryText, &e.Method, &e.Path, &e.Business, &e.Event, &e.TargetURL)
	return e
}

// shareText cuts the fields so that together they hold at most budget
// bytes: each gets an equal share of the budget, and what a short field
// leaves goes to the longer ones. Every field is copied, so none keeps the
// string it was cut from (a request's body or header block) alive.
func shareText(budget int, fields ...*string) {
	order := slices.Clone(fields)
	slices.SortFunc(order, func(a, b *string) int { return len(*a) - len(*b) })
	for i, field := range order {
		share := budget / (len(order) - i)
		*field = cut(*field, share)
		budget -= len(*field)
	}
}

// cut returns a copy of s of at most n bytes, ending in cutMark when it had
// to be cut, and never ending in half a character.
func cut(s string, n int) string {
	if len(s) <= n {
		return strings.Clone(s)
	}
	keep := max(n-len(cutMark), 0)
	for keep > 0 && !utf8.RuneStart(s[keep]) {
		keep--
	}
	if keep == 0 {
		return ""
	}
	return s[:keep] + cutMark // the concatenation copies
}

// Journal returns the entries of the request journal, oldest first: the
// last 10,000 API requests since the last Reset, ClearJournal or ResetCalls,
// with their answers (see JournalEntry). Admin requests are not in it.
func (s *Server) Journal() []JournalEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.journal.list()
}

// ClearJournal empties the request journal. Nothing else is reset.
func (s *Server) ClearJournal() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.journal.clear()
}
