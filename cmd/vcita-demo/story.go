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

	"github.com/vcita/terraform-provider-vcita/internal/tfcli"
)

// victim is the subscription the demo deletes behind Terraform's back (the
// first one when examples/demo no longer has it).
const victim = "client/created"

// demo tells the story on out.
type demo struct {
	out      io.Writer
	headings [2]string // what goes before and after a step's heading
	steps    int

	api  *tfcli.Stub
	w    *tfcli.Workspace
	logs string // one log file a command
	runs int
}

// story is the user's story, from the first apply to the destroy.
func (d *demo) story(ctx context.Context) error {
	d.step("terraform apply: create the subscriptions")
	out, err := d.terraform(ctx, "apply", "apply -auto-approve", apply)
	if err != nil {
		return err
	}
	d.summary(out)
	d.outputs(out)
	ids, err := d.subscriptionIDs(ctx)
	if err != nil {
		return err
	}
	want := len(ids)
	if err := expectLine(out, fmt.Sprintf("Apply complete! Resources: %d added, 0 changed, 0 destroyed.", want)); err != nil {
		return err
	}
	d.say("", "the stub now lists:")
	d.showStub()
	if err := d.expectOnStub(want, "after apply"); err != nil {
		return err
	}

	d.step("terraform plan: nothing to change")
	if err := d.planExpecting(ctx, false); err != nil {
		return err
	}
	d.sameEventLines(ids)

	d.step("Drift: delete one subscription behind Terraform's back")
	event, id := pickVictim(ids)
	number, err := strconv.ParseInt(id, 10, 64)
	if err != nil || !d.api.Server.Remove(number) {
		return fmt.Errorf("could not delete subscription %s (%s) on the stub", id, event)
	}
	d.say(fmt.Sprintf("deleted subscription %s (%s) on the stub, as someone in vcita would", id, event))
	if err := d.expectOnStub(want-1, "after the delete"); err != nil {
		return err
	}
	if err := d.planExpecting(ctx, true); err != nil {
		return err
	}
	d.say("drift detected (exit code 2)")

	d.step("terraform apply again: repair the drift")
	out, err = d.terraform(ctx, "apply2", "apply -auto-approve", apply)
	if err != nil {
		return err
	}
	d.summary(out)
	if err := expectLine(out, "Apply complete! Resources: 1 added, 0 changed, 0 destroyed."); err != nil {
		return err
	}
	if err := d.expectOnStub(want, "after the repair"); err != nil {
		return err
	}
	if ids, err = d.subscriptionIDs(ctx); err != nil {
		return err
	}
	if ids[event] == "" || ids[event] == id {
		return fmt.Errorf("%s was not re-created with a new id (subscription_ids = %v)", event, ids)
	}
	d.say(event + " re-created as id " + ids[event])
	if err := d.planExpecting(ctx, false); err != nil {
		return err
	}

	d.step("terraform destroy: remove everything")
	out, err = d.terraform(ctx, "destroy", "destroy -auto-approve", destroy)
	if err != nil {
		return err
	}
	d.summary(out)
	if err := expectLine(out, fmt.Sprintf("Destroy complete! Resources: %d destroyed.", want)); err != nil {
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

// planExpecting runs `plan -detailed-exitcode` and fails unless it finds
// changes exactly when drift is expected: then one create and nothing else.
func (d *demo) planExpecting(ctx context.Context, drift bool) error {
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
	case drift && !changes:
		return fmt.Errorf("the plan after the delete exited 0, expected 2 (changes):\n%s", tail(out))
	case !drift && changes:
		return fmt.Errorf("the plan exited 2, expected 0 (no changes):\n%s", tail(out))
	case drift:
		return expectLine(out, "Plan: 1 to add, 0 to change, 0 to destroy.")
	}
	d.say("exit code 0: no changes")
	return nil
}

// terraform runs one command, shown as `terraform shown`, with its output
// in a log file, and returns the output without the dev_overrides warning.
func (d *demo) terraform(ctx context.Context, name, shown string, command func(context.Context, *tfexec.Terraform) error) (string, error) {
	d.say("$ " + filepath.Base(d.w.CLI.Path) + " " + shown)
	d.runs++
	logPath := filepath.Join(d.logs, fmt.Sprintf("%02d-%s.log", d.runs, name))
	log, err := os.Create(logPath)
	if err != nil {
		return "", err
	}
	defer func() { _ = log.Close() }()
	var out strings.Builder
	tf, err := d.w.Exec(io.MultiWriter(&out, log), nil)
	if err != nil {
		return "", err
	}
	text := func() string { return tfcli.WithoutOverridesWarning(out.String()) }
	if err := command(ctx, tf); err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", fmt.Errorf("%s %s failed; it said:\n%s", d.w.CLI.Name, name, tail(text()))
	}
	return text(), nil
}

// summaryLine is a line of Terraform's output that tells what happened.
var summaryLine = regexp.MustCompile(`^(Plan:|No changes\.|Apply complete!|Destroy complete!|  # .* (has been deleted|will be created|will be destroyed|must be replaced))`)

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

// subscriptionIDs reads the subscription_ids output: event → id.
func (d *demo) subscriptionIDs(ctx context.Context) (map[string]string, error) {
	var ids map[string]string
	if err := d.w.Output(ctx, "subscription_ids", &ids); err != nil {
		return nil, fmt.Errorf("reading the subscription_ids output: %w", err)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("the subscription_ids output is empty")
	}
	return ids, nil
}

// pickVictim returns the victim's event and id, or the first event's.
func pickVictim(ids map[string]string) (event, id string) {
	if id, ok := ids[victim]; ok {
		return victim, id
	}
	event = slices.Sorted(maps.Keys(ids))[0]
	return event, ids[event]
}

// sameEventLines says which events the API lists under another spelling:
// they still plan clean.
func (d *demo) sameEventLines(ids map[string]string) {
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
