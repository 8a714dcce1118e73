terraform {
  required_providers {
    vcita = {
      source  = "vcita/vcita"
      version = "~> 0.1"
    }
  }
}

# Keep the token out of the configuration: pass it as a sensitive variable
# (TF_VAR_vcita_api_token, a *.tfvars file kept out of version control, or
# your CI's secret store), or leave the variable unset and export
# VCITA_API_TOKEN instead.
variable "vcita_api_token" {
  description = "vcita API token (a staff token or a directory token)."
  type        = string
  sensitive   = true
  default     = null # null: the provider reads VCITA_API_TOKEN
}

provider "vcita" {
  token = var.vcita_api_token

  # A staff token acts for its own business: leave business_id unset.
  # A directory token acts at directory level unless it names a business:
  # set business_id (or VCITA_BUSINESS_ID) to send X-On-Behalf-Of with every
  # request, or set business_id on each resource and data source instead.
  # business_id = "a1b2c3d4e5f6a7b8"

  # The defaults, shown for reference:
  # base_url             = "https://api.vcita.biz"
  # max_retries          = 4
  # request_timeout      = "30s"
  # allow_unknown_events = false
}
