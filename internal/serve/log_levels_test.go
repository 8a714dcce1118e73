package serve

import (
	"os"
	"testing"
)

// unsetenv unsets name for the test, and restores it afterwards.
func unsetenv(t *testing.T, name string) {
	t.Helper()
	t.Setenv(name, "")
	if err := os.Unsetenv(name); err != nil {
		t.Fatal(err)
	}
}

func TestTurnOffUnshownLogs(t *testing.T) {
	tests := []struct {
		name string
		set  map[string]string
		// want is each logger's level afterwards; "" for unset.
		want map[string]string
	}{
		{
			name: "no logs shown",
			want: map[string]string{"TF_LOG_SDK": "OFF", "TF_LOG_SDK_PROTO": "OFF", "TF_LOG_SDK_FRAMEWORK": "OFF", "TF_LOG_PROVIDER_VCITA": "OFF"},
		},
		{
			name: "TF_LOG",
			set:  map[string]string{"TF_LOG": "DEBUG"},
			want: map[string]string{},
		},
		{
			name: "TF_LOG_PROVIDER",
			set:  map[string]string{"TF_LOG_PROVIDER": "TRACE"},
			want: map[string]string{},
		},
		{
			name: "a level chosen",
			set:  map[string]string{"TF_LOG_SDK_FRAMEWORK": "DEBUG"},
			want: map[string]string{"TF_LOG_SDK": "OFF", "TF_LOG_SDK_PROTO": "OFF", "TF_LOG_SDK_FRAMEWORK": "DEBUG", "TF_LOG_PROVIDER_VCITA": "OFF"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, name := range append([]string{"TF_LOG", "TF_LOG_PROVIDER"}, logLevelVariables...) {
				unsetenv(t, name)
			}
			for name, value := range tc.set {
				t.Setenv(name, value)
			}
			if err := turnOffUnshownLogs(); err != nil {
				t.Fatal(err)
			}
			for _, name := range logLevelVariables {
				if got, want := os.Getenv(name), tc.want[name]; got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
		})
	}
}
