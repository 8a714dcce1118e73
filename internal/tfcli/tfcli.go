// Package tfcli drives the Terraform CLI (or OpenTofu) with this module's
// provider, as a user does: the binary built from source, found through a
// dev_overrides CLI configuration, with no `terraform init` (which would ask
// the registry for the provider). The demo, the benchmark and the
// end-to-end tests all run Terraform through it.
//
// A Workspace is one working directory with its CLI, its CLI configuration
// and a clean environment. Its commands run through
// github.com/hashicorp/terraform-exec (Exec); Run runs any subcommand as
// given, for what terraform-exec does not wrap or when the exit code itself
// is under test.
//
//	cli, _ := tfcli.FindCLI(ctx)        // $VCITA_TF_PATH, else terraform on PATH
//	api, _ := tfcli.StartStub(ctx)      // or stub.NewTestServer in a test
//	w, _ := tfcli.NewWorkspace(ctx, dir, tfcli.Options{CLI: cli, Env: api.ProviderEnv()})
//	tf, _ := w.Exec(os.Stdout, nil)
//	_ = tf.Apply(ctx)
package tfcli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/vcita/terraform-provider-vcita/internal/tfconfig"
)

// cliConfigFile is the name of the CLI configuration a workspace writes into
// its directory. Terraform reads no configuration from it.
const cliConfigFile = "dev_overrides.tfrc"

// interruptGrace is how long a cancelled command has, after its interrupt,
// to stop before it is killed: Terraform waits for its providers.
const interruptGrace = time.Minute

// Options says how a workspace runs the CLI.
type Options struct {
	// CLI runs the commands; nil means FindCLI.
	CLI *CLI
	// ProviderDir is the directory dev_overrides points at, holding an
	// executable named ProviderBinary; empty means BuildProvider's.
	ProviderDir string
	// Env is added to the clean environment of every command: the
	// provider's settings (ProviderEnv), for example.
	Env map[string]string
}

// Workspace is one working directory in which the CLI runs the provider.
type Workspace struct {
	// Dir is the working directory.
	Dir string
	// CLI is the CLI that runs the commands.
	CLI *CLI

	env map[string]string
}

