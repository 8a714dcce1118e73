package provider

import (
	"fmt"
	"strings"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
)

// importID is a parsed import identifier. Exactly one of ID and the pair
// (Event, TargetURL) is set.
type importID struct {
	BusinessID string
	ID         string
	Event      string
	TargetURL  string
}

// importIDForms is shown whenever an import identifier cannot be read.
const importIDForms = "Use one of: the numeric subscription id (12345); <event>,<target_url> (client/created,https://example.com/hook); " +
	"or either of those prefixed with <business_id>: to act for one business (biz123:12345, biz123:client/created,https://example.com/hook)."

// parseImportID reads the identifiers `terraform import` and import blocks
// accept. The target URL comes after the first comma, so URLs with commas
// of their own survive; the business id ends at the first colon before that
// comma (events never contain a colon).
func parseImportID(raw string) (importID, error) {
	if raw == "" {
		return importID{}, fmt.Errorf("the import identifier is empty. %s", importIDForms)
	}
	head, targetURL, hasPair := strings.Cut(raw, ",")
	var id importID
	if business, rest, scoped := strings.Cut(head, ":"); scoped {
		if business == "" {
			return importID{}, fmt.Errorf("%q has an empty business id before the colon. %s", raw, importIDForms)
		}
		id.BusinessID, head = business, rest
	}
	if !hasPair {
		if !isSubscriptionID(head) {
			return importID{}, fmt.Errorf("%q is neither a numeric subscription id nor <event>,<target_url>. %s", raw, importIDForms)
		}
		id.ID = head
		return id, nil
	}
	if _, err := catalog.ParseEvent(head); err != nil {
		return importID{}, fmt.Errorf("in %q, %w. %s", raw, err, importIDForms)
	}
	if err := checkTargetURL(targetURL); err != nil {
		return importID{}, fmt.Errorf("in %q, the target URL %w. %s", raw, err, importIDForms)
	}
	id.Event, id.TargetURL = head, targetURL
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

// endpointImportIDForms is shown whenever an endpoint's import identifier
// cannot be read.
const endpointImportIDForms = "Use the target URL (https://example.com/hook), or the target URL prefixed with <business_id>: " +
	"to act for one business (biz123:https://example.com/hook)."

// parseEndpointImportID reads the import identifier of a webhook endpoint,
// [<business_id>:]<target_url>. A target URL starts with http:// or
// https://, so a colon before that ends the business id. The scheme is
// matched in any case, so that checkTargetURL judges such a URL whole.
func parseEndpointImportID(raw string) (business, targetURL string, err error) {
	if raw == "" {
		return "", "", fmt.Errorf("the import identifier is empty. %s", endpointImportIDForms)
	}
	targetURL = raw
	if lower := strings.ToLower(raw); !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") {
		var scoped bool
		business, targetURL, scoped = strings.Cut(raw, ":")
		if !scoped || business == "" {
			return "", "", fmt.Errorf("%q is neither a target URL nor <business_id>:<target_url>. %s", raw, endpointImportIDForms)
		}
	}
	if err := checkTargetURL(targetURL); err != nil {
		return "", "", fmt.Errorf("in %q, the target URL %w. %s", raw, err, endpointImportIDForms)
	}
	return business, targetURL, nil
}
