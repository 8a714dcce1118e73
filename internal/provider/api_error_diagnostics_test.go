package provider

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

func TestUnsafeUnsubscribeHasItsOwnDiagnostic(t *testing.T) {
	c, err := vcita.New(vcita.Config{BaseURL: "http://127.0.0.1:1", Token: "t", MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Unsubscribe(t.Context(), "", catalog.Event{}, "https://hooks.example.com/h")
	if d := apiErrorDiagnostic("unsubscribe", err); d.Summary() != "Unsubscribe Refused Without An Event" {
		t.Errorf("summary = %q, detail %q", d.Summary(), d.Detail())
	}
}

// TestPermanentTransportFailuresHaveTheirOwnDiagnostics: a failure no retry
// can mend is not "Cannot Reach The vcita API".
func TestPermanentTransportFailuresHaveTheirOwnDiagnostics(t *testing.T) {
	untrusted := httptest.NewTLSServer(http.NotFoundHandler())
	t.Cleanup(untrusted.Close)
	noSuchHost := &http.Transport{DialContext: func(context.Context, string, string) (net.Conn, error) {
		return nil, &net.DNSError{Err: "no such host", Name: "api.vcita.invalid", IsNotFound: true}
	}}
	tests := map[string]struct {
		config   vcita.Config
		business string
		want     string
	}{
		"host not found":        {config: vcita.Config{BaseURL: "https://api.vcita.invalid", Transport: noSuchHost}, want: "vcita API Host Not Found"},
		"untrusted certificate": {config: vcita.Config{BaseURL: untrusted.URL}, want: "vcita API Certificate Not Trusted"},
		"line break in header":  {config: vcita.Config{BaseURL: untrusted.URL}, business: "biz\n", want: "Invalid Header Value"},
	}
	for name, tc := range tests {
		tc.config.Token, tc.config.MaxRetries = "t", 2
		c, err := vcita.New(tc.config)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.ListSubscriptions(t.Context(), tc.business)
		if d := apiErrorDiagnostic("read the webhook subscriptions", err); d.Summary() != tc.want {
			t.Errorf("%s: summary = %q (%s), want %q", name, d.Summary(), d.Detail(), tc.want)
		}
	}
}
