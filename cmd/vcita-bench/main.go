// Command vcita-bench measures what refreshing many vcita_webhook_subscription
// resources costs, through the real Terraform CLI, and checks the targets of
// the issue that made the provider share one list call among all the Reads of
// a plan.
//
// It builds the provider, starts the API stub in this process with a latency
// on every request (so it can count the calls of every operation directly),
// and for each N runs apply, plans with and without refresh, and destroy in a
// working directory of its own, through internal/tfcli (dev_overrides, no
// `terraform init`; the CLI is $VCITA_TF_PATH, else terraform on PATH).
// The provider runs under a wrapper (this same binary, in wrapper mode) that
// records the provider process's peak memory. It prints one table, writes it
// with the machine and the settings to -out, and exits non-zero when a target
// is missed.
//
//	go run ./cmd/vcita-bench -n 100,300,1000 -latency 50ms -plans 5 -out BENCHMARKS.md
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
	"github.com/vcita/terraform-provider-vcita/internal/tfcli"
	"github.com/vcita/terraform-provider-vcita/internal/tfconfig"
)

// parallelism is Terraform's default, which the benchmark keeps.
const parallelism = 10

// Exit codes: 1 for a failed run or a missed target, 2 for a bad command
// line, as the flag package does.
const (
	exitFailure = 1
	exitUsage   = 2
)

type options struct {
	sizes   []int
	latency time.Duration
	plans   int
	out     string
	keep    bool
	goBench bool
}

func main() {
	if wrapperMode() {
		os.Exit(runWrapper())
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	flags := flag.NewFlagSet("vcita-bench", flag.ContinueOnError)
	flags.SetOutput(stderr)
	sizes := flags.String("n", "100,300,1000", "comma-separated `counts` of subscriptions to measure")
	latency := flags.Duration("latency", 50*time.Millisecond, "delay the stub adds to every API request")
	plans := flags.Int("plans", 5, "plans to run with refresh, and as many with -refresh=false, per N")
	out := flags.String("out", "", "write the report to this Markdown `file` (empty: print only)")
	keep := flags.Bool("keep", false, "keep the temporary directory, with every Terraform log")
	goBench := flags.Bool("gobench", true, "also run the Go benchmarks of internal/vcita and include their output")
	if err := flags.Parse(args); err != nil {
		return options{}, err
	}
	if flags.NArg() > 0 {
		return options{}, fmt.Errorf("unexpected arguments %q", flags.Args())
	}
	o := options{latency: *latency, plans: *plans, out: *out, keep: *keep, goBench: *goBench}
	var err error
	if o.sizes, err = parseSizes(*sizes); err != nil {
		return options{}, fmt.Errorf("-n: %w", err)
	}
	if o.latency < 0 {
		return options{}, fmt.Errorf("-latency %s is negative", o.latency)
	}
	if o.plans < 1 {
		return options{}, fmt.Errorf("-plans %d: at least one plan is needed", o.plans)
	}
	return o, nil
}

// run is main without the process around it. Everything it starts or
// creates is stopped and removed before it returns.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	opts, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		_, _ = fmt.Fprintf(stderr, "vcita-bench: %v\n", err)
		return exitUsage
	}
	b := &bench{opts: opts, stdout: stdout, stderr: stderr}
	code, err := b.run(ctx)
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "vcita-bench: FAILED: %v\n", err)
		return exitFailure
	}
	return code
}

type bench struct {
	opts   options
	stdout io.Writer
	stderr io.Writer

	root string // the module's directory
	work string // the temporary directory
	cli  *tfcli.CLI
	api  *tfcli.Stub
	// overrides is the directory dev_overrides points at: the wrapper,
	// under the provider's name.
	overrides string
	// realProvider is the provider binary the wrapper runs.
	realProvider string
	// env is what every command's environment adds: the stub's address and
	// token, and the real provider for the wrapper.
	env map[string]string
}

func (b *bench) logf(format string, args ...any) {
	_, _ = fmt.Fprintf(b.stderr, "vcita-bench: "+format+"\n", args...)
}

