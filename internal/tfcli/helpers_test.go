package tfcli

import (
	"os"
	"path/filepath"
	"testing"
)

// fakeCLI writes an executable shell script named name that runs body, and
// returns its path.
func fakeCLI(t *testing.T, name, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}
