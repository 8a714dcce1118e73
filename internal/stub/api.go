package stub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
)

// Behaviour selects among the response shapes the real API has been seen to
// use. The zero value gives the documented primary shapes.
type Behaviour struct {
	// SubscribeWithoutID makes a successful subscribe answer
	// {"response":"Subscribed"} (with status SubscribeStatus) and no id.
	SubscribeWithoutID bool
	// SubscribeStatus is the status of a successful subscribe; 0 means 201.
	SubscribeStatus int
	// UnsubscribePlainText makes a successful unsubscribe answer the JSON
	// string "Unsubscribed" instead of {"status":"OK","data":{"unsubscribed":true}}.
	UnsubscribePlainText bool
	// ListAsSubscribed makes the list report entity and event_type as they
	// were subscribed (lead/created) instead of the canonical entity and the
	// base verb (client/create).
	ListAsSubscribed bool
	// ExtraFields adds unknown fields to every JSON object answer and every
	// list item; a client must ignore them.
	ExtraFields bool
	// RefuseTargetsContaining, when not empty, makes a subscribe to a
	// target_url containing it answer 500 {"response":"Not Subscribed"}, as
	// the API does for a target it cannot reach.
	RefuseTargetsContaining string
	// UnsubscribeListedSpellingOnly makes unsubscribe match an event only
	// as the list reports it (client/create, meeting/scheduled), not the
	// spelling it was subscribed with: a stricter API a client must still
	// be able to clean up after.
	UnsubscribeListedSpellingOnly bool
	// ProcessAbandoned makes the server carry out a request whose client
	// gave up during the added latency, as a real service behind a gateway
	// does: the write happens, and nobody hears about it.
	ProcessAbandoned bool
	// ExtraEvents are events the fake API accepts beyond the provider's
	// catalogue, as the real API would once it adds an event the provider
	// does not know yet.
	ExtraEvents []string
}

// UnmarshalJSON reads a Behaviour for the admin endpoint, with loosely
// matched keys (see decodeObject).
func (b *Behaviour) UnmarshalJSON(data []byte) error {
	return decodeObject(data, map[string]any{
		"subscribewithoutid":            &b.SubscribeWithoutID,
		"subscribestatus":               &b.SubscribeStatus,
		"unsubscribeplaintext":          &b.UnsubscribePlainText,
		"listassubscribed":              &b.ListAsSubscribed,
		"extrafields":                   &b.ExtraFields,
		"refusetargetscontaining":       &b.RefuseTargetsContaining,
		"extraevents":                   &b.ExtraEvents,
		"processabandoned":              &b.ProcessAbandoned,
		"unsubscribelistedspellingonly": &b.UnsubscribeListedSpellingOnly,
	})
}

// Validate reports a behaviour the server cannot answer with.
func (b Behaviour) Validate() error {
	if b.SubscribeStatus != 0 && (b.SubscribeStatus < 100 || b.SubscribeStatus > 599) {
		return fmt.Errorf("subscribe status %d is not an HTTP status", b.SubscribeStatus)
	}
	return nil
}

// The API paths, relative to the base URL.
const (
	pathSubscribe   = "/platform/v1/webhook/subscribe"
	pathUnsubscribe = "/platform/v1/webhook/unsubscribe"
	pathList        = "/platform/v1/webhooks"
	adminRoot       = "/_stub"
)

// maxBody bounds what the server reads of a request body; the API's bodies
// are two short strings.
const maxBody = 1 << 20

// routes maps each API path to its operation and method.
var routes = map[string]struct{ op, method string }{
	pathSubscribe:   {OpSubscribe, http.MethodPost},
	pathUnsubscribe: {OpUnsubscribe, http.MethodPost},
	pathList:        {OpList, http.MethodGet},
}

// ServeHTTP serves the API and, under /_stub/, the admin endpoints.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == adminRoot || strings.HasPrefix(r.URL.Path, adminRoot+"/") {
		s.serveAdmin(w, r)
		return
	}
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w}
	s.serveAPI(rec, r)
	if logger := s.logger.Load(); logger != nil {
		logger.Printf("%s %s %s (%s)", r.Method, r.URL.Path, rec.outcome(), time.Since(start).Round(time.Millisecond))
	}
}

