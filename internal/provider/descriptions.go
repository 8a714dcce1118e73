package provider

// Descriptions of attributes that more than one schema carries. Every schema
// text is written once, as MarkdownDescription: the framework sends it to
// Terraform as the description (of kind markdown), which is what
// `terraform providers schema -json`, editors and tfplugindocs show.

const (
	// eventFormatDescription says what an event attribute, or each element
	// of a set of events, accepts and how it is checked (eventFormatValidator
	// at validate time, eventCatalogueDiagnostics at plan time).
	eventFormatDescription = "as `entity/event_type` (for example `client/created` or `appointment/scheduled`), one of the events of the vcita API's catalogue " +
		"(see the `vcita_webhook_events` data source); another event is an error at plan time unless the provider's `allow_unknown_events` is `true`."

	// eventSpellingsDescription says how an event attribute treats equivalent
	// spellings (eventType's semantic equality and keepEquivalentEvent).
	eventSpellingsDescription = "Spellings that name the same event (an alias entity such as `lead` for `client`; `create` and `created`) are equal: " +
		"any of them is accepted, including the form the API lists (`client/create`, as the `vcita_webhook_subscriptions` data source reports it), " +
		"and the API is sent the catalogue's spelling (`client/created`). Switching between them causes no change, and the state keeps the spelling " +
		"first applied (an import by id records the catalogue spelling of what the API lists)."

	// targetURLDescription describes the target_url of a managed resource
	// (targetURLValidator).
	targetURLDescription = "The absolute `http` or `https` URL that receives the webhook calls. Sent and stored exactly as written: the API compares URLs as strings, " +
		"so a trailing slash or a change of case makes another subscription. The scheme must be written in lower case (`https://`, not `HTTPS://`)."

	// listBusinessIDDescription describes the business_id of something that
	// only lists (a data source or a list resource).
	listBusinessIDDescription = "Business UID to list for (sent as `X-On-Behalf-Of`), overriding the provider's `business_id`."

	// How the entity and event_type filters match (subscriptionFilter).
	entityMatchDescription    = "Aliases match their canonical entity: `appointment` finds what the API lists as `meeting`. An entity outside the catalogue (a typo, a wrong case) is a warning with the nearest entities."
	eventTypeMatchDescription = "Verb forms match: `created` finds what the API lists as `create`. An event type outside the catalogue, or one the catalogue has no event of with `entity`, is a warning."
	targetURLMatchDescription = "(compared as a string, as the API does)."
)

// filterDescriptions describe the filters of something that lists
// subscriptions, which all apply subscriptionFilter.
type filterDescriptions struct {
	entity, eventType, targetURL string
}

var (
	// subscriptionFilters select subscriptions: the vcita_webhook_subscriptions
	// data source and the vcita_webhook_subscription list resource.
	subscriptionFilters = filterDescriptions{
		entity:    "Only subscriptions of this entity. " + entityMatchDescription,
		eventType: "Only subscriptions of this event type. " + eventTypeMatchDescription,
		targetURL: "Only subscriptions of exactly this target URL " + targetURLMatchDescription,
	}
	// endpointFilters select target URLs (the vcita_webhook_endpoint list
	// resource): those with a matching subscription, each listed whole.
	endpointFilters = filterDescriptions{
		entity: "Only target URLs with at least one subscription of this entity; each result still holds every event of its URL, since an endpoint owns them all. " +
			entityMatchDescription,
		eventType: "Only target URLs with at least one subscription of this event type; each result still holds every event of its URL. " +
			eventTypeMatchDescription,
		targetURL: "Only the endpoint of exactly this target URL " + targetURLMatchDescription,
	}
)

// managedBusinessIDDescription describes the business_id of a managed
// resource that records the business it was made in (see
// planInheritedBusiness); object names what the resource manages, "the
// subscription".
func managedBusinessIDDescription(object string) string {
	return "Business UID to act for (sent as `X-On-Behalf-Of`), overriding the provider's `business_id`, so that one directory token " +
		"can manage subscriptions of many businesses. When unset, the provider's `business_id` (or `VCITA_BUSINESS_ID`) is used and recorded, " +
		"so that " + object + " is always read and deleted in the business it was made in. Changing it, or the provider's `business_id` " +
		"it follows, forces replacement."
}
