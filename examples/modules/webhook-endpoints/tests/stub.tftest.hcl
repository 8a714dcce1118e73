# Runs against vcita-stub: start it, then point the provider at it with
# VCITA_BASE_URL and VCITA_API_TOKEN (see the "Testing modules" guide).
# Each run applies; the test destroys everything at the end.

variables {
  endpoints = {
    "biz-north" = {
      target_url = "https://hooks.example.com/vcita/north"
      events     = ["client/created", "appointment/scheduled"]
    }
    "biz-south" = {
      target_url = "https://hooks.example.com/vcita/south"
      events     = ["invoice/issued"]
    }
  }
}

run "creates_one_endpoint_per_business" {
  assert {
    condition     = length(vcita_webhook_endpoint.this) == 2
    error_message = "Expected one endpoint per business."
  }

  assert {
    condition     = output.endpoint_ids["biz-north"] == "biz-north:https://hooks.example.com/vcita/north"
    error_message = "The endpoint id is the business id and the target URL: ${output.endpoint_ids["biz-north"]}"
  }

  # subscription_ids is keyed by each event's canonical spelling:
  # appointment/scheduled is meeting/scheduled (provider::vcita::canonical_event
  # gives the key of any spelling on Terraform 1.8+ and OpenTofu 1.7+).
  assert {
    condition     = toset(keys(output.subscription_ids["biz-north"])) == toset(["meeting/scheduled", "client/created"])
    error_message = "Every event of biz-north has a subscription id, keyed by its canonical spelling."
  }

  assert {
    condition     = alltrue([for id in values(output.subscription_ids["biz-north"]) : can(regex("^[0-9]+$", id))])
    error_message = "Subscription ids are the API's numeric ids."
  }
}

run "changes_the_events_in_place" {
  variables {
    endpoints = {
      "biz-north" = {
        target_url = "https://hooks.example.com/vcita/north"
        events     = ["client/created", "client/updated"]
      }
      "biz-south" = {
        target_url = "https://hooks.example.com/vcita/south"
        events     = ["invoice/issued"]
      }
    }
  }

  assert {
    condition     = toset(keys(vcita_webhook_endpoint.this["biz-north"].subscription_ids)) == toset(["client/created", "client/updated"])
    error_message = "biz-north now receives client/created and client/updated."
  }

  # That the change was made in place (client/updated subscribed and
  # appointment/scheduled unsubscribed, client/created left alone) is in the
  # stub's journal: the CI workflow reads it from GET /_stub/requests.
}
