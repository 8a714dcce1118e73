package vcita

import (
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

// redirectingStub is a stub that answers every call op with a redirect of
// the given status to target.
func redirectingStub(t *testing.T, op string, status int, target string) *stub.Server {
	t.Helper()
	s := stub.NewTestServer(t)
	s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.FaultRedirect}, Ops: []string{op}, RedirectStatus: status, RedirectTo: target})
	return s
}

// checkRedirectError asserts err is the typed, unretried redirect error and
// that its message names the status, the target and base_url.
func checkRedirectError(t *testing.T, err error, status int, target string, s *stub.Server, op string) {
	t.Helper()
	if !IsRedirect(err) {
		t.Fatalf("error = %v, want a redirect error", err)
	}
	for _, want := range []string{http.StatusText(status), target, "base_url"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	if n := s.Calls(op); n != 1 {
		t.Errorf("%s calls = %d, want 1: a redirect is not retried", op, n)
	}
}

func TestRedirectFromHTTPSToHTTPIsNotFollowed(t *testing.T) {
	t.Parallel()
	plain := newElsewhere(t)
	s := stub.New()
	s.SetFaults(stub.FaultConfig{Rate: 1, Kinds: []stub.FaultKind{stub.FaultRedirect}, Ops: []string{stub.OpList}, RedirectStatus: http.StatusMovedPermanently, RedirectTo: plain.URL})
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
	other := newElsewhere(t)
	s := redirectingStub(t, stub.OpList, http.StatusFound, other.URL)
	c, err := New(Config{BaseURL: s.URL(), Token: stub.DefaultToken})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListSubscriptions(t.Context(), "biz-1")
	checkRedirectError(t, err, http.StatusFound, other.URL, s, stub.OpList)
	other.mustNotBeReached(t)
}

func TestRedirectOfASubscribeIsNotFollowed(t *testing.T) {
	t.Parallel()
	other := newElsewhere(t)
	s := redirectingStub(t, stub.OpSubscribe, http.StatusTemporaryRedirect, other.URL)
	c, err := New(Config{BaseURL: s.URL(), Token: stub.DefaultToken})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Subscribe(t.Context(), "", "client/created", hook)
	checkRedirectError(t, err, http.StatusTemporaryRedirect, other.URL, s, stub.OpSubscribe)
	other.mustNotBeReached(t)
	if n := len(s.All()); n != 0 {
		t.Errorf("%d subscriptions on the stub, want none", n)
	}
}

func TestRedirectOfAnUnsubscribeIsNotASuccess(t *testing.T) {
	t.Parallel()
	other := newElsewhere(t)
	s := redirectingStub(t, stub.OpUnsubscribe, http.StatusFound, other.URL)
	if _, err := s.Add("", "client/created", hook); err != nil {
		t.Fatal(err)
	}
	c, err := New(Config{BaseURL: s.URL(), Token: stub.DefaultToken})
	if err != nil {
		t.Fatal(err)
	}
	// Followed, the 302 would become a GET answered by an empty 200, which
	// reads as success while the subscription is still there.
	err = c.Unsubscribe(t.Context(), "", "client/created", hook)
	checkRedirectError(t, err, http.StatusFound, other.URL, s, stub.OpUnsubscribe)
	other.mustNotBeReached(t)
	if n := len(s.All()); n != 1 {
		t.Errorf("%d subscriptions on the stub, want the one the unsubscribe did not remove", n)
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
