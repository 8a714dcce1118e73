// Package stub is an in-memory imitation of the three vcita webhook
// endpoints (subscribe, unsubscribe, list), quirks included.
//
// The provider can never reach the real service from a build machine, so
// every unit test, acceptance test, demo and benchmark runs against this
// fake instead. It is one stateful object: a set of subscriptions behind a
// mutex, plus hooks to inspect that state, change it behind Terraform's back
// (as a user of the vcita UI would), switch between the response shapes the
// real API has been seen to use, and inject the failures a client must
// survive. The behaviour it imitates, quirk by quirk, is listed in the
// repository's DESIGN.md.
package stub

import (
	"errors"
	"fmt"
	"log"
	"math/rand/v2"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
)

// DefaultToken is the only token a server created without tokens accepts.
const DefaultToken = "stub-token"

// The operations of the API, as counted by Calls and named in FaultConfig.Ops
// and FailNext.
const (
	OpSubscribe   = "subscribe"
	OpUnsubscribe = "unsubscribe"
	OpList        = "list"
)

// firstID is the first subscription id handed out. Real ids are not small,
// and starting away from 0 and 1 catches clients that confuse an id with an
// index or a count.
const firstID = 1001

// Subscription is one stored subscription, as the list endpoint reports it.
type Subscription struct {
	ID        int64  `json:"id"`
	Business  string `json:"business"` // X-On-Behalf-Of scope; "" = directory level
	Entity    string `json:"entity"`
	EventType string `json:"event_type"`
	URL       string `json:"url"`
}

// Event returns the subscription's event in the `entity/event_type` form.
func (s Subscription) Event() string { return s.Entity + "/" + s.EventType }

// Request is one API request as the server received it, for tests that
// assert on what the client sent. Header is kept whole, Authorization
// included, so that a test can check the token the client used.
type Request struct {
	Op       string // OpSubscribe, OpUnsubscribe, OpList, or "" for a path or method the API does not serve
	Method   string
	Path     string
	RawQuery string
	Header   http.Header
	Body     string
}

// Error is a refusal by the fake API: the status and message the API answers
// with. Add returns it wrapped, so callers can match the sentinels below with
// errors.Is.
type Error struct {
	Status  int
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("stub: %d %s", e.Status, e.Message)
}

// The refusals of a subscribe call, with the statuses and messages of the
// real API.
var (
	ErrInvalidEvent   = &Error{Status: http.StatusBadRequest, Message: "Invalid event format"}
	ErrTargetRequired = &Error{Status: http.StatusBadRequest, Message: "target_url is required"}
	ErrAlreadyExists  = &Error{Status: http.StatusUnprocessableEntity, Message: "Webhook already exists"}
	// ErrNotSubscribed is the API's catch-all refusal (an event outside the
	// catalogue, an unreachable target); its body is {"response":"Not Subscribed"}.
	ErrNotSubscribed = &Error{Status: http.StatusInternalServerError, Message: "Not Subscribed"}
)

// record is a stored subscription. The event is kept as it was written on
// subscribe, so that Behaviour.ListAsSubscribed can be switched at any time
// and still report either form.
type record struct {
	id       int64
	business string
	event    catalog.Event
	url      string
}

// subscription renders the record as the list endpoint reports it.
func (r record) subscription(asSubscribed bool) Subscription {
	sub := Subscription{ID: r.id, Business: r.business, URL: r.url}
	if asSubscribed {
		sub.Entity, sub.EventType = r.event.Entity, r.event.Type
	} else {
		sub.Entity, sub.EventType = catalog.CanonicalEntity(r.event.Entity), catalog.BaseEventType(r.event.Type)
	}
	return sub
}

// Server is the fake API. It implements http.Handler; its zero value is not
// usable, create it with New or NewTestServer.
type Server struct {
	// Set once by New and read-only afterwards, so read without the mutex.
	tokens map[string]bool
	admin  *http.ServeMux

	// logger is swapped atomically so that the hot path does not take the
	// mutex just to find out that nobody is logging.
	logger atomic.Pointer[log.Logger]

	mu         sync.Mutex
	subs       map[string][]record // by business scope, each in id order
	nextID     int64
	behaviour  Behaviour
	faults     FaultConfig
	rng        *rand.Rand
	limit      tokenBucket               // of faults.RateLimit
	failNext   map[string][]pendingFault // by op, served in order
	faultCount int
	calls      map[string]int
	inFlight   map[string]int // requests being served, by op
	maxFlight  map[string]int // the most inFlight has been, by op
	requests   []Request      // whole, for Requests; only while keepWhole
	keepWhole  bool
	journal    journal
	onChange   func(State)   // see OnChange
	latency    time.Duration // baseline set by SetLatency; survives Reset
	release    chan struct{} // closed to free the requests FaultTimeout holds
	baseURL    string
}

