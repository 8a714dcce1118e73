# Adopting a whole account as endpoints with a directory token: one list
# block per business, so that every target URL is listed exactly once, with
# all its events. Each block costs one list call, whatever its filters.
list "vcita_webhook_endpoint" "acme" {
  provider = vcita
  limit    = 1000

  config {
    business_id = "a1b2c3d4e5f6a7b8"
  }
}

list "vcita_webhook_endpoint" "globex" {
  provider = vcita
  limit    = 1000

  config {
    business_id = "f9e8d7c6b5a4f3e2"
  }
}
