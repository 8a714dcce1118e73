package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
	"github.com/vcita/terraform-provider-vcita/internal/tfcli"
)

// victim is the subscription the demo deletes behind Terraform's back (the
// first one when examples/demo no longer has it).
const victim = "client/created"

// handMadeEvent is the event someone subscribes the endpoint's URL to by
// hand, behind Terraform's back.
const handMadeEvent = "payment/refunded"

// What the demo adopts with `terraform query`: subscriptions made by hand
// for legacyURL, which examples/demo/adopt.tfquery.hcl lists.
const (
	legacyURL     = "https://hooks.example.com/vcita/legacy"
	generatedFile = "adopted.tf"
)

// legacyEvents are the events of the subscriptions made by hand for legacyURL.
var legacyEvents = []string{"client/created", "client/updated", "appointment/cancelled"}

// demo tells the story on out.
type demo struct {
	out      io.Writer
	headings [2]string // what goes before and after a step's heading
	steps    int

	api  *tfcli.Stub
	w    *tfcli.Workspace
	logs string // one log file a command
	runs int

	// What the configuration made, read from its outputs after the first
	// apply, and how many resources the state holds.
	ids       map[string]string // subscription_ids: event → id
	endpoint  endpointOutput
	resources int
}

// endpointOutput is the endpoint output of examples/demo.
type endpointOutput struct {
	TargetURL       string            `json:"target_url"`
	SubscriptionIDs map[string]string `json:"subscription_ids"`
}

// story is the user's story, from the first apply to the destroy.
func (d *demo) story(ctx context.Context) error {
	for _, chapter := range []func(context.Context) error{
		d.create,
		d.deleteBehindTerraformsBack,
		d.addToTheEndpointBehindTerraformsBack,
		d.adopt,
		d.destroy,
	} {
		if err := chapter(ctx); err != nil {
			return err
		}
	}
	return nil
}

// managed is how many subscriptions the configuration manages.
func (d *demo) managed() int { return len(d.ids) + len(d.endpoint.SubscriptionIDs) }

// create applies examples/demo and shows that a second plan is clean.
func (d *demo) create(ctx context.Context) error {
	d.step("terraform apply: create the subscriptions and the endpoint")
	out, err := d.terraform(ctx, "apply", "apply -auto-approve", apply)
	if err != nil {
		return err
	}
	d.summary(out)
	d.outputs(out)
	if err := d.readOutputs(ctx); err != nil {
		return err
	}
	d.resources = len(d.ids) + 1
	if err := expectLine(out, fmt.Sprintf("Apply complete! Resources: %d added, 0 changed, 0 destroyed.", d.resources)); err != nil {
		return err
	}
	d.say("", "the stub now lists:")
	d.showStub()
	if err := d.expectOnStub(d.managed(), "after apply"); err != nil {
		return err
	}

	d.step("terraform plan: nothing to change")
	if err := d.planExpecting(ctx); err != nil {
		return err
	}
	d.sameEventLines()
	return nil
}

// deleteBehindTerraformsBack deletes a subscription on the stub: the plan
// finds it missing, and an apply creates it again.
func (d *demo) deleteBehindTerraformsBack(ctx context.Context) error {
	d.step("Drift: delete one subscription behind Terraform's back")
	event, id := pickVictim(d.ids)
	number, err := strconv.ParseInt(id, 10, 64)
	if err != nil || !d.api.Server.Remove(number) {
		return fmt.Errorf("could not delete subscription %s (%s) on the stub", id, event)
	}
	d.say(fmt.Sprintf("deleted subscription %s (%s) on the stub, as someone in vcita would", id, event))
	if err := d.expectOnStub(d.managed()-1, "after the delete"); err != nil {
		return err
	}
	if err := d.planExpecting(ctx, "Plan: 1 to add, 0 to change, 0 to destroy."); err != nil {
		return err
	}
	d.say("drift detected (exit code 2)")

	d.step("terraform apply again: repair the drift")
	if err := d.applyExpecting(ctx, "Apply complete! Resources: 1 added, 0 changed, 0 destroyed."); err != nil {
		return err
	}
	if err := d.expectOnStub(d.managed(), "after the repair"); err != nil {
		return err
	}
	if err := d.readOutputs(ctx); err != nil {
		return err
	}
	if d.ids[event] == "" || d.ids[event] == id {
		return fmt.Errorf("%s was not re-created with a new id (subscription_ids = %v)", event, d.ids)
	}
	d.say(event + " re-created as id " + d.ids[event])
	return d.planExpecting(ctx)
}

