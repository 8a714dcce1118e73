package provider

import (
	"errors"
	"fmt"
	"strings"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

// importID is a parsed import identifier. Exactly one of ID and the pair
// (Event, TargetURL) is set.
type importID struct {
	BusinessID string
	ID         string
	Event      string
	TargetURL  string
	// ByIdentity is true when an import block's identity named the
	// subscription, rather than an import id: advice then speaks of the
	// identity's attributes.
	ByIdentity bool
}

// importIDForms is shown whenever an import identifier cannot be read.
const importIDForms = "Use one of: the numeric subscription id (12345); <event>,<target_url> (client/created,https://example.com/hook); " +
	"or either of those prefixed with <business_id>: to act for one business (biz123:12345, biz123:client/created,https://example.com/hook)."

// invalidImportIDDetail is the detail of the diagnostic for an identifier
// parseImportID (or, with endpointImportIDForms, parseEndpointImportID)
// refused with err; forms lists what is accepted.
func invalidImportIDDetail(raw string, err error, forms string) string {
	return fmt.Sprintf("Cannot import %q: %s. %s", raw, err, forms)
}

// parseImportID reads the identifiers `terraform import` and import blocks
// accept. The target URL comes after the first comma, so URLs with commas
// of their own survive; the business id ends at the first colon before that
// comma (events never contain a colon). It normalises what cannot change
// which subscription is meant: the leading zeros of an id, and the case of
// an event the catalogue knows in lower case (Client/Created). Its errors
// read as the reason after "Cannot import <identifier>: ".
func parseImportID(raw string) (importID, error) {
	if raw == "" {
		return importID{}, errors.New("the identifier is empty")
	}
	head, targetURL, hasPair := strings.Cut(raw, ",")
	var id importID
	if business, rest, scoped := strings.Cut(head, ":"); scoped {
		if business == "" {
			return importID{}, errors.New("it has an empty business id before the colon")
		}
		id.BusinessID, head = business, rest
	}
	if !hasPair {
		if !isSubscriptionID(head) {
			return importID{}, errors.New("it is neither a numeric subscription id nor an <event>,<target_url> pair")
		}
		id.ID = withoutLeadingZeros(head)
		return id, nil
	}
	if _, err := catalog.ParseEvent(head); err != nil {
		return importID{}, err
	}
	if err := checkTargetURL(targetURL); err != nil {
		return importID{}, fmt.Errorf("its target URL %w", err)
	}
	id.Event, id.TargetURL = eventInKnownCase(head), targetURL
	return id, nil
}

func isSubscriptionID(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// withoutLeadingZeros turns 0091 into 91, as the API lists it: its ids are
// numbers.
func withoutLeadingZeros(id string) string {
	if trimmed := strings.TrimLeft(id, "0"); trimmed != "" {
		return trimmed
	}
	return "0"
}

// eventInKnownCase lowers the case of an event the catalogue knows only in
// lower case (Client/Created is client/created); any other event is kept as
// written, since the catalogue cannot vouch for another spelling of it.
func eventInKnownCase(event string) string {
	lowered := strings.ToLower(event)
	if _, known := catalog.CatalogueSpelling(event); known {
		return event
	}
	if _, known := catalog.CatalogueSpelling(lowered); known {
		return lowered
	}
	return event
}

// importNotFoundDetail says what an import looked for, where, and what to
// try when the list of that scope does not have it. business is where it
// looked ("" for the token's own scope); providerBusiness is the provider's
// business_id. subs is that list, for a URL that differs from a listed one
// only in case or a trailing slash. The API lists one scope per call, so
// another business that may hold the subscription cannot be named.
func importNotFoundDetail(id importID, business, providerBusiness string, subs []vcita.Subscription) string {
	what := fmt.Sprintf("No subscription with id %s", id.ID)
	if id.ID == "" {
		what = fmt.Sprintf("No subscription of %s to %s, or to another spelling of that event,", vcita.RedactedURL(id.TargetURL), id.Event)
	}
	var where, hint string
	switch {
	case id.BusinessID != "" && id.ByIdentity:
		where = fmt.Sprintf("in business %q (the identity's business_id)", business)
		hint = fmt.Sprintf("Check the identity and the business: the vcita_webhook_subscriptions data source with business_id = %q lists that business's subscriptions with their ids.", business)
	case id.BusinessID != "":
		where = fmt.Sprintf("in business %q (the <business_id>: prefix of the identifier)", business)
		hint = fmt.Sprintf("Check the identifier and the business: the vcita_webhook_subscriptions data source with business_id = %q lists that business's subscriptions with their ids.", business)
	case business != "":
		where = fmt.Sprintf("in business %q (the provider's business_id, or VCITA_BUSINESS_ID)", business)
	case id.ByIdentity:
		where = "in the token's own scope (the identity has no business_id, and the provider has none)"
	default:
		where = "in the token's own scope (the identifier has no <business_id>: prefix, and the provider has no business_id)"
	}
	if id.BusinessID == "" && id.ByIdentity {
		other := "a business"
		if providerBusiness != "" {
			other = "another business"
		}
		hint = fmt.Sprintf("If it belongs to %s, set business_id in the import block's identity to that business's id. "+
			"The vcita_webhook_subscriptions data source, with business_id, lists a business's subscriptions with their ids.", other)
	} else if id.BusinessID == "" {
		unscoped := id.ID
		if unscoped == "" {
			unscoped = id.Event + "," + vcita.RedactedURL(id.TargetURL)
		}
		other := "a business"
		if providerBusiness != "" {
			other = "another business"
		}
		hint = fmt.Sprintf("If it belongs to %s, import it with that business's id in front: '<business_id>:%s'. "+
			"The vcita_webhook_subscriptions data source, with business_id, lists a business's subscriptions with their ids.", other, unscoped)
	}
	detail := fmt.Sprintf("%s is listed %s. %s", what, where, hint)
	if near, ok := nearlyTheSameURL(subs, id); ok {
		detail += fmt.Sprintf(" The API does list %s for that event, which differs only in case or a trailing slash: it compares URLs exactly, so import it with exactly that URL.", vcita.RedactedURL(near))
	}
	return detail
}

// nearlyTheSameURL finds a listed subscription of the pair's event whose
// URL differs from the pair's only in case or a trailing slash.
func nearlyTheSameURL(subs []vcita.Subscription, id importID) (string, bool) {
	if id.ID != "" {
		return "", false
	}
	return listedURLNear(subs, id.TargetURL, id.Event)
}

// listedURLNear finds a listed URL, of a subscription to event (any event
// when ""), that differs from targetURL only in case or a trailing slash:
// the API compares URLs exactly, so an import of the one does not find the
// other.
func listedURLNear(subs []vcita.Subscription, targetURL, event string) (string, bool) {
	want := strings.TrimRight(targetURL, "/")
	for _, s := range subs {
		if s.TargetURL != targetURL && (event == "" || catalog.Equivalent(s.Event(), event)) && strings.EqualFold(strings.TrimRight(s.TargetURL, "/"), want) {
			return s.TargetURL, true
		}
	}
	return "", false
}

// endpointImportIDForms is shown whenever an endpoint's import identifier
// cannot be read.
const endpointImportIDForms = "Use the target URL (https://example.com/hook), or the target URL prefixed with <business_id>: " +
	"to act for one business (biz123:https://example.com/hook)."

// parseEndpointImportID reads the import identifier of a webhook endpoint,
// [<business_id>:]<target_url>. A target URL starts with http:// or
// https://, so a colon before that ends the business id. The scheme is
// matched in any case, so that checkTargetURL judges such a URL whole. Its
// errors read as the reason after "Cannot import <identifier>: ".
func parseEndpointImportID(raw string) (business, targetURL string, err error) {
	if raw == "" {
		return "", "", errors.New("the identifier is empty")
	}
	targetURL = raw
	if lower := strings.ToLower(raw); !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") {
		var scoped bool
		business, targetURL, scoped = strings.Cut(raw, ":")
		if !scoped || business == "" {
			return "", "", errors.New("it is neither a target URL nor <business_id>:<target_url>")
		}
	}
	if err := checkTargetURL(targetURL); err != nil {
		return "", "", fmt.Errorf("the target URL %w", err)
	}
	return business, targetURL, nil
}
