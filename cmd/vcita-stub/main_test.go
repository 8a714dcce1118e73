package main

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
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
	bin := filepath.Join(t.TempDir(), "vcita-stub")
	build := exec.CommandContext(t.Context(), "go", "build", "-ldflags", "-X main.version=1.2.3", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.CommandContext(shortly(t), bin, "-version").Output()
	if err != nil {
		t.Fatalf("vcita-stub -version: %v", err)
	}
	if got, want := string(out), "vcita-stub 1.2.3\n"; got != want {
		t.Errorf("vcita-stub -version printed %q, want %q", got, want)
	}
}
