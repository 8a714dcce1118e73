# Terraform 1.5 and later: declare imports in the configuration, review them
# with `terraform plan`, and run `terraform apply`.
import {
  to = vcita_webhook_endpoint.crm
  id = "https://hooks.example.com/vcita/crm"
}

import {
  to = vcita_webhook_endpoint.acme
  id = "a1b2c3d4e5f6a7b8:https://hooks.example.com/vcita/acme"
}

# Terraform 1.7 and later: every endpoint of a for_each at once.
import {
  for_each = local.endpoints
  to       = vcita_webhook_endpoint.this[each.key]
  id       = each.key
}