// addToTheEndpointBehindTerraformsBack subscribes the endpoint's URL to one
// more event on the stub: the endpoint owns its URL, so the plan shows it as
// an update that removes it, and says so in a warning.
func (d *demo) addToTheEndpointBehindTerraformsBack(ctx context.Context) error {
	d.step("Drift on the endpoint: a subscription added by hand to its URL")
	extra, err := d.api.Server.Add("", handMadeEvent, d.endpoint.TargetURL)
	if err != nil {
		return fmt.Errorf("could not subscribe %s to %s on the stub: %w", d.endpoint.TargetURL, handMadeEvent, err)
	}
	d.say(fmt.Sprintf("subscribed %s to %s on the stub (id %d), as someone in vcita would", d.endpoint.TargetURL, handMadeEvent, extra.ID))
	if err := d.planExpecting(ctx, "Plan: 0 to add, 1 to change, 0 to destroy.",
		"Warning: Webhook Endpoint Removes Subscriptions It Did Not Make",
		fmt.Sprintf("- %s (subscription %d)", handMadeEvent, extra.ID)); err != nil {
		return err
	}
	d.say("drift detected (exit code 2): the endpoint owns its URL and will remove it")

	d.step("terraform apply: the endpoint removes the hand-made subscription")
	if err := d.applyExpecting(ctx, "Apply complete! Resources: 0 added, 1 changed, 0 destroyed."); err != nil {
		return err
	}
	if slices.ContainsFunc(d.api.Server.All(), func(sub stub.Subscription) bool { return sub.ID == extra.ID }) {
		return fmt.Errorf("the apply left subscription %d (%s) on the stub", extra.ID, handMadeEvent)
	}
	if err := d.expectOnStub(d.managed(), "after the apply"); err != nil {
		return err
	}
	d.say(fmt.Sprintf("subscription %d is gone; the endpoint's own subscriptions are untouched", extra.ID))
	return d.planExpecting(ctx)
}

// adopt brings subscriptions made by hand under Terraform with `terraform
// query -generate-config-out` and an apply, without a subscribe or
// unsubscribe call, when the CLI has the query command.
func (d *demo) adopt(ctx context.Context) error {
	if !d.w.CLI.SupportsQuery() {
		command := "`terraform query` (1.14+)"
		if d.w.CLI.IsOpenTofu() {
			command = "`query` command (Terraform 1.14+ has)"
		}
		_, _ = fmt.Fprintf(d.out, "\n%s has no %s: skipping adoption\n", d.w.CLI, command)
		return nil
	}
	d.step("terraform query: adopt subscriptions made by hand")
	for _, event := range legacyEvents {
		if _, err := d.api.Server.Add("", event, legacyURL); err != nil {
			return fmt.Errorf("could not subscribe %s to %s on the stub: %w", legacyURL, event, err)
		}
	}
	d.say(fmt.Sprintf("subscribed %s to %d events on the stub, as someone in vcita would;", legacyURL, len(legacyEvents)),
		"adopt.tfquery.hcl lists the subscriptions of that URL")
	out, err := d.runCLI(ctx, "query", "query -generate-config-out="+generatedFile)
	if err != nil {
		return err
	}
	d.summary(out)
	generated, err := os.ReadFile(filepath.Join(d.w.Dir, generatedFile))
	if err != nil {
		return err
	}
	if n := strings.Count(string(generated), "import {"); n != len(legacyEvents) {
		return fmt.Errorf("%s has %d import blocks, expected %d:\n%s", generatedFile, n, len(legacyEvents), generated)
	}
	d.say(fmt.Sprintf("wrote %s: a resource block and an import block for each, the first:", generatedFile))
	for _, line := range firstAdoption(string(generated)) {
		d.quote(line)
	}

	d.api.Server.ResetCalls()
	if err := d.applyExpecting(ctx, fmt.Sprintf("Apply complete! Resources: %d imported, 0 added, 0 changed, 0 destroyed.", len(legacyEvents))); err != nil {
		return err
	}
	subscribes, unsubscribes := d.api.Server.Calls(stub.OpSubscribe), d.api.Server.Calls(stub.OpUnsubscribe)
	if subscribes+unsubscribes != 0 {
		return fmt.Errorf("adopting made %d subscribe and %d unsubscribe calls, expected none", subscribes, unsubscribes)
	}
	d.say(fmt.Sprintf("adopted as they are: no subscribe or unsubscribe call (the stub's counters say %d and %d)", subscribes, unsubscribes))
	d.resources += len(legacyEvents)
	return d.planExpecting(ctx)
}

