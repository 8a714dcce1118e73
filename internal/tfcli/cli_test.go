package tfcli

import (
	"strings"
	"testing"
)

func TestNewCLIReadsNameAndVersion(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		output        string
		name, version string
		query, isTofu bool
	}{
		"terraform 1.5": {
			output: "Terraform v1.5.7\non linux_amd64", name: "Terraform", version: "1.5.7",
		},
		"terraform 1.15": {
			output: "Terraform v1.15.9\non linux_amd64", name: "Terraform", version: "1.15.9", query: true,
		},
		"a prerelease counts as its release": {
			output: "Terraform v1.14.0-beta1\non linux_amd64", name: "Terraform", version: "1.14.0-beta1", query: true,
		},
		"opentofu after a warning": {
			output: "\nWarning: Unable to open CLI configuration file\n\nOpenTofu v1.12.6\non linux_amd64",
			name:   "OpenTofu", version: "1.12.6", isTofu: true,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := fakeCLI(t, "terraform", "printf '%s\\n' '"+strings.ReplaceAll(tc.output, "\n", "' '")+"'")
			cli, err := NewCLI(t.Context(), path)
			if err != nil {
				t.Fatal(err)
			}
			if cli.Path != path || cli.Name != tc.name || cli.Version.String() != tc.version {
				t.Errorf("got %s at %s, want %s %s at %s", cli, cli.Path, tc.name, tc.version, path)
			}
			if cli.SupportsQuery() != tc.query || cli.IsOpenTofu() != tc.isTofu {
				t.Errorf("%s: query %v, OpenTofu %v; want %v, %v", cli,
					cli.SupportsQuery(), cli.IsOpenTofu(), tc.query, tc.isTofu)
			}
		})
	}
}

func TestNewCLIRunsVersionWithAnExistingCLIConfig(t *testing.T) {
	t.Parallel()
	// OpenTofu prints a warning on stdout when TF_CLI_CONFIG_FILE names a
	// file that does not exist, as it does on some machines.
	path := fakeCLI(t, "tofu", `[ "$1" = version ] && [ -e "$TF_CLI_CONFIG_FILE" ] && echo "OpenTofu v1.12.6"`)
	cli, err := NewCLI(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if cli.String() != "OpenTofu 1.12.6" {
		t.Errorf("got %s", cli)
	}
}

func TestNewCLIRefusesWhatIsNotACLI(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"no version line": "echo hello",
		"a failing CLI":   "echo broken >&2; exit 3",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if cli, err := NewCLI(t.Context(), fakeCLI(t, "terraform", body)); err == nil {
				t.Errorf("got %s, want an error", cli)
			}
		})
	}
	if _, err := NewCLI(t.Context(), "/nonexistent/terraform"); err == nil {
		t.Error("a missing binary must be an error")
	}
}

func TestFindCLIHonoursTheEnvironmentVariable(t *testing.T) {
	// Not parallel: it sets the environment and resets the process's cache.
	reset := func() {
		defaultCLI.Lock()
		defaultCLI.cli = nil
		defaultCLI.Unlock()
	}
	reset()
	t.Cleanup(reset)
	path := fakeCLI(t, "tofu", `echo "OpenTofu v1.12.6"`)
	t.Setenv(EnvCLIPath, path)
	cli, err := FindCLI(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if cli.Path != path || !cli.IsOpenTofu() {
		t.Errorf("FindCLI = %s at %s, want the OpenTofu at %s", cli, cli.Path, path)
	}
}
