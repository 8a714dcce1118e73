// Package tfconfig holds the Terraform configuration text that the tests,
// the benchmark and the demo share, so that each piece is written once.
package tfconfig

import "fmt"

// ProviderSource is the provider's address: its source in required_providers
// and its key in a dev_overrides block. Terraform reads it as
// registry.terraform.io/vcita/vcita and OpenTofu as
// registry.opentofu.org/vcita/vcita, so one configuration serves both.
const ProviderSource = "vcita/vcita"

// RequiredProviders is the terraform block of a configuration that the CLI
// runs with the built provider: without it, Terraform and OpenTofu look for
// hashicorp/vcita in their registries.
const RequiredProviders = `terraform {
  required_providers {
    vcita = {
      source = "` + ProviderSource + `"
    }
  }
}
`

// ProviderFromEnvironment is a provider block that takes every setting from
// the environment: the token from VCITA_API_TOKEN, the API from
// VCITA_BASE_URL.
const ProviderFromEnvironment = `
# token and base_url come from VCITA_API_TOKEN and VCITA_BASE_URL.
provider "vcita" {}
`

// Subscriptions is one vcita_webhook_subscription resource named name with
// count = n: client/created to https://hooks.example.com/NAME/INDEX, so that
// each of the n is a subscription of its own on the API.
func Subscriptions(name string, n int) string {
	return fmt.Sprintf(`
resource "vcita_webhook_subscription" %[1]q {
  count = %[2]d

  event      = "client/created"
  target_url = "https://hooks.example.com/%[1]s/${count.index}"
}
`, name, n)
}
