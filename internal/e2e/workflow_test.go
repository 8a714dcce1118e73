//go:build unix

package e2e

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/vcita/terraform-provider-vcita/internal/tfcli"
)

// examples/ci/module-test.yml runs a module's `terraform test` against the
// released stub in
// GitHub Actions. TestModuleTestWorkflowSteps runs its steps as a runner
// would, as far as they do not need GitHub: the steps that use an action
// (checkout, setup-terraform, upload-artifact) are left out, the stub is
// built from this checkout where the workflow downloads a release, and
// `terraform` is the CLI under test (terraformOnPath: no registry). Every
// other step runs its script as written, with the job's environment,
// $RUNNER_TEMP and $GITHUB_ENV, in the job's working directory of a module
// repository laid out as the workflow's comment says. So the stub runs as a
// process of its own, started by the workflow's own step.

const moduleTestWorkflow = "ci/module-test.yml"

// exampleWorkflowJob reads the one job of a workflow of examples/.
func exampleWorkflowJob(t *testing.T, name string) workflowJob {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	var wf workflow
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatalf("examples/%s: %v", name, err)
	}
	if len(wf.Jobs) != 1 {
		t.Fatalf("examples/%s has %d jobs; the tests run workflows of one", name, len(wf.Jobs))
	}
	var job workflowJob
	for _, job = range wf.Jobs {
	}
	return job
}

// workflow is what the test reads of a GitHub Actions workflow.
type workflow struct {
	Jobs map[string]workflowJob `yaml:"jobs"`
}

type workflowJob struct {
	Env      map[string]string `yaml:"env"`
	Defaults struct {
		Run struct {
			WorkingDirectory string `yaml:"working-directory"`
		} `yaml:"run"`
	} `yaml:"defaults"`
	Steps []workflowStep `yaml:"steps"`
}

type workflowStep struct {
	Name             string            `yaml:"name"`
	Uses             string            `yaml:"uses"`
	Run              string            `yaml:"run"`
	If               string            `yaml:"if"`
	Shell            string            `yaml:"shell"`
	Env              map[string]string `yaml:"env"`
	WorkingDirectory string            `yaml:"working-directory"`
}

// title is how the Actions UI names a step.
func (s workflowStep) title() string {
	switch {
	case s.Name != "":
		return s.Name
	case s.Uses != "":
		return s.Uses
	}
	return "Run " + strings.SplitN(s.Run, "\n", 2)[0]
}

// downloadsTheStub reports whether the step downloads a release with the
// GitHub CLI: the test builds the stub instead.
func (s workflowStep) downloadsTheStub() bool {
	return strings.Contains(s.Run, "gh release download")
}

