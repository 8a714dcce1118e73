# Subscribes one URL to a handful of vcita webhook events, one resource per
# event, and another URL to its events with one endpoint resource.
#
# Used by `make demo` (cmd/vcita-demo), which runs it against a local stub of
# the vcita API. Nothing secret is written here: the provider reads its token
# from VCITA_API_TOKEN and the API address from VCITA_BASE_URL.

terraform {
  required_providers {
    vcita = {
      source = "vcita/vcita"
    }
  }
}

# token    <- VCITA_API_TOKEN
# base_url <- VCITA_BASE_URL (defaults to https://api.vcita.biz)
provider "vcita" {}

locals {
  target_url = "https://hooks.example.com/vcita/demo"

  # appointment/scheduled is an alias spelling: the API lists it as
  # meeting/scheduled, and the provider treats both as the same event.
  events = toset([
    "appointment/scheduled",
    "client/created",
    "invoice/issued",
    "payment/paid",
  ])
}

resource "vcita_webhook_subscription" "this" {
  for_each = local.events

  event      = each.value
  target_url = local.target_url
}

# The endpoint owns every subscription of its URL: one added in vcita by hand
# shows in the next plan, which removes it.
resource "vcita_webhook_endpoint" "billing" {
  target_url = "https://hooks.example.com/vcita/billing"
  events     = ["invoice/issued", "payment/paid"]
}

output "subscription_ids" {
  description = "The API's subscription id of each event."
  value       = { for event, sub in vcita_webhook_subscription.this : event => sub.id }
}

output "endpoint" {
  description = "The endpoint's target URL and the API's subscription id of each of its events."
  value = {
    target_url       = vcita_webhook_endpoint.billing.target_url
    subscription_ids = vcita_webhook_endpoint.billing.subscription_ids
  }
}
