# Terraform 1.12 and later: name the endpoint by its identity instead of an
# import id string.

# By target URL, in the provider's business (or the token's own scope).
import {
  to       = vcita_webhook_endpoint.crm
  identity = { target_url = "https://hooks.example.com/vcita/crm" }
}

# By target URL in one business, with a directory token. The resource's
# business_id must be the same business.
import {
  to = vcita_webhook_endpoint.acme
  identity = {
    target_url  = "https://hooks.example.com/vcita/acme"
    business_id = "a1b2c3d4e5f6a7b8"
  }
}
