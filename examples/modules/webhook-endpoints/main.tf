# webhook-endpoints: one vcita_webhook_endpoint per business, from a map.
# The "Testing modules" guide tests it with `terraform test`: tests/ holds
# tests against vcita-stub and unit tests with mock_provider.

terraform {
  required_version = ">= 1.5"

  required_providers {
    vcita = {
      source = "vcita/vcita"
    }
  }
}

variable "endpoints" {
  description = "The webhook endpoint of each business, keyed by its business id: the URL that receives the calls, and the events it receives."
  type = map(object({
    target_url = string
    events     = set(string)
  }))

  validation {
    condition     = alltrue([for e in values(var.endpoints) : startswith(e.target_url, "https://")])
    error_message = "Every target_url must be an https URL."
  }
}

resource "vcita_webhook_endpoint" "this" {
  for_each = var.endpoints

  business_id = each.key
  target_url  = each.value.target_url
  events      = each.value.events
}

output "endpoint_ids" {
  description = "The id of each business's endpoint (its import id), keyed by business id."
  value       = { for business, endpoint in vcita_webhook_endpoint.this : business => endpoint.id }
}

output "subscription_ids" {
  description = "The API's subscription id of each event, keyed by business id, then by event."
  value       = { for business, endpoint in vcita_webhook_endpoint.this : business => endpoint.subscription_ids }
}
