package stub

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestFaultKinds(t *testing.T) {
	t.Parallel()
	const target = "https://example.com/a"
	tests := []struct {
		kind   FaultKind
		config FaultConfig // set before FailNext, for RetryAfter and HTMLStatus
		check  func(t *testing.T, a answer, err error)
		stored bool
	}{
		{
			kind: Fault429,
			check: func(t *testing.T, a answer, err error) {
				a.expect(t, 429, `{"status":"Error","message":"Too Many Requests"}`)
				if got := a.header.Get("Retry-After"); got != "1" {
					t.Fatalf("Retry-After = %q, want 1", got)
				}
			},
		},
		{
			kind:   Fault429,
			config: FaultConfig{RetryAfter: "7"},
			check: func(t *testing.T, a answer, err error) {
				if got := a.header.Get("Retry-After"); a.status != 429 || got != "7" {
					t.Fatalf("status %d, Retry-After %q, want 429 and 7", a.status, got)
				}
			},
		},
		{
			kind: Fault502,
			check: func(t *testing.T, a answer, err error) {
				a.expect(t, 502, `{"status":"Error","message":"Bad Gateway"}`)
			},
		},
		{
			kind: Fault503,
			check: func(t *testing.T, a answer, err error) {
				a.expect(t, 503, `{"status":"Error","message":"Service Unavailable"}`)
			},
		},
		{
			kind:   FaultCommit502,
			stored: true,
			check: func(t *testing.T, a answer, err error) {
				a.expect(t, 502, `{"status":"Error","message":"Bad Gateway"}`)
			},
		},
		{
			kind: FaultHTML,
			check: func(t *testing.T, a answer, err error) {
				if a.status != 502 || !strings.HasPrefix(a.header.Get("Content-Type"), "text/html") ||
					!strings.Contains(string(a.body), "<html>") {
					t.Fatalf("got %d %q %q, want a 502 HTML page", a.status, a.header.Get("Content-Type"), a.body)
				}
			},
		},
		{
			kind:   FaultHTML,
			config: FaultConfig{HTMLStatus: 504},
			check: func(t *testing.T, a answer, err error) {
				if a.status != 504 || !strings.Contains(string(a.body), "504 Gateway Timeout") {
					t.Fatalf("got %d %q, want a 504 HTML page", a.status, a.body)
				}
			},
		},
		{
			kind: Fault500,
			check: func(t *testing.T, a answer, err error) {
				a.expect(t, 500, `{"status":"Error","message":"Internal Server Error"}`)
			},
		},
		{
			kind: FaultRedirect,
			check: func(t *testing.T, a answer, err error) {
				if a.status != 302 || a.header.Get("Location") != "https://moved.invalid"+pathSubscribe {
					t.Fatalf("got %d to %q, want 302 to https://moved.invalid%s", a.status, a.header.Get("Location"), pathSubscribe)
				}
			},
		},
		{
			kind:   FaultRedirect,
			config: FaultConfig{RedirectStatus: 307, RedirectTo: "http://127.0.0.1:1/api/"},
			check: func(t *testing.T, a answer, err error) {
				if a.status != 307 || a.header.Get("Location") != "http://127.0.0.1:1/api"+pathSubscribe {
					t.Fatalf("got %d to %q, want 307 to http://127.0.0.1:1/api%s", a.status, a.header.Get("Location"), pathSubscribe)
				}
			},
		},
		{
			kind:   FaultBody,
			config: FaultConfig{Body: "null"},
			check: func(t *testing.T, a answer, err error) {
				if a.status != 200 || string(a.body) != "null" {
					t.Fatalf("got %d %q, want 200 null", a.status, a.body)
				}
			},
		},
		{
			kind: FaultBody,
			check: func(t *testing.T, a answer, err error) {
				if a.status != 200 || len(a.body) != 0 {
					t.Fatalf("got %d %q, want 200 with an empty body", a.status, a.body)
				}
			},
		},
		{
			kind:   FaultCommitBody,
			config: FaultConfig{Body: "{}"},
			stored: true,
			check: func(t *testing.T, a answer, err error) {
				if a.status != 200 || string(a.body) != "{}" {
					t.Fatalf("got %d %q, want 200 {}", a.status, a.body)
				}
			},
		},
		{
			kind: FaultDrop,
			check: func(t *testing.T, a answer, err error) {
				if err == nil {
					t.Fatalf("got an answer %d %q, want a dropped connection", a.status, a.body)
				}
			},
		},
		{
			kind: FaultTimeout,
			check: func(t *testing.T, a answer, err error) {
				if err == nil || !strings.Contains(err.Error(), "Client.Timeout") {
					t.Fatalf("got %d %q, %v; want the client to time out", a.status, a.body, err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %+v", tt.kind, tt.config), func(t *testing.T) {
			t.Parallel()
			s := NewTestServer(t)
			s.SetFaults(tt.config)
			s.FailNext(OpSubscribe, tt.kind, 1)
			c := subscribeCall("", "client/created", target)
			c.client = &http.Client{Timeout: 300 * time.Millisecond, CheckRedirect: noRedirects}
			a, err := c.try(t, s)
			if tt.kind != FaultDrop && tt.kind != FaultTimeout && err != nil {
				t.Fatal(err)
			}
			tt.check(t, a, err)
			if got := len(s.All()) == 1; got != tt.stored {
				t.Fatalf("stored = %v, want %v", got, tt.stored)
			}
			if n := s.Faults(); n != 1 {
				t.Fatalf("Faults() = %d, want 1", n)
			}
			// The order is used up: the retry gets through, and meets the
			// first attempt's success when it was committed.
			retry := subscribeCall("", "client/created", target).do(t, s)
			if tt.stored {
				retry.expect(t, 422, `{"status":"Error","message":"Webhook already exists"}`)
			} else if retry.status != 201 {
				t.Fatalf("retry: status %d, body %q", retry.status, retry.body)
			}
			if n := s.Calls(OpSubscribe); n != 2 {
				t.Fatalf("Calls(subscribe) = %d, want 2", n)
			}
		})
	}
}

func TestCommit502AppliesUnsubscribe(t *testing.T) {
	s := NewTestServer(t)
	mustAdd(t, s, "", "client/created", "https://example.com/a")
	s.FailNext(OpUnsubscribe, FaultCommit502, 1)
	unsubscribeCall("client/created").do(t, s).
		expect(t, 502, `{"status":"Error","message":"Bad Gateway"}`)
	if n := len(s.All()); n != 0 {
		t.Fatalf("%d subscriptions left, want the unsubscribe applied", n)
	}
}

func TestFaultsCommitNothing(t *testing.T) {
	s := NewTestServer(t)
	mustAdd(t, s, "", "client/created", "https://example.com/a")
	for _, kind := range []FaultKind{Fault429, Fault502, Fault503, FaultHTML, FaultDrop, Fault500, FaultRedirect, FaultBody} {
		s.FailNext(OpUnsubscribe, kind, 1)
		_, _ = unsubscribeCall("").try(t, s)
		if n := len(s.All()); n != 1 {
			t.Fatalf("%s applied an unsubscribe", kind)
		}
	}
}

func TestFailNextOrdering(t *testing.T) {
	s := NewTestServer(t)
	s.SetFaults(FaultConfig{Rate: 1, Kinds: []FaultKind{Fault503}, Ops: []string{OpSubscribe}})
	s.FailNext(OpSubscribe, Fault502, 2)
	s.FailNext(OpSubscribe, Fault429, 1)
	s.FailNext(OpList, FaultHTML, 1)

	// A refused token is answered before any fault and does not use one up.
	bad := subscribeCall("", "client/created", "https://example.com/a")
	bad.auth = "Bearer wrong"
	if a := bad.do(t, s); a.status != 401 {
		t.Fatalf("status %d, want 401 before any fault", a.status)
	}

	var got []int
	for i := 0; i < 5; i++ {
		got = append(got, subscribeCall("", "client/created", "https://example.com/a").do(t, s).status)
	}
	// The orders in the order given, then the rate.
	if want := []int{502, 502, 429, 503, 503}; !slices.Equal(got, want) {
		t.Fatalf("statuses = %v, want %v", got, want)
	}
	// Orders are per op; the rate is restricted to subscribe.
	if a := listCall("", "").do(t, s); a.status != 502 || !strings.Contains(string(a.body), "<html>") {
		t.Fatalf("first list: %d %q, want the HTML fault", a.status, a.body)
	}
	if a := listCall("", "").do(t, s); a.status != 200 {
		t.Fatalf("second list: %d, want 200", a.status)
	}
	if n := s.Faults(); n != 6 {
		t.Fatalf("Faults() = %d, want 6", n)
	}
}

func TestRateFaultsAreReproducible(t *testing.T) {
	s := NewTestServer(t)
	run := func() []int {
		s.Reset()
		s.SetFaults(FaultConfig{Rate: 0.3, Kinds: []FaultKind{Fault502, Fault503, Fault429}, Seed: 42})
		var statuses []int
		for i := 0; i < 100; i++ {
			statuses = append(statuses, listCall("", "").do(t, s).status)
		}
		return statuses
	}
	first, second := run(), run()
	if !slices.Equal(first, second) {
		t.Fatalf("the same seed gave different faults:\n%v\n%v", first, second)
	}
	faults := s.Faults()
	if faults < 15 || faults > 45 {
		t.Fatalf("%d faults in 100 requests at rate 0.3", faults)
	}
	seen := map[int]bool{}
	for _, status := range first {
		seen[status] = true
	}
	for _, status := range []int{200, 429, 502, 503} {
		if !seen[status] {
			t.Errorf("status %d never seen in %v", status, first)
		}
	}
}

func TestRateFaultsRestrictedToOps(t *testing.T) {
	s := NewTestServer(t)
	s.SetFaults(FaultConfig{Rate: 1, Kinds: []FaultKind{Fault503}, Ops: []string{OpUnsubscribe}})
	if a := listCall("", "").do(t, s); a.status != 200 {
		t.Fatalf("list: %d, want 200", a.status)
	}
	if a := subscribeCall("", "client/created", "https://example.com/a").do(t, s); a.status != 201 {
		t.Fatalf("subscribe: %d, want 201", a.status)
	}
	if a := unsubscribeCall("").do(t, s); a.status != 503 {
		t.Fatalf("unsubscribe: %d, want 503", a.status)
	}
}

func TestRateFaultsRestrictedToEvents(t *testing.T) {
	s := NewTestServer(t)
	s.SetFaults(FaultConfig{Rate: 1, Kinds: []FaultKind{Fault503}, Events: []string{"client/created"}})
	if a := listCall("", "").do(t, s); a.status != 200 {
		t.Fatalf("list: %d, want 200 (a list names no event)", a.status)
	}
	if a := subscribeCall("", "invoice/issued", "https://example.com/a").do(t, s); a.status != 201 {
		t.Fatalf("subscribe invoice/issued: %d, want 201", a.status)
	}
	// Any spelling of the event is the event.
	if a := subscribeCall("", "lead/created", "https://example.com/a").do(t, s); a.status != 503 {
		t.Fatalf("subscribe lead/created: %d, want 503", a.status)
	}
	if a := unsubscribeCall("client/create").do(t, s); a.status != 503 {
		t.Fatalf("unsubscribe client/create: %d, want 503", a.status)
	}
	// An unsubscribe without an event names no event either.
	if a := unsubscribeCall("").do(t, s); a.status != 200 {
		t.Fatalf("unsubscribe without an event: %d, want 200", a.status)
	}
}

func TestLatency(t *testing.T) {
	t.Parallel()
	s := NewTestServer(t)
	s.SetFaults(FaultConfig{Latency: 150 * time.Millisecond})
	start := time.Now()
	listCall("", "").do(t, s)
	if elapsed := time.Since(start); elapsed < 150*time.Millisecond {
		t.Fatalf("answered in %s, want at least the latency", elapsed)
	}

	// A client that gives up during the latency commits nothing.
	c := subscribeCall("", "client/created", "https://example.com/a")
	c.client = &http.Client{Timeout: 30 * time.Millisecond}
	if _, err := c.try(t, s); err == nil {
		t.Fatal("the client did not time out")
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(s.All()); n != 0 {
		t.Fatalf("a request abandoned during the latency was committed")
	}
	if n := s.Calls(OpSubscribe); n != 1 {
		t.Fatalf("Calls(subscribe) = %d, want 1: counted before the latency", n)
	}

	// The baseline latency survives Reset; the fault latency does not.
	s.SetLatency(100 * time.Millisecond)
	s.Reset()
	start = time.Now()
	listCall("", "").do(t, s)
	if elapsed := time.Since(start); elapsed < 100*time.Millisecond || elapsed > time.Second {
		t.Fatalf("answered in %s after Reset, want the baseline 100ms only", elapsed)
	}
}

func TestResetFreesHeldRequests(t *testing.T) {
	t.Parallel()
	s := NewTestServer(t)
	s.FailNext(OpList, FaultTimeout, 1)
	done := make(chan answer)
	go func() {
		a, _ := listCall("", "").try(t, s)
		done <- a
	}()
	// Wait until the request is held.
	for deadline := time.Now().Add(2 * time.Second); s.Faults() == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the request never arrived")
		}
		time.Sleep(5 * time.Millisecond)
	}
	s.Reset()
	select {
	case a := <-done:
		a.expect(t, 504, `{"status":"Error","message":"Gateway Timeout"}`)
	case <-time.After(2 * time.Second):
		t.Fatal("Reset did not free the held request")
	}
}

func TestCallsCounting(t *testing.T) {
	s := NewTestServer(t)
	subscribeCall("", "client/created", "https://example.com/a").do(t, s)
	subscribeCall("", "client/created", "https://example.com/a").do(t, s) // 422
	subscribeCall("", "nope", "https://example.com/a").do(t, s)           // 400
	s.FailNext(OpList, Fault502, 1)
	listCall("", "").do(t, s)
	listCall("", "").do(t, s)
	listCall("", "").do(t, s)
	unsubscribeCall("").do(t, s)
	mustAdd(t, s, "", "client/updated", "https://example.com/a") // not an API call
	call{method: http.MethodGet, path: "/_stub/stats"}.do(t, s)  // nor is the admin

	for op, want := range map[string]int{OpSubscribe: 3, OpList: 3, OpUnsubscribe: 1, "other": 0} {
		if got := s.Calls(op); got != want {
			t.Errorf("Calls(%q) = %d, want %d", op, got, want)
		}
	}
	if n := len(s.Requests()); n != 7 {
		t.Errorf("%d requests recorded, want 7", n)
	}
	s.ResetCalls()
	if s.Calls(OpSubscribe) != 0 || s.Calls(OpList) != 0 || s.Faults() != 0 || len(s.Requests()) != 0 {
		t.Fatal("ResetCalls left counters")
	}
	if n := len(s.All()); n != 1 {
		t.Fatalf("ResetCalls changed the subscriptions: %d", n)
	}
}

func TestInvalidFaultConfigPanics(t *testing.T) {
	tests := map[string]func(s *Server){
		"unknown kind":      func(s *Server) { s.SetFaults(FaultConfig{Rate: 0.5, Kinds: []FaultKind{"418"}}) },
		"rate without kind": func(s *Server) { s.SetFaults(FaultConfig{Rate: 0.5}) },
		"rate above 1":      func(s *Server) { s.SetFaults(FaultConfig{Rate: 2, Kinds: []FaultKind{Fault502}}) },
		"unknown op":        func(s *Server) { s.SetFaults(FaultConfig{Ops: []string{"subcribe"}}) },
		"malformed event":   func(s *Server) { s.SetFaults(FaultConfig{Events: []string{"client-created"}}) },
		"FailNext op":       func(s *Server) { s.FailNext("subcribe", Fault502, 1) },
		"FailNext kind":     func(s *Server) { s.FailNext(OpList, "teapot", 1) },
		"subscribe status":  func(s *Server) { s.SetBehaviour(Behaviour{SubscribeStatus: 2}) },
		"redirect status":   func(s *Server) { s.SetFaults(FaultConfig{RedirectStatus: 200}) },
		"redirect target":   func(s *Server) { s.SetFaults(FaultConfig{RedirectTo: "/relative"}) },
		"rate limit":        func(s *Server) { s.SetFaults(FaultConfig{RateLimit: -1}) },
	}
	for name, f := range tests {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("no panic")
				}
			}()
			f(New())
		})
	}
}

