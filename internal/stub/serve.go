package stub

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// shutdownGrace bounds how long Serve waits for in-flight requests once its
// context is done.
const shutdownGrace = 5 * time.Second

// ErrNotLoopback is returned by Serve for an address that is not a loopback
// host:port. The stub accepts a well-known token and must never be reachable
// from another machine.
var ErrNotLoopback = errors.New("stub: the listen address must be a loopback host:port (127.0.0.0/8, ::1 or localhost)")

// NewTestServer starts a server for a test on a random 127.0.0.1 port and
// closes it when the test ends.
func NewTestServer(t testing.TB, tokens ...string) *Server {
	t.Helper()
	s := New(tokens...)
	ts := httptest.NewServer(s)
	s.setBaseURL(ts.URL)
	t.Cleanup(func() {
		// Free held requests first: httptest.Server.Close waits for every
		// request in flight.
		s.releaseHeld()
		ts.Close()
		s.setBaseURL("")
	})
	return s
}

// URL returns the base URL the server listens on, such as
// http://127.0.0.1:41234, or "" when it was not started by NewTestServer or
// Serve.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.baseURL
}

func (s *Server) setBaseURL(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.baseURL = u
}

// Serve listens on addr, which must be a loopback address, calls ready (if
// not nil) with the base URL once listening, and serves until ctx is done.
// It then shuts down gracefully and returns nil; it returns an error only
// when it cannot listen or serving fails.
func (s *Server) Serve(ctx context.Context, addr string, ready func(baseURL string)) error {
	if err := CheckLoopback(addr); err != nil {
		return err
	}
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("stub: listen on %s: %w", addr, err)
	}
	base := "http://" + listener.Addr().String()
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	srv.RegisterOnShutdown(s.releaseHeld)

	s.setBaseURL(base)
	defer s.setBaseURL("")
	served := make(chan error, 1)
	go func() { served <- srv.Serve(listener) }()
	if ready != nil {
		ready(base)
	}

	select {
	case err := <-served:
		return fmt.Errorf("stub: serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		// Requests outlived the grace period (a long latency, say): cut them.
		_ = srv.Close()
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("stub: serve: %w", err)
	}
	return nil
}

// CheckLoopback returns an error wrapping ErrNotLoopback unless addr is a
// host:port whose host is a literal loopback IP or "localhost". Host names
// are not resolved: what the stub binds to must not depend on DNS.
func CheckLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%w: %q: %w", ErrNotLoopback, addr, err)
	}
	if !isLoopback(host) {
		return fmt.Errorf("%w: got %q", ErrNotLoopback, addr)
	}
	return nil
}

// isLoopback reports whether host (without a port or brackets) is
// "localhost" or a literal loopback IP.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// loopbackHost reports whether a request's Host header, with or without a
// port, names a loopback host.
func loopbackHost(hostHeader string) bool {
	host, _, err := net.SplitHostPort(hostHeader)
	if err != nil {
		// No port: "localhost", "127.0.0.1" or "[::1]".
		host = strings.TrimSuffix(strings.TrimPrefix(hostHeader, "["), "]")
	}
	return isLoopback(host)
}
