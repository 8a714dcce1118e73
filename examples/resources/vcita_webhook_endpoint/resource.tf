# One endpoint: the URL receives exactly these events. A subscription of the
# URL made in vcita by hand shows in the next plan, which removes it.
resource "vcita_webhook_endpoint" "crm" {
  target_url = "https://hooks.example.com/vcita/crm"
  events = [
    "client/created",
    "client/updated",
    "appointment/scheduled", # listed by the API as meeting/scheduled: same event, no drift
  ]
}

# Several endpoints from one map of URL => events.
locals {
  endpoints = {
    "https://hooks.example.com/vcita/billing"    = ["invoice/issued", "payment/paid", "payment/refunded"]
    "https://hooks.example.com/vcita/scheduling" = ["appointment/scheduled", "appointment/rescheduled", "appointment/cancelled"]
  }
}

resource "vcita_webhook_endpoint" "this" {
  for_each = local.endpoints

  target_url = each.key
  events     = each.value
}

# With a directory token, business_id acts for one business (sent as the
# X-On-Behalf-Of header), overriding the provider's business_id.
resource "vcita_webhook_endpoint" "acme" {
  business_id = "a1b2c3d4e5f6a7b8"
  target_url  = "https://hooks.example.com/vcita/acme"
  events      = ["invoice/issued", "payment/paid"]
}

output "crm_subscription_ids" {
  value = vcita_webhook_endpoint.crm.subscription_ids
}

# subscription_ids is keyed by the canonical spelling of each event
# (meeting/scheduled for appointment/scheduled). Look an id up by the spelling
# written above with canonical_event (Terraform 1.8 and later, OpenTofu 1.7 and
# later).
output "crm_appointment_scheduled_id" {
  value = vcita_webhook_endpoint.crm.subscription_ids[provider::vcita::canonical_event("appointment/scheduled")]
}