func TestFaultConfigJSON(t *testing.T) {
	tests := []struct {
		in      string
		want    FaultConfig
		wantErr bool
	}{
		{
			in:   `{"rate":0.5,"kinds":["429","drop"],"ops":["list"],"events":["client/created"],"retry_after":"3","html_status":503,"latency":"50ms","seed":7}`,
			want: FaultConfig{Rate: 0.5, Kinds: []FaultKind{Fault429, FaultDrop}, Ops: []string{OpList}, Events: []string{"client/created"}, RetryAfter: "3", HTMLStatus: 503, Latency: 50 * time.Millisecond, Seed: 7},
		},
		{
			in:   `{"Rate":1,"Kinds":["commit-502"],"RetryAfter":"2","HTMLStatus":500,"Latency":1000000}`,
			want: FaultConfig{Rate: 1, Kinds: []FaultKind{FaultCommit502}, RetryAfter: "2", HTMLStatus: 500, Latency: time.Millisecond},
		},
		{
			in:   `{"kinds":["redirect","body"],"redirect_status":301,"redirect_to":"https://elsewhere.example","body":"null"}`,
			want: FaultConfig{Kinds: []FaultKind{FaultRedirect, FaultBody}, RedirectStatus: 301, RedirectTo: "https://elsewhere.example", Body: "null"},
		},
		{in: `{"rate_limit":2.5,"retry_after":"1"}`, want: FaultConfig{RateLimit: 2.5, RetryAfter: "1"}},
		{in: `{}`, want: FaultConfig{}},
		{in: `{"latency":"soon"}`, wantErr: true},
		{in: `{"rtae":1}`, wantErr: true},
		{in: `null`, wantErr: true},
	}
	for _, tt := range tests {
		var got FaultConfig
		err := json.Unmarshal([]byte(tt.in), &got)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: error %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if !tt.wantErr && !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestLogger(t *testing.T) {
	s := NewTestServer(t, "secret-token")
	lines := make(logLines, 16)
	s.SetLogger(log.New(lines, "", 0))
	c := subscribeCall("", "client/created", "https://example.com/a")
	c.auth = "Bearer secret-token"
	c.do(t, s)
	s.FailNext(OpList, FaultDrop, 1)
	// A fresh connection: on a reused one, http.Transport would retry the
	// dropped GET by itself and log a second line.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 5 * time.Second}
	if _, err := (call{method: http.MethodGet, path: pathList, auth: "Bearer secret-token", client: fresh}).try(t, s); err == nil {
		t.Fatal("the dropped list got an answer")
	}
	call{method: http.MethodGet, path: "/_stub/stats"}.do(t, s)

	// The line is written after the answer, so the client can be faster.
	for _, want := range []string{"POST /platform/v1/webhook/subscribe 201", "GET /platform/v1/webhooks dropped"} {
		line := lines.next(t)
		if !strings.HasPrefix(line, want) {
			t.Fatalf("log line %q, want it to start with %q", line, want)
		}
		if strings.Contains(line, "secret-token") {
			t.Fatalf("the token leaked into the log: %q", line)
		}
	}

	// Neither the admin call above (not an API request) nor a request after
	// SetLogger(nil) logs a line.
	s.SetLogger(nil)
	c.do(t, s)
	time.Sleep(20 * time.Millisecond)
	select {
	case line := <-lines:
		t.Fatalf("logged a line for the admin call or after SetLogger(nil): %q", line)
	default:
	}
}

// logLines is a log destination that hands the test each line the server
// logs (a log.Logger writes a line in one call, from any goroutine).
type logLines chan string

func (l logLines) Write(p []byte) (int, error) {
	l <- string(p)
	return len(p), nil
}

// next is the next line logged, within two seconds.
func (l logLines) next(t *testing.T) string {
	t.Helper()
	select {
	case line := <-l:
		return line
	case <-time.After(2 * time.Second):
		t.Fatal("the server logged no line within 2 s")
		return ""
	}
}
