package provider

import (
	"bytes"
	"io"
	"net/http"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

// maxLoggedBody caps how much of a body is written to the trace log.
const maxLoggedBody = 4096

// loggingTransport logs every request through tflog: one line at DEBUG
// (method, URL, status, duration), and at TRACE a line with the request's
// headers and body and one with the answer's.
//
// The provider's logger writes every level (Terraform filters the lines by
// TF_LOG or TF_LOG_PROVIDER afterwards), so what DEBUG must not show goes on
// TRACE lines of its own, never as fields of the DEBUG line.
//
// The token must never reach a log. Headers are logged with Authorization
// masked by field key; the token is masked wherever else it might appear,
// and a body that spells it some other way is withheld (vcita.Scrub). A
// URL's password and query values are shown as ***.
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
	call := map[string]any{"http_method": req.Method, "http_url": vcita.RedactedURL(req.URL.String())}
	if tflog.IsTrace(ctx) {
		tflog.Trace(ctx, "Sending vcita API request", withFields(call, headerFields(req.Header), map[string]any{
			"http_request_body": t.requestBody(req),
		}))
	}

	started := time.Now()
	resp, err := t.next.RoundTrip(req)
	duration := map[string]any{"duration_ms": time.Since(started).Milliseconds()}
	if err != nil {
		tflog.Debug(ctx, "vcita API request failed", withFields(call, duration, map[string]any{"error": vcita.Scrub(err.Error(), t.token)}))
		return nil, err
	}
	status := map[string]any{"http_status": resp.StatusCode}
	tflog.Debug(ctx, "vcita API request", withFields(call, status, duration))
	if tflog.IsTrace(ctx) {
		fields := withFields(call, status, headerFields(resp.Header))
		// A 1xx answer has no body to log: after 101 the "body" is the raw
		// connection, whose reads no context interrupts.
		if resp.StatusCode >= 200 {
			fields["http_response_body"] = t.responseBody(resp)
		}
		tflog.Trace(ctx, "Received vcita API answer", fields)
	}
	return resp, nil
}

// requestBody is the head of the request's body, for the trace log.
func (t *loggingTransport) requestBody(req *http.Request) string {
	if req.GetBody == nil {
		return ""
	}
	body, err := req.GetBody()
	if err != nil {
		return ""
	}
	defer func() { _ = body.Close() }()
	data, _ := io.ReadAll(io.LimitReader(body, maxLoggedBody))
	return vcita.Scrub(string(data), t.token)
}

// responseBody is the head of the answer's body, for the trace log. The
// caller is handed the whole body: the logged head, then the rest.
func (t *loggingTransport) responseBody(resp *http.Response) string {
	head, err := io.ReadAll(io.LimitReader(resp.Body, maxLoggedBody))
	resp.Body = readCloser{Reader: io.MultiReader(bytes.NewReader(head), resp.Body), Closer: resp.Body}
	if err != nil {
		return ""
	}
	return vcita.Scrub(string(head), t.token)
}

// headerFields are the first value of each header, as log fields.
func headerFields(header http.Header) map[string]any {
	fields := map[string]any{}
	for name, values := range header {
		if len(values) > 0 {
			fields[name] = values[0]
		}
	}
	return fields
}

// withFields merges log fields into a new map.
func withFields(sets ...map[string]any) map[string]any {
	merged := map[string]any{}
	for _, set := range sets {
		for key, value := range set {
			merged[key] = value
		}
	}
	return merged
}

type readCloser struct {
	io.Reader
	io.Closer
}
