package stub

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
)

// object is a JSON object under construction. Answers are built as maps
// rather than structs so that ExtraFields can add to any of them.
type object = map[string]any

// reply is an answer computed by a handler and not yet written. Handlers
// return replies instead of writing, so that FaultCommit502 can do the work
// and throw its answer away.
type reply struct {
	status int
	body   any // encoded as JSON
	header map[string]string
}

func jsonReply(status int, body any) reply { return reply{status: status, body: body} }

// errorReply is the API's usual error shape.
func errorReply(status int, message string) reply {
	return jsonReply(status, object{"status": "Error", "message": message})
}

// writeReply writes rep, adding unknown fields to an object answer when the
// behaviour asks for them.
func (s *Server) writeReply(w http.ResponseWriter, rep reply) {
	if body, ok := rep.body.(object); ok && s.extraFields() {
		addExtraFields(body)
	}
	for name, value := range rep.header {
		w.Header().Set(name, value)
	}
	writeJSON(w, rep.status, rep.body)
}

func (s *Server) extraFields() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.behaviour.ExtraFields
}

// addExtraFields adds fields no client knows about, of several JSON types,
// to check that a client decodes leniently.
func addExtraFields(o object) {
	o["x_stub_extra"] = object{"note": "unknown field, a client must ignore it", "list": []any{1, "two", nil}}
	o["x_stub_flag"] = true
}

// writeJSON writes body as a JSON answer.
func writeJSON(w http.ResponseWriter, status int, body any) {
	data, err := json.Marshal(body)
	if err != nil {
		// Bodies are built from strings, numbers, booleans and maps of them,
		// so this is a bug in the stub; say so rather than answer garbage.
		http.Error(w, "stub: cannot encode answer: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)+1))
	w.WriteHeader(status)
	_, _ = w.Write(append(data, '\n'))
}

// statusRecorder remembers what happened to a request, for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status   int
	hijacked bool
}

func (r *statusRecorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(p)
}

// Hijack is implemented directly, not left to Unwrap, so that the recorder
// learns about FaultDrop.
func (r *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(r.ResponseWriter).Hijack()
	if err == nil {
		r.hijacked = true
	}
	return conn, rw, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *statusRecorder) outcome() string {
	switch {
	case r.hijacked:
		return "dropped"
	case r.status == 0:
		return "no answer (client gone)"
	default:
		return strconv.Itoa(r.status)
	}
}

// decodeObject decodes a JSON object into the pointers of fields, which are
// keyed by looseKey. The admin endpoints are called from shell scripts and
// other programs, so retry_after, retryAfter and RetryAfter are all accepted;
// an unknown key is an error rather than silently ignored, so that a typo in
// a fault configuration does not quietly disable the faults.
func decodeObject(data []byte, fields map[string]any) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	if raw == nil {
		return errors.New("expected a JSON object")
	}
	for key, value := range raw {
		target, ok := fields[looseKey(key)]
		if !ok {
			return fmt.Errorf("unknown field %q", key)
		}
		if err := json.Unmarshal(value, target); err != nil {
			return fmt.Errorf("field %q: %w", key, err)
		}
	}
	return nil
}

// looseKey folds case and drops '_' and '-'.
func looseKey(key string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || r == '-' {
			return -1
		}
		return r
	}, strings.ToLower(key))
}
