// Command vcita-demo is `make demo`: the provider's life cycle against a
// stub of the vcita API, told step by step. It builds the provider, serves
// the stub in this process on a free loopback port, and runs examples/demo
// with the real Terraform CLI through internal/tfcli (dev_overrides, no
// `terraform init`): apply, a clean second plan, a subscription deleted
// behind Terraform's back, the drift found (`plan -detailed-exitcode` exits
// 2) and repaired; a subscription added by hand to the endpoint's URL, found
// by the plan (an in-place update, with a warning naming it) and removed;
// with Terraform 1.14 or later, subscriptions made by hand adopted with
// `terraform query -generate-config-out` and an apply that makes no
// subscribe or unsubscribe call; and everything destroyed.
//
// It needs go and terraform (or $VCITA_TF_PATH), no account and no network
// beyond loopback. It writes nothing into the repository and removes what it
// made, also when interrupted (Ctrl-C, SIGTERM); -keep keeps the working
// directory, with each command's log.
//
//	go run ./cmd/vcita-demo [-keep]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/vcita/terraform-provider-vcita/internal/tfcli"
)

// Exit codes: 1 for a failed step, 2 for a bad command line, as the flag
// package does; 128 + the signal's number when interrupted, as a shell
// reports it.
const (
	exitFailure = 1
	exitUsage   = 2
)

func main() {
	ctx, cancel := context.WithCancelCause(context.Background())
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		if sig, ok := <-signals; ok {
			cancel(interrupted{sig})
		}
	}()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	signal.Stop(signals)
	close(signals)
	os.Exit(code)
}

// interrupted is the cause of the context's end when a signal arrived.
type interrupted struct{ sig os.Signal }

func (i interrupted) Error() string { return "interrupted by " + i.sig.String() }

// exitCode is 128 + the signal's number, as a shell reports it.
func (i interrupted) exitCode() int {
	if sig, ok := i.sig.(syscall.Signal); ok {
		return 128 + int(sig)
	}
	return exitFailure
}

// run is main without the process around it. Everything it starts or
// creates is stopped and removed before it returns.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("vcita-demo", flag.ContinueOnError)
	flags.SetOutput(stderr)
	keep := flags.Bool("keep", false, "keep the temporary working directory, with the log of every command")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return exitUsage
	}
	if flags.NArg() > 0 {
		_, _ = fmt.Fprintf(stderr, "vcita-demo: unexpected arguments %q\n", flags.Args())
		return exitUsage
	}

	started := time.Now()
	d := &demo{out: stdout, headings: headingStyle(stdout)}
	err := d.run(ctx, *keep)
	var sig interrupted
	switch {
	case errors.As(context.Cause(ctx), &sig):
		_, _ = fmt.Fprintf(stderr, "\nvcita-demo: %v\n", sig)
		return sig.exitCode()
	case err != nil:
		_, _ = fmt.Fprintf(stderr, "vcita-demo: FAILED: %v\n", err)
		return exitFailure
	}
	_, _ = fmt.Fprintf(stdout, "\nDemo finished in %ds\n", int(time.Since(started).Seconds()))
	return 0
}

// headingStyle returns the escape sequences around a step's heading: bold
// on a terminal that takes colour, nothing otherwise.
func headingStyle(out io.Writer) [2]string {
	f, ok := out.(*os.File)
	if !ok || os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "" || os.Getenv("TERM") == "dumb" {
		return [2]string{}
	}
	if info, err := f.Stat(); err != nil || info.Mode()&os.ModeCharDevice == 0 {
		return [2]string{}
	}
	return [2]string{"\x1b[1m", "\x1b[0m"}
}

// run sets up the provider, the stub and the working directory, tells the
// story, and takes them down again.
func (d *demo) run(ctx context.Context, keep bool) (err error) {
	cli, err := tfcli.FindCLI(ctx)
	if err != nil {
		return err
	}
	root, err := tfcli.ModuleRoot(ctx)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "vcita-demo-")
	if err != nil {
		return err
	}
	defer func() {
		if keep {
			d.say("kept " + work)
		} else if rmErr := os.RemoveAll(work); rmErr != nil && err == nil {
			err = rmErr
		}
	}()
	d.logs = filepath.Join(work, "logs")
	if err := os.MkdirAll(d.logs, 0o755); err != nil {
		return err
	}

	d.step("Build the provider")
	if _, err := tfcli.BuildProvider(ctx); err != nil {
		return err
	}
	defer func() { _ = tfcli.RemoveBuild() }()
	d.say("built terraform-provider-vcita from this checkout into a temporary directory")

	d.step("Start the vcita API stub on a free loopback port")
	if d.api, err = tfcli.StartStub(ctx); err != nil {
		return err
	}
	defer func() {
		stopErr := d.api.Stop()
		if err == nil {
			d.step("Stop the stub")
			if stopErr != nil {
				err = stopErr
				return
			}
			d.say("stopped")
		}
	}()
	d.say("stub listening on "+d.api.URL()+", with a throwaway token",
		"(the provider reads both from VCITA_BASE_URL and VCITA_API_TOKEN)")

	if d.w, err = tfcli.NewWorkspace(ctx, filepath.Join(work, "tf"), tfcli.Options{CLI: cli, Env: d.api.ProviderEnv()}); err != nil {
		return err
	}
	if err := copyConfiguration(filepath.Join(root, "examples", "demo"), d.w); err != nil {
		return err
	}
	return d.story(ctx)
}

// copyConfiguration copies the .tf files of dir into the workspace, and its
// .tfquery.hcl files, which only `terraform query` reads.
func copyConfiguration(dir string, w *tfcli.Workspace) error {
	paths, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return fmt.Errorf("no .tf files in %s", dir)
	}
	queries, err := filepath.Glob(filepath.Join(dir, "*.tfquery.hcl"))
	if err != nil {
		return err
	}
	paths = append(paths, queries...)
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := w.WriteFile(filepath.Base(path), string(data)); err != nil {
			return err
		}
	}
	return nil
}