// New returns a server that accepts the given tokens, or DefaultToken when
// none is given. Empty tokens are ignored: an empty token must never
// authenticate.
func New(tokens ...string) *Server {
	s := &Server{tokens: map[string]bool{}}
	for _, token := range tokens {
		if token != "" {
			s.tokens[token] = true
		}
	}
	if len(s.tokens) == 0 {
		s.tokens[DefaultToken] = true
	}
	s.admin = s.adminMux()
	s.release = make(chan struct{})
	s.inFlight = map[string]int{} // never reset: requests may be in flight across a Reset
	s.keepWhole = true
	s.resetLocked()
	return s
}

// resetLocked puts everything Reset forgets back to its initial state.
func (s *Server) resetLocked() {
	s.subs = map[string][]record{}
	s.nextID = firstID
	s.behaviour = Behaviour{}
	s.faults = FaultConfig{}
	s.rng = newRand(0)
	s.limit = tokenBucket{}
	s.failNext = map[string][]pendingFault{}
	s.resetCallsLocked()
	s.changedLocked()
}

func (s *Server) resetCallsLocked() {
	s.calls = map[string]int{}
	s.maxFlight = map[string]int{}
	s.requests = nil
	s.journal.clear()
	s.faultCount = 0
}

// Reset forgets every subscription (ids start again at 1001), the call
// counters and request log, the fault configuration, pending FailNext faults
// and the behaviour, and frees any request held by FaultTimeout. The tokens,
// the baseline latency (SetLatency) and the logger are kept: they belong to
// how the server was started, not to a test's state.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resetLocked()
	s.releaseHeldLocked()
}

// SetLatency sets a baseline delay added to every API request on top of
// FaultConfig.Latency. Unlike the fault configuration it survives Reset,
// because it models the distance to the service (the -latency flag of
// vcita-stub) rather than a test's scenario.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = max(d, 0)
}

// SetLogger makes the server log one line per API request (method, path,
// outcome, duration) to logger; nil stops logging. Headers, and so the
// token, are never logged.
func (s *Server) SetLogger(logger *log.Logger) { s.logger.Store(logger) }

// Subscriptions returns the subscriptions of one business scope ("" is the
// directory level), sorted by id, as the list endpoint reports them.
func (s *Server) Subscriptions(business string) []Subscription {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Subscription, 0, len(s.subs[business]))
	for _, rec := range s.subs[business] {
		out = append(out, rec.subscription(s.behaviour.ListAsSubscribed))
	}
	return out
}

