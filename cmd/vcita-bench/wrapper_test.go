package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestMain lets the test binary act as the wrapper, as the bench binary does
// under dev_overrides.
func TestMain(m *testing.M) {
	if wrapperMode() {
		os.Exit(runWrapper())
	}
	os.Exit(m.Run())
}

func TestWrapperPassesStdoutAndExitCodeAndReportsRSS(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-c", `echo "1|6|unix|/tmp/plugin.sock|grpc|"; echo oops >&2; test -z "$`+envWrapProvider+`" || exit 9; exit 3`)
	cmd.Env = append(os.Environ(), envWrapProvider+"="+sh, envRSSDir+"="+dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) || exitErr.ExitCode() != 3 {
		t.Fatalf("wrapper: %v, want exit code 3 (stderr %q)", err, stderr.String())
	}
	if got := stdout.String(); got != "1|6|unix|/tmp/plugin.sock|grpc|\n" {
		t.Fatalf("stdout = %q: the wrapper must pass the child's stdout through untouched", got)
	}
	if !strings.Contains(stderr.String(), "oops") {
		t.Fatalf("stderr = %q", stderr.String())
	}
	got := collectUsage(dir, 0)
	if got.Processes != 1 || got.Unreported != 0 || got.MaxKiB <= 0 {
		t.Fatalf("collectUsage = %+v, want one process with its peak", got)
	}
}
