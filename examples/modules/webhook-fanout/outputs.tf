output "subscription_ids" {
  description = "The subscription id of each event."
  value       = { for event, subscription in vcita_webhook_subscription.this : event => subscription.id }
}

output "subscriptions" {
  description = "Each event's subscription, with the entity and event type as the API reports them."
  value = {
    for event, subscription in vcita_webhook_subscription.this : event => {
      id         = subscription.id
      entity     = subscription.entity
      event_type = subscription.event_type
    }
  }
}
