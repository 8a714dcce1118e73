package stub

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
)

// serveAdmin serves /_stub/ to local programs only. The endpoints need no
// token, so what keeps a web page open on the same machine from resetting
// the stub or adding subscriptions to it is this check: a browser sends an
// Origin header with every cross-origin request it lets a page make (and
// with every POST, PUT and DELETE), and a page reaching the stub through a
// name of its own (DNS rebinding) sends that name as the Host. Neither
// curl nor a script sends an Origin, and both send the loopback address
// they connect to as the Host.
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	if origin := r.Header.Get("Origin"); origin != "" || len(r.Header.Values("Origin")) > 0 {
		adminError(w, http.StatusForbidden, "the stub's admin endpoints refuse requests from a web page: this one carries an Origin header ("+strconv.Quote(origin)+"); call them from a script or curl")
		return
	}
	if !loopbackHost(r.Host) {
		adminError(w, http.StatusForbidden, "the stub's admin endpoints answer only requests to a loopback host (localhost, 127.0.0.0/8 or [::1], any port); this one is to "+strconv.Quote(r.Host))
		return
	}
	s.admin.ServeHTTP(w, r)
}

// adminMux serves /_stub/, the control surface for the demo and benchmark
// scripts, which run the stub as a separate process and so cannot call its
// methods. These endpoints need no token, are not counted or logged as API
// calls and are never faulted: they are the test harness, not the API.
func (s *Server) adminMux() *http.ServeMux {
	mux := http.NewServeMux()
	for pattern, handler := range s.adminRoutes() {
		mux.HandleFunc(pattern, handler)
	}
	return mux
}

// adminRoutes are the admin endpoints, by pattern. The Testing Modules
// guide documents each one (a test holds it to that).
func (s *Server) adminRoutes() map[string]http.HandlerFunc {
	noContent := func(do func()) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			do()
			w.WriteHeader(http.StatusNoContent)
		}
	}
	return map[string]http.HandlerFunc{
		"GET /_stub/subscriptions":         s.adminList,
		"POST /_stub/subscriptions":        s.adminAdd,
		"DELETE /_stub/subscriptions/{id}": s.adminRemove,
		"GET /_stub/requests": func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, s.Journal())
		},
		"DELETE /_stub/requests":  noContent(s.ClearJournal),
		"GET /_stub/stats":        s.adminStats,
		"POST /_stub/stats/reset": noContent(s.ResetCalls),
		"PUT /_stub/faults":       s.adminFaults,
		"PUT /_stub/behaviour":    s.adminBehaviour,
		"POST /_stub/reset":       noContent(s.Reset),
	}
}

func (s *Server) adminList(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.All())
}

func (s *Server) adminAdd(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Business  string `json:"business"`
		Event     string `json:"event"`
		TargetURL string `json:"target_url"`
	}
	if err := readJSON(r, &in); err != nil {
		adminError(w, http.StatusBadRequest, "invalid body: "+err.Error())
		return
	}
	sub, err := s.Add(in.Business, in.Event, in.TargetURL)
	switch {
	case errors.Is(err, ErrAlreadyExists):
		adminError(w, http.StatusUnprocessableEntity, err.Error())
	case err != nil:
		// Every other refusal is the caller's mistake (a bad or unknown
		// event, a refused target), whatever status the API would use.
		adminError(w, http.StatusBadRequest, err.Error())
	default:
		writeJSON(w, http.StatusCreated, sub)
	}
}

func (s *Server) adminRemove(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || !s.Remove(id) {
		adminError(w, http.StatusNotFound, "no subscription "+strconv.Quote(r.PathValue("id")))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) adminStats(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	stats := map[string]int{
		OpSubscribe:   s.calls[OpSubscribe],
		OpUnsubscribe: s.calls[OpUnsubscribe],
		OpList:        s.calls[OpList],
		"faults":      s.faultCount,
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, stats)
}

func (s *Server) adminFaults(w http.ResponseWriter, r *http.Request) {
	var c FaultConfig
	if err := readJSON(r, &c); err != nil {
		adminError(w, http.StatusBadRequest, "invalid fault configuration: "+err.Error())
		return
	}
	if err := c.Validate(); err != nil {
		adminError(w, http.StatusBadRequest, "invalid fault configuration: "+err.Error())
		return
	}
	s.SetFaults(c)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) adminBehaviour(w http.ResponseWriter, r *http.Request) {
	var b Behaviour
	if err := readJSON(r, &b); err != nil {
		adminError(w, http.StatusBadRequest, "invalid behaviour: "+err.Error())
		return
	}
	if err := b.Validate(); err != nil {
		adminError(w, http.StatusBadRequest, "invalid behaviour: "+err.Error())
		return
	}
	s.SetBehaviour(b)
	w.WriteHeader(http.StatusNoContent)
}

func readJSON(r *http.Request, v any) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return err
	}
	return json.Unmarshal(body, v)
}

func adminError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, object{"status": "Error", "message": message})
}
