# Terraform 1.14 and later: put list blocks in a file ending in .tfquery.hcl
# beside the configuration that holds the provider block, then run
# `terraform query` to see what exists, or
# `terraform query -generate-config-out=adopt.tf` to write a resource block and
# an import block for each result. Each result is one target URL with every
# event subscribed on it, and becomes one vcita_webhook_endpoint: when
# generating configuration, let no URL match two list blocks (here "all" also
# lists what "crm" and "invoicing" list).

# Every target URL in the provider's business (or the token's own scope).
list "vcita_webhook_endpoint" "all" {
  provider = vcita
}

# The target URLs of one business, with a directory token. The generated
# resource blocks set business_id = "a1b2c3d4e5f6a7b8".
list "vcita_webhook_endpoint" "acme" {
  provider = vcita
  limit    = 500 # Terraform's default is 100 results per list block

  config {
    business_id = "a1b2c3d4e5f6a7b8"
  }
}

# One URL, exactly as subscribed.
list "vcita_webhook_endpoint" "crm" {
  provider = vcita

  config {
    target_url = "https://hooks.example.com/vcita/crm"
  }
}

# The URLs that receive at least one invoice event: each comes with all its
# events, invoice or not, since the endpoint owns every subscription of its
# URL.
list "vcita_webhook_endpoint" "invoicing" {
  provider = vcita

  config {
    entity = "invoice"
  }
}
