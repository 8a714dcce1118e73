package main

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
	"github.com/vcita/terraform-provider-vcita/internal/tfcli"
	"github.com/vcita/terraform-provider-vcita/internal/tfconfig"
)

// The commands of a life cycle, as the report names them.
const (
	opApply     = "apply"
	opPlan      = "plan"
	opNoRefresh = "plan -refresh=false"
	opDestroy   = "destroy"
)

// opOrder is the order in which the commands run.
var opOrder = []string{opApply, opPlan, opNoRefresh, opDestroy}

// cycle says how one configuration's life cycle runs.
type cycle struct {
	// plans is how many plans with refresh run on the applied state.
	plans int
	// noRefresh runs as many with -refresh=false, alternating with them.
	noRefresh bool
	// faults are injected during the applies and the plans; the destroy
	// runs without them, so that the stub is empty for what comes next.
	faults stub.FaultConfig
	// applies is how many applies may run until one succeeds: 1, unless
	// faults may make an apply fail, as they do for users.
	applies int
	// want is how many subscriptions the stub must hold after an apply
	// that succeeded, besides the listed ones.
	want int
	// listed is how many subscriptions the stub holds before the apply, on
	// URLs the configuration does not manage (see scenario.Listed).
	listed int
}

// lifecycle is what one configuration's life cycle measured.
type lifecycle struct {
	// Applies are the applies run: the first, and those that it took to
	// converge when it failed.
	Applies []phase
	// HeldAfterFirstApply is how many subscriptions the stub held after the
	// first apply, whether it succeeded or not.
	HeldAfterFirstApply int

	// One entry per plan, in the order run.
	PlansRefresh   []planRun
	PlansNoRefresh []planRun

	Destroy phase
	// LeftAfterDestroy is how many subscriptions the stub still held after
	// the destroy.
	LeftAfterDestroy int

	// Provider is what the provider processes used, by command (opOrder).
	Provider map[string]usage
}

// Apply is the first apply, the one timed.
func (l lifecycle) Apply() phase {
	if len(l.Applies) == 0 {
		return phase{}
	}
	return l.Applies[0]
}

// phase is one timed apply or destroy.
type phase struct {
	Wall time.Duration
	// CPU is the CPU time of Terraform and its provider processes.
	CPU   time.Duration
	Calls calls
	// Faults is how many of the calls the stub answered with a fault.
	Faults int
	// Failed says how the command failed: the summaries of its errors, or
	// the first line of what running it returned; empty when it succeeded.
	Failed string
}

// calls counts API requests by operation, every request the stub received
// (those it answered with a fault too).
type calls struct{ Subscribe, Unsubscribe, List int }

// Total is every request.
func (c calls) Total() int { return c.Subscribe + c.Unsubscribe + c.List }

// planRun is one terraform plan.
type planRun struct {
	Wall time.Duration
	// CPU is the CPU time of Terraform and its provider processes.
	CPU       time.Duration
	ListCalls int
	// ExitCode is plan's -detailed-exitcode: 0 no changes, 2 changes, -1
	// failed.
	ExitCode int
}

// usage is what the provider processes of some commands used.
type usage struct {
	// MaxKiB is the largest maximum resident set size of any of them.
	MaxKiB int64
	// CPU is their CPU time, user and system, added up.
	CPU time.Duration
	// Processes is how many provider processes reported; Unreported how
	// many started but never reported (killed before they could).
	Processes, Unreported int
}

func (u usage) merge(o usage) usage {
	return usage{MaxKiB: max(u.MaxKiB, o.MaxKiB), CPU: u.CPU + o.CPU, Processes: u.Processes + o.Processes, Unreported: u.Unreported + o.Unreported}
}

func (u usage) MiB() float64 { return float64(u.MaxKiB) / 1024 }

// ProviderUsage is the provider's usage over every command of the life
// cycle: its peak memory, and its CPU time added up.
func (l lifecycle) ProviderUsage() usage {
	var peak usage
	for _, op := range l.Provider {
		peak = peak.merge(op)
	}
	return peak
}

