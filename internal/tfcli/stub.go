package tfcli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

// Stub is the vcita API stub served by this process on a free loopback
// port, for programs that drive the CLI against it (tests use
// stub.NewTestServer instead).
type Stub struct {
	// Server is the stub itself: inspect and change its subscriptions,
	// latency and faults directly.
	Server *stub.Server
	// Token is the one token the stub accepts, random for each stub.
	Token string

	cancel context.CancelFunc
	served chan error
}

// StartStub starts a stub with a random token on a free 127.0.0.1 port,
// and returns once it listens. Stop it with Stop.
func StartStub(ctx context.Context) (*Stub, error) {
	raw := make([]byte, 12)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	s := &Stub{Token: "stub-" + hex.EncodeToString(raw), served: make(chan error, 1)}
	s.Server = stub.New(s.Token)
	// The benchmark sends tens of thousands of requests: the bounded
	// journal is enough, as for vcita-stub.
	s.Server.KeepWholeRequests(false)
	// Serving outlives ctx, which only bounds the start: Stop ends it.
	serveCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.cancel = cancel
	ready := make(chan struct{})
	go func() { s.served <- s.Server.Serve(serveCtx, "127.0.0.1:0", func(string) { close(ready) }) }()
	select {
	case <-ready:
		return s, nil
	case err := <-s.served:
		cancel()
		return nil, fmt.Errorf("starting the stub: %w", err)
	case <-ctx.Done():
		_ = s.Stop()
		return nil, ctx.Err()
	}
}

// URL returns the stub's base URL, such as http://127.0.0.1:41234.
func (s *Stub) URL() string { return s.Server.URL() }

// Stop shuts the stub down, waiting for requests in flight for a few
// seconds. It must be called once.
func (s *Stub) Stop() error {
	s.cancel()
	return <-s.served
}

// ProviderEnv returns the environment that points the provider at this
// stub, for Options.Env.
func (s *Stub) ProviderEnv() map[string]string {
	return ProviderEnv(s.URL(), s.Token)
}

// ProviderEnv returns the environment that points the provider at an API:
// VCITA_BASE_URL and VCITA_API_TOKEN.
func ProviderEnv(baseURL, token string) map[string]string {
	return map[string]string{"VCITA_BASE_URL": baseURL, "VCITA_API_TOKEN": token}
}
