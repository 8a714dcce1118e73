// Command vcita-bench measures what the provider costs through the real
// Terraform CLI, against the floor of what Terraform itself costs, and
// checks the performance targets.
//
// It builds the provider, starts the API stub in this process with a latency
// on every request (so it can count the calls of every operation directly),
// and for each N runs apply, plans with and without refresh, and destroy in a
// working directory of its own, through internal/tfcli (dev_overrides, no
// `terraform init`; the CLI is $VCITA_TF_PATH, else terraform on PATH); then
// the same life cycle of N terraform_data resources, the floor (floor.go);
// then the scenarios (scenarios.go). The provider runs under a wrapper (this
// same binary, in wrapper mode) that records the provider process's peak
// memory. It prints a table, writes the report with the machine and the
// settings to -out and a chart to -chart, and exits non-zero when a target
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
	"slices"
	"strings"
	"syscall"
	"time"

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
	sizes     []int
	latency   time.Duration
	plans     int
	out       string
	chart     string
	keep      bool
	goBench   bool
	scenarios []string
	// providerEnv is added to the provider's environment alone.
	providerEnv map[string]string
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
	chart := flags.String("chart", "", "write the chart to this SVG `file` (default: BENCHMARKS.svg beside -out; none without -out)")
	keep := flags.Bool("keep", false, "keep the temporary directory, with every Terraform log")
	goBench := flags.Bool("gobench", true, "also run the Go benchmarks of internal/vcita and include their output")
	names := flags.String("scenarios", strings.Join(scenarioNames(), ","), "comma-separated `names` of the scenarios to run (empty: none)")
	providerEnv := map[string]string{}
	flags.Func("provider-env", "`NAME=VALUE` in the provider's environment alone, such as GOMEMLIMIT=off or GOGC=50 (repeatable)", func(kv string) error {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || name == "" {
			return fmt.Errorf("%q is not NAME=VALUE", kv)
		}
		providerEnv[name] = value
		return nil
	})
	if err := flags.Parse(args); err != nil {
		return options{}, err
	}
	if flags.NArg() > 0 {
		return options{}, fmt.Errorf("unexpected arguments %q", flags.Args())
	}
	o := options{latency: *latency, plans: *plans, out: *out, chart: *chart, keep: *keep, goBench: *goBench, providerEnv: providerEnv}
	var err error
	if o.sizes, err = parseSizes(*sizes); err != nil {
		return options{}, fmt.Errorf("-n: %w", err)
	}
	if o.scenarios, err = parseScenarios(*names); err != nil {
		return options{}, fmt.Errorf("-scenarios: %w", err)
	}
	if o.latency < 0 {
		return options{}, fmt.Errorf("-latency %s is negative", o.latency)
	}
	if o.plans < 1 {
		return options{}, fmt.Errorf("-plans %d: at least one plan is needed", o.plans)
	}
	if o.chart == "" && o.out != "" {
		o.chart = filepath.Join(filepath.Dir(o.out), "BENCHMARKS.svg")
	}
	return o, nil
}

// parseScenarios reads the -scenarios flag: names of the scenario table.
func parseScenarios(s string) ([]string, error) {
	var names []string
	for _, name := range commaFields(s) {
		if !slices.Contains(scenarioNames(), name) {
			return nil, fmt.Errorf("no scenario %q (there are %s)", name, strings.Join(scenarioNames(), ", "))
		}
		names = append(names, name)
	}
	return names, nil
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
	for name, value := range b.opts.providerEnv {
		b.env[envProviderPrefix+name] = value
	}

	host := describeMachine(ctx, b.cli)
	host.LoadStart = loadAverage()

	m := measured{Latency: b.opts.latency, Plans: b.opts.plans}
	for _, n := range b.opts.sizes {
		r, err := b.measure(ctx, n)
		if err != nil {
			return 0, fmt.Errorf("measuring N=%d: %w", n, err)
		}
		m.Results = append(m.Results, r)
	}
	if m.Scenarios, err = b.runScenarios(ctx, b.opts.scenarios); err != nil {
		return 0, err
	}

	host.LoadEnd = loadAverage()
	rep := report{
		Date:        time.Now().UTC(),
		Machine:     host,
		measured:    m,
		Targets:     checkTargets(m),
		GoBench:     goBench,
		ProviderEnv: b.opts.providerEnv,
		Duration:    time.Since(started),
	}
	summary := "\n" + floorTable(m) + "\n" + targetLines(rep.Targets)
	if b.opts.out != "" {
		if err := os.WriteFile(b.opts.out, []byte(renderDocument(rep, b.opts.chart)), 0o644); err != nil {
			return 0, err
		}
		summary += "\nwrote " + b.opts.out + "\n"
	}
	if b.opts.chart != "" {
		if err := os.WriteFile(b.opts.chart, []byte(renderChart(m)), 0o644); err != nil {
			return 0, err
		}
		summary += "wrote " + b.opts.chart + "\n"
	}
	summary += fmt.Sprintf("the run took %s\n", rep.Duration.Round(time.Second))
	code = 0
	if failed(rep.Targets) {
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

// measure runs the life cycle of n subscriptions, and of their floor: n
// terraform_data resources, which start no provider and call no API.
func (b *bench) measure(ctx context.Context, n int) (result, error) {
	r := result{N: n}
	floor, err := b.workspace(ctx, fmt.Sprintf("floor-n%d", n), floorResources("bench", n))
	if err != nil {
		return r, err
	}
	c := cycle{plans: b.opts.plans, noRefresh: true, applies: 1}
	if r.Floor, err = b.runCycle(ctx, fmt.Sprintf("N=%d terraform_data", n), floor, c); err != nil {
		return r, fmt.Errorf("the floor: %w", err)
	}
	tf, err := b.workspace(ctx, fmt.Sprintf("n%d", n), withProvider(tfconfig.Subscriptions("bench", n)))
	if err != nil {
		return r, err
	}
	c.want = n
	r.Provider, err = b.runCycle(ctx, fmt.Sprintf("N=%d", n), tf, c)
	return r, err
}