func (l lifecycle) PlanRefreshMedian() time.Duration   { return median(walls(l.PlansRefresh)) }
func (l lifecycle) PlanNoRefreshMedian() time.Duration { return median(walls(l.PlansNoRefresh)) }

// RefreshRatio is the median plan time with refresh over the median without.
func (l lifecycle) RefreshRatio() float64 {
	return ratio(l.PlanRefreshMedian(), l.PlanNoRefreshMedian())
}

// withProvider is a configuration of resources of this provider: the
// provider's blocks, then resources.
func withProvider(resources string) string {
	return tfconfig.RequiredProviders + tfconfig.ProviderFromEnvironment + resources
}

// workspace prepares a working directory under the benchmark's temporary
// directory, with config as its main.tf.
func (b *bench) workspace(ctx context.Context, name, config string) (*terraform, error) {
	dir := filepath.Join(b.work, name)
	w, err := tfcli.NewWorkspace(ctx, dir, tfcli.Options{CLI: b.cli, ProviderDir: b.overrides, Env: b.env})
	if err != nil {
		return nil, err
	}
	if err := w.WriteFile("main.tf", config); err != nil {
		return nil, err
	}
	return &terraform{w: w, logDir: filepath.Join(dir, "logs")}, nil
}

// runCycle runs the life cycle of the configuration of tf: a validate, untimed,
// then the applies, the plans and the destroy. label names it in the log.
func (b *bench) runCycle(ctx context.Context, label string, tf *terraform, c cycle) (lifecycle, error) {
	server := b.api.Server
	l := lifecycle{Provider: map[string]usage{}}
	if left := len(server.All()); left != 0 {
		return l, fmt.Errorf("the stub holds %d subscriptions before the apply", left)
	}
	if err := addListed(server, c.listed); err != nil {
		return l, err
	}
	// The listed subscriptions go with the scenario, whatever happens.
	defer func() {
		if c.listed > 0 {
			server.Reset()
		}
	}()

	// Not measured: checks the configuration and the provider, and warms
	// the page cache with both binaries, so that the first N does not pay
	// for what the others do not.
	if _, err := tf.run(ctx, "validate", func(ctx context.Context, tf *tfexec.Terraform) error {
		_, err := tf.Validate(ctx)
		return err
	}); err != nil {
		return l, err
	}

	server.SetFaults(c.faults)
	if err := b.applies(ctx, label, tf, c, &l); err != nil {
		server.SetFaults(stub.FaultConfig{})
		return l, err
	}
	if err := b.plans(ctx, label, tf, c, &l); err != nil {
		server.SetFaults(stub.FaultConfig{})
		return l, err
	}
	server.SetFaults(stub.FaultConfig{})

	server.ResetCalls()
	destroy, err := tf.run(ctx, "destroy", func(ctx context.Context, tf *tfexec.Terraform) error { return tf.Destroy(ctx) })
	if err != nil {
		return l, err
	}
	l.Destroy = phase{Wall: destroy.Wall, CPU: destroy.CPU, Calls: b.calls()}
	l.Provider[opDestroy] = destroy.Provider
	l.LeftAfterDestroy = len(server.All()) - c.listed
	b.logf("%s: destroy %s s, %d unsubscribe and %d list calls, %d subscriptions left",
		label, seconds(l.Destroy.Wall), l.Destroy.Calls.Unsubscribe, l.Destroy.Calls.List, l.LeftAfterDestroy)
	if l.LeftAfterDestroy != 0 {
		// Recorded as a failed target; what comes next needs an empty stub.
		server.Reset()
	}
	return l, nil
}

// addListed puts n subscriptions on the stub in the token's own scope, as
// if made outside Terraform, on URLs no configuration manages.
func addListed(server *stub.Server, n int) error {
	for i := range n {
		if _, err := server.Add("", "client/created", fmt.Sprintf("https://%d.listed.example.com/hook", i)); err != nil {
			return fmt.Errorf("adding the listed subscriptions: %w", err)
		}
	}
	return nil
}

