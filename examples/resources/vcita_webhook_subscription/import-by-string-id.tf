# Terraform 1.5 and later: declare imports in the configuration, review them
# with `terraform plan`, and run `terraform apply`. The id takes the same
# forms as `terraform import`.

# By subscription id.
import {
  to = vcita_webhook_subscription.client_created
  id = "12345"
}

# By <event>,<target_url>.
import {
  to = vcita_webhook_subscription.scheduling["appointment/scheduled"]
  id = "appointment/scheduled,https://hooks.example.com/vcita/scheduling"
}

# By <business_id>:<id>, for a subscription of one business.
import {
  to = vcita_webhook_subscription.acme_payments
  id = "a1b2c3d4e5f6a7b8:12346"
}

# By <business_id>:<event>,<target_url>.
import {
  to = vcita_webhook_subscription.acme_invoices
  id = "a1b2c3d4e5f6a7b8:invoice/issued,https://hooks.example.com/vcita/acme/invoices"
}

# Terraform 1.7 and later: import the other instances of a for_each at once.
import {
  for_each = toset(["appointment/rescheduled", "appointment/cancelled"])
  to       = vcita_webhook_subscription.scheduling[each.key]
  id       = "${each.key},https://hooks.example.com/vcita/scheduling"
}
