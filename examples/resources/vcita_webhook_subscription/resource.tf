# Tell a CRM sync service about every new client.
resource "vcita_webhook_subscription" "client_created" {
  event      = "client/created"
  target_url = "https://hooks.example.com/vcita/clients"
}

# One endpoint, several events: one subscription per event.
resource "vcita_webhook_subscription" "scheduling" {
  for_each = toset([
    "appointment/scheduled", # listed by the API as meeting/scheduled: same event, no drift
    "appointment/rescheduled",
    "appointment/cancelled",
  ])

  event      = each.value
  target_url = "https://hooks.example.com/vcita/scheduling"
}

# With a directory token, business_id subscribes on behalf of one business
# (sent as the X-On-Behalf-Of header), overriding the provider's business_id.
resource "vcita_webhook_subscription" "acme_payments" {
  business_id = "a1b2c3d4e5f6a7b8"
  event       = "payment/paid"
  target_url  = "https://hooks.example.com/vcita/acme/payments"
}

resource "vcita_webhook_subscription" "acme_invoices" {
  business_id = "a1b2c3d4e5f6a7b8"
  event       = "invoice/issued"
  target_url  = "https://hooks.example.com/vcita/acme/invoices"
}

output "client_created_subscription_id" {
  value = vcita_webhook_subscription.client_created.id
}