// serveAPI handles one API request. The order is fixed: the request is
// counted and recorded first, so that tests see everything the client sent;
// then come the latency, the token check and a due fault, and only then the
// work. How it was answered goes into the journal last.
func (s *Server) serveAPI(w *statusRecorder, r *http.Request) {
	route, found := routes[r.URL.Path]
	served := found && r.Method == route.method
	body, bodyErr := readBody(w, r)
	op := ""
	if served {
		op = route.op
	}
	named, _ := decodeEventRequest(body) // a list has no body: no event
	seq, latency := s.record(op, r, body, named)
	var faulted FaultKind
	defer func() { s.served(op, seq, w, faulted) }()
	switch {
	case !found:
		http.Error(w, "Not Found", http.StatusNotFound)
		return
	case !served:
		w.Header().Set("Allow", route.method)
		http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}

	if !sleep(r.Context(), latency) && !s.processesAbandoned() {
		return // the client gave up; there is nobody to answer
	}
	if !s.authorized(r.Header.Get("Authorization")) {
		s.writeReply(w, errorReply(http.StatusUnauthorized, "Unauthorized"))
		return
	}
	work := func() reply {
		if bodyErr != nil {
			return errorReply(http.StatusBadRequest, "Invalid request body")
		}
		return s.handle(op, r.Header.Get("X-On-Behalf-Of"), r.URL.Query(), body)
	}
	if fault, ok := s.nextFault(op, named.Event); ok {
		faulted = fault.kind
		s.injectFault(w, r, fault, work)
		return
	}
	s.writeReply(w, work())
}

// readBody reads up to maxBody of the request's body, into a buffer of the
// size announced when there is one, so that a large body is read in one
// piece rather than copied again and again as a buffer grows.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body := http.MaxBytesReader(w, r.Body, maxBody)
	if n := r.ContentLength; n >= 0 && n <= maxBody {
		buf := make([]byte, n)
		_, err := io.ReadFull(body, buf)
		return buf, err
	}
	return io.ReadAll(body)
}

func (s *Server) processesAbandoned() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.behaviour.ProcessAbandoned
}

// record counts the request and enters it in the journal (and, while the
// server keeps them, the whole-request log), and returns its journal
// sequence number and the latency to apply to it. This happens before
// anything can refuse the request, so tests can count exactly what the
// client sent.
func (s *Server) record(op string, r *http.Request, body []byte, named eventRequest) (uint64, time.Duration) {
	entry := journalEntry(r, named) // outside the lock: it copies up to 2 KiB
	s.mu.Lock()
	defer s.mu.Unlock()
	if op != "" {
		s.calls[op]++
	}
	s.inFlight[op]++
	s.maxFlight[op] = max(s.maxFlight[op], s.inFlight[op])
	if s.keepWhole {
		s.requests = append(s.requests, Request{
			Op:       op,
			Method:   r.Method,
			Path:     r.URL.Path,
			RawQuery: r.URL.RawQuery,
			Header:   r.Header.Clone(),
			Body:     string(body),
		})
	}
	return s.journal.add(entry), s.latency + s.faults.Latency
}

// served ends what record began: the request is no longer in flight, and
// its journal entry gets the answer (none for a dropped connection).
func (s *Server) served(op string, seq uint64, w *statusRecorder, fault FaultKind) {
	status := w.status
	if w.hijacked {
		status = 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inFlight[op]--
	s.journal.answered(seq, status, fault)
}

// authorized accepts `Bearer <token>` and the legacy `Token <token>`. The
// scheme is case-insensitive, as in HTTP.
func (s *Server) authorized(header string) bool {
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || (!strings.EqualFold(scheme, "Bearer") && !strings.EqualFold(scheme, "Token")) {
		return false
	}
	// A plain map lookup is not constant-time; that is fine for a fake that
	// only listens on loopback.
	return s.tokens[strings.TrimSpace(token)]
}

// handle does the work of one authorised, unfaulted request. The whole
// operation runs under the mutex so that concurrent calls serialise the way
// a single database would.
func (s *Server) handle(op, scope string, query url.Values, body []byte) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch op {
	case OpSubscribe:
		return s.subscribe(scope, body)
	case OpUnsubscribe:
		return s.unsubscribe(scope, body)
	default:
		return s.list(scope, query)
	}
}

