package stub

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
)

// FaultKind is a way for a request to fail.
type FaultKind string

const (
	// Fault429 answers 429 with a Retry-After header (FaultConfig.RetryAfter)
	// and {"status":"Error","message":"Too Many Requests"}.
	Fault429 FaultKind = "429"
	// Fault502 answers 502 {"status":"Error","message":"Bad Gateway"};
	// nothing is committed.
	Fault502 FaultKind = "502"
	// Fault503 answers 503 {"status":"Error","message":"Service Unavailable"};
	// nothing is committed.
	Fault503 FaultKind = "503"
	// FaultCommit502 processes the request fully (a subscribe IS stored, an
	// unsubscribe IS applied) and then answers 502: the case where a retry
	// meets its own earlier success.
	FaultCommit502 FaultKind = "commit-502"
	// FaultHTML answers an HTML error page, as a proxy in front of the API
	// would, with status FaultConfig.HTMLStatus; nothing is committed.
	FaultHTML FaultKind = "html"
	// FaultDrop closes the connection without any answer; nothing is
	// committed. Note that Go's http.Transport silently retries an
	// idempotent request (a list) once when a reused keep-alive connection is
	// dropped before any answer; the retry is a new request to the stub.
	FaultDrop FaultKind = "drop"
	// FaultTimeout holds the request until the client gives up, the server
	// shuts down or Reset is called, or holdLimit passes; nothing is
	// committed.
	FaultTimeout FaultKind = "timeout"
	// Fault500 answers 500 {"status":"Error","message":"Internal Server
	// Error"}; nothing is committed. The API uses 500 for refusals as well,
	// so a client does not retry it.
	Fault500 FaultKind = "500"
	// FaultRedirect answers FaultConfig.RedirectStatus with a Location on
	// FaultConfig.RedirectTo, as a misconfigured proxy or a moved API would;
	// nothing is committed.
	FaultRedirect FaultKind = "redirect"
	// FaultBody answers 200 with FaultConfig.Body, byte for byte: an empty
	// body, null, {}, a list whose subscriptions are null. Nothing is
	// committed.
	FaultBody FaultKind = "body"
	// FaultCommitBody carries out the request, then answers as FaultBody
	// does: a success the client cannot recognise as one.
	FaultCommitBody FaultKind = "commit-body"
)

// holdLimit bounds how long FaultTimeout holds a request whose client never
// gives up.
const holdLimit = 60 * time.Second

var faultKinds = []FaultKind{Fault429, Fault502, Fault503, FaultCommit502, FaultHTML, FaultDrop, FaultTimeout, Fault500, FaultRedirect, FaultBody, FaultCommitBody}

// defaultRedirectTo is where FaultRedirect points when FaultConfig.RedirectTo
// is empty: a host that never resolves, so that a client which follows the
// redirect fails rather than reaches anything.
const defaultRedirectTo = "https://moved.invalid"

var ops = []string{OpSubscribe, OpUnsubscribe, OpList}

// FaultConfig makes a share of the API requests fail. The zero value injects
// nothing.
type FaultConfig struct {
	Rate  float64     // fraction 0..1 of API requests that get a fault
	Kinds []FaultKind // chosen uniformly per faulted request
	Ops   []string    // restrict to these ops; empty = all
	// Events restricts the faults to subscribe and unsubscribe requests
	// whose event names one of these events, in any equivalent spelling
	// (lead/created is client/created); empty = all requests. A list names
	// no event, so it gets no fault while Events is set.
	Events     []string
	RetryAfter string        // value of Retry-After on 429; "" = "1"
	HTMLStatus int           // status of FaultHTML; 0 = 502
	Latency    time.Duration // added to every API request, faulted or not
	Seed       int64         // seed of the random source, so runs are reproducible; 0 = 1
	// RedirectStatus is the status of FaultRedirect; 0 = 302.
	RedirectStatus int
	// RedirectTo is the base URL FaultRedirect points at: the Location is
	// it followed by the request's path and query. "" = https://moved.invalid.
	RedirectTo string
	// Body is what FaultBody and FaultCommitBody answer, sent as is.
	Body string
	// RateLimit is how many API requests a second the server serves, as
	// a real rate limit would: a token bucket that holds one second's
	// worth (at least one request) and refills steadily. A request over
	// the limit gets Fault429. Unlike Rate, it throttles a client the more
	// it sends, so it shows whether a client slows down when told to.
	// 0 = no limit.
	RateLimit float64
}

// UnmarshalJSON reads a FaultConfig for the admin endpoint. Keys match
// loosely (see decodeObject); Latency is a Go duration string such as "50ms"
// or, as encoding/json writes a time.Duration, a number of nanoseconds.
func (c *FaultConfig) UnmarshalJSON(data []byte) error {
	var latency jsonDuration
	err := decodeObject(data, map[string]any{
		"rate":           &c.Rate,
		"kinds":          &c.Kinds,
		"ops":            &c.Ops,
		"events":         &c.Events,
		"retryafter":     &c.RetryAfter,
		"htmlstatus":     &c.HTMLStatus,
		"latency":        &latency,
		"seed":           &c.Seed,
		"redirectstatus": &c.RedirectStatus,
		"redirectto":     &c.RedirectTo,
		"body":           &c.Body,
		"ratelimit":      &c.RateLimit,
	})
	c.Latency = time.Duration(latency)
	return err
}

