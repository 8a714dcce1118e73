package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/vcita/terraform-provider-vcita/internal/tfcli"
)

// The demo is `make demo`: these run it whole, with its own temporary
// directory, against the CLI the end-to-end tests use.

func TestDemoTellsTheWholeStoryAndCleansUp(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	cli, err := tfcli.FindCLI(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"1) Build the provider",
		"2) Start the vcita API stub on a free loopback port",
		"   | Apply complete! Resources: 5 added, 0 changed, 0 destroyed.",
		"   exit code 0: no changes",
		"   client/created is listed by the API as client/create: same event, no change",
		"   drift detected (exit code 2)",
		"   | Apply complete! Resources: 1 added, 0 changed, 0 destroyed.",
		"7) Drift on the endpoint: a subscription added by hand to its URL",
		"   |   # vcita_webhook_endpoint.billing will be updated in-place",
		"   | Plan: 0 to add, 1 to change, 0 to destroy.",
		"   | Warning: Webhook Endpoint Removes Subscriptions It Did Not Make",
		"   | - payment/refunded (subscription ",
		"   | Apply complete! Resources: 0 added, 1 changed, 0 destroyed.",
		"Demo finished in",
	}
	// The story ends with an adoption by `terraform query` where the CLI
	// has it, and says why not elsewhere.
	if cli.SupportsQuery() {
		want = append(want,
			"9) terraform query: adopt subscriptions made by hand",
			"   | list.vcita_webhook_subscription.legacy ",
			`   | resource "vcita_webhook_subscription" "legacy_0" {`,
			"   | Apply complete! Resources: 3 imported, 0 added, 0 changed, 0 destroyed.",
			"   adopted as they are: no subscribe or unsubscribe call",
			"   | Destroy complete! Resources: 8 destroyed.",
			"11) Stop the stub",
		)
	} else {
		want = append(want,
			"\n"+cli.String()+" has no ",
			": skipping adoption\n",
			"   | Destroy complete! Resources: 5 destroyed.",
			"10) Stop the stub",
		)
	}
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	for _, want := range want {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("the story on %s lacks %q:\n%s", cli, want, stdout.String())
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