// eventRequest is the body of subscribe and unsubscribe. Unknown fields are
// ignored, as by the API.
type eventRequest struct {
	Event     string `json:"event"`
	TargetURL string `json:"target_url"`
}

func decodeEventRequest(body []byte) (eventRequest, bool) {
	var in eventRequest
	err := json.Unmarshal(body, &in)
	return in, err == nil
}

func (s *Server) subscribe(scope string, body []byte) reply {
	in, ok := decodeEventRequest(body)
	if !ok {
		return errorReply(http.StatusBadRequest, "Invalid JSON body")
	}
	rec, err := s.subscribeLocked(scope, in.Event, in.TargetURL)
	if err != nil {
		apiErr := errorOf(err)
		if errors.Is(err, ErrNotSubscribed) {
			return jsonReply(apiErr.Status, object{"response": apiErr.Message})
		}
		return errorReply(apiErr.Status, apiErr.Message)
	}
	status := s.behaviour.SubscribeStatus
	if status == 0 {
		status = http.StatusCreated
	}
	if s.behaviour.SubscribeWithoutID {
		return jsonReply(status, object{"response": "Subscribed"})
	}
	// The id is a string here although the list reports a number: that is
	// what the API does.
	return jsonReply(status, object{
		"status": "OK",
		"data":   object{"subscription_id": strconv.FormatInt(rec.id, 10)},
	})
}

func (s *Server) unsubscribe(scope string, body []byte) reply {
	in, ok := decodeEventRequest(body)
	if !ok {
		return errorReply(http.StatusBadRequest, "Invalid JSON body")
	}
	if in.TargetURL == "" {
		return errorReply(ErrTargetRequired.Status, ErrTargetRequired.Message)
	}
	// Without an event the API removes EVERY subscription of the URL in the
	// scope. A client that forgets the event wipes its neighbours; the stub
	// must do the same so that tests can catch it.
	match := func(rec record) bool { return rec.url == in.TargetURL }
	if in.Event != "" {
		event, err := catalog.ParseEvent(in.Event)
		if err != nil {
			return errorReply(ErrInvalidEvent.Status, ErrInvalidEvent.Message)
		}
		key := event.Key()
		match = func(rec record) bool { return rec.url == in.TargetURL && rec.event.Key() == key }
		if s.behaviour.UnsubscribeListedSpellingOnly {
			match = func(rec record) bool {
				return rec.url == in.TargetURL && rec.subscription(s.behaviour.ListAsSubscribed).Event() == event.String()
			}
		}
	}
	if s.removeLocked(scope, match) == 0 {
		return jsonReply(http.StatusOK, object{"status": "OK", "data": object{"unsubscribed": false}})
	}
	if s.behaviour.UnsubscribePlainText {
		return jsonReply(http.StatusOK, "Unsubscribed")
	}
	return jsonReply(http.StatusOK, object{"status": "OK", "data": object{"unsubscribed": true}})
}

func (s *Server) list(scope string, query url.Values) reply {
	entity, eventType := query.Get("filter[entity]"), query.Get("filter[event_type]")
	items := []any{} // an empty list is [], never null
	for _, rec := range s.subs[scope] {
		sub := rec.subscription(s.behaviour.ListAsSubscribed)
		// Filters compare with what the list reports, exactly: the API does
		// not resolve aliases or tenses in filters.
		if (entity != "" && sub.Entity != entity) || (eventType != "" && sub.EventType != eventType) {
			continue
		}
		// The business is deliberately absent: the API never reports it.
		item := object{"id": sub.ID, "entity": sub.Entity, "event_type": sub.EventType, "url": sub.URL}
		if s.behaviour.ExtraFields {
			addExtraFields(item)
		}
		items = append(items, item)
	}
	return jsonReply(http.StatusOK, object{
		"response": object{
			"success": "ok",
			"data":    object{"subscriptions": items},
		},
	})
}

// sleep waits for d, or less if ctx ends first, and reports whether the
// whole wait elapsed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}
