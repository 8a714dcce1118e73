# Subscribes one endpoint to a handful of vcita webhook events.
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

output "subscription_ids" {
  description = "The API's subscription id of each event."
  value       = { for event, sub in vcita_webhook_subscription.this : event => sub.id }
}