// firstAdoption returns the lines of the first resource block of generated
// configuration and of the import block after it.
func firstAdoption(generated string) []string {
	lines := strings.Split(generated, "\n")
	start := slices.IndexFunc(lines, func(line string) bool { return strings.HasPrefix(line, "resource ") })
	if start < 0 {
		return nil
	}
	imp := slices.Index(lines[start:], "import {")
	if imp < 0 {
		return nil
	}
	end := slices.Index(lines[start+imp:], "}")
	if end < 0 {
		return nil
	}
	return lines[start : start+imp+end+1]
}

// destroy removes everything the state holds, and checks the stub is empty.
func (d *demo) destroy(ctx context.Context) error {
	d.step("terraform destroy: remove everything")
	out, err := d.terraform(ctx, "destroy", "destroy -auto-approve", destroy)
	if err != nil {
		return err
	}
	d.summary(out)
	if err := expectLine(out, fmt.Sprintf("Destroy complete! Resources: %d destroyed.", d.resources)); err != nil {
		return err
	}
	if err := d.expectOnStub(0, "after destroy"); err != nil {
		d.showStub()
		return err
	}
	d.say("the stub holds no subscriptions")
	return nil
}

func apply(ctx context.Context, tf *tfexec.Terraform) error   { return tf.Apply(ctx) }
func destroy(ctx context.Context, tf *tfexec.Terraform) error { return tf.Destroy(ctx) }

// applyExpecting runs `apply -auto-approve`, shows what it did, and fails
// unless its output has the line summary.
func (d *demo) applyExpecting(ctx context.Context, summary string) error {
	out, err := d.terraform(ctx, "apply", "apply -auto-approve", apply)
	if err != nil {
		return err
	}
	d.summary(out)
	return expectLine(out, summary)
}

// planExpecting runs `plan -detailed-exitcode`. With no lines it expects
// no changes (exit code 0); otherwise changes (exit code 2), and the output
// must hold each of lines.
func (d *demo) planExpecting(ctx context.Context, lines ...string) error {
	var changes bool
	out, err := d.terraform(ctx, "plan", "plan -detailed-exitcode", func(ctx context.Context, tf *tfexec.Terraform) (err error) {
		changes, err = tf.Plan(ctx)
		return err
	})
	if err != nil {
		return err
	}
	d.summary(out)
	switch {
	case len(lines) > 0 && !changes:
		return fmt.Errorf("the plan exited 0, expected 2 (changes):\n%s", tail(out))
	case len(lines) == 0 && changes:
		return fmt.Errorf("the plan exited 2, expected 0 (no changes):\n%s", tail(out))
	}
	for _, line := range lines {
		if err := expectLine(out, line); err != nil {
			return err
		}
	}
	if !changes {
		d.say("exit code 0: no changes")
	}
	return nil
}

// terraform runs one command through terraform-exec, shown as `terraform
// shown`, and returns its output (see logged).
func (d *demo) terraform(ctx context.Context, name, shown string, command func(context.Context, *tfexec.Terraform) error) (string, error) {
	return d.logged(ctx, name, shown, func(out io.Writer) error {
		tf, err := d.w.Exec(out, nil)
		if err != nil {
			return err
		}
		return command(ctx, tf)
	})
}

// runCLI runs the CLI with the arguments of shown (and -no-color), for a
// command terraform-exec does not wrap; it must exit 0.
func (d *demo) runCLI(ctx context.Context, name, shown string) (string, error) {
	return d.logged(ctx, name, shown, func(out io.Writer) error {
		code, err := d.w.Run(ctx, out, nil, append(strings.Fields(shown), "-no-color")...)
		if err == nil && code != 0 {
			err = fmt.Errorf("exit code %d", code)
		}
		return err
	})
}

// logged shows a command as `terraform shown`, runs it with its output also
// going to a log file, and returns the output without the dev_overrides
// warning.
func (d *demo) logged(ctx context.Context, name, shown string, command func(out io.Writer) error) (string, error) {
	d.say("$ " + filepath.Base(d.w.CLI.Path) + " " + shown)
	d.runs++
	logPath := filepath.Join(d.logs, fmt.Sprintf("%02d-%s.log", d.runs, name))
	log, err := os.Create(logPath)
	if err != nil {
		return "", err
	}
	defer func() { _ = log.Close() }()
	var out strings.Builder
	text := func() string { return tfcli.WithoutOverridesWarning(out.String()) }
	if err := command(io.MultiWriter(&out, log)); err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", fmt.Errorf("%s %s failed; it said:\n%s", d.w.CLI.Name, name, tail(text()))
	}
	return text(), nil
}

