package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
	"github.com/vcita/terraform-provider-vcita/internal/stub"
	"github.com/vcita/terraform-provider-vcita/internal/tfconfig"
)

// scenario is one configuration measured beside the sweep over N: applied
// (through faults, if it has any), planned with refresh, and destroyed.
// Adding a scenario is adding an entry to scenarios.
type scenario struct {
	Name string
	// About says in a sentence what it measures, for BENCHMARKS.md.
	About string
	// Resources is the configuration after the provider's blocks.
	Resources string
	// Subscriptions is how many subscriptions its apply makes on the API.
	Subscriptions int
	// Businesses is how many business scopes it uses: a plan lists each
	// once.
	Businesses int
	// Faults are injected during its applies and plans; zero for none.
	Faults stub.FaultConfig
	// Attempts is how many applies may run until one succeeds: more than
	// one only with faults, where the scenario measures whether the first
	// succeeds.
	Attempts int
	// ApplyUnder, when set, is a target for the first apply's time.
	ApplyUnder time.Duration
	// Listed is how many subscriptions the API holds before the apply, on
	// URLs the configuration does not manage, as if made outside
	// Terraform: every list call of the scenario returns them.
	Listed int
	// PeakRSSUnderMiB, when set, is a target for the largest resident set
	// of any provider process of the scenario.
	PeakRSSUnderMiB float64
}

// scenarioBusinesses and scenarioPerBusiness shape the many-businesses
// scenario.
const (
	scenarioBusinesses  = 100
	scenarioPerBusiness = 10
)

// listedSubscriptions and listPeakRSSMiB shape the list-100k scenario.
const (
	listedSubscriptions = 100_000
	listPeakRSSMiB      = 200
)

// scenarios are the configurations measured beside the sweep over N, in the
// order run.
var scenarios = []scenario{
	{
		Name: "many-businesses",
		About: fmt.Sprintf("%d businesses × %d subscriptions, each resource naming its own `business_id` (a directory token acting for many businesses): "+
			"a plan lists each business once, so it makes %d list calls.", scenarioBusinesses, scenarioPerBusiness, scenarioBusinesses),
		Resources:     manyBusinesses("many", scenarioBusinesses, scenarioPerBusiness),
		Subscriptions: scenarioBusinesses * scenarioPerBusiness,
		Businesses:    scenarioBusinesses,
		Attempts:      1,
	},
	{
		Name: "throttled",
		About: "300 subscriptions applied while the API answers 30 % of requests with 429 (`Retry-After: 1`) or 503, " +
			"as a CI pipeline meets a rate limit (issue 15): the requests sent, the apply's time, and whether the first apply succeeds.",
		Resources:     tfconfig.Subscriptions("throttled", 300),
		Subscriptions: 300,
		Businesses:    1,
		Faults:        stub.FaultConfig{Rate: 0.3, Kinds: []stub.FaultKind{stub.Fault429, stub.Fault503}, RetryAfter: "1", Seed: 15},
		Attempts:      3,
	},
	{
		Name: "endpoint-all-events",
		About: fmt.Sprintf("One `vcita_webhook_endpoint` of every event of the catalogue (its 78 events name %d subscriptions): "+
			"its calls run in parallel, so the apply takes a few round trips (issue 11).", len(distinctEvents())),
		Resources:     endpoints("all", 1, distinctEvents()),
		Subscriptions: len(distinctEvents()),
		Businesses:    1,
		Attempts:      1,
		ApplyUnder:    1500 * time.Millisecond,
	},
	{
		Name: "list-100k",
		About: fmt.Sprintf("One subscription in a scope where vcita lists %d (issue 19): every refresh decodes a list of %d subscriptions, "+
			"and no provider process may grow past %d MiB of resident memory.", listedSubscriptions, listedSubscriptions, listPeakRSSMiB),
		Resources:       tfconfig.Subscriptions("listed", 1),
		Subscriptions:   1,
		Businesses:      1,
		Attempts:        1,
		Listed:          listedSubscriptions,
		PeakRSSUnderMiB: listPeakRSSMiB,
	},
	{
		Name:          "endpoints-100x5",
		About:         "100 `vcita_webhook_endpoint` resources of 5 events each: a plan still lists once (issue 11).",
		Resources:     endpoints("fanout", 100, distinctEvents()[:5]),
		Subscriptions: 500,
		Businesses:    1,
		Attempts:      1,
	},
}

// manyBusinesses is businesses × perBusiness subscriptions, each resource
// in its own business: business-0 holds the first perBusiness, and so on.
func manyBusinesses(name string, businesses, perBusiness int) string {
	return fmt.Sprintf(`
resource "vcita_webhook_subscription" %[1]q {
  count = %[2]d

  business_id = "business-${floor(count.index / %[3]d)}"
  event       = "client/created"
  target_url  = "https://hooks.example.com/%[1]s/${count.index}"
}
`, name, businesses*perBusiness, perBusiness)
}

// endpoints is n vcita_webhook_endpoint resources, each of events.
func endpoints(name string, n int, events []string) string {
	quoted := make([]string, len(events))
	for i, e := range events {
		quoted[i] = strconv.Quote(e)
	}
	return fmt.Sprintf(`
resource "vcita_webhook_endpoint" %[1]q {
  count = %[2]d

  target_url = "https://hooks.example.com/%[1]s/${count.index}"
  events     = [%[3]s]
}
`, name, n, strings.Join(quoted, ", "))
}

// distinctEvents is one spelling of every event of the catalogue, the first
// in sorted order: an endpoint refuses two spellings of one event.
func distinctEvents() []string {
	var out []string
	for _, e := range catalog.Events() {
		if !slices.ContainsFunc(out, func(kept string) bool { return catalog.Equivalent(kept, e) }) {
			out = append(out, e)
		}
	}
	return out
}

// scenarioResult is what one scenario measured.
type scenarioResult struct {
	scenario
	lifecycle
}

// FirstApplySucceeded reports whether the first apply succeeded and left
// exactly the subscriptions the configuration asks for on the API.
func (s scenarioResult) FirstApplySucceeded() bool {
	return len(s.Applies) > 0 && s.Applies[0].Failed == "" && s.HeldAfterFirstApply == s.Subscriptions
}

// runScenarios runs the scenarios named in names, in the order of the
// table.
func (b *bench) runScenarios(ctx context.Context, names []string) ([]scenarioResult, error) {
	var results []scenarioResult
	for _, s := range scenarios {
		if !slices.Contains(names, s.Name) {
			continue
		}
		r := scenarioResult{scenario: s}
		tf, err := b.workspace(ctx, s.Name, withProvider(s.Resources))
		if err != nil {
			return nil, err
		}
		c := cycle{plans: b.opts.plans, faults: s.Faults, applies: s.Attempts, want: s.Subscriptions, listed: s.Listed}
		if r.lifecycle, err = b.runCycle(ctx, s.Name, tf, c); err != nil {
			return nil, fmt.Errorf("scenario %s: %w", s.Name, err)
		}
		results = append(results, r)
	}
	return results, nil
}

// scenarioNames returns the names of every scenario.
func scenarioNames() []string {
	names := make([]string, len(scenarios))
	for i, s := range scenarios {
		names[i] = s.Name
	}
	return names
}
