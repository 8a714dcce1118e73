package tfcli

import "testing"

func TestWithoutOverridesWarning(t *testing.T) {
	t.Parallel()
	warning := `
Warning: Provider development overrides are in effect

The following provider development overrides are set in the CLI
configuration:
 - vcita/vcita in /tmp/vcita-provider-1

The behavior may therefore not match any released version of the provider and
applying changes may cause the state to become incompatible with published
releases.`
	tests := map[string]struct{ in, want string }{
		"first thing": {
			in:   warning + "\nvcita_webhook_subscription.a: Creating...\n\nApply complete!",
			want: "vcita_webhook_subscription.a: Creating...\n\nApply complete!",
		},
		"twice, between other lines": {
			in:   "- crm in ./crm\n" + warning + "\nPlan: 1 to add\n" + warning + "\nWarning: Check block assertion failed\n",
			want: "- crm in ./crm\nPlan: 1 to add\nWarning: Check block assertion failed\n",
		},
		"no warning": {in: "No changes.\n", want: "No changes.\n"},
		// Should the text change, nothing after it is swallowed.
		"a warning with no end": {
			in:   "Warning: Provider development overrides are in effect\n\nsomething else\n",
			want: "Warning: Provider development overrides are in effect\n\nsomething else\n",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := WithoutOverridesWarning(tc.in); got != tc.want {
				t.Errorf("got\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}
