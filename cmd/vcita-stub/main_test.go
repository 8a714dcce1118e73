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

// startStub runs vcita-stub in-process with args, and returns its base URL
// and a function that stops it and returns its exit code and stderr.
func startStub(t *testing.T, args ...string) (string, func() (int, string)) {
	t.Helper()
	urlFile := filepath.Join(t.TempDir(), "url")
	ctx, cancel := context.WithCancel(t.Context())
	var stderr bytes.Buffer // read only once run has returned
	code := make(chan int, 1)
	go func() { code <- run(ctx, append([]string{"-url-file", urlFile}, args...), io.Discard, &stderr) }()
	stop := func() (int, string) { cancel(); return <-code, stderr.String() }
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if data, err := os.ReadFile(urlFile); err == nil {
			return strings.TrimSpace(string(data)), stop
		}
		time.Sleep(10 * time.Millisecond)
	}
	exit, log := stop()
	t.Fatalf("vcita-stub wrote no URL in 10s (exit %d): %s", exit, log)
	return "", nil
}

func post(t *testing.T, url, token, body string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

func TestStateFileKeepsTheSubscriptionsAcrossARestart(t *testing.T) {
	t.Parallel()
	state := filepath.Join(t.TempDir(), "stub-state.json")
	base, stop := startStub(t, "-token", "tok", "-state", state)
	if code := post(t, base+"/platform/v1/webhook/subscribe", "tok", `{"event":"lead/created","target_url":"https://example.com/a"}`); code != http.StatusCreated {
		t.Fatalf("subscribe: %d", code)
	}
	if code := post(t, base+"/_stub/subscriptions", "", `{"business":"biz","event":"client/updated","target_url":"https://example.com/b"}`); code != http.StatusCreated {
		t.Fatalf("admin add: %d", code)
	}
	// Not kept: faults and the journal.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPut, base+"/_stub/faults", strings.NewReader(`{"rate":1,"kinds":["503"]}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("PUT faults: %d", resp.StatusCode)
	}
	// The file is written on every change, before the answer.
	var saved stub.State
	data, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &saved); err != nil || len(saved.Subscriptions) != 2 || saved.NextID != 1003 || saved.Subscriptions[0].Event != "lead/created" {
		t.Fatalf("the state file holds %s (%v)", data, err)
	}
	if code, stderr := stop(); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}

	// Started again on the same port, as a test restarting it mid-apply does.
	base2, stop2 := startStub(t, "-token", "tok", "-state", state, "-listen", strings.TrimPrefix(base, "http://"))
	if base2 != base {
		t.Fatalf("restarted on %s, want %s", base2, base)
	}
	resp, err = http.Get(base + "/_stub/subscriptions")
	if err != nil {
		t.Fatal(err)
	}
	var listed []stub.Subscription
	err = json.NewDecoder(resp.Body).Decode(&listed)
	_ = resp.Body.Close()
	if err != nil || len(listed) != 2 || listed[0].ID != 1001 || listed[1].Business != "biz" {
		t.Fatalf("after the restart the stub lists %+v (%v)", listed, err)
	}
	// The faults were not kept; the next id was.
	if code := post(t, base+"/platform/v1/webhook/subscribe", "tok", `{"event":"client/created","target_url":"https://example.com/c"}`); code != http.StatusCreated {
		t.Fatalf("subscribe after the restart: %d, want 201 (faults are not kept)", code)
	}
	if saved := readState(t, state); saved.NextID != 1004 {
		t.Fatalf("next id after the restart: %d, want 1004", saved.NextID)
	}
	if code, stderr := stop2(); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
}

func readState(t *testing.T, path string) stub.State {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var st stub.State
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestStateFileThatIsNotAStateIsRefused(t *testing.T) {
	t.Parallel()
	for name, content := range map[string]string{
		"not JSON":  "subscriptions: []",
		"bad event": `{"next_id":1002,"subscriptions":[{"id":1001,"event":"client","target_url":"https://a"}]}`,
	} {
		state := filepath.Join(t.TempDir(), "state.json")
		if err := os.WriteFile(state, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		code := run(shortly(t), []string{"-state", state}, io.Discard, &stderr)
		if code != exitFailure || !strings.Contains(stderr.String(), "vcita-stub: -state: "+state) {
			t.Errorf("%s: exit %d, stderr %q; want %d naming the file", name, code, stderr.String(), exitFailure)
		}
		if data, _ := os.ReadFile(state); string(data) != content {
			t.Errorf("%s: the refused file was overwritten: %s", name, data)
		}
	}
}

// The Testing Modules guide documents the stub: every flag has a row in
// its table of flags.
func TestTheGuideDocumentsEveryFlag(t *testing.T) {
	t.Parallel()
	var usage bytes.Buffer
	if code := run(shortly(t), []string{"-h"}, io.Discard, &usage); code != 0 {
		t.Fatalf("-h: exit %d", code)
	}
	flags := regexp.MustCompile(`(?m)^  -([a-z-]+)`).FindAllStringSubmatch(usage.String(), -1)
	if len(flags) < 7 {
		t.Fatalf("found %d flags in the usage:\n%s", len(flags), usage.String())
	}
	data, err := os.ReadFile("../../templates/guides/testing-modules.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	for _, flag := range flags {
		if !strings.Contains(string(data), "| `-"+flag[1]+"` |") {
			t.Errorf("the guide's table of flags has no row for -%s", flag[1])
		}
	}
}
