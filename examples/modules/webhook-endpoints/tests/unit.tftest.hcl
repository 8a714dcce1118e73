# Unit tests: mock_provider (Terraform 1.7+, OpenTofu 1.8+) answers instead
# of vcita. No stub, no token, no network: they run on every commit.

mock_provider "vcita" {
  # Without these, computed attributes get random strings; give them values
  # shaped like the API's, so that assertions on them mean something.
  mock_resource "vcita_webhook_endpoint" {
    defaults = {
      id = "biz-1:https://hooks.example.com/vcita/crm"
      subscription_ids = {
        "client/created" = "1001"
      }
    }
  }
}

variables {
  endpoints = {
    "biz-1" = {
      target_url = "https://hooks.example.com/vcita/crm"
      events     = ["client/created"]
    }
  }
}

run "plans_an_endpoint_per_business" {
  command = plan

  assert {
    condition     = vcita_webhook_endpoint.this["biz-1"].business_id == "biz-1"
    error_message = "The map's key is the endpoint's business."
  }

  assert {
    condition     = vcita_webhook_endpoint.this["biz-1"].events == toset(["client/created"])
    error_message = "The endpoint receives the configured events."
  }
}

run "outputs_the_ids" {
  assert {
    condition     = output.subscription_ids["biz-1"]["client/created"] == "1001"
    error_message = "The output holds each event's subscription id."
  }

  assert {
    condition     = output.endpoint_ids == { "biz-1" = "biz-1:https://hooks.example.com/vcita/crm" }
    error_message = "The output holds each business's endpoint id."
  }
}

run "refuses_a_plain_http_url" {
  command = plan

  variables {
    endpoints = {
      "biz-1" = {
        target_url = "http://hooks.example.com/vcita/crm"
        events     = ["client/created"]
      }
    }
  }

  expect_failures = [var.endpoints]
}
