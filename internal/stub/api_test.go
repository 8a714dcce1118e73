package stub

import (
	"errors"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestSubscribeSuccessShapes(t *testing.T) {
	tests := []struct {
		name      string
		behaviour Behaviour
		status    int
		want      string
	}{
		{"documented shape", Behaviour{}, 201, `{"status":"OK","data":{"subscription_id":"1001"}}`},
		{"id with 200", Behaviour{SubscribeStatus: 200}, 200, `{"status":"OK","data":{"subscription_id":"1001"}}`},
		{"no id, 201", Behaviour{SubscribeWithoutID: true}, 201, `{"response":"Subscribed"}`},
		{"no id, 200", Behaviour{SubscribeWithoutID: true, SubscribeStatus: 200}, 200, `{"response":"Subscribed"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewTestServer(t)
			s.SetBehaviour(tt.behaviour)
			subscribeCall("", "client/created", "https://example.com/hook").do(t, s).expect(t, tt.status, tt.want)
			want := []Subscription{{ID: 1001, Entity: "client", EventType: "create", URL: "https://example.com/hook"}}
			if got := s.All(); !reflect.DeepEqual(got, want) {
				t.Fatalf("stored %+v, want %+v", got, want)
			}
		})
	}
}

func TestSubscribeRefusals(t *testing.T) {
	const target = "https://example.com/hook"
	notSubscribed := `{"response":"Not Subscribed"}`
	tests := []struct {
		name   string
		body   any
		status int
		want   string
	}{
		{"invalid JSON", `{"event":`, 400, `{"status":"Error","message":"Invalid JSON body"}`},
		{"missing event", map[string]string{"target_url": target}, 400, `{"status":"Error","message":"Invalid event format"}`},
		{"empty event", map[string]string{"event": "", "target_url": target}, 400, `{"status":"Error","message":"Invalid event format"}`},
		{"event without slash", map[string]string{"event": "client", "target_url": target}, 400, `{"status":"Error","message":"Invalid event format"}`},
		{"event with two slashes", map[string]string{"event": "client/created/now", "target_url": target}, 400, `{"status":"Error","message":"Invalid event format"}`},
		{"missing target_url", map[string]string{"event": "client/created"}, 400, `{"status":"Error","message":"target_url is required"}`},
		{"event outside the catalogue", map[string]string{"event": "client/exploded", "target_url": target}, 500, notSubscribed},
		{"base verb outside the catalogue", map[string]string{"event": "client/create", "target_url": target}, 500, notSubscribed},
		{"refused target", map[string]string{"event": "client/created", "target_url": "https://unreachable.example/hook"}, 500, notSubscribed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewTestServer(t)
			s.SetBehaviour(Behaviour{RefuseTargetsContaining: "unreachable"})
			c := call{method: http.MethodPost, path: pathSubscribe, body: tt.body}
			c.do(t, s).expect(t, tt.status, tt.want)
			if got := s.All(); len(got) != 0 {
				t.Fatalf("a refused subscribe stored %+v", got)
			}
		})
	}
}

func TestSubscribeUnknownFieldsIgnored(t *testing.T) {
	s := NewTestServer(t)
	c := call{method: http.MethodPost, path: pathSubscribe,
		body: map[string]any{"event": "client/created", "target_url": "https://example.com/a", "secret": "x", "n": 3}}
	c.do(t, s).expect(t, 201, `{"status":"OK","data":{"subscription_id":"1001"}}`)
}

func TestSubscribeDuplicates(t *testing.T) {
	tests := []struct {
		name          string
		first, second string // events
		secondURL     string // "" = the same URL
		secondScope   string
		status        int
	}{
		{"same event", "client/created", "client/created", "", "", 422},
		{"entity alias", "client/created", "lead/created", "", "", 422},
		{"alias the other way", "lead/created", "client/created", "", "", 422},
		{"verb tense", "purchasable_subscription/created", "purchasable_subscription/create", "", "", 422},
		{"alias and tense", "appointment/scheduled", "meeting/scheduled", "", "", 422},
		{"another event", "client/created", "client/updated", "", "", 201},
		{"trailing slash is another URL", "client/created", "client/created", "https://example.com/hook/", "", 201},
		{"case is another URL", "client/created", "client/created", "https://example.com/Hook", "", 201},
		{"another scope", "client/created", "client/created", "", "biz-1", 201},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewTestServer(t)
			const target = "https://example.com/hook"
			subscribeCall("", tt.first, target).do(t, s).expect(t, 201, `{"status":"OK","data":{"subscription_id":"1001"}}`)
			second := target
			if tt.secondURL != "" {
				second = tt.secondURL
			}
			a := subscribeCall(tt.secondScope, tt.second, second).do(t, s)
			if tt.status == 422 {
				a.expect(t, 422, `{"status":"Error","message":"Webhook already exists"}`)
				if n := len(s.All()); n != 1 {
					t.Fatalf("%d subscriptions stored after a duplicate, want 1", n)
				}
				return
			}
			a.expect(t, 201, `{"status":"OK","data":{"subscription_id":"1002"}}`)
		})
	}
}

func TestAuth(t *testing.T) {
	tests := []struct {
		name   string
		tokens []string
		auth   string
		ok     bool
	}{
		{"bearer default token", nil, "Bearer " + DefaultToken, true},
		{"legacy Token scheme", nil, "Token " + DefaultToken, true},
		{"scheme is case-insensitive", nil, "bearer " + DefaultToken, true},
		{"missing header", nil, "-", false},
		{"wrong token", nil, "Bearer nope", false},
		{"no token", nil, "Bearer", false},
		{"empty token", nil, "Bearer ", false},
		{"other scheme", nil, "Basic " + DefaultToken, false},
		{"token without scheme", nil, DefaultToken, false},
		{"custom token", []string{"t1", "t2"}, "Bearer t2", true},
		{"default token refused when others are set", []string{"t1"}, "Bearer " + DefaultToken, false},
		{"empty tokens fall back to the default", []string{""}, "Bearer " + DefaultToken, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewTestServer(t, tt.tokens...)
			for _, c := range []call{
				subscribeCall("", "client/created", "https://example.com/a"),
				unsubscribeCall("client/created"),
				listCall("", ""),
			} {
				c.auth = tt.auth
				a := c.do(t, s)
				if !tt.ok {
					a.expect(t, 401, `{"status":"Error","message":"Unauthorized"}`)
				} else if a.status == 401 {
					t.Fatalf("%s: refused a valid token", c.path)
				}
			}
			// Refused requests still reached the handler, so they count.
			for _, op := range ops {
				if got := s.Calls(op); got != 1 {
					t.Errorf("Calls(%q) = %d, want 1", op, got)
				}
			}
		})
	}
}

func TestListCanonicalisesEvents(t *testing.T) {
	s := NewTestServer(t)
	// Each subscription as subscribed, and as the list reports it: the
	// canonical entity and the past-tense verb's catalogue form.
	subscriptions := []struct{ subscribed, listed, url string }{
		{"appointment/scheduled", "meeting/scheduled", "https://example.com/a"},
		{"client/created", "client/create", "https://example.com/a"},
		{"lead/created", "client/create", "https://example.com/b"},
		{"account/updated", "business/update", "https://example.com/a"},
		{"tag/add", "tag/add", "https://example.com/a"},
	}
	for _, sub := range subscriptions {
		subscribeCall("", sub.subscribed, sub.url).do(t, s)
	}
	wantList := func(asSubscribed bool) []listed {
		want := make([]listed, 0, len(subscriptions))
		for i, sub := range subscriptions {
			event := sub.listed
			if asSubscribed {
				event = sub.subscribed
			}
			entity, eventType, _ := strings.Cut(event, "/")
			want = append(want, listed{int64(1001 + i), entity, eventType, sub.url})
		}
		return want
	}

	asListed := wantList(false)
	if got := listItems(t, s, "", ""); !reflect.DeepEqual(got, asListed) {
		t.Fatalf("list = %+v\nwant %+v", got, asListed)
	}
	// The stored form is kept, so the behaviour can change after the fact.
	s.SetBehaviour(Behaviour{ListAsSubscribed: true})
	asSubscribed := wantList(true)
	if got := listItems(t, s, "", ""); !reflect.DeepEqual(got, asSubscribed) {
		t.Fatalf("list as subscribed = %+v\nwant %+v", got, asSubscribed)
	}
	if got := s.Subscriptions("")[2].Event(); got != "lead/created" {
		t.Fatalf("Subscriptions reports %q, want it to follow ListAsSubscribed", got)
	}
}

func TestListAnswerShape(t *testing.T) {
	s := NewTestServer(t)
	listCall("", "").do(t, s).expect(t, 200, `{"response":{"success":"ok","data":{"subscriptions":[]}}}`)
	mustAdd(t, s, "", "client/created", "https://example.com/a")
	mustAdd(t, s, "biz", "client/created", "https://example.com/b")
	// Exactly the documented fields: the business is never reported, and
	// the id is a number.
	listCall("", "").do(t, s).expect(t, 200,
		`{"response":{"success":"ok","data":{"subscriptions":[{"id":1001,"entity":"client","event_type":"create","url":"https://example.com/a"}]}}}`)
}

func TestListFilters(t *testing.T) {
	s := NewTestServer(t)
	mustAdd(t, s, "", "client/created", "https://example.com/a")    // 1001 client/create
	mustAdd(t, s, "", "client/updated", "https://example.com/a")    // 1002 client/update
	mustAdd(t, s, "", "lead/created", "https://example.com/b")      // 1003 client/create
	mustAdd(t, s, "", "meeting/scheduled", "https://example.com/a") // 1004 meeting/scheduled

	tests := []struct {
		query string
		ids   []int64
	}{
		{"", []int64{1001, 1002, 1003, 1004}},
		{"filter[entity]=client", []int64{1001, 1002, 1003}},
		{"filter%5Bentity%5D=client", []int64{1001, 1002, 1003}},
		{"filter[event_type]=create", []int64{1001, 1003}},
		{"filter[entity]=client&filter[event_type]=update", []int64{1002}},
		{"filter[entity]=meeting", []int64{1004}},
		// Filters match what is reported, exactly: no alias or tense folding.
		{"filter[entity]=lead", nil},
		{"filter[event_type]=created", nil},
		{"filter[entity]=appointment", nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var got []int64
			for _, item := range listItems(t, s, "", tt.query) {
				got = append(got, item.ID)
			}
			if !slices.Equal(got, tt.ids) {
				t.Fatalf("ids = %v, want %v", got, tt.ids)
			}
		})
	}

	t.Run("as subscribed", func(t *testing.T) {
		s.SetBehaviour(Behaviour{ListAsSubscribed: true})
		defer s.SetBehaviour(Behaviour{})
		var got []int64
		for _, item := range listItems(t, s, "", "filter[entity]=lead&filter[event_type]=created") {
			got = append(got, item.ID)
		}
		if !slices.Equal(got, []int64{1003}) {
			t.Fatalf("ids = %v, want [1003]", got)
		}
	})
}

func TestScopesAreIsolated(t *testing.T) {
	s := NewTestServer(t)
	const target = "https://example.com/hook"
	for _, scope := range []string{"", "biz-a", "biz-b"} {
		subscribeCall(scope, "client/created", target).do(t, s)
	}
	subscribeCall("biz-a", "client/updated", target).do(t, s)

	for scope, want := range map[string][]int64{"": {1001}, "biz-a": {1002, 1004}, "biz-b": {1003}, "biz-c": nil} {
		var got []int64
		for _, item := range listItems(t, s, scope, "") {
			got = append(got, item.ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("scope %q lists %v, want %v", scope, got, want)
		}
		var stored []int64
		for _, sub := range s.Subscriptions(scope) {
			stored = append(stored, sub.ID)
			if sub.Business != scope {
				t.Errorf("subscription %d of scope %q has Business %q", sub.ID, scope, sub.Business)
			}
		}
		if !slices.Equal(stored, want) {
			t.Errorf("Subscriptions(%q) = %v, want %v", scope, stored, want)
		}
	}
	if n := len(s.All()); n != 4 {
		t.Fatalf("All has %d subscriptions, want 4", n)
	}
}

func TestUnsubscribe(t *testing.T) {
	const (
		a = "https://example.com/a"
		b = "https://example.com/b"
	)
	// Every case starts from the same state: three subscriptions of URL a
	// and one of URL b at directory level, and one of URL a in a business.
	setup := func(t *testing.T) *Server {
		s := NewTestServer(t)
		mustAdd(t, s, "", "client/created", a)
		mustAdd(t, s, "", "client/updated", a)
		mustAdd(t, s, "", "meeting/scheduled", a)
		mustAdd(t, s, "", "client/created", b)
		mustAdd(t, s, "biz", "client/created", a)
		return s
	}
	unsubscribed := `{"status":"OK","data":{"unsubscribed":true}}`
	nothing := `{"status":"OK","data":{"unsubscribed":false}}`
	tests := []struct {
		name   string
		scope  string
		body   any
		status int
		want   string
		left   []string // directory-level subscriptions left
	}{
		{
			name: "with event removes only that one", body: map[string]string{"event": "client/created", "target_url": a},
			status: 200, want: unsubscribed,
			left: []string{"client/update " + a, "meeting/scheduled " + a, "client/create " + b},
		},
		{
			name: "alias and tense name the same subscription", body: map[string]string{"event": "lead/created", "target_url": a},
			status: 200, want: unsubscribed,
			left: []string{"client/update " + a, "meeting/scheduled " + a, "client/create " + b},
		},
		{
			name: "appointment alias", body: map[string]string{"event": "appointment/scheduled", "target_url": a},
			status: 200, want: unsubscribed,
			left: []string{"client/create " + a, "client/update " + a, "client/create " + b},
		},
		{
			name: "without event removes every subscription of the URL", body: map[string]string{"target_url": a},
			status: 200, want: unsubscribed,
			left: []string{"client/create " + b},
		},
		{
			name: "empty event is no event", body: map[string]string{"event": "", "target_url": a},
			status: 200, want: unsubscribed,
			left: []string{"client/create " + b},
		},
		{
			name: "URL compared exactly", body: map[string]string{"target_url": a + "/"},
			status: 200, want: nothing,
			left: []string{"client/create " + a, "client/update " + a, "meeting/scheduled " + a, "client/create " + b},
		},
		{
			name: "nothing matches", body: map[string]string{"event": "client/created", "target_url": "https://example.com/c"},
			status: 200, want: nothing,
			left: []string{"client/create " + a, "client/update " + a, "meeting/scheduled " + a, "client/create " + b},
		},
		{
			name: "another scope", scope: "biz", body: map[string]string{"target_url": a},
			status: 200, want: unsubscribed,
			left: []string{"client/create " + a, "client/update " + a, "meeting/scheduled " + a, "client/create " + b},
		},
		{
			name: "missing target_url", body: map[string]string{"event": "client/created"},
			status: 400, want: `{"status":"Error","message":"target_url is required"}`,
			left: []string{"client/create " + a, "client/update " + a, "meeting/scheduled " + a, "client/create " + b},
		},
		{
			name: "bad event format", body: map[string]string{"event": "client", "target_url": a},
			status: 400, want: `{"status":"Error","message":"Invalid event format"}`,
			left: []string{"client/create " + a, "client/update " + a, "meeting/scheduled " + a, "client/create " + b},
		},
		{
			name: "invalid JSON", body: `[`,
			status: 400, want: `{"status":"Error","message":"Invalid JSON body"}`,
			left: []string{"client/create " + a, "client/update " + a, "meeting/scheduled " + a, "client/create " + b},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := setup(t)
			c := call{method: http.MethodPost, path: pathUnsubscribe, scope: tt.scope, body: tt.body}
			c.do(t, s).expect(t, tt.status, tt.want)
			if got := events(s.Subscriptions("")); !slices.Equal(got, tt.left) {
				t.Fatalf("left at directory level:\n%q\nwant\n%q", got, tt.left)
			}
			wantBiz := 1
			if tt.scope == "biz" {
				wantBiz = 0
			}
			if n := len(s.Subscriptions("biz")); n != wantBiz {
				t.Fatalf("business scope has %d subscriptions, want %d", n, wantBiz)
			}
		})
	}
}

func TestUnsubscribePlainText(t *testing.T) {
	s := NewTestServer(t)
	s.SetBehaviour(Behaviour{UnsubscribePlainText: true})
	mustAdd(t, s, "", "client/created", "https://example.com/a")
	a := unsubscribeCall("client/created").do(t, s)
	a.expect(t, 200, `"Unsubscribed"`)
	// Nothing to remove keeps the object shape, which says so.
	unsubscribeCall("client/created").do(t, s).
		expect(t, 200, `{"status":"OK","data":{"unsubscribed":false}}`)
}

func TestExtraFields(t *testing.T) {
	s := NewTestServer(t)
	s.SetBehaviour(Behaviour{ExtraFields: true})
	hasExtra := func(t *testing.T, o map[string]any) {
		t.Helper()
		if _, ok := o["x_stub_extra"]; !ok {
			t.Fatalf("no unknown field in %v", o)
		}
	}

	sub := subscribeCall("", "client/created", "https://example.com/a").do(t, s)
	body := sub.object(t)
	hasExtra(t, body)
	if id := mapAt(t, body, "data")["subscription_id"]; id != "1001" {
		t.Fatalf("subscription_id = %v, want 1001", id)
	}
	hasExtra(t, subscribeCall("", "client/created", "https://example.com/a").do(t, s).object(t)) // 422
	hasExtra(t, call{method: http.MethodGet, path: pathList, auth: "-"}.do(t, s).object(t))      // 401

	list := listCall("", "").do(t, s).object(t)
	hasExtra(t, list)
	items, ok := mapAt(t, mapAt(t, list, "response"), "data")["subscriptions"].([]any)
	if !ok {
		t.Fatalf("no subscriptions array in %v", list)
	}
	if len(items) != 1 {
		t.Fatalf("list has %d items, want 1", len(items))
	}
	item, ok := items[0].(map[string]any)
	if !ok {
		t.Fatalf("list item %v is not an object", items[0])
	}
	hasExtra(t, item)
	if item["entity"] != "client" || item["event_type"] != "create" || item["url"] != "https://example.com/a" {
		t.Fatalf("documented fields lost: %v", item)
	}
	// Still decodes as a lenient client would.
	if got := listItems(t, s, "", ""); len(got) != 1 || got[0].ID != 1001 {
		t.Fatalf("list items = %+v", got)
	}
}

func TestUnknownPathAndMethod(t *testing.T) {
	s := NewTestServer(t)
	tests := []struct {
		method, path string
		status       int
		allow        string
	}{
		{http.MethodGet, "/platform/v1/webhook/list", 404, ""},
		{http.MethodGet, "/platform/v1/webhooks/", 404, ""},
		{http.MethodGet, "/", 404, ""},
		{http.MethodGet, pathSubscribe, 405, "POST"},
		{http.MethodDelete, pathUnsubscribe, 405, "POST"},
		{http.MethodPost, pathList, 405, "GET"},
	}
	for _, tt := range tests {
		a := call{method: tt.method, path: tt.path}.do(t, s)
		if a.status != tt.status {
			t.Errorf("%s %s: status %d, want %d", tt.method, tt.path, a.status, tt.status)
		}
		if got := a.header.Get("Allow"); got != tt.allow {
			t.Errorf("%s %s: Allow %q, want %q", tt.method, tt.path, got, tt.allow)
		}
		if tt.status == 404 && strings.TrimSpace(string(a.body)) != "Not Found" {
			t.Errorf("%s %s: body %q, want Not Found", tt.method, tt.path, a.body)
		}
	}
	for _, op := range ops {
		if n := s.Calls(op); n != 0 {
			t.Errorf("Calls(%q) = %d for requests the API does not serve", op, n)
		}
	}
	reqs := s.Requests()
	if len(reqs) != len(tests) || reqs[0].Op != "" || reqs[0].Path != tests[0].path {
		t.Fatalf("requests = %+v, want the %d strays recorded without an op", reqs, len(tests))
	}
}

func TestRequestsRecorded(t *testing.T) {
	s := NewTestServer(t)
	subscribeCall("biz", "client/created", "https://example.com/a").do(t, s)
	listCall("biz", "filter[entity]=client").do(t, s)
	c := unsubscribeCall("")
	c.auth = "-"
	c.do(t, s)

	reqs := s.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests recorded, want 3", len(reqs))
	}
	if r := reqs[0]; r.Op != OpSubscribe || r.Method != "POST" || r.Path != pathSubscribe ||
		r.Body != `{"event":"client/created","target_url":"https://example.com/a"}` ||
		r.Header.Get("X-On-Behalf-Of") != "biz" || r.Header.Get("Authorization") != "Bearer "+DefaultToken {
		t.Errorf("subscribe recorded as %+v", r)
	}
	if r := reqs[1]; r.Op != OpList || r.RawQuery != "filter[entity]=client" || r.Body != "" {
		t.Errorf("list recorded as %+v", r)
	}
	if r := reqs[2]; r.Op != OpUnsubscribe || r.Body != `{"target_url":"https://example.com/a"}` {
		t.Errorf("unauthorised unsubscribe recorded as %+v", r)
	}
	// The log is a copy.
	reqs[0].Header.Set("X-On-Behalf-Of", "changed")
	if got := s.Requests()[0].Header.Get("X-On-Behalf-Of"); got != "biz" {
		t.Fatalf("Requests shares its headers with the server: %q", got)
	}
}

func TestAdd(t *testing.T) {
	s := New()
	s.SetBehaviour(Behaviour{RefuseTargetsContaining: "down"})
	sub := mustAdd(t, s, "biz", "lead/created", "https://example.com/a")
	want := Subscription{ID: 1001, Business: "biz", Entity: "client", EventType: "create", URL: "https://example.com/a"}
	if sub != want {
		t.Fatalf("Add = %+v, want %+v", sub, want)
	}
	tests := []struct {
		business, event, target string
		want                    *Error
	}{
		{"biz", "client/created", "https://example.com/a", ErrAlreadyExists},
		{"biz", "client", "https://example.com/a", ErrInvalidEvent},
		{"biz", "client/created", "", ErrTargetRequired},
		{"biz", "client/exploded", "https://example.com/a", ErrNotSubscribed},
		{"biz", "client/created", "https://down.example.com/", ErrNotSubscribed},
	}
	for _, tt := range tests {
		_, err := s.Add(tt.business, tt.event, tt.target)
		if !errors.Is(err, tt.want) {
			t.Errorf("Add(%q, %q, %q) = %v, want %v", tt.business, tt.event, tt.target, err, tt.want)
		}
	}
	if n := len(s.All()); n != 1 {
		t.Fatalf("%d subscriptions stored, want 1", n)
	}
	// Add is not an API call.
	if n := s.Calls(OpSubscribe); n != 0 {
		t.Fatalf("Calls(subscribe) = %d after Add", n)
	}
}

func TestAddThenSubscribeIsDuplicate(t *testing.T) {
	s := NewTestServer(t)
	mustAdd(t, s, "", "client/created", "https://example.com/a")
	subscribeCall("", "lead/created", "https://example.com/a").do(t, s).
		expect(t, 422, `{"status":"Error","message":"Webhook already exists"}`)
}

func TestRemoveAndReset(t *testing.T) {
	s := New()
	mustAdd(t, s, "", "client/created", "https://example.com/a")
	mustAdd(t, s, "biz", "client/created", "https://example.com/a")
	if !s.Remove(1002) {
		t.Fatal("Remove(1002) = false")
	}
	if s.Remove(1002) {
		t.Fatal("Remove(1002) twice = true")
	}
	if got := events(s.All()); !slices.Equal(got, []string{"client/create https://example.com/a"}) || s.All()[0].ID != 1001 {
		t.Fatalf("All = %+v", s.All())
	}

	s.SetBehaviour(Behaviour{ListAsSubscribed: true})
	s.SetFaults(FaultConfig{Rate: 1, Kinds: []FaultKind{Fault502}})
	s.FailNext(OpList, Fault503, 1)
	s.Reset()
	if n := len(s.All()); n != 0 {
		t.Fatalf("%d subscriptions after Reset", n)
	}
	if sub := mustAdd(t, s, "", "lead/created", "https://example.com/a"); sub.ID != 1001 || sub.Entity != "client" {
		t.Fatalf("after Reset, Add = %+v, want id 1001 and the default behaviour", sub)
	}
	if _, ok := s.nextFault(OpList, ""); ok {
		t.Fatal("a fault survived Reset")
	}
}

// mapAt returns the object under key, failing the test if there is none.
func mapAt(t *testing.T, o map[string]any, key string) map[string]any {
	t.Helper()
	inner, ok := o[key].(map[string]any)
	if !ok {
		t.Fatalf("%q is not an object in %v", key, o)
	}
	return inner
}
