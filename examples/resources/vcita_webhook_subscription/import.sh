# The id of a subscription is in the API's list: read it with the
# vcita_webhook_subscriptions data source. Quote the import ids: target URLs
# may hold characters (?, &, #) that the shell treats specially.

# 1. By subscription id.
terraform import vcita_webhook_subscription.client_created '12345'

# 2. By event and target URL, separated by the first comma. Any spelling of
#    the event works (appointment/scheduled or meeting/scheduled); the URL must
#    be exactly the subscribed one. Quote the address of a for_each instance.
terraform import 'vcita_webhook_subscription.scheduling["appointment/scheduled"]' 'appointment/scheduled,https://hooks.example.com/vcita/scheduling'

# 3. By subscription id, in one business (directory token): <business_id>:<id>.
#    The resource's business_id is set from the prefix.
terraform import vcita_webhook_subscription.acme_payments 'a1b2c3d4e5f6a7b8:12346'

# 4. By event and target URL, in one business: <business_id>:<event>,<target_url>.
terraform import vcita_webhook_subscription.acme_invoices 'a1b2c3d4e5f6a7b8:invoice/issued,https://hooks.example.com/vcita/acme/invoices'
