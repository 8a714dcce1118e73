resource "vcita_webhook_endpoint" "crm" {
  target_url = "https://hooks.example.com/vcita/crm"
  events     = ["appointment/scheduled", "lead/created"]
}

# subscription_ids is keyed by the canonical spelling of each event
# (meeting/scheduled, client/created): look an id up by your own spelling.
output "appointment_scheduled_id" {
  value = vcita_webhook_endpoint.crm.subscription_ids[provider::vcita::canonical_event("appointment/scheduled")]
}

# Every spelling of one event gives the same result: "client/created".
output "lead_created_key" {
  value = provider::vcita::canonical_event("lead/create")
}
