package vcita

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

// serveBody answers every request with what body writes, and returns a
// client of it.
func serveBody(t *testing.T, body func(w io.Writer, r *http.Request)) *Client {
	t.Helper()
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		body(w, r)
	}))
	t.Cleanup(server.Close)
	c, err := New(Config{BaseURL: server.URL, Token: stub.DefaultToken, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestListLargerThanTheWriteCapIsRead(t *testing.T) {
	t.Parallel()
	// Long URLs make a list past 16 MiB with few subscriptions, to keep
	// the test light; an account reaches that size at about 130,000.
	const count = 4500
	path := strings.Repeat("p", 4000)
	c := serveBody(t, func(w io.Writer, _ *http.Request) {
		var b bytes.Buffer
		b.WriteString(`{"response":{"success":"ok","data":{"subscriptions":[`)
		for i := range count {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"id":%d,"entity":"client","event_type":"create","url":"https://hooks.example.com/%s/%d"}`, i+1, path, i)
		}
		b.WriteString(`]}}}`)
		if b.Len() <= maxBodyBytes {
			panic("the test list is not larger than the write cap")
		}
		_, _ = w.Write(b.Bytes())
	})
	subs, err := c.ListSubscriptions(t.Context(), "")
	if err != nil || len(subs) != count {
		t.Fatalf("ListSubscriptions = %d subscriptions, %v; want all %d", len(subs), err, count)
	}
}

func TestWriteAnswerLargerThanItsCapIsRefused(t *testing.T) {
	t.Parallel()
	c := serveBody(t, func(w io.Writer, r *http.Request) {
		if r.Method == http.MethodGet {
			_, _ = io.WriteString(w, `{"response":{"success":"ok","data":{"subscriptions":[]}}}`)
			return
		}
		_, _ = io.Copy(w, io.LimitReader(zeros{}, maxBodyBytes+1024))
	})
	_, err := c.Subscribe(t.Context(), "", mustEvent("client/created"), hook)
	if !IsDecode(err) || !strings.Contains(err.Error(), "larger than 16 MiB") {
		t.Fatalf("Subscribe = %v, want the answer refused as too large", err)
	}
}

// zeros reads as an endless run of '0'.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '0'
	}
	return len(p), nil
}
