// Command vcita-bench measures what refreshing many vcita_webhook_subscription
// resources costs, through the real Terraform CLI, and checks the targets of
// the issue that made the provider share one list call among all the Reads of
// a plan.
//
// It builds the provider, starts the API stub in this process with a latency
// on every request (so it can count the calls of every operation directly),
// and for each N runs apply, plans with and without refresh, and destroy in a
// working directory of its own, with dev_overrides and no `terraform init`.
// The provider runs under a wrapper (this same binary, in wrapper mode) that
// records the provider process's peak memory. It prints one table, writes it
// with the machine and the settings to -out, and exits non-zero when a target
// is missed.
//
//	go run ./cmd/vcita-bench -n 100,300,1000 -latency 50ms -plans 5 -out BENCHMARKS.md
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

const (
	modulePath   = "github.com/vcita/terraform-provider-vcita"
	providerName = "terraform-provider-vcita"
	// parallelism is Terraform's default, which the benchmark keeps.
	parallelism = 10
)

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

	root   string // the module's directory
	work   string // the temporary directory
	server *stub.Server
	token  string // the one token the stub accepts
	url    string // the stub's base URL
	tfEnv  []string
}

func (b *bench) logf(format string, args ...any) {
	_, _ = fmt.Fprintf(b.stderr, "vcita-bench: "+format+"\n", args...)
}

func (b *bench) run(ctx context.Context) (code int, err error) {
	started := time.Now()
	for _, tool := range []string{"go", "terraform"} {
		if _, err := exec.LookPath(tool); err != nil {
			return 0, fmt.Errorf("%s is not on PATH", tool)
		}
	}
	if b.root, err = moduleRoot(ctx); err != nil {
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

	overrides, err := b.buildProvider(ctx)
	if err != nil {
		return 0, err
	}

	stopStub, err := b.startStub(ctx)
	if err != nil {
		return 0, err
	}
	defer stopStub()

	if err := b.configureTerraform(overrides); err != nil {
		return 0, err
	}
	host := describeMachine(ctx, b.tfEnv)
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

// moduleRoot returns the directory of this module, which must be the one
// the command runs in.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := output(ctx, "", nil, "go", "list", "-m", "-f", "{{.Path}}\t{{.Dir}}")
	if err != nil {
		return "", fmt.Errorf("finding the module: %w", err)
	}
	path, dir, _ := strings.Cut(out, "\t")
	if path != modulePath || dir == "" {
		return "", fmt.Errorf("run vcita-bench from the %s module (go list -m says %q)", modulePath, out)
	}
	return dir, nil
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

// buildProvider builds the provider into the temporary directory, puts the
// wrapper under the provider's name into another, and returns that one: the
// directory dev_overrides points at.
func (b *bench) buildProvider(ctx context.Context) (string, error) {
	realDir := filepath.Join(b.work, "provider")
	overrides := filepath.Join(b.work, "overrides")
	for _, dir := range []string{realDir, overrides} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", err
		}
	}
	real := filepath.Join(realDir, providerName)
	b.logf("go build the provider")
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	// The flags of `make build`.
	cmd := exec.CommandContext(ctx, "go", "build", "-ldflags", "-s -w -X main.version=bench", "-o", real, ".")
	cmd.Dir = b.root
	cmd.Stdout, cmd.Stderr = b.stderr, b.stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build of the provider: %w", err)
	}

	self, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("finding this binary for the wrapper: %w", err)
	}
	if err := copyFile(self, filepath.Join(overrides, providerName), 0o755); err != nil {
		return "", fmt.Errorf("installing the wrapper: %w", err)
	}
	return overrides, nil
}

func copyFile(from, to string, mode os.FileMode) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, mode)
}

// startStub serves the stub on a free loopback port and returns the
// function that stops it.
func (b *bench) startStub(ctx context.Context) (stop func(), err error) {
	if b.token, err = randomToken(); err != nil {
		return nil, err
	}
	b.server = stub.New(b.token)
	b.server.SetLatency(b.opts.latency)
	serveCtx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	served := make(chan error, 1)
	go func() { served <- b.server.Serve(serveCtx, "127.0.0.1:0", func(url string) { ready <- url }) }()
	stop = func() {
		cancel()
		if err := <-served; err != nil {
			b.logf("the stub: %v", err)
		}
	}
	select {
	case b.url = <-ready:
		b.logf("stub listening on %s with %s of latency per request", b.url, b.opts.latency)
		return stop, nil
	case err := <-served:
		cancel()
		return nil, fmt.Errorf("starting the stub: %w", err)
	case <-ctx.Done():
		stop()
		return nil, ctx.Err()
	}
}

func randomToken() (string, error) {
	raw := make([]byte, 12)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	return "bench-" + hex.EncodeToString(raw), nil
}