// All returns the subscriptions of every scope, sorted by id.
func (s *Server) All() []Subscription {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Subscription{}
	for _, recs := range s.subs {
		for _, rec := range recs {
			out = append(out, rec.subscription(s.behaviour.ListAsSubscribed))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Add stores a subscription exactly as a subscribe call in that scope would:
// same validation, same normalisation, same refusals (an *Error matching
// ErrInvalidEvent, ErrTargetRequired, ErrNotSubscribed or ErrAlreadyExists).
// It is not counted as a call and is never faulted.
func (s *Server) Add(business, event, targetURL string) (Subscription, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, err := s.subscribeLocked(business, event, targetURL)
	if err != nil {
		return Subscription{}, err
	}
	return rec.subscription(s.behaviour.ListAsSubscribed), nil
}

// AddMalformed stores an item that the list reports with this entity and
// event_type (as it reports any item: an alias entity resolved unless
// Behaviour.ListAsSubscribed), which no subscribe call could make: a blank
// event (" " and " "), an event type with a slash ("created/extra"), no
// event at all (""), as a list from the real API may hold. Like any
// subscription of its URL it goes with Remove, or with an unsubscribe that
// names no event; an unsubscribe that names an event never matches it. It is
// not counted as a call and is never faulted.
func (s *Server) AddMalformed(business, entity, eventType, targetURL string) Subscription {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := record{id: s.nextID, business: business, event: catalog.Event{Entity: entity, Type: eventType}, url: targetURL}
	s.nextID++
	s.subs[business] = append(s.subs[business], rec)
	return rec.subscription(s.behaviour.ListAsSubscribed)
}

// Remove deletes the subscription with the given id, whatever its scope, and
// reports whether there was one.
func (s *Server) Remove(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for business := range s.subs {
		if s.removeLocked(business, func(rec record) bool { return rec.id == id }) > 0 {
			return true
		}
	}
	return false
}

// Calls returns the number of requests received for op (OpSubscribe,
// OpUnsubscribe or OpList). Every request that reached the handler counts,
// including those later refused for their token or answered with a fault.
func (s *Server) Calls(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[op]
}

// MaxInFlight returns the most requests for op the server was serving at
// the same time since the last Reset or ResetCalls: how many calls a client
// had in flight at once.
func (s *Server) MaxInFlight(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxFlight[op]
}

// ResetCalls zeroes the call counters, MaxInFlight and the fault counter,
// and empties the request log. Subscriptions and configuration are kept.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resetCallsLocked()
}

// KeepWholeRequests sets whether the server keeps every API request whole,
// headers and body, for Requests. A server from New or NewTestServer does,
// for the project's own tests, which are short and assert on what the
// client sent; a server that runs for long or faces requests nobody
// controls (vcita-stub, tfcli.StartStub) must not, or it would grow without
// end: it keeps only the bounded journal (Journal).
func (s *Server) KeepWholeRequests(keep bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keepWhole = keep
	if !keep {
		s.requests = nil
	}
}

// Requests returns every API request received since the last Reset or
// ResetCalls, in arrival order, while the server keeps them
// (KeepWholeRequests). Admin requests are not included.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, req := range s.requests {
		req.Header = req.Header.Clone()
		out[i] = req
	}
	return out
}

// SetBehaviour selects the response shapes of the API (see Behaviour). It
// panics on a behaviour that fails Validate, as SetFaults does.
func (s *Server) SetBehaviour(b Behaviour) {
	if err := b.Validate(); err != nil {
		panic("stub: SetBehaviour: " + err.Error())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.behaviour = b
}

// subscribeLocked validates and stores a subscription. The order of the
// checks is the order in which the real API reports them.
func (s *Server) subscribeLocked(business, rawEvent, targetURL string) (record, error) {
	event, err := catalog.ParseEvent(rawEvent)
	if err != nil {
		return record{}, fmt.Errorf("%w: %w", ErrInvalidEvent, err)
	}
	if targetURL == "" {
		return record{}, ErrTargetRequired
	}
	if !catalog.Known(rawEvent) && !slices.Contains(s.behaviour.ExtraEvents, rawEvent) {
		return record{}, fmt.Errorf("%w: %q is not in the event catalogue", ErrNotSubscribed, rawEvent)
	}
	if refuse := s.behaviour.RefuseTargetsContaining; refuse != "" && strings.Contains(targetURL, refuse) {
		return record{}, fmt.Errorf("%w: target %q cannot be reached", ErrNotSubscribed, targetURL)
	}
	// Identity is the pair (event, target_url): the event up to aliases and
	// verb tense, the URL byte for byte.
	key := event.Key()
	for _, rec := range s.subs[business] {
		if rec.url == targetURL && rec.event.Key() == key {
			return record{}, fmt.Errorf("%w: %s to %q is subscription %d", ErrAlreadyExists, rawEvent, targetURL, rec.id)
		}
	}
	rec := record{id: s.nextID, business: business, event: event, url: targetURL}
	s.nextID++
	s.subs[business] = append(s.subs[business], rec)
	s.changedLocked()
	return rec, nil
}

// removeLocked deletes the subscriptions of one scope that match and returns
// how many it deleted.
func (s *Server) removeLocked(business string, match func(record) bool) int {
	recs := s.subs[business]
	kept := recs[:0]
	for _, rec := range recs {
		if !match(rec) {
			kept = append(kept, rec)
		}
	}
	removed := len(recs) - len(kept)
	if len(kept) == 0 {
		delete(s.subs, business)
	} else {
		s.subs[business] = kept
	}
	if removed > 0 {
		s.changedLocked()
	}
	return removed
}

// errorOf extracts the API refusal from an error returned by
// subscribeLocked; anything else would be a bug in the stub.
func errorOf(err error) *Error {
	var apiErr *Error
	if errors.As(err, &apiErr) {
		return apiErr
	}
	return &Error{Status: http.StatusInternalServerError, Message: err.Error()}
}
