variable "target_url" {
  description = "The URL that receives every event's webhook calls. Sent exactly as written: the API compares URLs as strings."
  type        = string

  validation {
    condition     = can(regex("^https?://[^/\\s]+", var.target_url))
    error_message = "target_url must be an absolute http or https URL."
  }
}

variable "events" {
  description = "The events to subscribe target_url to, as entity/event_type (see the vcita_webhook_events data source)."
  type        = set(string)

  validation {
    condition     = length(var.events) > 0
    error_message = "events must name at least one event."
  }
}

variable "business_id" {
  description = "Business UID to act for with a directory token; null uses the provider's business_id."
  type        = string
  default     = null
}
