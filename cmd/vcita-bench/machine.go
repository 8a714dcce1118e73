package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"

	"github.com/vcita/terraform-provider-vcita/internal/tfcli"
)

// machine describes where the benchmark ran.
type machine struct {
	CPUs      int
	CPUModel  string
	MemTotal  string
	Go        string
	Terraform string
	// LoadStart and LoadEnd are /proc/loadavg's 1, 5 and 15 minute load
	// averages when the run started and ended: other work on the machine
	// makes wall times noisy.
	LoadStart, LoadEnd string
}

// loadAverage returns the three load averages of /proc/loadavg.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	fields := strings.Fields(string(data))
	if len(fields) < 3 {
		return "unknown"
	}
	return strings.Join(fields[:3], " ")
}

func describeMachine(ctx context.Context, cli *tfcli.CLI) machine {
	m := machine{CPUs: runtime.NumCPU(), CPUModel: "unknown", MemTotal: "unknown"}
	if model := procField("/proc/cpuinfo", "model name"); model != "" {
		m.CPUModel = model
	}
	if total := procField("/proc/meminfo", "MemTotal"); total != "" {
		m.MemTotal = formatMemTotal(total)
	}
	m.Go = "unknown"
	if v, err := exec.CommandContext(ctx, "go", "version").Output(); err == nil {
		m.Go = strings.TrimSpace(string(v))
	}
	// As the CLI's version command prints it.
	m.Terraform = fmt.Sprintf("%s v%s", cli.Name, cli.Version)
	return m
}

// procField returns the value of the first "key: value" line of a /proc file.
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(name) == key {
			return strings.TrimSpace(value)
		}
	}
	return ""
}

// formatMemTotal turns /proc/meminfo's "16303992 kB" into "15.5 GiB".
func formatMemTotal(total string) string {
	number, unit, _ := strings.Cut(total, " ")
	kib, err := strconv.ParseFloat(number, 64)
	if err != nil || unit != "kB" {
		return total
	}
	return fmt.Sprintf("%.1f GiB", kib/(1<<20))
}