// applies runs applies until one succeeds, c.applies at most. Only the last
// one allowed fails the run.
func (b *bench) applies(ctx context.Context, label string, tf *terraform, c cycle, l *lifecycle) error {
	server := b.api.Server
	for attempt := 1; ; attempt++ {
		server.ResetCalls()
		apply, err := tf.run(ctx, "apply", func(ctx context.Context, tf *tfexec.Terraform) error { return tf.Apply(ctx) })
		p := phase{Wall: apply.Wall, CPU: apply.CPU, Calls: b.calls(), Faults: server.Faults()}
		if err != nil {
			p.Failed = cmp.Or(errorSummaries(apply.Log), firstLine(err))
		}
		l.Applies = append(l.Applies, p)
		l.Provider[opApply] = l.Provider[opApply].merge(apply.Provider)
		held := len(server.All()) - c.listed
		if attempt == 1 {
			l.HeldAfterFirstApply = held
		}
		b.logf("%s: apply %d: %s s, %d subscribe and %d list calls (%d faults), provider peak %.1f MiB, %d subscriptions held%s",
			label, attempt, seconds(p.Wall), p.Calls.Subscribe, p.Calls.List, p.Faults, apply.Provider.MiB(), held, failedSuffix(p.Failed))
		switch {
		case err == nil && held != c.want:
			return fmt.Errorf("the stub holds %d subscriptions after the apply, want %d (see %s)", held, c.want, apply.Log)
		case err == nil:
			return nil
		case attempt >= c.applies:
			return err
		}
	}
}

func failedSuffix(failed string) string {
	if failed == "" {
		return ""
	}
	return "; FAILED: " + failed
}

// plans runs the plans on the applied state. They alternate between the two
// modes, and which mode goes first alternates too, so that neither drift of
// the machine during the run nor the order weighs on one mode more than on
// the other. A plan that fails is recorded (exit code -1) when faults are
// injected, and fails the run otherwise.
func (b *bench) plans(ctx context.Context, label string, tf *terraform, c cycle, l *lifecycle) error {
	server := b.api.Server
	for i := range c.plans {
		for _, refresh := range planOrder(i) {
			if !refresh && !c.noRefresh {
				continue
			}
			name, mode := "plan", opPlan
			if !refresh {
				name, mode = "plan-norefresh", opNoRefresh
			}
			server.ResetCalls()
			// Changes (exit code 2) are recorded and fail a target.
			var changes bool
			out, err := tf.run(ctx, name, func(ctx context.Context, tf *tfexec.Terraform) (err error) {
				changes, err = tf.Plan(ctx, tfexec.Refresh(refresh))
				return err
			})
			p := planRun{Wall: out.Wall, CPU: out.CPU, ListCalls: server.Calls(stub.OpList)}
			switch {
			case err != nil && c.faults.Rate == 0:
				return err
			case err != nil:
				p.ExitCode = -1
			case changes:
				p.ExitCode = 2
			}
			if refresh {
				l.PlansRefresh = append(l.PlansRefresh, p)
			} else {
				l.PlansNoRefresh = append(l.PlansNoRefresh, p)
			}
			l.Provider[mode] = l.Provider[mode].merge(out.Provider)
			b.logf("%s: %s %d/%d: %s s, %d list calls, exit %d", label, mode, i+1, c.plans, seconds(p.Wall), p.ListCalls, p.ExitCode)
		}
	}
	return nil
}

func (b *bench) calls() calls {
	return calls{
		Subscribe:   b.api.Server.Calls(stub.OpSubscribe),
		Unsubscribe: b.api.Server.Calls(stub.OpUnsubscribe),
		List:        b.api.Server.Calls(stub.OpList),
	}
}

// planOrder is the order of the two modes in the i-th pair of plans: with
// refresh first in even pairs, without refresh first in odd ones.
func planOrder(i int) []bool {
	if i%2 == 0 {
		return []bool{true, false}
	}
	return []bool{false, true}
}
