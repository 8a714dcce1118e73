package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// The wrapper mode. The dev_overrides directory holds a copy of this binary
// under the provider's name; Terraform starts it, with these variables in
// its environment, as it would start the provider. It runs the real
// provider as its child with stdin, stdout and stderr inherited (go-plugin's
// handshake is the child's first line on stdout, so the wrapper never writes
// to stdout), and when the child exits writes the child's maximum resident
// set size and CPU time, from wait4's rusage, into the directory named by
// envRSSDir.
const (
	// envWrapProvider is the path of the real provider binary.
	envWrapProvider = "VCITA_BENCH_WRAP_PROVIDER"
	// envRSSDir is where each provider process reports.
	envRSSDir = "VCITA_BENCH_RSS_DIR"
	// envProviderPrefix marks a variable meant for the provider alone (the
	// -provider-env flag): VCITA_BENCH_PROVIDER_GOGC=50 reaches the provider
	// as GOGC=50, and neither Terraform nor the benchmark sees it as GOGC.
	envProviderPrefix = "VCITA_BENCH_PROVIDER_"
)

// Report files in the envRSSDir directory, named after the wrapper's pid.
const (
	startedSuffix  = ".started"
	reportedSuffix = ".kib"
)

func wrapperMode() bool { return os.Getenv(envWrapProvider) != "" }

// runWrapper runs the real provider and returns the exit code to leave with.
func runWrapper() int {
	real, dir := os.Getenv(envWrapProvider), os.Getenv(envRSSDir)
	fail := func(err error) int {
		// Terraform logs a plugin's stderr; stdout is the handshake.
		fmt.Fprintf(os.Stderr, "vcita-bench wrapper: %v\n", err)
		return 1
	}
	if dir == "" {
		return fail(errors.New(envRSSDir + " is not set"))
	}
	name := filepath.Join(dir, strconv.Itoa(os.Getpid()))
	if err := os.WriteFile(name+startedSuffix, nil, 0o600); err != nil {
		return fail(err)
	}

	// Pdeathsig fires when the thread that started the child ends, not the
	// process: keep this goroutine on its thread until the child is gone.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()

	cmd := exec.Command(real, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = providerEnviron(os.Environ())
	// If Terraform kills the wrapper (it kills a plugin that does not stop
	// in time), the provider must not outlive it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}

	signals := make(chan os.Signal, 4)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(signals)
	if err := cmd.Start(); err != nil {
		return fail(err)
	}
	go func() {
		for sig := range signals {
			_ = cmd.Process.Signal(sig)
		}
	}()
	waitErr := cmd.Wait()

	state := cmd.ProcessState
	if state == nil {
		return fail(waitErr)
	}
	if usage, ok := state.SysUsage().(*syscall.Rusage); ok {
		// ru_maxrss is in KiB on Linux; the CPU time is user plus system.
		// Written to a temporary name and renamed, so the benchmark never
		// reads half a report.
		report := fmt.Sprintf("%d %d\n", usage.Maxrss, (state.UserTime() + state.SystemTime()).Microseconds())
		tmp := name + ".tmp"
		if err := os.WriteFile(tmp, []byte(report), 0o600); err == nil {
			_ = os.Rename(tmp, name+reportedSuffix)
		}
	}
	if status, ok := state.Sys().(syscall.WaitStatus); ok && status.Signaled() {
		return 128 + int(status.Signal())
	}
	return state.ExitCode()
}

// providerEnviron is the provider's environment: the wrapper's, without the
// wrapper's own variables, and with the -provider-env variables under their
// own names.
func providerEnviron(env []string) []string {
	env = withoutVars(env, envWrapProvider, envRSSDir)
	var own []string
	for _, kv := range env {
		if name, ok := strings.CutPrefix(kv, envProviderPrefix); ok {
			own = append(own, name)
		}
	}
	env = slices.DeleteFunc(env, func(kv string) bool { return strings.HasPrefix(kv, envProviderPrefix) })
	return append(env, own...)
}

// withoutVars returns env without the named variables.
func withoutVars(env []string, names ...string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(names, name) {
			out = append(out, kv)
		}
	}
	return out
}
