package stub

import (
	"errors"
	"net/http"
	"net/http/httptest"
)

// errDropped is what the in-memory transport answers for FaultDrop, as a
// client sees a connection closed without an answer.
var errDropped = errors.New("stub: connection closed without an answer")

// Transport returns a client transport that serves every request in memory,
// through the server's handler, with no network connection: for tests that
// run in a testing/synctest bubble, whose fake clock does not advance while
// a goroutine waits on the network. Faults, latency, call counts and the
// request log work as over HTTP; FaultDrop fails the request as a closed
// connection would. The requests' host is ignored: any base URL will do.
func (s *Server) Transport() http.RoundTripper { return memoryTransport{s} }

type memoryTransport struct{ s *Server }

func (t memoryTransport) RoundTrip(req *http.Request) (resp *http.Response, err error) {
	defer func() {
		// drop aborts the handler when it cannot hijack the connection.
		if recovered := recover(); recovered != nil {
			if abort, ok := recovered.(error); !ok || !errors.Is(abort, http.ErrAbortHandler) {
				panic(recovered)
			}
			resp, err = nil, errDropped
		}
	}()
	// The handler sees the request as a server would: a body, even an
	// empty one, and the target it was sent to.
	in := req.Clone(req.Context())
	if in.Body == nil {
		in.Body = http.NoBody
	}
	defer func() { _ = in.Body.Close() }()
	in.RequestURI = req.URL.RequestURI()
	rec := httptest.NewRecorder()
	t.s.ServeHTTP(rec, in)
	resp = rec.Result()
	resp.Request = req
	return resp, nil
}
