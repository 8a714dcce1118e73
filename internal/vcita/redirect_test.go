package vcita

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

// elsewhere is a server a redirect points at. It answers every request with
// an empty 200, as a web server answering a GET would, and records what it
// was sent: nothing, when the client does not follow redirects.
type elsewhere struct {
	*httptest.Server
	mu       sync.Mutex
	requests []*http.Request
}

func newElsewhere(t *testing.T) *elsewhere {
	t.Helper()
	e := &elsewhere{}
	e.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		e.requests = append(e.requests, r.Clone(r.Context()))
		e.mu.Unlock()
	}))
	t.Cleanup(e.Close)
	return e
}

// mustNotBeReached fails the test if anything reached e, saying what leaked.
func (e *elsewhere) mustNotBeReached(t *testing.T) {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, r := range e.requests {
		t.Errorf("the redirect was followed: %s %s reached %s with Authorization %q and X-On-Behalf-Of %q",
			r.Method, r.URL.Path, e.URL, r.Header.Get("Authorization"), r.Header.Get("X-On-Behalf-Of"))
	}
}

// checkRedirectError asserts err is the typed, unretried redirect error and
// that its message names the status and the target (the provider's diagnostic points at base_url).
func checkRedirectError(t *testing.T, err error, status int, target string, s *stub.Server, op string) {
	t.Helper()
	if !IsRedirect(err) {
		t.Fatalf("error = %v, want a redirect error", err)
	}
	for _, want := range []string{http.StatusText(status), target} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	if n := s.Calls(op); n != 1 {
		t.Errorf("%s calls = %d, want 1: a redirect is not retried", op, n)
	}
}

// redirectFault makes the stub answer every call op with a redirect of the
// given status to target.
func redirectFault(op string, status int, target string) stub.FaultConfig {
	return stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.FaultRedirect}, Ops: []string{op}, RedirectStatus: status, RedirectTo: target}
}

func TestRedirectFromHTTPSToHTTPIsNotFollowed(t *testing.T) {
	t.Parallel()
	plain := newElsewhere(t)
	s := stub.New()
	s.SetFaults(redirectFault(stub.OpList, http.StatusMovedPermanently, plain.URL))
	secure := httptest.NewTLSServer(s)
	t.Cleanup(secure.Close)
	c, err := New(Config{BaseURL: secure.URL, Token: stub.DefaultToken, Transport: secure.Client().Transport})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListSubscriptions(t.Context(), "biz-1")
	checkRedirectError(t, err, http.StatusMovedPermanently, plain.URL, s, stub.OpList)
	plain.mustNotBeReached(t)
}

func TestRedirectToAnotherHostIsNotFollowed(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		op     string
		status int
		call   func(c *Client, ctx context.Context) error
	}{
		"302 on list": {op: stub.OpList, status: http.StatusFound, call: func(c *Client, ctx context.Context) error {
			_, err := c.ListSubscriptions(ctx, "biz-1")
			return err
		}},
		"307 on subscribe": {op: stub.OpSubscribe, status: http.StatusTemporaryRedirect, call: func(c *Client, ctx context.Context) error {
			_, err := c.Subscribe(ctx, "", mustEvent("client/updated"), hook)
			return err
		}},
		"302 on unsubscribe": {op: stub.OpUnsubscribe, status: http.StatusFound, call: func(c *Client, ctx context.Context) error {
			return c.Unsubscribe(ctx, "", mustEvent("client/created"), hook)
		}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			other := newElsewhere(t)
			s := stub.NewTestServer(t)
			if _, err := s.Add("", "client/created", hook); err != nil {
				t.Fatal(err)
			}
			s.SetFaults(redirectFault(tc.op, tc.status, other.URL))
			c, err := New(Config{BaseURL: s.URL(), Token: stub.DefaultToken})
			if err != nil {
				t.Fatal(err)
			}
			checkRedirectError(t, tc.call(c, t.Context()), tc.status, other.URL, s, tc.op)
			other.mustNotBeReached(t)
			// Nothing made, nothing removed: in particular the unsubscribe is
			// not read as done, as it was when a followed 302 became a GET
			// answered by an empty 200.
			if n := len(s.All()); n != 1 {
				t.Errorf("%d subscriptions on the stub, want the 1 there before", n)
			}
		})
	}
}

func TestRedirectTargetNeverShowsAPathOrASecret(t *testing.T) {
	t.Parallel()
	c, err := New(Config{BaseURL: "https://api.example.com", Token: "secret-token"})
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]string{
		"https://other.example.com/platform/v1?token=secret-token": "https://other.example.com",
		"http://user:pass@other.example.com:8080/x":                "http://other.example.com:8080",
		"/moved/here": "https://api.example.com",
		"":            "",
		"::not a url": "",
	}
	for location, want := range tests {
		if got := c.redirectTarget(http.Header{"Location": []string{location}}); got != want {
			t.Errorf("redirectTarget(%q) = %q, want %q", location, got, want)
		}
	}
}