// NewWorkspace prepares dir (created if missing) for the CLI: it writes the
// dev_overrides CLI configuration into it. It builds the provider when
// opts.ProviderDir is empty and finds the CLI when opts.CLI is nil.
func NewWorkspace(ctx context.Context, dir string, opts Options) (*Workspace, error) {
	var err error
	if opts.CLI == nil {
		if opts.CLI, err = FindCLI(ctx); err != nil {
			return nil, err
		}
	}
	if opts.ProviderDir == "" {
		if opts.ProviderDir, err = BuildProvider(ctx); err != nil {
			return nil, err
		}
	}
	if dir, err = filepath.Abs(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	cliConfig := filepath.Join(dir, cliConfigFile)
	if err := WriteCLIConfig(cliConfig, opts.ProviderDir); err != nil {
		return nil, err
	}
	env := environMap(scrubbedEnviron())
	env["TF_CLI_CONFIG_FILE"] = cliConfig
	env["CHECKPOINT_DISABLE"] = "1"
	maps.Copy(env, opts.Env)
	return &Workspace{Dir: dir, CLI: opts.CLI, env: env}, nil
}

// WriteCLIConfig writes the CLI configuration that makes Terraform and
// OpenTofu run the provider executable in providerDir, with no `init`:
// the one place the project writes a dev_overrides block.
func WriteCLIConfig(path, providerDir string) error {
	abs, err := filepath.Abs(providerDir)
	if err != nil {
		return err
	}
	text := fmt.Sprintf(`provider_installation {
  dev_overrides {
    %s = %s
  }
  direct {}
}
`, strconv.Quote(tfconfig.ProviderSource), strconv.Quote(abs))
	return os.WriteFile(path, []byte(text), 0o644)
}

// WriteFile writes a file of the configuration, name relative to Dir.
func (w *Workspace) WriteFile(name, content string) error {
	path := filepath.Join(w.Dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(content), 0o644)
}

// Exec returns a terraform-exec handle on the workspace. The commands'
// standard output and error both go to out (nil discards them; either way
// a failed command's error quotes its standard error), and vars are added to
// their environment. terraform-exec refuses variables it manages itself:
// use its SetLog and SetLogPath for TF_LOG and TF_LOG_PATH.
func (w *Workspace) Exec(out io.Writer, vars map[string]string) (*tfexec.Terraform, error) {
	tf, err := tfexec.NewTerraform(w.Dir, w.CLI.Path)
	if err != nil {
		return nil, err
	}
	env := maps.Clone(w.env)
	maps.Copy(env, vars)
	if err := tf.SetEnv(env); err != nil {
		return nil, err
	}
	if out != nil {
		// terraform-exec copies stdout and stderr from two goroutines.
		sync := &syncWriter{w: out}
		tf.SetStdout(sync)
		tf.SetStderr(sync)
	}
	return tf, nil
}

// Run runs the CLI with args as given, in Dir, with vars added to the
// environment, its standard output and error going to out. It returns the
// CLI's exit code; err is set only when the CLI could not run or ctx ended
// first. Cancelling ctx interrupts the CLI as Ctrl-C does, and kills it if
// it has not stopped a minute later.
func (w *Workspace) Run(ctx context.Context, out io.Writer, vars map[string]string, args ...string) (int, error) {
	cmd := exec.CommandContext(ctx, w.CLI.Path, args...)
	cmd.Dir = w.Dir
	cmd.Env = w.Environ(vars)
	if out == nil {
		out = io.Discard
	}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = interruptGrace
	err := cmd.Run()
	if ctx.Err() != nil {
		return -1, fmt.Errorf("%s %s: %w", w.CLI.Name, strings.Join(args, " "), ctx.Err())
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return exitErr.ExitCode(), nil
	}
	if err != nil {
		return -1, fmt.Errorf("%s %s: %w", w.CLI.Name, strings.Join(args, " "), err)
	}
	return 0, nil
}

// Environ returns the environment of the workspace's commands, with vars
// added, for a program (a script) that runs the CLI itself.
func (w *Workspace) Environ(vars map[string]string) []string {
	env := maps.Clone(w.env)
	env["TF_IN_AUTOMATION"] = "1"
	maps.Copy(env, vars)
	out := make([]string, 0, len(env))
	for _, name := range slices.Sorted(maps.Keys(env)) {
		out = append(out, name+"="+env[name])
	}
	return out
}

// State returns the state as `terraform show -json` gives it.
func (w *Workspace) State(ctx context.Context) (*tfjson.State, error) {
	tf, err := w.Exec(nil, nil)
	if err != nil {
		return nil, err
	}
	return tf.Show(ctx)
}

// SavedPlan returns a plan file written by `plan -out` as `terraform show
// -json` gives it; planFile is relative to Dir.
func (w *Workspace) SavedPlan(ctx context.Context, planFile string) (*tfjson.Plan, error) {
	tf, err := w.Exec(nil, nil)
	if err != nil {
		return nil, err
	}
	return tf.ShowPlanFile(ctx, planFile)
}

// Output decodes the root module output name into v.
func (w *Workspace) Output(ctx context.Context, name string, v any) error {
	tf, err := w.Exec(nil, nil)
	if err != nil {
		return err
	}
	outputs, err := tf.Output(ctx)
	if err != nil {
		return err
	}
	meta, ok := outputs[name]
	if !ok {
		return fmt.Errorf("the configuration has no output %q", name)
	}
	return json.Unmarshal(meta.Value, v)
}

// scrubbedEnviron returns this process's environment without what would
// change what the CLI or the provider does: Terraform's and OpenTofu's
// settings (TF_*, TOFU_*, CHECKPOINT_*) and the provider's (VCITA_*).
func scrubbedEnviron() []string {
	return slices.DeleteFunc(os.Environ(), func(kv string) bool {
		for _, prefix := range []string{"TF_", "TOFU_", "CHECKPOINT_", "VCITA_"} {
			if strings.HasPrefix(kv, prefix) {
				return true
			}
		}
		return false
	})
}

func environMap(environ []string) map[string]string {
	env := make(map[string]string, len(environ))
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		env[name] = value
	}
	return env
}

// syncWriter serialises writes from several goroutines.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
