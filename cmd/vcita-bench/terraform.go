package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/vcita/terraform-provider-vcita/internal/tfcli"
)

// commandTimeout bounds every command the benchmark runs.
const commandTimeout = 10 * time.Minute

// rssWait bounds how long the benchmark waits, after a command, for the
// provider processes it started to report their peak memory.
const rssWait = 5 * time.Second

// terraform runs the commands of one working directory, each with a log
// file and the peak memory of its provider processes.
type terraform struct {
	w *tfcli.Workspace
	// logs are written here, one file a command.
	logDir string
	seq    int
}

// tfRun is one finished command.
type tfRun struct {
	Wall time.Duration
	// CPU is the CPU time of the command: Terraform's, and that of the
	// provider processes it waited for.
	CPU time.Duration
	Log string
	// Provider is what its provider processes used.
	Provider usage
}

// run runs one terraform-exec command, timed, with its output in a log file
// and the wrapper reporting into a directory of the command's own. A failed
// command's error quotes the log's end.
func (tf *terraform) run(ctx context.Context, name string, command func(context.Context, *tfexec.Terraform) error) (tfRun, error) {
	tf.seq++
	label := fmt.Sprintf("%02d-%s", tf.seq, name)
	logPath := filepath.Join(tf.logDir, label+".log")
	rssDir := filepath.Join(tf.logDir, label+".rss")
	if err := os.MkdirAll(rssDir, 0o700); err != nil {
		return tfRun{}, err
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return tfRun{}, err
	}
	defer func() { _ = logFile.Close() }()
	handle, err := tf.w.Exec(logFile, map[string]string{envRSSDir: rssDir})
	if err != nil {
		return tfRun{}, err
	}

	// On a timeout terraform-exec interrupts Terraform, as a user would,
	// so that it stops its providers, and kills it only if it does not end.
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	start, cpuBefore := time.Now(), childrenCPU()
	runErr := command(ctx, handle)
	out := tfRun{Wall: time.Since(start), CPU: childrenCPU() - cpuBefore, Log: logPath}
	out.Provider = collectUsage(rssDir, rssWait)
	if runErr != nil {
		return out, fmt.Errorf("%s %s (after %s): %s; the end of %s:\n%s", tf.w.CLI.Name, name,
			out.Wall.Round(time.Millisecond), firstLine(runErr), logPath, logTail(logPath, 40))
	}
	return out, nil
}

// firstLine keeps the first line of a terraform-exec error, which goes on
// with the whole standard error, already in the log.
func firstLine(err error) string {
	line, _, _ := strings.Cut(err.Error(), "\n")
	return line
}

// childrenCPU is the CPU time of every child process of the benchmark that
// has ended, with the children they waited for: a command's is the
// difference across it (the benchmark runs one command at a time).
func childrenCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// collectUsage reads what the provider processes of one command reported,
// waiting up to wait for those that started but have not reported yet (a
// provider may still be stopping when Terraform exits).
func collectUsage(dir string, wait time.Duration) usage {
	deadline := time.Now().Add(wait)
	for {
		u := readUsage(dir)
		if u.Unreported == 0 || time.Now().After(deadline) {
			return u
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// readUsage reads the reports of the wrapper: each "<max RSS KiB> <CPU
// microseconds>".
func readUsage(dir string) usage {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return usage{}
	}
	var u usage
	started := 0
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasSuffix(name, startedSuffix):
			started++
		case strings.HasSuffix(name, reportedSuffix):
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				continue
			}
			var kib, micros int64
			if _, err := fmt.Sscan(string(data), &kib, &micros); err != nil {
				continue
			}
			u = u.merge(usage{MaxKiB: kib, CPU: time.Duration(micros) * time.Microsecond, Processes: 1})
		}
	}
	u.Unreported = max(started-u.Processes, 0)
	return u
}

// errorSummaries returns the summaries of the errors a command's log shows,
// each once, with how many times it appears: `"vcita API Unavailable" × 2`.
func errorSummaries(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	var order []string
	count := map[string]int{}
	for line := range strings.SplitSeq(string(data), "\n") {
		// Terraform draws a box around diagnostics unless -no-color.
		summary, ok := strings.CutPrefix(strings.TrimLeft(line, "│ "), "Error: ")
		if !ok {
			continue
		}
		if count[summary] == 0 {
			order = append(order, summary)
		}
		count[summary]++
	}
	parts := make([]string, len(order))
	for i, summary := range order {
		parts[i] = fmt.Sprintf("%q × %d", summary, count[summary])
	}
	return strings.Join(parts, ", ")
}

// logTail returns the last n lines of a log, indented.
func logTail(path string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return "    (no log: " + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "    | " + strings.Join(lines, "\n    | ")
}