type jsonDuration time.Duration

func (d *jsonDuration) UnmarshalJSON(data []byte) error {
	var text string
	if err := json.Unmarshal(data, &text); err == nil {
		parsed, err := time.ParseDuration(text)
		if err != nil {
			return err
		}
		*d = jsonDuration(parsed)
		return nil
	}
	var nanos int64
	if err := json.Unmarshal(data, &nanos); err != nil {
		return fmt.Errorf("want a duration such as \"50ms\": %w", err)
	}
	*d = jsonDuration(nanos)
	return nil
}

// Validate reports a configuration that cannot mean what its author wanted.
func (c FaultConfig) Validate() error {
	if c.Rate < 0 || c.Rate > 1 {
		return fmt.Errorf("rate %v is outside 0..1", c.Rate)
	}
	if c.Rate > 0 && len(c.Kinds) == 0 {
		return fmt.Errorf("rate %v without any fault kind", c.Rate)
	}
	for _, kind := range c.Kinds {
		if err := validKind(kind); err != nil {
			return err
		}
	}
	for _, op := range c.Ops {
		if err := validOp(op); err != nil {
			return err
		}
	}
	for _, event := range c.Events {
		if _, err := catalog.ParseEvent(event); err != nil {
			return fmt.Errorf("fault event: %w", err)
		}
	}
	if c.HTMLStatus != 0 && (c.HTMLStatus < 100 || c.HTMLStatus > 599) {
		return fmt.Errorf("html status %d is not an HTTP status", c.HTMLStatus)
	}
	if c.RateLimit < 0 {
		return fmt.Errorf("rate limit %v is negative", c.RateLimit)
	}
	if c.Latency < 0 {
		return fmt.Errorf("latency %s is negative", c.Latency)
	}
	if c.RedirectStatus != 0 && (c.RedirectStatus < 300 || c.RedirectStatus > 399) {
		return fmt.Errorf("redirect status %d is not a 3xx status", c.RedirectStatus)
	}
	if c.RedirectTo != "" {
		if u, err := url.Parse(c.RedirectTo); err != nil || !u.IsAbs() || u.Host == "" {
			return fmt.Errorf("redirect target %q is not an absolute URL", c.RedirectTo)
		}
	}
	return nil
}

func validKind(kind FaultKind) error {
	if !slices.Contains(faultKinds, kind) {
		return fmt.Errorf("unknown fault kind %q (want one of %v)", kind, faultKinds)
	}
	return nil
}

func validOp(op string) error {
	if !slices.Contains(ops, op) {
		return fmt.Errorf("unknown op %q (want one of %v)", op, ops)
	}
	return nil
}

func newRand(seed int64) *rand.Rand {
	if seed == 0 {
		seed = 1
	}
	return rand.New(rand.NewPCG(uint64(seed), 0))
}

// SetFaults replaces the fault configuration and reseeds the random source.
// It panics on a configuration that fails Validate: a test that asks for an
// impossible fault is broken, and should not pass because nothing failed.
func (s *Server) SetFaults(c FaultConfig) {
	if err := c.Validate(); err != nil {
		panic("stub: SetFaults: " + err.Error())
	}
	c.Kinds = slices.Clone(c.Kinds)
	c.Ops = slices.Clone(c.Ops)
	c.Events = slices.Clone(c.Events)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = c
	s.rng = newRand(c.Seed)
	s.limit = tokenBucket{}
}

// pendingFault is a FailNext order: n more requests get kind.
type pendingFault struct {
	kind FaultKind
	n    int
}

// FailNext makes the next n requests for op get the fault kind, before any
// rate-based fault. Orders for one op are served in the order given. It
// panics on an unknown op or kind, for the reason SetFaults does.
func (s *Server) FailNext(op string, kind FaultKind, n int) {
	if err := validOp(op); err != nil {
		panic("stub: FailNext: " + err.Error())
	}
	if err := validKind(kind); err != nil {
		panic("stub: FailNext: " + err.Error())
	}
	if n <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext[op] = append(s.failNext[op], pendingFault{kind: kind, n: n})
}

// Faults returns the number of faults injected since the last Reset or
// ResetCalls.
func (s *Server) Faults() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faultCount
}

// fault is a fault chosen for one request, with the settings it needs.
type fault struct {
	kind           FaultKind
	retryAfter     string
	htmlStatus     int
	redirectStatus int
	redirectTo     string
	body           string
	release        <-chan struct{}
}

