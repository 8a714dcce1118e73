# `make demo` ends by adopting the subscriptions someone made by hand for the
# legacy URL: `terraform query -generate-config-out=adopted.tf` writes a
# resource block and an import block for each (Terraform 1.14 and later).
list "vcita_webhook_subscription" "legacy" {
  provider = vcita

  config {
    target_url = "https://hooks.example.com/vcita/legacy"
  }
}