func (b *bench) run(ctx context.Context) (code int, err error) {
	started := time.Now()
	if _, err := exec.LookPath("go"); err != nil {
		return 0, errors.New("go is not on PATH")
	}
	if b.cli, err = tfcli.FindCLI(ctx); err != nil {
		return 0, err
	}
	if b.root, err = tfcli.ModuleRoot(ctx); err != nil {
		return 0, err
	}
	if b.work, err = os.MkdirTemp("", "vcita-bench-"); err != nil {
		return 0, err
	}
	defer func() {
		if b.opts.keep {
			b.logf("kept %s", b.work)
			return
		}
		if rmErr := os.RemoveAll(b.work); rmErr != nil {
			b.logf("could not remove %s: %v", b.work, rmErr)
		}
	}()

	var goBench string
	if b.opts.goBench {
		if goBench, err = b.runGoBenchmarks(ctx); err != nil {
			return 0, err
		}
	}

	defer func() { _ = tfcli.RemoveBuild() }()
	if err := b.installWrapper(ctx); err != nil {
		return 0, err
	}

	if b.api, err = tfcli.StartStub(ctx); err != nil {
		return 0, err
	}
	defer func() {
		if err := b.api.Stop(); err != nil {
			b.logf("the stub: %v", err)
		}
	}()
	b.api.Server.SetLatency(b.opts.latency)
	b.logf("stub listening on %s with %s of latency per request; running %s", b.api.URL(), b.opts.latency, b.cli)
	b.env = b.api.ProviderEnv()
	b.env[envWrapProvider] = b.realProvider

	host := describeMachine(ctx, b.cli)
	host.LoadStart = loadAverage()

	var results []result
	for _, n := range b.opts.sizes {
		r, err := b.measure(ctx, n)
		if err != nil {
			return 0, fmt.Errorf("measuring N=%d: %w", n, err)
		}
		results = append(results, r)
	}

	host.LoadEnd = loadAverage()
	targets := checkTargets(results, b.opts.plans)
	rep := report{
		Date:     time.Now().UTC(),
		Machine:  host,
		Latency:  b.opts.latency,
		Plans:    b.opts.plans,
		Results:  results,
		Targets:  targets,
		GoBench:  goBench,
		Duration: time.Since(started),
	}
	summary := "\n" + markdownTable(tableHeader(b.opts.plans), tableRows(results)) + "\n" + targetLines(targets)
	if b.opts.out != "" {
		if err := os.WriteFile(b.opts.out, []byte(renderDocument(rep)), 0o644); err != nil {
			return 0, err
		}
		summary += "\nwrote " + b.opts.out + "\n"
	}
	code = 0
	if failed(targets) {
		summary += "\nvcita-bench: a target was missed\n"
		code = exitFailure
	}
	if _, err := io.WriteString(b.stdout, summary); err != nil {
		return 0, err
	}
	return code, nil
}

// runGoBenchmarks runs the package benchmarks, shows their output as they
// run, and returns it.
func (b *bench) runGoBenchmarks(ctx context.Context) (string, error) {
	args := []string{"test", "-run", "^$", "-bench", ".", "-benchmem", "./internal/vcita/"}
	b.logf("go %s", strings.Join(args, " "))
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = b.root
	var out strings.Builder
	cmd.Stdout = io.MultiWriter(&out, b.stderr)
	cmd.Stderr = cmd.Stdout
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go test -bench: %w", err)
	}
	return strings.TrimSpace(out.String()), nil
}

// installWrapper builds the provider and puts the wrapper, under the
// provider's name, into the directory dev_overrides points at.
func (b *bench) installWrapper(ctx context.Context) error {
	b.logf("go build the provider")
	dir, err := tfcli.BuildProvider(ctx)
	if err != nil {
		return err
	}
	b.realProvider = filepath.Join(dir, tfcli.ProviderBinary)
	b.overrides = filepath.Join(b.work, "overrides")
	if err := os.MkdirAll(b.overrides, 0o755); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding this binary for the wrapper: %w", err)
	}
	if err := copyFile(self, filepath.Join(b.overrides, tfcli.ProviderBinary), 0o755); err != nil {
		return fmt.Errorf("installing the wrapper: %w", err)
	}
	return nil
}

func copyFile(from, to string, mode os.FileMode) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, mode)
}

func (b *bench) calls() calls {
	return calls{
		Subscribe:   b.api.Server.Calls(stub.OpSubscribe),
		Unsubscribe: b.api.Server.Calls(stub.OpUnsubscribe),
		List:        b.api.Server.Calls(stub.OpList),
	}
}

