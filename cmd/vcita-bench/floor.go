package main

import (
	"fmt"
	"time"
)

// The floor of a command is what it would cost with a perfect provider: the
// same command on the same number of resources that Terraform serves itself
// (terraform_data: no plugin process, no API), plus the API calls that
// cannot be avoided (one per create or delete, latency each, parallelism
// at a time). Whatever this provider takes beyond it is its own cost: the
// plugin protocol, the framework, the client, and calls it could avoid.

// floorResources is the floor's configuration: n terraform_data resources,
// each holding the target URL tfconfig.Subscriptions(name, n) gives its
// subscription. The input is one string, the least Terraform can store for
// a resource: an object of the event and the URL costs Terraform itself
// about a third more CPU time (BENCHMARKS.md), which would lift the floor.
func floorResources(name string, n int) string {
	return fmt.Sprintf(`
resource "terraform_data" %[1]q {
  count = %[2]d

  input = "https://hooks.example.com/%[1]s/${count.index}"
}
`, name, n)
}

// apiTime is what the API calls of a perfect provider cost: calls calls,
// each waiting for latency, parallelism at a time.
func apiTime(calls int, latency time.Duration) time.Duration {
	return time.Duration(calls) * latency / parallelism
}

// comparison is one command at one N, against its floor.
type comparison struct {
	Op string
	// Provider is this provider's time (for plans, the median).
	Provider time.Duration
	// Terraform is the same command on terraform_data resources.
	Terraform time.Duration
	// API is what a perfect provider's API calls cost.
	API time.Duration

	// CPU is the CPU time of this provider's command, Terraform's and the
	// provider processes'; ProviderCPU the provider processes' alone; and
	// TerraformCPU that of the command on terraform_data. Unlike the wall
	// times they hardly move with the load of the machine.
	CPU, ProviderCPU, TerraformCPU time.Duration
}

// Floor is the time a perfect provider would take.
func (c comparison) Floor() time.Duration { return c.Terraform + c.API }

// Ratio is the provider's time over the floor.
func (c comparison) Ratio() float64 { return ratio(c.Provider, c.Floor()) }

// comparisons compares each command of r with its floor: an apply makes one
// subscribe a resource, a destroy one unsubscribe, a plan with refresh one
// list call (its latency alone), and a plan without refresh none.
func (r result) comparisons(latency time.Duration) []comparison {
	p, f := r.Provider, r.Floor
	return []comparison{
		{
			Op: opApply, Provider: p.Apply().Wall, Terraform: f.Apply().Wall, API: apiTime(r.N, latency),
			CPU: p.Apply().CPU, ProviderCPU: p.Provider[opApply].CPU, TerraformCPU: f.Apply().CPU,
		},
		{
			Op: opPlan, Provider: p.PlanRefreshMedian(), Terraform: f.PlanRefreshMedian(), API: latency,
			CPU: medianCPU(p.PlansRefresh), ProviderCPU: perPlan(p.Provider[opPlan], p.PlansRefresh), TerraformCPU: medianCPU(f.PlansRefresh),
		},
		{
			Op: opNoRefresh, Provider: p.PlanNoRefreshMedian(), Terraform: f.PlanNoRefreshMedian(),
			CPU: medianCPU(p.PlansNoRefresh), ProviderCPU: perPlan(p.Provider[opNoRefresh], p.PlansNoRefresh), TerraformCPU: medianCPU(f.PlansNoRefresh),
		},
		{
			Op: opDestroy, Provider: p.Destroy.Wall, Terraform: f.Destroy.Wall, API: apiTime(r.N, latency),
			CPU: p.Destroy.CPU, ProviderCPU: p.Provider[opDestroy].CPU, TerraformCPU: f.Destroy.CPU,
		},
	}
}

// medianCPU is the median CPU time of plans.
func medianCPU(plans []planRun) time.Duration {
	cpu := make([]time.Duration, len(plans))
	for i, p := range plans {
		cpu[i] = p.CPU
	}
	return median(cpu)
}

// perPlan is the provider processes' CPU time of plans, per plan.
func perPlan(u usage, plans []planRun) time.Duration {
	if len(plans) == 0 {
		return 0
	}
	return u.CPU / time.Duration(len(plans))
}

// comparison returns the comparison of one command.
func (r result) comparison(op string, latency time.Duration) comparison {
	for _, c := range r.comparisons(latency) {
		if c.Op == op {
			return c
		}
	}
	return comparison{Op: op}
}

// ratio is a over b, or 0 when b is not positive.
func ratio(a, b time.Duration) float64 {
	if b <= 0 {
		return 0
	}
	return float64(a) / float64(b)
}
