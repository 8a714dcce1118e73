package stub

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"
)

func TestAdminEndpoints(t *testing.T) {
	s := NewTestServer(t)
	// Admin calls need no token, so none is sent.
	admin := func(method, path string, body any) answer {
		t.Helper()
		return call{method: method, path: path, body: body, auth: "-"}.do(t, s)
	}

	a := admin(http.MethodPost, "/_stub/subscriptions", map[string]string{"business": "biz", "event": "lead/created", "target_url": "https://example.com/a"})
	a.expect(t, 201, `{"id":1001,"business":"biz","entity":"client","event_type":"create","url":"https://example.com/a"}`)
	admin(http.MethodPost, "/_stub/subscriptions", map[string]string{"event": "client/created", "target_url": "https://example.com/b"})
	admin(http.MethodPost, "/_stub/subscriptions", map[string]string{"business": "biz", "event": "client/created", "target_url": "https://example.com/a"}).
		expect(t, 422, `{"status":"Error","message":"stub: 422 Webhook already exists: client/created to \"https://example.com/a\" is subscription 1001"}`)
	for _, body := range []any{
		map[string]string{"event": "client", "target_url": "https://example.com/a"},
		map[string]string{"event": "client/exploded", "target_url": "https://example.com/a"},
		map[string]string{"event": "client/created"},
		"{",
	} {
		if a := admin(http.MethodPost, "/_stub/subscriptions", body); a.status != 400 {
			t.Errorf("POST %v: status %d, want 400", body, a.status)
		}
	}

	admin(http.MethodGet, "/_stub/subscriptions", nil).expect(t, 200, `[
		{"id":1001,"business":"biz","entity":"client","event_type":"create","url":"https://example.com/a"},
		{"id":1002,"business":"","entity":"client","event_type":"create","url":"https://example.com/b"}]`)

	if a := admin(http.MethodDelete, "/_stub/subscriptions/1001", nil); a.status != 204 {
		t.Fatalf("DELETE: status %d", a.status)
	}
	for _, id := range []string{"1001", "9999", "x"} {
		if a := admin(http.MethodDelete, "/_stub/subscriptions/"+id, nil); a.status != 404 {
			t.Errorf("DELETE %s: status %d, want 404", id, a.status)
		}
	}

	// API calls are counted; admin calls are not.
	listCall("", "").do(t, s)
	s.FailNext(OpSubscribe, Fault503, 1)
	subscribeCall("", "client/created", "https://example.com/c").do(t, s)
	admin(http.MethodGet, "/_stub/stats", nil).expect(t, 200, `{"subscribe":1,"unsubscribe":0,"list":1,"faults":1}`)
	if a := admin(http.MethodPost, "/_stub/stats/reset", nil); a.status != 204 {
		t.Fatalf("stats reset: status %d", a.status)
	}
	admin(http.MethodGet, "/_stub/stats", nil).expect(t, 200, `{"subscribe":0,"unsubscribe":0,"list":0,"faults":0}`)

	// Faults, including the pieces scripts write as strings.
	if a := admin(http.MethodPut, "/_stub/faults", `{"rate":1,"kinds":["429"],"ops":["list"],"retry_after":"9","latency":"20ms"}`); a.status != 204 {
		t.Fatalf("PUT faults: status %d %q", a.status, a.body)
	}
	start := time.Now()
	a = listCall("", "").do(t, s)
	if a.status != 429 || a.header.Get("Retry-After") != "9" || time.Since(start) < 20*time.Millisecond {
		t.Fatalf("after PUT faults, list: %d, Retry-After %q, in %s", a.status, a.header.Get("Retry-After"), time.Since(start))
	}
	for _, body := range []string{`{"rate":1}`, `{"kinds":["boom"]}`, `{"latency":"later"}`, `{"rate":1,"kinds":["502"],"typo":1}`} {
		if a := admin(http.MethodPut, "/_stub/faults", body); a.status != 400 {
			t.Errorf("PUT faults %s: status %d, want 400", body, a.status)
		}
	}

	if a := admin(http.MethodPut, "/_stub/behaviour", `{"list_as_subscribed":true,"SubscribeStatus":200}`); a.status != 204 {
		t.Fatalf("PUT behaviour: status %d %q", a.status, a.body)
	}
	for _, body := range []string{`{"subscribe_status":42}`, `{"list_as_subscribed":"yes"}`, `{"nope":true}`} {
		if a := admin(http.MethodPut, "/_stub/behaviour", body); a.status != 400 {
			t.Errorf("PUT behaviour %s: status %d, want 400", body, a.status)
		}
	}
	if got := s.All()[0].Event(); got != "client/created" {
		t.Fatalf("after PUT behaviour, All reports %q", got)
	}

	if a := admin(http.MethodPost, "/_stub/reset", nil); a.status != 204 {
		t.Fatalf("reset: status %d", a.status)
	}
	admin(http.MethodGet, "/_stub/subscriptions", nil).expect(t, 200, `[]`)
	if a := listCall("", "").do(t, s); a.status != 200 {
		t.Fatalf("a fault survived the reset: %d", a.status)
	}

	// Unknown admin paths and methods.
	if a := admin(http.MethodGet, "/_stub/nothing", nil); a.status != 404 {
		t.Errorf("unknown admin path: %d", a.status)
	}
	if a := admin(http.MethodPost, "/_stub/stats", nil); a.status != 405 {
		t.Errorf("wrong admin method: %d", a.status)
	}
	if n := len(s.Requests()); n != 1 {
		t.Fatalf("%d API requests recorded, want only the list after the reset", n)
	}
}

func TestAdminIsNeverFaulted(t *testing.T) {
	s := NewTestServer(t)
	s.SetFaults(FaultConfig{Rate: 1, Kinds: []FaultKind{FaultDrop}})
	a := call{method: http.MethodGet, path: "/_stub/stats", auth: "-"}.do(t, s)
	var stats map[string]int
	if err := json.Unmarshal(a.body, &stats); err != nil || a.status != 200 {
		t.Fatalf("stats: %d %q", a.status, a.body)
	}
	if want := map[string]int{"subscribe": 0, "unsubscribe": 0, "list": 0, "faults": 0}; !reflect.DeepEqual(stats, want) {
		t.Fatalf("stats = %v, want %v", stats, want)
	}
}
