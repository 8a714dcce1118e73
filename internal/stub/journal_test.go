package stub

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// journalOf reads the journal through GET /_stub/requests, as a CI step
// would.
func journalOf(t *testing.T, s *Server) []JournalEntry {
	t.Helper()
	a := call{method: http.MethodGet, path: "/_stub/requests", auth: "-"}.do(t, s)
	if a.status != http.StatusOK {
		t.Fatalf("GET /_stub/requests: %d %q", a.status, a.body)
	}
	var out []JournalEntry
	if err := json.Unmarshal(a.body, &out); err != nil {
		t.Fatalf("GET /_stub/requests: %q: %v", a.body, err)
	}
	return out
}

func TestJournalListsEachAPIRequestWithItsAnswer(t *testing.T) {
	t.Parallel()
	s := NewTestServer(t)
	before := time.Now().Add(-time.Second)
	subscribeCall("biz-1", "client/created", "https://example.com/a").do(t, s)
	s.FailNext(OpList, Fault503, 1)
	listCall("biz-1", "").do(t, s)
	unsubscribeCall("client/created").do(t, s)
	call{method: http.MethodGet, path: pathList, auth: "Bearer wrong"}.do(t, s)
	call{method: http.MethodGet, path: "/platform/v1/nothing"}.do(t, s)
	s.FailNext(OpSubscribe, FaultDrop, 1)
	if _, err := subscribeCall("", "client/updated", "https://example.com/b").try(t, s); err == nil {
		t.Fatal("a dropped subscribe got an answer")
	}
	call{method: http.MethodGet, path: "/_stub/stats", auth: "-"}.do(t, s) // admin: not in the journal

	got := journalOf(t, s)
	want := []JournalEntry{
		{Method: "POST", Path: pathSubscribe, Business: "biz-1", Event: "client/created", TargetURL: "https://example.com/a", Status: 201},
		{Method: "GET", Path: pathList, Business: "biz-1", Status: 503, Fault: Fault503},
		{Method: "POST", Path: pathUnsubscribe, Event: "client/created", TargetURL: "https://example.com/a", Status: 200},
		{Method: "GET", Path: pathList, Status: 401},
		{Method: "GET", Path: "/platform/v1/nothing", Status: 404},
		{Method: "POST", Path: pathSubscribe, Event: "client/updated", TargetURL: "https://example.com/b", Status: 0, Fault: FaultDrop},
	}
	if len(got) != len(want) {
		t.Fatalf("journal has %d entries, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i].Time.Before(before) || got[i].Time.After(time.Now()) || (i > 0 && got[i].Time.Before(got[i-1].Time)) {
			t.Errorf("entry %d: time %s is not the arrival, oldest first", i, got[i].Time)
		}
		got[i].Time = time.Time{}
		if got[i] != want[i] {
			t.Errorf("entry %d = %+v, want %+v", i, got[i], want[i])
		}
	}

	if a := (call{method: http.MethodDelete, path: "/_stub/requests", auth: "-"}).do(t, s); a.status != http.StatusNoContent {
		t.Fatalf("DELETE /_stub/requests: %d %q", a.status, a.body)
	}
	if got := journalOf(t, s); len(got) != 0 {
		t.Fatalf("after DELETE the journal lists %+v", got)
	}
	if s.Calls(OpSubscribe) != 2 || len(s.All()) != 1 {
		t.Fatalf("clearing the journal reset more than the journal: %d subscribes, %v", s.Calls(OpSubscribe), s.All())
	}
	listCall("", "").do(t, s)
	if got := journalOf(t, s); len(got) != 1 || got[0].Path != pathList {
		t.Fatalf("after DELETE and a list, the journal lists %+v", got)
	}
}

// The entries never include the token, whatever the client sends.
func TestJournalNeverHoldsTheToken(t *testing.T) {
	t.Parallel()
	s := NewTestServer(t, "secret-token-123")
	call{method: http.MethodPost, path: pathSubscribe, auth: "Bearer secret-token-123",
		body: map[string]string{"event": "client/created", "target_url": "https://example.com/a"}}.do(t, s)
	a := call{method: http.MethodGet, path: "/_stub/requests", auth: "-"}.do(t, s)
	if strings.Contains(string(a.body), "secret-token-123") || !strings.Contains(string(a.body), "client/created") {
		t.Fatalf("journal %s", a.body)
	}
}

func TestJournalKeepsTheLast10000Requests(t *testing.T) {
	t.Parallel()
	s := New()
	client := inMemory(s)
	for i := range journalSize + 5 {
		path := pathList
		if i < 5 {
			path = "/early"
		}
		call{method: http.MethodGet, path: path}.withClient(client).do(t, s)
	}
	got := s.Journal()
	if len(got) != journalSize {
		t.Fatalf("the journal holds %d entries, want %d", len(got), journalSize)
	}
	for i, e := range got {
		if e.Path != pathList || e.Status != http.StatusOK {
			t.Fatalf("entry %d = %+v: the 5 oldest requests should be gone, the rest answered 200", i, e)
		}
	}
	if s.Calls(OpList) != journalSize {
		t.Fatalf("%d lists counted", s.Calls(OpList))
	}
}

