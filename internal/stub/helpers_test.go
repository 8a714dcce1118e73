package stub

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// answer is what the server answered, read in full.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// object decodes the answer as a JSON object.
func (a answer) object(t testing.TB) map[string]any {
	t.Helper()
	var out map[string]any
	if err := json.Unmarshal(a.body, &out); err != nil {
		t.Fatalf("answer %d %q is not a JSON object: %v", a.status, a.body, err)
	}
	return out
}

// expect fails the test unless the answer has this status and, decoded, is
// deeply equal to the JSON want.
func (a answer) expect(t testing.TB, status int, want string) {
	t.Helper()
	if a.status != status {
		t.Fatalf("status = %d, want %d (body %q)", a.status, status, a.body)
	}
	var got, wanted any
	if err := json.Unmarshal(a.body, &got); err != nil {
		t.Fatalf("body %q is not JSON: %v", a.body, err)
	}
	if err := json.Unmarshal([]byte(want), &wanted); err != nil {
		t.Fatalf("bad want %q: %v", want, err)
	}
	if !reflect.DeepEqual(got, wanted) {
		t.Fatalf("body = %s, want %s", bytes.TrimSpace(a.body), want)
	}
	if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type = %q, want application/json", ct)
	}
}

// call is one API request; zero fields take the defaults of a well-behaved
// client (the default token, directory scope).
type call struct {
	method string
	path   string
	body   any    // marshalled to JSON unless a string
	auth   string // Authorization header; "" = Bearer DefaultToken, "-" = none
	scope  string // X-On-Behalf-Of
	client *http.Client
}

// withClient is c sent through client.
func (c call) withClient(client *http.Client) call {
	c.client = client
	return c
}

func (c call) do(t testing.TB, s *Server) answer {
	t.Helper()
	a, err := c.try(t, s)
	if err != nil {
		t.Fatalf("%s %s: %v", c.method, c.path, err)
	}
	return a
}

// try is do for requests that are expected to fail at the transport level.
func (c call) try(t testing.TB, s *Server) (answer, error) {
	t.Helper()
	var body io.Reader
	switch b := c.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequest(c.method, s.URL()+c.path, body)
	if err != nil {
		t.Fatal(err)
	}
	switch c.auth {
	case "":
		req.Header.Set("Authorization", "Bearer "+DefaultToken)
	case "-":
	default:
		req.Header.Set("Authorization", c.auth)
	}
	if c.scope != "" {
		req.Header.Set("X-On-Behalf-Of", c.scope)
	}
	if c.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	client := c.client
	if client == nil {
		client = &http.Client{Timeout: 5 * time.Second, CheckRedirect: noRedirects}
	}
	resp, err := client.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{}, err
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

// noRedirects makes a test client see a redirect rather than follow it, as
// the provider's client does.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

func subscribeCall(scope, event, target string) call {
	return call{method: http.MethodPost, path: pathSubscribe, scope: scope,
		body: map[string]string{"event": event, "target_url": target}}
}

// unsubscribeCall unsubscribes https://example.com/a, the URL every
// unsubscribe test uses; it leaves the event out of the body when it is "".
func unsubscribeCall(event string) call {
	body := map[string]string{"target_url": "https://example.com/a"}
	if event != "" {
		body["event"] = event
	}
	return call{method: http.MethodPost, path: pathUnsubscribe, body: body}
}

func listCall(scope, rawQuery string) call {
	path := pathList
	if rawQuery != "" {
		path += "?" + rawQuery
	}
	return call{method: http.MethodGet, path: path, scope: scope}
}

// listed is one item of a list answer.
type listed struct {
	ID        int64  `json:"id"`
	Entity    string `json:"entity"`
	EventType string `json:"event_type"`
	URL       string `json:"url"`
}

// listItems calls the list endpoint and returns its items.
func listItems(t testing.TB, s *Server, scope, rawQuery string) []listed {
	t.Helper()
	a := listCall(scope, rawQuery).do(t, s)
	if a.status != http.StatusOK {
		t.Fatalf("list: status %d, body %q", a.status, a.body)
	}
	var out struct {
		Response struct {
			Success string `json:"success"`
			Data    struct {
				Subscriptions []listed `json:"subscriptions"`
			} `json:"data"`
		} `json:"response"`
	}
	if err := json.Unmarshal(a.body, &out); err != nil {
		t.Fatalf("list answer %q: %v", a.body, err)
	}
	if out.Response.Success != "ok" {
		t.Fatalf("list answer %q: success is not ok", a.body)
	}
	return out.Response.Data.Subscriptions
}

// mustAdd stores a subscription behind the API's back.
func mustAdd(t testing.TB, s *Server, business, event, target string) Subscription {
	t.Helper()
	sub, err := s.Add(business, event, target)
	if err != nil {
		t.Fatalf("Add(%q, %q, %q): %v", business, event, target, err)
	}
	return sub
}

// events returns the events of subs in order, for compact comparisons.
func events(subs []Subscription) []string {
	out := []string{}
	for _, sub := range subs {
		out = append(out, sub.Event()+" "+sub.URL)
	}
	return out
}
