package vcita

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

// quickRetries is a config whose retries would take no time, so that a test
// counts attempts rather than waits.
func quickRetries(baseURL string, transport http.RoundTripper) Config {
	return Config{BaseURL: baseURL, Token: stub.DefaultToken, MaxRetries: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond, Transport: transport}
}

func TestHostNotFoundIsNotRetried(t *testing.T) {
	t.Parallel()
	var dials atomic.Int32
	transport := &http.Transport{DialContext: func(_ context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		// What the resolver answers for a name that does not exist.
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: "api.vcita.invalid", IsNotFound: true}}
	}}
	c, err := New(quickRetries("https://api.vcita.invalid", transport))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListSubscriptions(t.Context(), "")
	if !IsHostNotFound(err) {
		t.Fatalf("error = %v, want host not found", err)
	}
	if n := dials.Load(); n != 1 {
		t.Errorf("%d attempts, want 1: a name that does not exist will not exist on retry", n)
	}
}

func TestUntrustedCertificateIsNotRetried(t *testing.T) {
	t.Parallel()
	var requests atomic.Int32
	server := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { requests.Add(1) }))
	t.Cleanup(server.Close)
	var handshakes atomic.Int32
	transport := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		handshakes.Add(1)
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
	// The default trust store does not know the test server's certificate.
	c, err := New(quickRetries(server.URL, transport))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListSubscriptions(t.Context(), "")
	if !IsCertificateError(err) {
		t.Fatalf("error = %v, want a certificate error", err)
	}
	if n := handshakes.Load(); n != 1 || requests.Load() != 0 {
		t.Errorf("%d connections and %d requests, want 1 and 0", n, requests.Load())
	}
}

func TestHeaderValuesWithControlCharactersAreNeverSent(t *testing.T) {
	t.Parallel()
	c, s := newTestClient(t)
	_, err := c.ListSubscriptions(t.Context(), "biz-1\r\nX-Injected: 1")
	var headerErr *HeaderError
	if !errors.As(err, &headerErr) || headerErr.Header != "X-On-Behalf-Of" || !strings.Contains(err.Error(), `"biz-1\r\nX-Injected: 1"`) {
		t.Fatalf("error = %v, want a header error naming X-On-Behalf-Of and the business id", err)
	}
	if n := len(s.Requests()); n != 0 {
		t.Errorf("%d requests were sent", n)
	}

	_, err = New(Config{Token: "secret\ntoken"})
	if !IsInvalidHeader(err) || strings.Contains(err.Error(), "secret") {
		t.Errorf("New with a line break inside the token = %v, want a header error that does not show the token", err)
	}
}
