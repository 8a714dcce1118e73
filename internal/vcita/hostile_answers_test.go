package vcita

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

// Answers no API should give: each must end the call in bounded time and
// memory, with an error, and without showing the token.

// serveSwitchingProtocols answers every request with a 1xx status line
// (101 with or without the headers that make it a protocol switch) and
// then holds the connection open until the test ends.
func serveSwitchingProtocols(t *testing.T, statusLine string) string {
	t.Helper()
	release := make(chan struct{})
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer func() { _ = conn.Close() }()
		_, _ = buf.WriteString(statusLine)
		_ = buf.Flush()
		<-release
	}))
	t.Cleanup(func() { close(release); server.Close() })
	return server.URL
}

func TestInformationalAnswerEndsWithinTheRequestTimeout(t *testing.T) {
	t.Parallel()
	for name, statusLine := range map[string]string{
		"protocol switch": "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
		"bare 101":        "HTTP/1.1 101 Switching Protocols\r\n\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			base := serveSwitchingProtocols(t, statusLine)
			c := mustNew(t, Config{BaseURL: base, Token: stub.DefaultToken, MaxRetries: -1, RequestTimeout: time.Second})
			started := time.Now()
			_, err := c.ListSubscriptions(t.Context(), "")
			if elapsed := time.Since(started); elapsed > 3*time.Second {
				t.Errorf("the call took %v, want it ended within its 1s request timeout", elapsed)
			}
			if err == nil || !strings.Contains(err.Error(), "101 Switching Protocols") {
				t.Errorf("ListSubscriptions = %v, want an error naming 101 Switching Protocols", err)
			}
		})
	}
}

// countingTransport counts the bytes the client reads of every answer body.
type countingTransport struct {
	next http.RoundTripper
	read atomic.Int64
}

func (t *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err == nil {
		resp.Body = countingBody{ReadCloser: resp.Body, read: &t.read}
	}
	return resp, err
}

type countingBody struct {
	io.ReadCloser
	read *atomic.Int64
}

func (b countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.read.Add(int64(n))
	return n, err
}

// serveHugeError answers every request with status and a body of size
// bytes, written from one small buffer.
func serveHugeError(t *testing.T, status int, size int64) string {
	t.Helper()
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(size))
		w.WriteHeader(status)
		_, _ = io.Copy(w, io.LimitReader(zeros{}, size))
	}))
	t.Cleanup(server.Close)
	return server.URL
}

// heapGrowth runs f and returns how many bytes it allocated on the heap: an
// upper bound of how far it made the heap grow.
func heapGrowth(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Not parallel: the heap is measured for the whole process.
func TestHugeErrorAnswerIsReadOnlyUpToItsCap(t *testing.T) {
	for name, tc := range map[string]struct {
		status int
		size   int64
		call   func(c *Client) error
	}{
		"list answered 500 with 250 MiB": {http.StatusInternalServerError, 250 << 20, func(c *Client) error {
			_, err := c.ListSubscriptions(t.Context(), "")
			return err
		}},
		"unsubscribe answered 400 with 16 MiB": {http.StatusBadRequest, 16 << 20, func(c *Client) error {
			_, err := c.unsubscribe(t.Context(), "", mustEvent("client/created"), hook)
			return err
		}},
	} {
		t.Run(name, func(t *testing.T) {
			counting := &countingTransport{next: http.DefaultTransport}
			c := mustNew(t, Config{BaseURL: serveHugeError(t, tc.status, tc.size), Token: stub.DefaultToken, MaxRetries: -1, Transport: counting})
			var err error
			grew := heapGrowth(func() { err = tc.call(c) })
			if statusOf(err) != tc.status {
				t.Fatalf("call = %v, want the API's %d", err, tc.status)
			}
			if read := counting.read.Load(); read > maxErrorBodyBytes {
				t.Errorf("read %d bytes of the error answer, want at most %d", read, maxErrorBodyBytes)
			}
			if grew > 16<<20 {
				t.Errorf("the failing call allocated %d MiB, want at most 16 MiB", grew>>20)
			}
		})
	}
}

// The token is split or spelt in every way an error page might: none may let
// secretWindow consecutive characters of it through.
func TestErrorPageThatSplitsOrSpellsTheTokenDoesNotShowIt(t *testing.T) {
	t.Parallel()
	const token = "tok_S3cr3tVALUE_abcdef0123456789"
	split := func(sep string) string { return "token " + token[:16] + sep + token[16:] + " is not valid" }
	var entities, percent, jsonEscaped strings.Builder
	for _, r := range token {
		fmt.Fprintf(&entities, "&#%d;", r)
		fmt.Fprintf(&jsonEscaped, `\u%04x`, r)
	}
	percent.WriteString(url.PathEscape(token[:4]))
	for _, b := range []byte(token[4:]) {
		fmt.Fprintf(&percent, "%%%02X", b)
	}
	bodies := map[string]string{
		"wbr":              "<p>" + split("<wbr>") + "</p>",
		"tag":              "<p>" + split("</b><b>") + "</p>",
		"comment":          "<p>" + split("<!-- -->") + "</p>",
		"space":            split(" "),
		"tab":              split("\t"),
		"line break":       split("\r\n"),
		"every char split": "<p>" + strings.Join(strings.Split(token, ""), "<i></i>") + "</p>",
		"HTML entities":    "<p>token " + entities.String() + "</p>",
		"named entities":   "<p>" + strings.ReplaceAll(token, "_", "&lowbar;") + "</p>",
		"percent-encoding": "token=" + percent.String(),
		"JSON escapes":     `{"detail":"token ` + jsonEscaped.String() + `"}`,
		"JSON message":     `{"message":"token ` + jsonEscaped.String() + `"}`,
		"mixed":            "<p>" + strings.ReplaceAll(split("<wbr>"), "S3cr3t", "S3&#99;r%33t") + "</p>",
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusInternalServerError)
				_, _ = io.WriteString(w, body)
			}))
			defer server.Close()
			c := mustNew(t, Config{BaseURL: server.URL, Token: token, MaxRetries: -1})
			_, err := c.ListSubscriptions(t.Context(), "")
			if err == nil {
				t.Fatal("ListSubscriptions succeeded on a 500")
			}
			if window, ok := tokenWindowIn(err.Error(), token); ok {
				t.Errorf("the error shows %q of the token: %s", window, err)
			}
		})
	}
}

// tokenWindowIn returns the first secretWindow consecutive characters of
// token that text holds.
func tokenWindowIn(text, token string) (string, bool) {
	for i := 0; i+secretWindow <= len(token); i++ {
		if strings.Contains(text, token[i:i+secretWindow]) {
			return token[i : i+secretWindow], true
		}
	}
	return "", false
}

// Words of the API that hold no token are still quoted, token or not.
func TestScrubKeepsTextWithoutTheToken(t *testing.T) {
	t.Parallel()
	const token = "tok_S3cr3tVALUE_abcdef0123456789"
	for _, text := range []string{
		"Invalid event format",
		"<html><body><h1>502 Bad Gateway</h1></body></html>",
		"token " + token + " is invalid",
	} {
		got := Scrub(text, token)
		if got == withheldText || strings.Contains(got, token) {
			t.Errorf("Scrub(%q) = %q, want the text with the token redacted", text, got)
		}
	}
}
