# Subscribes one target URL to a set of vcita webhook events.
#
# The events are checked against the provider's own catalogue before
# anything is sent, so a typo fails the plan with the list of valid events.

terraform {
  required_version = ">= 1.5"
  required_providers {
    vcita = {
      source = "vcita/vcita"
    }
  }
}

data "vcita_webhook_events" "catalogue" {}

resource "vcita_webhook_subscription" "this" {
  for_each = var.events

  event       = each.value
  target_url  = var.target_url
  business_id = var.business_id

  lifecycle {
    precondition {
      condition     = contains(data.vcita_webhook_events.catalogue.events, each.value)
      error_message = "\"${each.value}\" is not a vcita webhook event. Valid events: ${join(", ", data.vcita_webhook_events.catalogue.events)}."
    }
  }
}
