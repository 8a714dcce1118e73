package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// The demo is `make demo`: these run it whole, with its own temporary
// directory, against the CLI the end-to-end tests use.

func TestDemoTellsTheWholeStoryAndCleansUp(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	for _, want := range []string{
		"1) Build the provider",
		"2) Start the vcita API stub on a free loopback port",
		"   | Apply complete! Resources: 4 added, 0 changed, 0 destroyed.",
		"   exit code 0: no changes",
		"   client/created is listed by the API as client/create: same event, no change",
		"   drift detected (exit code 2)",
		"   | Apply complete! Resources: 1 added, 0 changed, 0 destroyed.",
		"   | Destroy complete! Resources: 4 destroyed.",
		"8) Stop the stub",
		"Demo finished in",
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("the story lacks %q:\n%s", want, stdout.String())
		}
	}
	if strings.Contains(stdout.String(), "development overrides") {
		t.Errorf("the dev_overrides warning should not be shown:\n%s", stdout.String())
	}
	expectEmpty(t, tmp)
}

func TestInterruptedDemoCleansUp(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ctx, cancel := context.WithCancelCause(t.Context())
	defer cancel(nil)
	// Ctrl-C while the second plan runs, with subscriptions on the stub.
	stdout := &watcher{seen: " plan -detailed-exitcode\n", then: func() { cancel(interrupted{syscall.SIGINT}) }}
	var stderr bytes.Buffer
	if code := run(ctx, nil, stdout, &stderr); code != 128+int(syscall.SIGINT) {
		t.Errorf("exit %d, want %d\n%s\n%s", code, 128+int(syscall.SIGINT), stdout.String(), stderr.String())
	}
	if got := stderr.String(); !strings.Contains(got, "interrupted") || strings.Contains(got, "FAILED") {
		t.Errorf("stderr %q should say the demo was interrupted, not that it failed", got)
	}
	expectEmpty(t, tmp)
}

// expectEmpty fails unless dir is empty: what the demo made is gone.
func expectEmpty(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("the demo left %s behind", e.Name())
	}
}

// watcher collects output and calls then once it has seen seen.
type watcher struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	seen string
	then func()
	done bool
}

func (w *watcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.buf.Write(p)
	if !w.done && strings.Contains(w.buf.String(), w.seen) {
		w.done = true
		w.then()
	}
	return n, err
}

func (w *watcher) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
