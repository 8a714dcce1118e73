// Command vcita-stub runs the fake vcita webhook API as a process of its own,
// for trying configurations by hand and for testing modules offline from a
// script (see the drift-detection guide); each release publishes it as an
// archive of its own. Go programs serve it in-process instead: tests with
// stub.NewTestServer, the demo and the benchmark with tfcli.StartStub.
//
// It listens on loopback only: it accepts a well-known token. Its state can
// be inspected and changed through the /_stub/ admin endpoints, its calls
// read from its request journal, and its subscriptions kept across a
// restart with -state: the provider's "Testing Modules" guide
// (templates/guides/testing-modules.md.tmpl) documents all of it.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

// Exit codes: 1 for a failure while running, 2 for a bad command line, as
// the flag package does.
const (
	exitFailure = 1
	exitUsage   = 2
)

// version is stamped at release time by goreleaser (-ldflags "-X main.version=..."),
// the provider's version: the stub of a release behaves as that release expects.
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process around it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("vcita-stub", flag.ContinueOnError)
	flags.SetOutput(stderr)
	listen := flags.String("listen", "127.0.0.1:0", "loopback `address` to listen on; port 0 picks a free port")
	// The default is resolved after parsing so that -h never prints a token
	// taken from the environment.
	token := flags.String("token", "", "the `token` the stub accepts (default $VCITA_API_TOKEN, else \""+stub.DefaultToken+"\")")
	latency := flags.Duration("latency", 0, "delay added to every API request, such as 50ms")
	urlFile := flags.String("url-file", "", "write the base URL to this `file` once listening")
	stateFile := flags.String("state", "", "keep the subscriptions and the next id in this `file`: loaded at start if it exists, rewritten (atomically) on every change; faults, behaviour and the journal are not kept (default: in memory only)")
	verbose := flags.Bool("v", false, "log one line per API request (method, path, status)")
	showVersion := flags.Bool("version", false, "print the version and exit")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return exitUsage
	}
	if *showVersion {
		_, _ = fmt.Fprintf(stdout, "vcita-stub %s\n", version)
		return 0
	}
	if flags.NArg() > 0 {
		_, _ = fmt.Fprintf(stderr, "vcita-stub: unexpected arguments %q\n", flags.Args())
		return exitUsage
	}
	if *latency < 0 {
		_, _ = fmt.Fprintf(stderr, "vcita-stub: -latency %s is negative\n", *latency)
		return exitUsage
	}
	// Checked before anything else happens, so that a wrong -listen is a
	// usage error and never a half-started server.
	if err := stub.CheckLoopback(*listen); err != nil {
		_, _ = fmt.Fprintf(stderr, "vcita-stub: -listen: %v\n", err)
		return exitUsage
	}
	if *token == "" {
		*token = os.Getenv("VCITA_API_TOKEN")
	}

	s := newServer(*token, *latency)
	logger := log.New(stderr, "vcita-stub: ", log.LstdFlags)
	if *verbose {
		s.SetLogger(logger)
	}
	if *stateFile != "" {
		if err := persist(s, *stateFile, logger); err != nil {
			_, _ = fmt.Fprintf(stderr, "vcita-stub: -state: %v\n", err)
			return exitFailure
		}
	}

	if *urlFile != "" {
		// A URL file left by an earlier run would send a script waiting for
		// this one to a dead server.
		if err := os.Remove(*urlFile); err != nil && !errors.Is(err, os.ErrNotExist) {
			_, _ = fmt.Fprintf(stderr, "vcita-stub: %v\n", err)
			return exitFailure
		}
		defer func() { _ = os.Remove(*urlFile) }()
	}

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	ready := func(baseURL string) {
		if *urlFile != "" {
			if err := writeFileAtomic(*urlFile, baseURL+"\n"); err != nil {
				cancel(err)
				return
			}
		}
		_, _ = fmt.Fprintf(stderr, "vcita stub listening on %s\n", baseURL)
	}
	if err := s.Serve(ctx, *listen, ready); err != nil {
		_, _ = fmt.Fprintf(stderr, "vcita-stub: %v\n", err)
		if errors.Is(err, stub.ErrNotLoopback) {
			return exitUsage
		}
		return exitFailure
	}
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) {
		_, _ = fmt.Fprintf(stderr, "vcita-stub: %v\n", err)
		return exitFailure
	}
	logger.Print("stopped")
	return 0
}

// newServer is the stub as the released binary serves it: the journal
// only, never whole requests, so that its memory stays bounded however
// long it runs and whatever it is sent.
func newServer(token string, latency time.Duration) *stub.Server {
	s := stub.New(token) // an empty token falls back to stub.DefaultToken
	s.KeepWholeRequests(false)
	s.SetLatency(latency)
	return s
}

// persist loads the server's subscriptions from path, if it exists, and
// then rewrites path after every change, so that a stub stopped and started
// again (in the middle of an apply, say) still has them. A write that fails
// is logged: the stub goes on answering, as the service would.
func persist(s *stub.Server, path string, logger *log.Logger) error {
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return err
	default:
		var st stub.State
		if err := json.Unmarshal(data, &st); err != nil {
			return fmt.Errorf("%s is not a state the stub wrote: %w", path, err)
		}
		if err := s.Restore(st); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	s.OnChange(func(st stub.State) {
		if err := writeState(path, st); err != nil {
			logger.Printf("cannot write the state: %v", err)
		}
	})
	// Written at once, so that the file exists (and is known to be
	// writable) as soon as the stub listens.
	return writeState(path, s.State())
}

func writeState(path string, st stub.State) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err // a State holds strings and numbers only
	}
	return writeFileAtomic(path, string(data)+"\n")
}

// writeFileAtomic writes content to a temporary file beside path and renames
// it into place, so that a script polling for path never reads half a URL.
func writeFileAtomic(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(tmp.Name()) }() // a no-op once renamed
	if _, err := tmp.WriteString(content); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
