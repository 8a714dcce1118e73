package tfcli

import (
	"slices"
	"strings"
)

// The warning every command prints under dev_overrides, as Terraform and
// OpenTofu print it with -no-color: a first line, and a paragraph that ends
// the warning with its last word.
const (
	overridesWarning    = "Warning: Provider development overrides are in effect"
	overridesWarningEnd = "releases."
	// overridesWarningMax bounds the warning's length: should its text
	// change, it is kept rather than everything after it swallowed.
	overridesWarningMax = 15
)

// WithoutOverridesWarning returns the output of a command run with -no-color
// without the "Provider development overrides are in effect" warning, which
// says nothing here: the overrides are how the provider is run.
func WithoutOverridesWarning(output string) string {
	lines := strings.Split(output, "\n")
	for {
		start := slices.Index(lines, overridesWarning)
		if start < 0 {
			return strings.Join(lines, "\n")
		}
		end := -1
		for i := start + 1; i < len(lines) && i <= start+overridesWarningMax; i++ {
			if strings.HasSuffix(lines[i], overridesWarningEnd) {
				end = i
				break
			}
		}
		if end < 0 {
			return strings.Join(lines, "\n")
		}
		// The blank line that set the warning apart goes with it.
		if start > 0 && lines[start-1] == "" {
			start--
		}
		lines = slices.Delete(lines, start, end+1)
	}
}
