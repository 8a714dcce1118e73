# The provider's event catalogue. It calls no API.
data "vcita_webhook_events" "all" {}

# The events of one entity, as entity/event_type. An alias and its canonical
# entity give the same list ("appointment" gives appointment/* and meeting/*).
data "vcita_webhook_events" "payment" {
  entity = "payment"
}

# Subscribe one endpoint to every payment event. (Iterate an entity without
# aliases, or use the entities map: appointment/scheduled and
# meeting/scheduled are one subscription, and the second would be refused
# as already existing.)
resource "vcita_webhook_subscription" "payments" {
  for_each = toset(data.vcita_webhook_events.payment.events)

  event      = each.value
  target_url = "https://hooks.example.com/vcita/payments"
}

# The events of the canonical entity "meeting" only, without its alias
# "appointment", from the entities map.
output "meeting_events" {
  value = [for t in data.vcita_webhook_events.all.entities["meeting"] : "meeting/${t}"]
}

# Validate a variable against the catalogue, so that a typo fails the plan
# with the list of valid events (Terraform 1.9 and later; on older versions
# use a lifecycle precondition on the resource instead).
variable "alert_events" {
  description = "Events that page the on-call engineer, as entity/event_type."
  type        = set(string)
  default     = ["payment/refunded", "staff/deactivated"]

  validation {
    condition     = alltrue([for e in var.alert_events : contains(data.vcita_webhook_events.all.events, e)])
    error_message = "Every event must be one of: ${join(", ", data.vcita_webhook_events.all.events)}."
  }
}

resource "vcita_webhook_subscription" "alerts" {
  for_each = var.alert_events

  event      = each.value
  target_url = "https://oncall.example.com/vcita"
}

output "entity_aliases" {
  description = "Alias => canonical entity, for example lead => client."
  value       = data.vcita_webhook_events.all.aliases
}
