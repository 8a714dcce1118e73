package tfcli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/hashicorp/go-version"
)

// EnvCLIPath names the environment variable that selects the CLI binary:
// the path of a terraform or tofu executable. Unset or empty, FindCLI uses
// `terraform` on PATH.
const EnvCLIPath = "VCITA_TF_PATH"

// The names a CLI reports in its version line.
const (
	Terraform = "Terraform"
	OpenTofu  = "OpenTofu"
)

// CLI is one Terraform or OpenTofu executable.
type CLI struct {
	// Path is the executable's absolute path.
	Path string
	// Name is Terraform or OpenTofu.
	Name string
	// Version is what the executable reports, such as 1.11.4.
	Version *version.Version
}

// String returns the name and version, such as "Terraform 1.11.4".
func (c *CLI) String() string { return c.Name + " " + c.Version.String() }

// IsOpenTofu reports whether the CLI is OpenTofu.
func (c *CLI) IsOpenTofu() bool { return c.Name == OpenTofu }

// AtLeast reports whether the CLI's version is v or newer. Prereleases
// count as their release (1.14.0-beta1 is at least 1.14), since that is
// what tests gate on. A v that is not a version panics: it is a constant in
// the caller's code.
func (c *CLI) AtLeast(v string) bool {
	return c.Version.Core().GreaterThanOrEqual(version.Must(version.NewVersion(v)))
}

// SupportsQuery reports whether the CLI has `terraform query` and list
// resources: Terraform 1.14 onwards; OpenTofu has no query command.
func (c *CLI) SupportsQuery() bool { return !c.IsOpenTofu() && c.AtLeast("1.14") }

// defaultCLI caches what FindCLI found: the environment that selects it does
// not change during a run.
var defaultCLI struct {
	sync.Mutex
	cli *CLI
}

// FindCLI returns the CLI named by $VCITA_TF_PATH, else `terraform` on PATH.
// The answer is cached for the process.
func FindCLI(ctx context.Context) (*CLI, error) {
	defaultCLI.Lock()
	defer defaultCLI.Unlock()
	if defaultCLI.cli != nil {
		return defaultCLI.cli, nil
	}
	path := os.Getenv(EnvCLIPath)
	if path == "" {
		found, err := exec.LookPath("terraform")
		if err != nil {
			return nil, fmt.Errorf("terraform is not on PATH (or set %s to a terraform or tofu binary): %w", EnvCLIPath, err)
		}
		path = found
	}
	cli, err := NewCLI(ctx, path)
	if err != nil {
		return nil, err
	}
	defaultCLI.cli = cli
	return cli, nil
}

// versionLine is the first line of `terraform version` and `tofu version`.
var versionLine = regexp.MustCompile(`^(Terraform|OpenTofu) v(\S+)$`)

// NewCLI describes the executable at path by running its `version` command.
func NewCLI(ctx context.Context, path string) (*CLI, error) {
	found, err := exec.LookPath(path)
	if err != nil {
		return nil, fmt.Errorf("the CLI %q: %w", path, err)
	}
	// Commands run in their working directory: a relative path would not
	// name the same file there.
	abs, err := filepath.Abs(found)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, abs, "version")
	// An existing, empty CLI configuration: OpenTofu prints a warning on
	// stdout about one that is missing.
	cmd.Env = append(scrubbedEnviron(), "TF_CLI_CONFIG_FILE="+os.DevNull, "CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			err = fmt.Errorf("%w: %s", err, strings.TrimSpace(string(exitErr.Stderr)))
		}
		return nil, fmt.Errorf("%s version: %w", abs, err)
	}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		m := versionLine.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		v, err := version.NewVersion(m[2])
		if err != nil {
			return nil, fmt.Errorf("%s version: %q: %w", abs, m[0], err)
		}
		return &CLI{Path: abs, Name: m[1], Version: v}, nil
	}
	return nil, fmt.Errorf("%s version: no Terraform or OpenTofu version line in %q", abs, out)
}