// configureTerraform writes the CLI configuration and completes the
// environment of every Terraform command.
func (b *bench) configureTerraform(overrides string) error {
	cliConfig := filepath.Join(b.work, "terraformrc")
	text := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "vcita/vcita" = %s
  }
  direct {}
}
`, strconv.Quote(overrides))
	if err := os.WriteFile(cliConfig, []byte(text), 0o644); err != nil {
		return err
	}
	// The caller's Terraform and provider settings would change what is
	// measured: none is passed on.
	env := withoutPrefixes(os.Environ(), "TF_", "VCITA_", "CHECKPOINT_")
	env = append(env,
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"VCITA_API_TOKEN="+b.token,
		"VCITA_BASE_URL="+b.url,
		envWrapProvider+"="+filepath.Join(b.work, "provider", providerName),
	)
	b.tfEnv = env
	return nil
}

func withoutPrefixes(env []string, prefixes ...string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		keep := true
		for _, p := range prefixes {
			if strings.HasPrefix(kv, p) {
				keep = false
				break
			}
		}
		if keep {
			out = append(out, kv)
		}
	}
	return out
}

// configuration is the Terraform configuration of n subscriptions, each a
// pair of its own.
func configuration(n int) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    vcita = {
      source = "vcita/vcita"
    }
  }
}

# token and base_url come from VCITA_API_TOKEN and VCITA_BASE_URL.
provider "vcita" {}

resource "vcita_webhook_subscription" "bench" {
  count = %d

  event      = "client/created"
  target_url = "https://hooks.example.com/bench/${count.index}"
}
`, n)
}

func (b *bench) calls() calls {
	return calls{
		Subscribe:   b.server.Calls(stub.OpSubscribe),
		Unsubscribe: b.server.Calls(stub.OpUnsubscribe),
		List:        b.server.Calls(stub.OpList),
	}
}

// measure runs the life cycle of n subscriptions.
func (b *bench) measure(ctx context.Context, n int) (result, error) {
	dir := filepath.Join(b.work, fmt.Sprintf("n%d", n))
	if err := os.MkdirAll(filepath.Join(dir, "logs"), 0o755); err != nil {
		return result{}, err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(configuration(n)), 0o644); err != nil {
		return result{}, err
	}
	tf := &terraform{dir: dir, env: b.tfEnv, logDir: filepath.Join(dir, "logs")}
	r := result{N: n, RSS: map[string]rss{}}
	if left := len(b.server.All()); left != 0 {
		return r, fmt.Errorf("the stub holds %d subscriptions before the apply", left)
	}

	// Not measured: checks the configuration and the provider, and warms
	// the page cache with both binaries, so that the first N does not pay
	// for what the others do not.
	if _, err := tf.run(ctx, "validate", []int{0}, "validate", "-no-color"); err != nil {
		return r, err
	}

	b.server.ResetCalls()
	apply, err := tf.run(ctx, "apply", []int{0}, "apply", "-auto-approve", "-input=false", "-no-color")
	if err != nil {
		return r, err
	}
	r.Apply, r.ApplyCalls = apply.Wall, b.calls()
	r.RSS["apply"] = apply.RSS
	if held := len(b.server.All()); held != n {
		return r, fmt.Errorf("the stub holds %d subscriptions after the apply, want %d (see %s)", held, n, apply.Log)
	}
	b.logf("N=%d: apply %s s, %d subscribe and %d list calls, provider peak %.1f MiB",
		n, seconds(r.Apply), r.ApplyCalls.Subscribe, r.ApplyCalls.List, apply.RSS.MiB())

	// Plans alternate between the two modes, and which mode goes first
	// alternates too, so that neither drift of the machine during the run
	// nor the order weighs on one mode more than on the other.
	for i := range b.opts.plans {
		for _, refresh := range planOrder(i) {
			args := []string{"plan", "-input=false", "-no-color", "-detailed-exitcode"}
			name, mode := "plan", "plan"
			if !refresh {
				args = append(args, "-refresh=false")
				name, mode = "plan-norefresh", "plan -refresh=false"
			}
			b.server.ResetCalls()
			// Exit code 2 (changes) is recorded and fails a target.
			out, err := tf.run(ctx, name, []int{0, 2}, args...)
			if err != nil {
				return r, err
			}
			p := planRun{Wall: out.Wall, ListCalls: b.server.Calls(stub.OpList), ExitCode: out.ExitCode}
			if refresh {
				r.PlansRefresh = append(r.PlansRefresh, p)
			} else {
				r.PlansNoRefresh = append(r.PlansNoRefresh, p)
			}
			r.RSS[mode] = r.RSS[mode].merge(out.RSS)
			b.logf("N=%d: %s %d/%d: %s s, %d list calls, exit %d", n, mode, i+1, b.opts.plans, seconds(p.Wall), p.ListCalls, p.ExitCode)
		}
	}

	b.server.ResetCalls()
	destroy, err := tf.run(ctx, "destroy", []int{0}, "destroy", "-auto-approve", "-input=false", "-no-color")
	if err != nil {
		return r, err
	}
	r.Destroy, r.DestroyCalls = destroy.Wall, b.calls()
	r.RSS["destroy"] = destroy.RSS
	r.LeftAfterDestroy = len(b.server.All())
	b.logf("N=%d: destroy %s s, %d unsubscribe and %d list calls, %d subscriptions left",
		n, seconds(r.Destroy), r.DestroyCalls.Unsubscribe, r.DestroyCalls.List, r.LeftAfterDestroy)
	if r.LeftAfterDestroy != 0 {
		// Recorded as a failed target; the next N needs an empty stub.
		b.server.Reset()
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
