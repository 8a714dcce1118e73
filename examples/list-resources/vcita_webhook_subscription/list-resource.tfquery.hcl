# Terraform 1.14 and later: put list blocks in a file ending in .tfquery.hcl
# beside the configuration that holds the provider block, then run
# `terraform query` to see what exists, or
# `terraform query -generate-config-out=adopt.tf` to write a resource block and
# an import block for each result. Each result becomes one resource: when
# generating configuration, let no subscription match two list blocks (here
# "all" also lists what "new_clients_endpoint" lists).

# Every subscription in the provider's business (or the token's own scope).
list "vcita_webhook_subscription" "all" {
  provider = vcita
}

# The subscriptions of one business, with a directory token. The generated
# resource blocks set business_id = "a1b2c3d4e5f6a7b8".
list "vcita_webhook_subscription" "acme" {
  provider = vcita
  limit    = 500 # Terraform's default is 100 results per list block

  config {
    business_id = "a1b2c3d4e5f6a7b8"
  }
}

# The filters of the vcita_webhook_subscriptions data source: entity
# "appointment" also finds what the API lists as "meeting", and event_type
# "created" finds "create"; the target URL is compared exactly.
list "vcita_webhook_subscription" "new_clients_endpoint" {
  provider = vcita

  config {
    entity     = "client"
    event_type = "created"
    target_url = "https://hooks.example.com/vcita/clients"
  }
}