// measure runs the life cycle of n subscriptions.
func (b *bench) measure(ctx context.Context, n int) (result, error) {
	dir := filepath.Join(b.work, fmt.Sprintf("n%d", n))
	w, err := tfcli.NewWorkspace(ctx, dir, tfcli.Options{CLI: b.cli, ProviderDir: b.overrides, Env: b.env})
	if err != nil {
		return result{}, err
	}
	if err := w.WriteFile("main.tf", tfconfig.RequiredProviders+tfconfig.ProviderFromEnvironment+tfconfig.Subscriptions("bench", n)); err != nil {
		return result{}, err
	}
	tf := &terraform{w: w, logDir: filepath.Join(dir, "logs")}
	server := b.api.Server
	r := result{N: n, RSS: map[string]rss{}}
	if left := len(server.All()); left != 0 {
		return r, fmt.Errorf("the stub holds %d subscriptions before the apply", left)
	}

	// Not measured: checks the configuration and the provider, and warms
	// the page cache with both binaries, so that the first N does not pay
	// for what the others do not.
	if _, err := tf.run(ctx, "validate", func(ctx context.Context, tf *tfexec.Terraform) error {
		_, err := tf.Validate(ctx)
		return err
	}); err != nil {
		return r, err
	}

	server.ResetCalls()
	apply, err := tf.run(ctx, "apply", func(ctx context.Context, tf *tfexec.Terraform) error { return tf.Apply(ctx) })
	if err != nil {
		return r, err
	}
	r.Apply, r.ApplyCalls = apply.Wall, b.calls()
	r.RSS["apply"] = apply.RSS
	if held := len(server.All()); held != n {
		return r, fmt.Errorf("the stub holds %d subscriptions after the apply, want %d (see %s)", held, n, apply.Log)
	}
	b.logf("N=%d: apply %s s, %d subscribe and %d list calls, provider peak %.1f MiB",
		n, seconds(r.Apply), r.ApplyCalls.Subscribe, r.ApplyCalls.List, apply.RSS.MiB())

	// Plans alternate between the two modes, and which mode goes first
	// alternates too, so that neither drift of the machine during the run
	// nor the order weighs on one mode more than on the other.
	for i := range b.opts.plans {
		for _, refresh := range planOrder(i) {
			name, mode := "plan", "plan"
			if !refresh {
				name, mode = "plan-norefresh", "plan -refresh=false"
			}
			server.ResetCalls()
			// Changes (exit code 2) are recorded and fail a target.
			var changes bool
			out, err := tf.run(ctx, name, func(ctx context.Context, tf *tfexec.Terraform) (err error) {
				changes, err = tf.Plan(ctx, tfexec.Refresh(refresh))
				return err
			})
			if err != nil {
				return r, err
			}
			p := planRun{Wall: out.Wall, ListCalls: server.Calls(stub.OpList)}
			if changes {
				p.ExitCode = 2
			}
			if refresh {
				r.PlansRefresh = append(r.PlansRefresh, p)
			} else {
				r.PlansNoRefresh = append(r.PlansNoRefresh, p)
			}
			r.RSS[mode] = r.RSS[mode].merge(out.RSS)
			b.logf("N=%d: %s %d/%d: %s s, %d list calls, exit %d", n, mode, i+1, b.opts.plans, seconds(p.Wall), p.ListCalls, p.ExitCode)
		}
	}

	server.ResetCalls()
	destroy, err := tf.run(ctx, "destroy", func(ctx context.Context, tf *tfexec.Terraform) error { return tf.Destroy(ctx) })
	if err != nil {
		return r, err
	}
	r.Destroy, r.DestroyCalls = destroy.Wall, b.calls()
	r.RSS["destroy"] = destroy.RSS
	r.LeftAfterDestroy = len(server.All())
	b.logf("N=%d: destroy %s s, %d unsubscribe and %d list calls, %d subscriptions left",
		n, seconds(r.Destroy), r.DestroyCalls.Unsubscribe, r.DestroyCalls.List, r.LeftAfterDestroy)
	if r.LeftAfterDestroy != 0 {
		// Recorded as a failed target; the next N needs an empty stub.
		server.Reset()
	}
	return r, nil
}

// planOrder is the order of the two modes in the i-th pair of plans: with
// refresh first in even pairs, without refresh first in odd ones.
func planOrder(i int) []bool {
	if i%2 == 0 {
		return []bool{true, false}
	}
	return []bool{false, true}
}
