# One target URL subscribed to a set of events, one vcita_webhook_subscription
# per event, and a check that reports any other subscription of that URL.
# The provider's tests run this configuration and drift-check.sh against a
# stub of the vcita API.

terraform {
  required_providers {
    vcita = {
      source = "vcita/vcita"
    }
  }
}

# token <- VCITA_API_TOKEN
provider "vcita" {}

locals {
  crm_url    = "https://hooks.example.com/vcita/crm"
  crm_events = toset(["client/created", "appointment/scheduled", "invoice/issued"])
}

resource "vcita_webhook_subscription" "crm" {
  for_each = local.crm_events

  event      = each.value
  target_url = local.crm_url
}

# Every subscription of the endpoint on vcita, whoever made it.
data "vcita_webhook_subscriptions" "crm" {
  target_url = local.crm_url
}

# The subscriptions of each configured event and the endpoint: the ones this
# configuration manages. The data source matches equivalent spellings as the
# API does (appointment/scheduled finds meeting/scheduled), and, unlike the
# resources' ids, what it reads is known at plan time even when the plan
# re-creates a subscription deleted outside Terraform.
data "vcita_webhook_subscriptions" "crm_managed" {
  for_each = local.crm_events

  target_url = local.crm_url
  entity     = split("/", each.value)[0]
  event_type = split("/", each.value)[1]
}

locals {
  crm_managed_ids = flatten([for d in data.vcita_webhook_subscriptions.crm_managed : d.subscriptions[*].id])
  crm_unmanaged = [
    for s in data.vcita_webhook_subscriptions.crm.subscriptions : "${s.event} (id ${s.id})"
    if !contains(local.crm_managed_ids, s.id)
  ]
}

check "no_unmanaged_subscriptions" {
  assert {
    condition     = length(local.crm_unmanaged) == 0
    error_message = "The CRM endpoint has subscriptions this configuration does not manage: ${join(", ", local.crm_unmanaged)}."
  }
}