// nextFault decides whether the request for op, naming event ("" for a
// list), gets a fault: a FailNext order first, then the rate limit, then the
// rate.
func (s *Server) nextFault(op, event string) (fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := fault{
		retryAfter:     cmp.Or(s.faults.RetryAfter, "1"),
		htmlStatus:     cmp.Or(s.faults.HTMLStatus, http.StatusBadGateway),
		redirectStatus: cmp.Or(s.faults.RedirectStatus, http.StatusFound),
		redirectTo:     cmp.Or(s.faults.RedirectTo, defaultRedirectTo),
		body:           s.faults.Body,
		release:        s.release,
	}
	if queue := s.failNext[op]; len(queue) > 0 {
		f.kind = queue[0].kind
		if queue[0].n--; queue[0].n == 0 {
			queue = queue[1:]
		}
		s.failNext[op] = queue
		s.faultCount++
		return f, true
	}
	c := s.faults
	if (len(c.Ops) > 0 && !slices.Contains(c.Ops, op)) || !namesOneOf(event, c.Events) {
		return fault{}, false
	}
	if c.RateLimit > 0 && !s.limit.take(c.RateLimit, time.Now()) {
		f.kind = Fault429
		s.faultCount++
		return f, true
	}
	if c.Rate <= 0 || len(c.Kinds) == 0 {
		return fault{}, false
	}
	if s.rng.Float64() >= c.Rate {
		return fault{}, false
	}
	f.kind = c.Kinds[s.rng.IntN(len(c.Kinds))]
	s.faultCount++
	return f, true
}

// namesOneOf reports whether event names one of events, in any equivalent
// spelling; any event does when events is empty.
func namesOneOf(event string, events []string) bool {
	if len(events) == 0 {
		return true
	}
	return slices.ContainsFunc(events, func(e string) bool { return catalog.Equivalent(e, event) })
}

// tokenBucket is the state of FaultConfig.RateLimit. The zero value is
// full.
type tokenBucket struct {
	tokens float64
	at     time.Time // when tokens was last brought up to date
}

// take spends one request of a bucket that refills at rate a second, and
// reports whether there was one to spend.
func (b *tokenBucket) take(rate float64, now time.Time) bool {
	capacity := max(rate, 1)
	if b.at.IsZero() {
		b.tokens = capacity
	} else {
		b.tokens = min(capacity, b.tokens+now.Sub(b.at).Seconds()*rate)
	}
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// injectFault answers the request with f. work does the request's real
// work; only FaultCommit502 and FaultCommitBody call it.
func (s *Server) injectFault(w http.ResponseWriter, r *http.Request, f fault, work func() reply) {
	switch f.kind {
	case Fault429:
		rep := errorReply(http.StatusTooManyRequests, "Too Many Requests")
		rep.header = map[string]string{"Retry-After": f.retryAfter}
		s.writeReply(w, rep)
	case Fault502:
		s.writeReply(w, errorReply(http.StatusBadGateway, "Bad Gateway"))
	case Fault503:
		s.writeReply(w, errorReply(http.StatusServiceUnavailable, "Service Unavailable"))
	case FaultCommit502:
		work()
		s.writeReply(w, errorReply(http.StatusBadGateway, "Bad Gateway"))
	case Fault500:
		s.writeReply(w, errorReply(http.StatusInternalServerError, "Internal Server Error"))
	case FaultRedirect:
		w.Header().Set("Location", strings.TrimRight(f.redirectTo, "/")+r.URL.RequestURI())
		w.WriteHeader(f.redirectStatus)
	case FaultCommitBody:
		work()
		writeRaw(w, f.body)
	case FaultBody:
		writeRaw(w, f.body)
	case FaultHTML:
		writeHTML(w, f.htmlStatus)
	case FaultDrop:
		drop(w)
	case FaultTimeout:
		timer := time.NewTimer(holdLimit)
		defer timer.Stop()
		select {
		case <-r.Context().Done():
			return // the client gave up: the point of the fault
		case <-f.release:
		case <-timer.C:
		}
		s.writeReply(w, errorReply(http.StatusGatewayTimeout, "Gateway Timeout"))
	}
}

// writeHTML answers the kind of page a load balancer serves when the API
// behind it is down.
func writeHTML(w http.ResponseWriter, status int) {
	text := fmt.Sprintf("%d %s", status, http.StatusText(status))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, "<!DOCTYPE html>\n<html>\n<head><title>%s</title></head>\n<body>\n<center><h1>%s</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n", text, text)
}

// writeRaw answers 200 with body exactly as given, not re-encoded.
func writeRaw(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, body)
}

// drop closes the connection under the request without a word.
func drop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Not hijackable (HTTP/2, a recorder): aborting the handler is the
		// documented way to make net/http drop the answer.
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// releaseHeldLocked frees every request FaultTimeout holds, so that a
// shutdown or a Reset does not wait for holdLimit.
func (s *Server) releaseHeldLocked() {
	close(s.release)
	s.release = make(chan struct{})
}

func (s *Server) releaseHeld() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.releaseHeldLocked()
}
