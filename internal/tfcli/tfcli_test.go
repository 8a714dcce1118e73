package tfcli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-version"
)

// fakeWorkspace is a workspace whose CLI is a shell script, with a provider
// directory that need not hold a provider.
func fakeWorkspace(t *testing.T, body string, env map[string]string) *Workspace {
	t.Helper()
	cli := &CLI{Path: fakeCLI(t, "terraform", body), Name: Terraform, Version: version.Must(version.NewVersion("1.11.4"))}
	w, err := NewWorkspace(t.Context(), t.TempDir(), Options{CLI: cli, ProviderDir: t.TempDir(), Env: env})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestWriteCLIConfigPointsDevOverridesAtTheProvider(t *testing.T) {
	t.Chdir(t.TempDir())
	path := filepath.Join(t.TempDir(), "rc")
	if err := WriteCLIConfig(path, "bin"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs("bin")
	want := "provider_installation {\n  dev_overrides {\n    \"vcita/vcita\" = \"" + abs + "\"\n  }\n  direct {}\n}\n"
	if string(data) != want {
		t.Errorf("got\n%s\nwant (a relative directory made absolute)\n%s", data, want)
	}
}

func TestWorkspaceEnvironmentIsScrubbed(t *testing.T) {
	// Not parallel: it sets the environment.
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_CLI_ARGS_apply", "-destroy")
	t.Setenv("TF_WORKSPACE", "production")
	t.Setenv("TOFU_CLI_CONFIG_FILE", "/elsewhere")
	t.Setenv("VCITA_BUSINESS_ID", "someone-else")
	t.Setenv("VCITA_API_TOKEN", "the-real-token")
	t.Setenv("CHECKPOINT_TIMEOUT", "1")
	w := fakeWorkspace(t, "true", ProviderEnv("http://127.0.0.1:1", "stub-token"))
	env := w.Environ(map[string]string{"EXTRA": "1"})
	for _, want := range []string{
		"TF_CLI_CONFIG_FILE=" + filepath.Join(w.Dir, cliConfigFile),
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"VCITA_BASE_URL=http://127.0.0.1:1",
		"VCITA_API_TOKEN=stub-token",
		"PATH=" + os.Getenv("PATH"),
		"EXTRA=1",
	} {
		if !slices.Contains(env, want) {
			t.Errorf("the environment lacks %s", want)
		}
	}
	for _, kv := range env {
		for _, unwanted := range []string{"TF_LOG=", "TF_CLI_ARGS_apply=", "TF_WORKSPACE=", "TOFU_", "VCITA_BUSINESS_ID=", "CHECKPOINT_TIMEOUT=", "the-real-token"} {
			if strings.Contains(kv, unwanted) {
				t.Errorf("the caller's %s reaches the CLI", kv)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(w.Dir, cliConfigFile)); err != nil {
		t.Errorf("the CLI configuration was not written: %v", err)
	}
}

func TestRunReturnsTheExitCodeAndOutput(t *testing.T) {
	t.Parallel()
	w := fakeWorkspace(t, `echo "args: $*"; echo "in $PWD with $TF_CLI_CONFIG_FILE and $EXTRA" >&2; exit 2`, nil)
	var out bytes.Buffer
	code, err := w.Run(t.Context(), &out, map[string]string{"EXTRA": "x"}, "plan", "-detailed-exitcode")
	if err != nil || code != 2 {
		t.Fatalf("Run = %d, %v; want exit code 2 and no error", code, err)
	}
	want := "args: plan -detailed-exitcode\nin " + w.Dir + " with " + filepath.Join(w.Dir, cliConfigFile) + " and x\n"
	if out.String() != want {
		t.Errorf("output %q, want %q", out.String(), want)
	}
}

func TestRunInterruptsTheCLIWhenCancelled(t *testing.T) {
	t.Parallel()
	marker := filepath.Join(t.TempDir(), "interrupted")
	// Like Terraform, the fake stops cleanly on an interrupt.
	w := fakeWorkspace(t, `trap 'touch `+marker+`; exit 1' INT; echo started; while :; do sleep 0.05; done`, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
	defer cancel()
	code, err := w.Run(ctx, nil, nil, "apply")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Run = %d, %v; want the context's error", code, err)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Errorf("the CLI was not interrupted: %v", err)
	}
}

func TestExecRunsTheCLIWithTheWorkspaceEnvironment(t *testing.T) {
	t.Parallel()
	w := fakeWorkspace(t, `echo "$TF_CLI_CONFIG_FILE $VCITA_BASE_URL $EXTRA"; echo "$1" >&2`, ProviderEnv("http://127.0.0.1:1", "t"))
	var out bytes.Buffer
	tf, err := w.Exec(&out, map[string]string{"EXTRA": "x"})
	if err != nil {
		t.Fatal(err)
	}
	if err := tf.Get(t.Context()); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.Contains(got, filepath.Join(w.Dir, cliConfigFile)+" http://127.0.0.1:1 x\n") || !strings.Contains(got, "get\n") {
		t.Errorf("output %q: the CLI config, the provider's settings, the extra variable and stderr should all be there", got)
	}
	if _, err := w.Exec(nil, map[string]string{"TF_LOG": "TRACE"}); err == nil {
		t.Error("TF_LOG must be refused: terraform-exec manages it (SetLog)")
	}
}
