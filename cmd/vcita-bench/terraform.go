package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// commandTimeout bounds every command the benchmark runs.
const commandTimeout = 10 * time.Minute

// rssWait bounds how long the benchmark waits, after a command, for the
// provider processes it started to report their peak memory.
const rssWait = 5 * time.Second

// terraform runs the Terraform CLI in one working directory.
type terraform struct {
	dir string
	// env is the environment of every command but the per-command report
	// directory of the wrapper.
	env []string
	// logs are written here, one file a command.
	logDir string
	seq    int
}

// tfRun is one finished command.
type tfRun struct {
	Wall     time.Duration
	ExitCode int
	Log      string
	RSS      rss
}

// run runs `terraform args...`, with its output in a log file. Exit codes in
// okCodes are success; any other is an error that quotes the log's end.
func (tf *terraform) run(ctx context.Context, name string, okCodes []int, args ...string) (tfRun, error) {
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

	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "terraform", append([]string{"-chdir=" + tf.dir}, args...)...)
	cmd.Env = append(append([]string(nil), tf.env...), envRSSDir+"="+rssDir)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// Interrupt first, as a user would, so that Terraform stops its
	// providers; kill only if it does not end.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second

	start := time.Now()
	runErr := cmd.Run()
	out := tfRun{Wall: time.Since(start), Log: logPath}
	out.RSS = collectRSS(rssDir, rssWait)

	var exitErr *exec.ExitError
	switch {
	case runErr == nil:
	case errors.As(runErr, &exitErr) && ctx.Err() == nil:
		out.ExitCode = exitErr.ExitCode()
	case ctx.Err() != nil:
		return out, fmt.Errorf("terraform %s: %w (after %s)\n%s", strings.Join(args, " "), ctx.Err(), out.Wall.Round(time.Millisecond), logTail(logPath, 40))
	default:
		return out, fmt.Errorf("terraform %s: %w", strings.Join(args, " "), runErr)
	}
	for _, ok := range okCodes {
		if out.ExitCode == ok {
			return out, nil
		}
	}
	return out, fmt.Errorf("terraform %s exited %d; the end of %s:\n%s", strings.Join(args, " "), out.ExitCode, logPath, logTail(logPath, 40))
}

// collectRSS reads what the provider processes of one command reported,
// waiting up to wait for those that started but have not reported yet (a
// provider may still be stopping when Terraform exits).
func collectRSS(dir string, wait time.Duration) rss {
	deadline := time.Now().Add(wait)
	for {
		r := readRSS(dir)
		if r.Unreported == 0 || time.Now().After(deadline) {
			return r
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func readRSS(dir string) rss {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return rss{}
	}
	var r rss
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
			kib, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
			if err != nil {
				continue
			}
			r.Processes++
			r.MaxKiB = max(r.MaxKiB, kib)
		}
	}
	r.Unreported = max(started-r.Processes, 0)
	return r
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

// output runs a command and returns its standard output, trimmed.
func output(ctx context.Context, dir string, env []string, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = dir, env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}
