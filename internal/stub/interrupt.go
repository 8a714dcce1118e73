package stub

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
)

// Interrupt is a client transport for tests of Ctrl-C: it forwards every
// request to Next and, once a request for Op has been answered, calls
// Cancel, as an interrupt landing just then would. The answer is read in
// full first, so that the client still has it; with LoseAnswer it is
// thrown away instead, as when the interrupt lands before the client reads
// it. The stub cannot do this from its side: the cancellation is the
// client's.
type Interrupt struct {
	Op         string // OpSubscribe, OpUnsubscribe or OpList
	Cancel     context.CancelFunc
	LoseAnswer bool
	Next       http.RoundTripper // nil means http.DefaultTransport
}

func (i Interrupt) RoundTrip(req *http.Request) (*http.Response, error) {
	next := i.Next
	if next == nil {
		next = http.DefaultTransport
	}
	resp, err := next.RoundTrip(req)
	if err != nil || !strings.HasSuffix(req.URL.Path, pathOf(i.Op)) {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	i.Cancel()
	if i.LoseAnswer {
		return nil, context.Canceled
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, err
}

// pathOf returns the API path of op.
func pathOf(op string) string {
	for path, route := range routes {
		if route.op == op {
			return path
		}
	}
	panic("stub: unknown op " + op)
}
