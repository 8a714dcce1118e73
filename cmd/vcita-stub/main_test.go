package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

// shortly bounds a run that should end at once: a stub that ignores -version
// serves until its context ends, and the test then fails instead of hanging.
func shortly(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestVersionFlagPrintsTheVersionAndExits(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	if code := run(shortly(t), []string{"-version"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit code %d, stderr: %s", code, stderr.String())
	}
	if got, want := stdout.String(), "vcita-stub dev\n"; got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr = %q, want nothing (no server started)", stderr.String())
	}
}

// The release stamps the version by setting the variable main.version with
// -X (.goreleaser.yml's ldflags): the variable must keep that name, or every
// release would say "dev". The flag here is typed in, not read from there.
func TestVersionIsStampedByTheReleaseLdflags(t *testing.T) {
	t.Parallel()
	bin := buildStub(t, "-ldflags", "-X main.version=1.2.3")
	out, err := exec.CommandContext(shortly(t), bin, "-version").Output()
	if err != nil {
		t.Fatalf("vcita-stub -version: %v", err)
	}
	if got, want := string(out), "vcita-stub 1.2.3\n"; got != want {
		t.Errorf("vcita-stub -version printed %q, want %q", got, want)
	}
}

// buildStub builds vcita-stub as a release does (no race detector) with
// the extra go build flags, and returns the binary's path.
func buildStub(t *testing.T, flags ...string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "vcita-stub")
	args := append(append([]string{"build"}, flags...), "-o", bin, ".")
	if out, err := exec.CommandContext(t.Context(), "go", args...).CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// gcLiveHeap matches the live heap after a collection in a GODEBUG=gctrace=1
// line, such as "gc 7 @0.3s 1%: ... ms cpu, 4->5->2 MB, 5 MB goal, ...".
var gcLiveHeap = regexp.MustCompile(`, \d+->\d+->(\d+) MB,`)

// The released stub must keep its memory bounded whatever it is sent and
// however long it runs: 20,000 requests of 1 MiB, each one's journal entry
// as large as it can be (the path or the business far over its share, and
// one in 64 with an event and a URL of half a MiB each), must never take
// its live heap 50 MiB above where it started. The binary is built and run
// as released, its heap read from the Go runtime's GC trace: the race
// detector, which make test runs this package with, would make 20 GiB of
// requests take many minutes in-process.
func TestHeapStaysBoundedOver20000RequestsOf1MiB(t *testing.T) {
	t.Parallel()
	const (
		requests = 20_000
		bodySize = 1 << 20
		limitMiB = 50
	)
	bin := buildStub(t)
	dir := t.TempDir()
	urlFile := filepath.Join(dir, "url")
	cmd := exec.CommandContext(t.Context(), bin, "-token", "tok", "-url-file", urlFile)
	cmd.Env = append(os.Environ(), "GODEBUG=gctrace=1")
	trace, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	// The live heap a collection reports counts what was allocated while it
	// ran, so one collection in the middle of a few 1 MiB requests reads
	// high: the heap is the least of the last three collections.
	var first, current atomic.Int64
	first.Store(-1)
	go func() {
		var last [3]int64
		lines := bufio.NewScanner(trace)
		for n := 0; lines.Scan(); {
			if m := gcLiveHeap.FindStringSubmatch(lines.Text()); m != nil {
				live, _ := strconv.ParseInt(m[1], 10, 64)
				first.CompareAndSwap(-1, live)
				last[n%len(last)] = live
				if n++; n >= len(last) {
					current.Store(min(last[0], last[1], last[2]))
				}
			}
		}
	}()
	base := waitForURL(t, urlFile)

	half := strings.Repeat("x", bodySize/2-40)
	subscribe := []byte(`{"event":"client/` + half + `","target_url":"https://e.example/` + half + `"}`)
	junk := bytes.Repeat([]byte("j"), bodySize)
	longPath := "/platform/v1/" + strings.Repeat("p", 32<<10)
	longBusiness := strings.Repeat("b", 32<<10)
	client := &http.Client{Timeout: time.Minute}
	for i := range requests {
		body, path, token := junk, "/platform/v1/webhook/subscribe", "Bearer tok"
		switch {
		case i%64 == 0:
			body = subscribe
		case i%4 == 1:
			path = longPath // an unknown path
		case i%4 == 2:
			token = "" // no token
		}
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, base+path, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-On-Behalf-Of", longBusiness)
		if token != "" {
			req.Header.Set("Authorization", token)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		if grown := current.Load() - max(first.Load(), 0); grown >= limitMiB {
			t.Fatalf("after %d requests of 1 MiB the stub's live heap grew by %d MiB, want less than %d MiB", i+1, grown, limitMiB)
		}
	}
	resp, err := client.Get(base + "/_stub/requests")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var journal []stub.JournalEntry
	if err := json.NewDecoder(resp.Body).Decode(&journal); err != nil {
		t.Fatal(err)
	}
	if len(journal) != 10_000 {
		t.Errorf("the journal lists %d requests, want the last 10,000", len(journal))
	}
	if first.Load() < 0 {
		t.Fatal("the stub printed no GC trace: nothing was measured")
	}
	t.Logf("live heap: %d MiB at the first collection, %d MiB after %d requests of 1 MiB", first.Load(), current.Load(), requests)
	if grown := current.Load() - first.Load(); grown >= limitMiB {
		t.Fatalf("the stub's live heap grew by %d MiB, want less than %d MiB", grown, limitMiB)
	}
}

// waitForURL waits for vcita-stub to write its base URL to path.
func waitForURL(t *testing.T, path string) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if data, err := os.ReadFile(path); err == nil {
			return strings.TrimSpace(string(data))
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("vcita-stub wrote no URL to %s", path)
	return ""
}
