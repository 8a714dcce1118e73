# Every subscription in the provider's scope, whoever made it.
data "vcita_webhook_subscriptions" "all" {}

# Filters match every spelling of an event: entity "appointment" also finds
# what the API lists as "meeting", and event_type "created" finds "create".
data "vcita_webhook_subscriptions" "scheduled_appointments" {
  entity     = "appointment"
  event_type = "scheduled"
}

# Everything one endpoint of one business receives (directory token). The
# target URL is compared exactly, as the API does.
data "vcita_webhook_subscriptions" "acme_payments_endpoint" {
  business_id = "a1b2c3d4e5f6a7b8"
  target_url  = "https://hooks.example.com/vcita/acme/payments"
}

output "endpoints" {
  description = "Each target URL with the events it receives."
  value = {
    for s in data.vcita_webhook_subscriptions.all.subscriptions :
    s.target_url => s.event...
  }
}

output "scheduled_appointment_urls" {
  value = data.vcita_webhook_subscriptions.scheduled_appointments.subscriptions[*].target_url
}

# Ready-made import ids (<business_id>:<id>) for subscriptions made outside
# Terraform.
output "acme_import_ids" {
  value = {
    for s in data.vcita_webhook_subscriptions.acme_payments_endpoint.subscriptions :
    s.event => "a1b2c3d4e5f6a7b8:${s.id}"
  }
}
