// Package e2e runs the built provider binary through the real Terraform CLI,
// as a user does: dev_overrides instead of the in-process provider of the
// acceptance tests, so that logging, process start-up, signals and modules
// are exercised for real. The CLI is $VCITA_TF_PATH (a terraform or tofu
// binary), else `terraform` on PATH; see internal/tfcli.
package e2e

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
	"github.com/vcita/terraform-provider-vcita/internal/tfcli"
	"github.com/vcita/terraform-provider-vcita/internal/tfconfig"
)

// commandTimeout bounds each command of a test.
const commandTimeout = 5 * time.Minute

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

// run builds the provider once for every test of the package, and removes
// it when they are done.
func run(m *testing.M) int {
	defer func() { _ = tfcli.RemoveBuild() }()
	ctx := context.Background()
	if _, err := tfcli.BuildProvider(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	cli, err := tfcli.FindCLI(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "e2e: running %s (%s)\n", cli, cli.Path)
	return m.Run()
}

// workspace is one Terraform working directory wired to a stub of its own.
type workspace struct {
	*tfcli.Workspace
	t    *testing.T
	stub *stub.Server
}

// newWorkspace writes files into a new working directory with a new stub.
func newWorkspace(t *testing.T, files map[string]string) *workspace {
	t.Helper()
	s := stub.NewTestServer(t)
	tw, err := tfcli.NewWorkspace(t.Context(), t.TempDir(), tfcli.Options{Env: tfcli.ProviderEnv(s.URL(), stub.DefaultToken)})
	if err != nil {
		t.Fatal(err)
	}
	w := &workspace{Workspace: tw, t: t, stub: s}
	for name, content := range files {
		w.writeFile(name, content)
	}
	return w
}

func (w *workspace) writeFile(name, content string) {
	w.t.Helper()
	if err := w.WriteFile(name, content); err != nil {
		w.t.Fatal(err)
	}
}

// try runs one terraform-exec command, with ctx bounded by commandTimeout,
// and returns its output (without the dev_overrides warning) and error.
func (w *workspace) try(ctx context.Context, command func(context.Context, *tfexec.Terraform) error) (string, error) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	var out strings.Builder
	tf, err := w.Exec(&out, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	err = command(ctx, tf)
	return tfcli.WithoutOverridesWarning(out.String()), err
}

// must runs a command that must succeed, and returns its output.
func (w *workspace) must(name string, command func(context.Context, *tfexec.Terraform) error) string {
	w.t.Helper()
	out, err := w.try(w.t.Context(), command)
	if err != nil {
		w.t.Fatalf("%s %s: %v\n%s", w.CLI.Name, name, err, out)
	}
	return out
}

// run runs the CLI with args as given, for a command terraform-exec does
// not wrap, and returns its exit code and output (without the dev_overrides
// warning).
func (w *workspace) run(args ...string) (int, string) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(w.t.Context(), commandTimeout)
	defer cancel()
	var out strings.Builder
	code, err := w.Run(ctx, &out, nil, args...)
	if err != nil {
		w.t.Fatalf("%s %s: %v\n%s", w.CLI.Name, strings.Join(args, " "), err, out.String())
	}
	return code, tfcli.WithoutOverridesWarning(out.String())
}

func apply(ctx context.Context, tf *tfexec.Terraform) error   { return tf.Apply(ctx) }
func destroy(ctx context.Context, tf *tfexec.Terraform) error { return tf.Destroy(ctx) }

// plan runs `plan -detailed-exitcode`, which must succeed, and returns
// whether it found changes (exit code 2), and its output.
func (w *workspace) plan() (changes bool, out string) {
	w.t.Helper()
	out = w.must("plan", func(ctx context.Context, tf *tfexec.Terraform) (err error) {
		changes, err = tf.Plan(ctx)
		return err
	})
	return changes, out
}

// planClean runs a plan that must find no changes.
func (w *workspace) planClean() {
	w.t.Helper()
	if changes, out := w.plan(); changes {
		w.t.Fatalf("the plan should find no changes:\n%s", out)
	}
}

// destroyAll runs destroy, which must leave nothing on the stub.
func (w *workspace) destroyAll() {
	w.t.Helper()
	w.must("destroy", destroy)
	if left := w.stub.All(); len(left) != 0 {
		w.t.Errorf("destroy left %d subscriptions: %+v", len(left), left)
	}
}

// stateIDs returns the ids of the vcita_webhook_subscription resources in
// the state, of every module.
func (w *workspace) stateIDs() map[string]bool {
	w.t.Helper()
	state, err := w.State(w.t.Context())
	if err != nil {
		w.t.Fatalf("%s show -json: %v", w.CLI.Name, err)
	}
	ids := map[string]bool{}
	if state.Values == nil {
		return ids
	}
	modules := []*tfjson.StateModule{state.Values.RootModule}
	for len(modules) > 0 {
		m := modules[0]
		modules = append(modules[1:], m.ChildModules...)
		for _, r := range m.Resources {
			if r.Type == "vcita_webhook_subscription" {
				ids[fmt.Sprint(r.AttributeValues["id"])] = true
			}
		}
	}
	return ids
}

// exampleFiles reads every file under a directory of examples/ (its
// configuration, scripts and tests alike), keyed by path relative to it.
func exampleFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	root := filepath.Join("..", "..", "examples", dir)
	files := map[string]string{}
	err := filepath.WalkDir(root, func(path string, entry fs.DirEntry, err error) error {
		if err != nil || entry.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		name, err := filepath.Rel(root, path)
		files[name] = string(data)
		return err
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("examples/%s: no files (%v)", dir, err)
	}
	return files
}

// terraformOnPath returns a directory to put first on PATH, for a script that
// runs `terraform` as CI would: its terraform runs cli. `terraform init`
// would ask the registry for the provider, which dev_overrides serves
// without it: the shim runs `get` instead, which installs the modules init
// would, and passes every other command on as it is.
func terraformOnPath(t *testing.T, cli *tfcli.CLI) string {
	t.Helper()
	dir := t.TempDir()
	shim := "#!/bin/sh\n[ \"$1\" = init ] && exec '" + cli.Path + "' get\nexec '" + cli.Path + "' \"$@\"\n"
	if err := os.WriteFile(filepath.Join(dir, "terraform"), []byte(shim), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// subscriptions is a complete configuration of n subscriptions.
func subscriptions(n int) string {
	return tfconfig.RequiredProviders + tfconfig.ProviderFromEnvironment + tfconfig.Subscriptions("hook", n)
}
