# Terraform 1.12 and later: name the subscription by its identity instead of
# an import id string.

# By subscription id, in the provider's business (or the token's own scope).
import {
  to       = vcita_webhook_subscription.client_created
  identity = { id = "12345" }
}

# By subscription id in one business, with a directory token. The resource's
# business_id must be the same business.
import {
  to = vcita_webhook_subscription.acme_payments
  identity = {
    id          = "12346"
    business_id = "a1b2c3d4e5f6a7b8"
  }
}
