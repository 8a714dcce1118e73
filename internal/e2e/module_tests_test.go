package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
	"github.com/vcita/terraform-provider-vcita/internal/tfcli"
)

// examples/modules/webhook-endpoints is the module the "Testing modules"
// guide walks through, with its `terraform test` files: tests/stub.tftest.hcl
// against the stub, tests/unit.tftest.hcl with mock_provider. These tests
// run them with the CLI under test, as a module author would, and check
// what the stub saw from its journal, as the guide's CI workflow does.

const (
	moduleDir      = "modules/webhook-endpoints"
	moduleStubTest = "tests/stub.tftest.hcl"
	moduleUnitTest = "tests/unit.tftest.hcl"
)

// requireTestCommand skips a test on a CLI without `terraform test` as the
// module's tests are written for it. Terraform 1.5 has only an earlier
// experiment of that name, which reads no *.tftest.hcl file ("No tests
// defined"): the command and its file format came in Terraform 1.6, and
// mock_provider in Terraform 1.7 (OpenTofu: `tofu test` from 1.6,
// mock_provider from 1.8).
func requireTestCommand(t *testing.T, cli *tfcli.CLI, mocks bool) {
	t.Helper()
	switch {
	case cli.IsOpenTofu():
		if mocks && !cli.AtLeast("1.8") {
			t.Skipf("%s has no mock_provider (OpenTofu 1.8 and later)", cli)
		}
	case !cli.AtLeast("1.6"):
		t.Skipf("%s has no `terraform test` of *.tftest.hcl files, only an earlier experiment that finds none (Terraform 1.6 and later)", cli)
	case mocks && !cli.AtLeast("1.7"):
		t.Skipf("%s has no mock_provider (Terraform 1.7 and later)", cli)
	}
}

// newModuleWorkspace is a workspace of the guide's module and its tests,
// with a stub of its own; it skips the test on a CLI without what the test
// needs (see requireTestCommand).
func newModuleWorkspace(t *testing.T, mocks bool) *workspace {
	t.Helper()
	w := newWorkspace(t, exampleFiles(t, moduleDir))
	requireTestCommand(t, w.CLI, mocks)
	return w
}

// runModuleTest runs `terraform test` of one test file, with vars added to
// the environment, and fails the test unless its runs all passed.
func (w *workspace) runModuleTest(file string, runs int, vars map[string]string) {
	w.t.Helper()
	var out strings.Builder
	code, err := w.Run(w.t.Context(), &out, vars, "test", "-no-color", "-filter="+file)
	if err != nil {
		w.t.Fatal(err)
	}
	if want := fmt.Sprintf("%d passed, 0 failed", runs); code != 0 || !strings.Contains(out.String(), want) {
		w.t.Fatalf("%s test -filter=%s exited %d, want 0 and %q:\n%s", w.CLI.Name, file, code, want, out.String())
	}
}

// journal reads the stub's journal as a CI step does: GET /_stub/requests.
func (w *workspace) journal() []stub.JournalEntry {
	w.t.Helper()
	resp, err := http.Get(w.stub.URL() + "/_stub/requests")
	if err != nil {
		w.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var entries []stub.JournalEntry
	if err := json.NewDecoder(resp.Body).Decode(&entries); err != nil || resp.StatusCode != http.StatusOK {
		w.t.Fatalf("GET /_stub/requests: %d, %v", resp.StatusCode, err)
	}
	return entries
}

// writes returns the subscribes and unsubscribes of a journal, each as
// "subscribe biz-north client/created https://...", in the journal's order,
// and fails the test on one that did not succeed.
func writes(t *testing.T, entries []stub.JournalEntry) []string {
	t.Helper()
	var out []string
	for _, e := range entries {
		if e.Path == "/platform/v1/webhooks" && e.Method == http.MethodGet {
			continue
		}
		if e.Status/100 != 2 || e.Fault != "" {
			t.Errorf("a call failed: %+v", e)
		}
		op := strings.TrimPrefix(e.Path, "/platform/v1/webhook/")
		out = append(out, fmt.Sprintf("%s %s %s %s", op, e.Business, e.Event, e.TargetURL))
	}
	return out
}

func TestModuleStubTestsPassAndChangeTheEventsInPlace(t *testing.T) {
	t.Parallel()
	w := newModuleWorkspace(t, false)
	w.runModuleTest(moduleStubTest, 2, nil)

	const north, south = "https://hooks.example.com/vcita/north", "https://hooks.example.com/vcita/south"
	got := writes(t, w.journal())
	if len(got) != 8 {
		t.Fatalf("the stub saw %d subscribes and unsubscribes, want 8 (3 by the first run, 2 by the second, 3 by the teardown):\n%s", len(got), strings.Join(got, "\n"))
	}
	// Each run's calls run in parallel: compare each run's as a set.
	for _, phase := range []struct {
		name  string
		calls []string
		want  []string
	}{
		{"the first run", got[:3], []string{
			"subscribe biz-north appointment/scheduled " + north,
			"subscribe biz-north client/created " + north,
			"subscribe biz-south invoice/issued " + south,
		}},
		// In place: the event kept is neither unsubscribed nor subscribed again.
		{"the second run", got[3:5], []string{
			"subscribe biz-north client/updated " + north,
			"unsubscribe biz-north appointment/scheduled " + north,
		}},
		{"the teardown", got[5:], []string{
			"unsubscribe biz-north client/created " + north,
			"unsubscribe biz-north client/updated " + north,
			"unsubscribe biz-south invoice/issued " + south,
		}},
	} {
		if calls := slices.Sorted(slices.Values(phase.calls)); !slices.Equal(calls, phase.want) {
			t.Errorf("%s sent:\n%s\nwant:\n%s", phase.name, strings.Join(calls, "\n"), strings.Join(phase.want, "\n"))
		}
	}
	if left := w.stub.All(); len(left) != 0 {
		t.Errorf("the test's teardown left %v", left)
	}
}

// The unit tests need no API: the provider is mocked. The workspace's
// stub is there to prove that nothing reached it.
func TestModuleUnitTestsRunWithMockProviderAlone(t *testing.T) {
	t.Parallel()
	w := newModuleWorkspace(t, true)
	w.runModuleTest(moduleUnitTest, 3, nil)
	if entries := w.journal(); len(entries) != 0 {
		t.Errorf("the mocked tests reached the API: %+v", entries)
	}
	// Without a token or an API at all, as on a fork's pull request.
	w.runModuleTest(moduleUnitTest, 3, map[string]string{"VCITA_API_TOKEN": "", "VCITA_BASE_URL": "http://127.0.0.1:1"})
}