func TestModuleTestWorkflowSteps(t *testing.T) {
	t.Parallel()
	job := exampleWorkflowJob(t, moduleTestWorkflow)

	// $GITHUB_WORKSPACE, the module's repository: the guide's module, its
	// tests in tests/.
	repo := t.TempDir()
	workDir := filepath.Join(repo, job.Defaults.Run.WorkingDirectory)
	// A workspace for its CLI configuration alone: the provider's settings
	// come from the workflow, and no other stub is running.
	tw, err := tfcli.NewWorkspace(t.Context(), workDir, tfcli.Options{})
	if err != nil {
		t.Fatal(err)
	}
	requireTestCommand(t, tw.CLI, true)
	for name, content := range exampleFiles(t, moduleDir) {
		if err := tw.WriteFile(name, content); err != nil {
			t.Fatal(err)
		}
	}
	runnerTemp := t.TempDir()
	if err := tfcli.Build(t.Context(), "./cmd/vcita-stub", filepath.Join(runnerTemp, "vcita-stub")); err != nil {
		t.Fatal(err)
	}
	githubEnv := filepath.Join(runnerTemp, "github_env")
	if err := os.WriteFile(githubEnv, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	r := &runner{
		t:         t,
		workspace: tw,
		dir:       workDir,
		temp:      runnerTemp,
		vars: map[string]string{
			"GITHUB_WORKSPACE": repo,
			"RUNNER_TEMP":      runnerTemp,
			"GITHUB_ENV":       githubEnv,
			"PATH":             terraformOnPath(t, tw.CLI) + string(os.PathListSeparator) + os.Getenv("PATH"),
		},
	}
	maps.Copy(r.vars, job.Env)
	t.Cleanup(r.stopBackground)
	t.Cleanup(func() {
		if t.Failed() {
			log, _ := os.ReadFile(filepath.Join(runnerTemp, "stub.log"))
			t.Logf("the stub's log (the workflow uploads it on failure):\n%s", log)
		}
	})

	downloads := 0
	outputs := map[string]string{}
	for i, step := range job.Steps {
		switch {
		case step.Uses != "":
			t.Logf("step %q uses an action: left out", step.title())
		case step.downloadsTheStub():
			downloads++
			t.Logf("step %q downloads a release: the stub is built from this checkout instead", step.title())
		default:
			outputs[step.title()] = r.run(i, step)
		}
	}
	if downloads != 1 {
		t.Errorf("the workflow downloads the stub in %d steps, want 1: update the test, which builds the stub in that step's place", downloads)
	}
	// The workflow prints the calls from the stub's journal: the module's
	// subscribes show that its tests ran against the stub the workflow
	// started.
	want := "201 POST /platform/v1/webhook/subscribe biz-north client/created https://hooks.example.com/vcita/north"
	if out := outputs["The calls the tests made"]; !strings.Contains(out, want) {
		t.Errorf("the step \"The calls the tests made\" should list %q:\n%s", want, out)
	}
	if out := outputs["Run terraform test"]; !strings.Contains(out, "5 passed, 0 failed") {
		t.Errorf("terraform test should run the module's 5 runs (stub and mock_provider):\n%s", out)
	}
}

// runner runs the steps of a job as a GitHub runner does.
type runner struct {
	t         *testing.T
	workspace *tfcli.Workspace
	dir       string            // the job's working directory
	temp      string            // $RUNNER_TEMP
	vars      map[string]string // the job's environment
	groups    []int             // the process group of each step run
}

// run runs one step's script with `bash -e`, GitHub's default shell, and
// returns its output; it fails the test unless the script exits 0. The
// processes a step leaves running in the background (the stub) keep running
// for the next steps, as on a runner.
func (r *runner) run(index int, step workflowStep) string {
	r.t.Helper()
	if step.If != "" || (step.Shell != "" && step.Shell != "bash") || strings.Contains(step.Run, "${{") {
		r.t.Fatalf("step %q: the test runs plain bash scripts, without if:, other shells or ${{ }} expressions", step.title())
	}
	script := filepath.Join(r.temp, fmt.Sprintf("step-%d.sh", index))
	if err := os.WriteFile(script, []byte(step.Run), 0o644); err != nil {
		r.t.Fatal(err)
	}
	vars := maps.Clone(r.vars)
	maps.Copy(vars, r.githubEnv())
	maps.Copy(vars, step.Env)
	ctx, cancel := context.WithTimeout(r.t.Context(), commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-e", script)
	cmd.Dir = r.dir
	if step.WorkingDirectory != "" {
		cmd.Dir = filepath.Join(vars["GITHUB_WORKSPACE"], step.WorkingDirectory)
	}
	cmd.Env = r.workspace.Environ(vars)
	// Its own process group, so that what it starts in the background can
	// be stopped when the test ends.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// The step's output, not a background process's, should end with it.
	cmd.WaitDelay = 10 * time.Second
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	r.groups = append(r.groups, cmd.Process.Pid)
	err := cmd.Wait()
	text := tfcli.WithoutOverridesWarning(out.String())
	if err != nil {
		r.t.Fatalf("step %q failed: %v\n%s", step.title(), err, text)
	}
	r.t.Logf("step %q passed", step.title())
	return text
}

// githubEnv reads the variables that steps have written to $GITHUB_ENV
// (NAME=value lines) for the steps after them.
func (r *runner) githubEnv() map[string]string {
	r.t.Helper()
	data, err := os.ReadFile(r.vars["GITHUB_ENV"])
	if err != nil {
		r.t.Fatal(err)
	}
	vars := map[string]string{}
	for line := range strings.Lines(string(data)) {
		if name, value, ok := strings.Cut(strings.TrimRight(line, "\n"), "="); ok {
			vars[name] = value
		}
	}
	return vars
}

// stopBackground stops what the steps left running, and waits for it to go.
func (r *runner) stopBackground() {
	for _, group := range r.groups {
		if err := syscall.Kill(-group, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
			r.t.Errorf("stopping process group %d: %v", group, err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for _, group := range r.groups {
		for syscall.Kill(-group, 0) == nil && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
	}
}
