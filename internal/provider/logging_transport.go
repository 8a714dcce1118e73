package provider

import (
	"bytes"
	"io"
	"net/http"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// maxLoggedBody caps how much of a body is written to the trace log.
const maxLoggedBody = 4096

// loggingTransport logs every request and answer through tflog: a line at
// debug level, headers and bodies at trace level (TF_LOG=TRACE).
//
// The token must never reach a log. Headers are logged with Authorization
// masked by field key, and the token's value is masked wherever else it
// might appear, messages included, in case an API or a proxy ever echoes it.
type loggingTransport struct {
	next  http.RoundTripper
	token string
}

func newLoggingTransport(next http.RoundTripper, token string) *loggingTransport {
	return &loggingTransport{next: next, token: token}
}

func (t *loggingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := tflog.MaskFieldValuesWithFieldKeys(req.Context(), "Authorization")
	if t.token != "" {
		ctx = tflog.MaskAllFieldValuesStrings(ctx, t.token)
		ctx = tflog.MaskMessageStrings(ctx, t.token)
	}

	fields := map[string]any{
		"http_method": req.Method,
		"http_url":    req.URL.Redacted(),
	}
	if tflog.IsTrace(ctx) {
		for name, values := range req.Header {
			if len(values) > 0 {
				fields[name] = values[0]
			}
		}
		if req.GetBody != nil {
			if body, err := req.GetBody(); err == nil {
				data, _ := io.ReadAll(io.LimitReader(body, maxLoggedBody))
				_ = body.Close()
				fields["http_request_body"] = string(data)
			}
		}
	}
	tflog.Debug(ctx, "Sending vcita API request", fields)

	started := time.Now()
	resp, err := t.next.RoundTrip(req)
	elapsed := time.Since(started).Milliseconds()
	if err != nil {
		tflog.Debug(ctx, "vcita API request failed", map[string]any{
			"http_method": req.Method, "http_url": req.URL.Redacted(), "error": err.Error(), "duration_ms": elapsed,
		})
		return nil, err
	}

	answer := map[string]any{
		"http_method": req.Method, "http_url": req.URL.Redacted(), "http_status": resp.StatusCode, "duration_ms": elapsed,
	}
	if tflog.IsTrace(ctx) {
		head, readErr := io.ReadAll(io.LimitReader(resp.Body, maxLoggedBody))
		// Hand the caller the whole body: the logged head, then the rest.
		resp.Body = readCloser{Reader: io.MultiReader(bytes.NewReader(head), resp.Body), Closer: resp.Body}
		if readErr == nil {
			answer["http_response_body"] = string(head)
		}
	}
	tflog.Debug(ctx, "Received vcita API answer", answer)
	return resp, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}
