# An endpoint is imported by its target URL: every subscription of that URL
# comes under the resource. Quote the import ids: target URLs may hold
# characters (?, &, #) that the shell treats specially.

# 1. By target URL, in the provider's business (or the token's own scope).
terraform import vcita_webhook_endpoint.crm 'https://hooks.example.com/vcita/crm'

# 2. In one business (directory token): <business_id>:<target_url>. The
#    resource's business_id is set from the prefix.
terraform import vcita_webhook_endpoint.acme 'a1b2c3d4e5f6a7b8:https://hooks.example.com/vcita/acme'

# 3. An instance of a for_each: quote the address too.
terraform import 'vcita_webhook_endpoint.this["https://hooks.example.com/vcita/billing"]' 'https://hooks.example.com/vcita/billing'