// summaryLine is a line of Terraform's output that tells what happened.
var summaryLine = regexp.MustCompile(`^(Plan:|No changes\.|Apply complete!|Destroy complete!|Warning: |- \S+ \(subscription \d+\)$|list\.|  # .* (has been deleted|will be created|will be destroyed|must be replaced|will be updated in-place|will be imported))`)

// summary prints the lines of a command's output that tell what happened.
func (d *demo) summary(out string) {
	for line := range strings.SplitSeq(out, "\n") {
		if summaryLine.MatchString(line) {
			d.quote(line)
		}
	}
}

// outputs prints the Outputs section of an apply.
func (d *demo) outputs(out string) {
	_, section, found := strings.Cut(out, "\nOutputs:\n")
	if !found {
		return
	}
	d.quote("Outputs:")
	for line := range strings.SplitSeq(strings.TrimRight(section, "\n"), "\n") {
		d.quote(line)
	}
}

// readOutputs reads the subscription_ids and endpoint outputs.
func (d *demo) readOutputs(ctx context.Context) error {
	if err := d.w.Output(ctx, "subscription_ids", &d.ids); err != nil {
		return fmt.Errorf("reading the subscription_ids output: %w", err)
	}
	if err := d.w.Output(ctx, "endpoint", &d.endpoint); err != nil {
		return fmt.Errorf("reading the endpoint output: %w", err)
	}
	if len(d.ids) == 0 || d.endpoint.TargetURL == "" || len(d.endpoint.SubscriptionIDs) == 0 {
		return fmt.Errorf("the outputs are empty: subscription_ids = %v, endpoint = %+v", d.ids, d.endpoint)
	}
	return nil
}

// pickVictim returns the victim's event and id, or the first event's.
func pickVictim(ids map[string]string) (event, id string) {
	if id, ok := ids[victim]; ok {
		return victim, id
	}
	event = slices.Sorted(maps.Keys(ids))[0]
	return event, ids[event]
}

// sameEventLines says which events of the subscriptions the API lists
// under another spelling: they still plan clean.
func (d *demo) sameEventLines() {
	ids := d.ids
	listed := map[string]string{}
	for _, sub := range d.api.Server.All() {
		listed[strconv.FormatInt(sub.ID, 10)] = sub.Event()
	}
	for _, event := range slices.Sorted(maps.Keys(ids)) {
		if as := listed[ids[event]]; as != "" && as != event {
			d.say(event + " is listed by the API as " + as + ": same event, no change")
		}
	}
}

// showStub prints the subscriptions the stub holds, one a line.
func (d *demo) showStub() {
	all := d.api.Server.All()
	if len(all) == 0 {
		d.say("(the stub holds no subscriptions)")
	}
	for _, sub := range all {
		d.say(fmt.Sprintf("id %-4d %-24s %s", sub.ID, sub.Event(), sub.URL))
	}
}

// expectOnStub fails unless the stub holds n subscriptions.
func (d *demo) expectOnStub(n int, when string) error {
	if got := len(d.api.Server.All()); got != n {
		return fmt.Errorf("the stub holds %d subscriptions %s, expected %d", got, when, n)
	}
	return nil
}

// expectLine fails unless out has the line want.
func expectLine(out, want string) error {
	if slices.Contains(strings.Split(out, "\n"), want) {
		return nil
	}
	return fmt.Errorf("expected %q; the output ends:\n%s", want, tail(out))
}

// tail returns the last lines of a command's output, indented.
func tail(out string) string {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	lines = lines[max(len(lines)-40, 0):]
	return "   | " + strings.Join(lines, "\n   | ")
}

// step prints the next step's heading.
func (d *demo) step(heading string) {
	d.steps++
	_, _ = fmt.Fprintf(d.out, "\n%s%d) %s%s\n", d.headings[0], d.steps, heading, d.headings[1])
}

// say prints lines under the current step; "" is an empty line.
func (d *demo) say(lines ...string) {
	for _, line := range lines {
		if line == "" {
			_, _ = fmt.Fprintln(d.out)
			continue
		}
		_, _ = fmt.Fprintln(d.out, "   "+line)
	}
}

// quote prints a line of Terraform's output under the current step.
func (d *demo) quote(line string) {
	_, _ = fmt.Fprintln(d.out, strings.TrimRight("   | "+line, " "))
}