func TestJournalCutsEachEntryTo2KiB(t *testing.T) {
	t.Parallel()
	s := New()
	long := strings.Repeat("é", 3000) // two bytes each: cuts must not split one
	call{method: http.MethodPost, path: pathSubscribe, scope: "biz-" + long, client: inMemory(s),
		body: map[string]string{"event": "client/" + long, "target_url": "https://example.com/" + long}}.do(t, s)
	call{method: http.MethodPost, path: pathSubscribe, client: inMemory(s),
		body: map[string]string{"event": "client/created", "target_url": "https://example.com/" + long}}.do(t, s)

	got := s.Journal()
	first := got[0]
	text := first.Method + first.Path + first.Business + first.Event + first.TargetURL
	if len(text) > journalEntryText {
		t.Errorf("the first entry holds %d bytes of text, want at most %d", len(text), journalEntryText)
	}
	for name, field := range map[string]string{"business": first.Business, "event": first.Event, "target_url": first.TargetURL} {
		if !strings.HasSuffix(field, cutMark) || !utf8.ValidString(field) || len(field) < 500 {
			t.Errorf("%s (%d bytes) should be a fair share of the entry, valid UTF-8, ending in %q", name, len(field), cutMark)
		}
	}
	if first.Method != "POST" || first.Path != pathSubscribe {
		t.Errorf("short fields were cut: %q %q", first.Method, first.Path)
	}
	// A short field leaves its share to the long one.
	second := got[1]
	if second.Event != "client/created" || len(second.TargetURL) < journalEntryText-100 || !strings.HasSuffix(second.TargetURL, cutMark) {
		t.Errorf("second entry: event %q, target URL of %d bytes; want the event whole and nearly 2 KiB of URL", second.Event, len(second.TargetURL))
	}
}

func TestAdminRefusesBrowsersAndForeignHosts(t *testing.T) {
	t.Parallel()
	s := NewTestServer(t)
	admin := func(host, origin string) answer {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, s.URL()+"/_stub/subscriptions",
			strings.NewReader(`{"event":"client/created","target_url":"https://example.com/a"}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "text/plain") // a "simple" request a page may send without asking
		if host != "" {
			req.Host = host
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		var body map[string]string
		_ = json.NewDecoder(resp.Body).Decode(&body)
		return answer{status: resp.StatusCode, body: []byte(body["message"])}
	}
	for _, refused := range []struct{ host, origin, says string }{
		{"", "https://evil.example", "Origin header"},
		{"", "null", "Origin header"},
		{"localhost:8080", "http://localhost:8080", "Origin header"},
		{"evil.example", "", `loopback host (localhost, 127.0.0.0/8 or [::1], any port); this one is to "evil.example"`},
		{"evil.example:8080", "", "loopback host"},
		{"127.0.0.1.nip.io", "", "loopback host"},
		{"10.0.0.1:80", "", "loopback host"},
		{"[::2]:80", "", "loopback host"},
	} {
		if a := admin(refused.host, refused.origin); a.status != http.StatusForbidden || !strings.Contains(string(a.body), refused.says) {
			t.Errorf("Host %q, Origin %q: %d %q, want 403 saying %q", refused.host, refused.origin, a.status, a.body, refused.says)
		}
	}
	if n := len(s.All()); n != 0 {
		t.Fatalf("a refused request added %d subscriptions", n)
	}
	for i, host := range []string{"", "localhost", "LOCALHOST:1234", "127.0.0.1", "127.1.2.3:99", "[::1]:8080", "[::1]"} {
		if i > 0 {
			s.Reset()
		}
		if a := admin(host, ""); a.status != http.StatusCreated {
			t.Errorf("Host %q: %d %q, want 201", host, a.status, a.body)
		}
	}
	// The API itself is not the admin surface: a page cannot use it without
	// the token, and the provider sends no Origin anyway.
	a := subscribeCall("", "client/updated", "https://example.com/a").do(t, s)
	if a.status != http.StatusCreated {
		t.Fatalf("subscribe: %d", a.status)
	}
}

func TestLoopbackHost(t *testing.T) {
	t.Parallel()
	for host, want := range map[string]bool{
		"localhost": true, "localhost:1": true, "127.0.0.1": true, "127.255.0.1:65535": true,
		"[::1]": true, "[::1]:80": true, "[::ffff:127.0.0.1]:80": true,
		"": false, "localhost.": false, "localhost.evil.example": false, "0.0.0.0:80": false,
		"[::]:80": false, "192.168.1.1": false, "example.com:80": false,
	} {
		if got := loopbackHost(host); got != want {
			t.Errorf("loopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}

// A server that keeps no whole requests (vcita-stub's) has Requests empty,
// and the journal still works.
func TestKeepWholeRequestsOff(t *testing.T) {
	t.Parallel()
	s := New()
	client := inMemory(s)
	listCall("", "").withClient(client).do(t, s)
	s.KeepWholeRequests(false)
	if n := len(s.Requests()); n != 0 {
		t.Fatalf("%d requests kept after KeepWholeRequests(false)", n)
	}
	listCall("", "").withClient(client).do(t, s)
	if n, j := len(s.Requests()), len(s.Journal()); n != 0 || j != 2 {
		t.Fatalf("%d whole requests and %d journal entries, want 0 and 2", n, j)
	}
}
