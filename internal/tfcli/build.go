package tfcli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

const (
	// modulePath is the Go module the provider is built from.
	modulePath = "github.com/vcita/terraform-provider-vcita"
	// ProviderBinary is the provider executable's name, the one
	// dev_overrides looks for in its directory.
	ProviderBinary = "terraform-provider-vcita"
)

// buildLDFlags are the flags of `make build`, so that what is driven is what
// users install.
const buildLDFlags = "-s -w -X main.version=dev"

// built is the provider binary of this process: BuildProvider builds it
// once, RemoveBuild removes it.
var built struct {
	sync.Mutex
	dir string
}

// BuildProvider builds the provider from this module's source into a
// temporary directory, the first time it is called in a process, and returns
// that directory: the one a dev_overrides block points at. Later calls
// return the same directory. Call RemoveBuild before the process ends.
//
// It needs `go` on PATH and must run inside the module (a test's package
// directory or the repository's root).
func BuildProvider(ctx context.Context) (string, error) {
	built.Lock()
	defer built.Unlock()
	if built.dir != "" {
		return built.dir, nil
	}
	dir, err := os.MkdirTemp("", "vcita-provider-")
	if err != nil {
		return "", err
	}
	if err := Build(ctx, ".", filepath.Join(dir, ProviderBinary)); err != nil {
		_ = os.RemoveAll(dir)
		return "", err
	}
	built.dir = dir
	return dir, nil
}

// Build builds the main package pkg of this module, such as "." (the
// provider) or "./cmd/vcita-stub", into the executable path, with the flags
// of `make build`. Like BuildProvider, it needs `go` and the module.
func Build(ctx context.Context, pkg, path string) error {
	root, err := ModuleRoot(ctx)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-ldflags", buildLDFlags, "-o", path, pkg)
	cmd.Dir = root
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s: %w\n%s", pkg, err, strings.TrimSpace(out.String()))
	}
	return nil
}

// RemoveBuild removes what BuildProvider built, if anything; a later
// BuildProvider builds again.
func RemoveBuild() error {
	built.Lock()
	defer built.Unlock()
	if built.dir == "" {
		return nil
	}
	err := os.RemoveAll(built.dir)
	built.dir = ""
	return err
}

// ModuleRoot returns the directory of this module, which must be the one
// the process runs in.
func ModuleRoot(ctx context.Context) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Path}}\t{{.Dir}}")
	out, err := cmd.Output()
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			err = fmt.Errorf("%w: %s", err, strings.TrimSpace(string(exitErr.Stderr)))
		}
		return "", fmt.Errorf("finding the module with go list -m: %w", err)
	}
	path, dir, _ := strings.Cut(strings.TrimSpace(string(out)), "\t")
	if path != modulePath || dir == "" {
		return "", fmt.Errorf("run this from the %s module (go list -m says %q)", modulePath, out)
	}
	return dir, nil
}
