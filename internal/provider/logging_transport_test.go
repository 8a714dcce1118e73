package provider

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

const loggedToken = "tok_S3cr3tVALUE_abcdef0123456789"

// loggedCall lists the subscriptions of a server that answers status and
// body, through the logging transport, and returns the log lines the
// provider wrote (all levels: Terraform filters them by level afterwards).
func loggedCall(t *testing.T, status int, body string) []map[string]any {
	t.Helper()
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	defer server.Close()
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(t.Context(), &out)
	client, err := vcita.New(vcita.Config{
		BaseURL: server.URL, Token: loggedToken, MaxRetries: -1,
		Transport: newLoggingTransport(http.DefaultTransport, loggedToken),
	})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = client.ListSubscriptions(ctx, "")
	entries, err := tflogtest.MultilineJSONDecode(&out)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// atLevel returns the entries Terraform shows at level: those at level or
// above it.
func atLevel(entries []map[string]any, level string) []map[string]any {
	rank := map[string]int{"trace": 0, "debug": 1, "info": 2, "warn": 3, "error": 4}
	var shown []map[string]any
	for _, entry := range entries {
		if entryLevel, _ := entry["@level"].(string); rank[entryLevel] >= rank[level] {
			shown = append(shown, entry)
		}
	}
	return shown
}

const listBody = `{"response":{"success":"ok","data":{"subscriptions":[{"id":7,"entity":"client","event_type":"create","url":"https://user:pw@hooks.example.com/x?token=receiver-secret"}]}}}`

func TestDebugLogIsOneLinePerRequestWithoutHeadersOrBodies(t *testing.T) {
	t.Parallel()
	debug := atLevel(loggedCall(t, http.StatusOK, listBody), "debug")
	if len(debug) != 1 {
		t.Fatalf("DEBUG shows %d lines for one request, want 1: %v", len(debug), debug)
	}
	line := debug[0]
	for _, key := range []string{"http_method", "http_url", "http_status", "duration_ms"} {
		if _, ok := line[key]; !ok {
			t.Errorf("the DEBUG line has no %s: %v", key, line)
		}
	}
	for key, value := range line {
		if strings.HasPrefix(key, "@") {
			continue
		}
		switch key {
		case "http_method", "http_url", "http_status", "duration_ms":
		default:
			t.Errorf("the DEBUG line holds %s = %v; DEBUG shows method, URL, status and duration only", key, value)
		}
	}
	if line["http_status"] != float64(200) || line["http_method"] != "GET" {
		t.Errorf("the DEBUG line = %v, want GET answered 200", line)
	}
}

func TestTraceLogAddsHeadersAndBodiesWithTheTokenMasked(t *testing.T) {
	t.Parallel()
	entries := loggedCall(t, http.StatusOK, listBody)
	var request, answer map[string]any
	for _, entry := range entries {
		if entry["@level"] != "trace" {
			continue
		}
		if _, ok := entry["http_response_body"]; ok {
			answer = entry
		} else if _, ok := entry["Authorization"]; ok {
			request = entry
		}
	}
	if request == nil || answer == nil {
		t.Fatalf("TRACE shows no request headers or no answer body: %v", entries)
	}
	if request["Authorization"] != "***" {
		t.Errorf("the request's Authorization is logged as %v, want it masked", request["Authorization"])
	}
	if answer["http_response_body"] != listBody || answer["Content-Type"] != "application/json" {
		t.Errorf("the answer's TRACE line = %v, want its body and headers", answer)
	}
}

// An error page that splits the token is withheld from the TRACE log too.
func TestLogsNeverShowASplitToken(t *testing.T) {
	t.Parallel()
	page := "<p>token " + loggedToken[:16] + "<wbr>" + loggedToken[16:] + "</p>"
	for _, entry := range loggedCall(t, http.StatusInternalServerError, page) {
		for key, value := range entry {
			text, _ := value.(string)
			for i := 0; i+8 <= len(loggedToken); i++ {
				if strings.Contains(text, loggedToken[i:i+8]) {
					t.Errorf("log field %s shows %q of the token: %q", key, loggedToken[i:i+8], text)
					break
				}
			}
		}
	}
}

// At TRACE, a 101 answer must not be read for its body: after a protocol
// switch the body is the raw connection, whose reads no timeout ends.
func TestTraceLogDoesNotReadAnInformationalAnswer(t *testing.T) {
	t.Parallel()
	held, release := io.Pipe() // a body whose reads block until the test ends
	defer func() { _ = release.Close() }()
	switching := roundTripFunc(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: http.StatusSwitchingProtocols, Header: http.Header{}, Body: held}, nil
	})
	ctx := tflogtest.RootLogger(t.Context(), io.Discard)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://api.example.com/platform/v1/webhooks", nil)
	if err != nil {
		t.Fatal(err)
	}
	returned := make(chan struct{})
	go func() {
		defer close(returned)
		if resp, err := newLoggingTransport(switching, loggedToken).RoundTrip(req); err == nil {
			_ = resp.Body.Close()
		}
	}()
	select {
	case <-returned:
	case <-time.After(5 * time.Second):
		t.Fatal("the logging transport is still reading the body of a 101 answer")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }
