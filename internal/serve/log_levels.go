package serve

import "os"

// Terraform shows a provider's logs only when TF_LOG_PROVIDER or TF_LOG is
// set. Without either it still reads every line the provider writes to
// stderr, parses it as JSON and drops it; and the plugin libraries write
// every line, down to TRACE, unless told otherwise. That was about 40 % of
// the CPU time of Terraform and the provider together in a plan of 1000
// subscriptions (BENCHMARKS.md). So when nobody will see them, the provider
// turns its loggers off.

// logLevelVariables set the level of each logger in the provider process:
// terraform-plugin-go's, its protocol subsystem's, the framework's, and the
// provider's own (tflog). Each logs everything when unset.
var logLevelVariables = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_VCITA"}

// logsShown reports whether Terraform shows provider logs, as Terraform
// decides it: TF_LOG_PROVIDER, else TF_LOG.
func logsShown() bool {
	return os.Getenv("TF_LOG_PROVIDER") != "" || os.Getenv("TF_LOG") != ""
}

// turnOffUnshownLogs sets each logger's level to OFF when Terraform shows no
// provider logs, unless its variable is set: a level someone chose is kept.
func turnOffUnshownLogs() error {
	if logsShown() {
		return nil
	}
	for _, name := range logLevelVariables {
		if _, set := os.LookupEnv(name); set {
			continue
		}
		if err := os.Setenv(name, "OFF"); err != nil {
			return err
		}
	}
	return nil
}
