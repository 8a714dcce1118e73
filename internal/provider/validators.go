package provider

import (
	"context"
	"fmt"
	"math/big"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

// The string validators of this file check one value on its own, at
// validate time, so any attribute that holds such a value uses them: a
// single attribute directly, each element of a set or list through
// setvalidator.ValueStringsAre or listvalidator.ValueStringsAre. Checks that
// need the configured provider (is the event in the catalogue?) cannot be
// validators; see eventCatalogueDiagnostics.

// eventFormatValidator checks that an event is of the entity/event_type form.
// Whether the catalogue knows it is checked at plan time, where the provider's
// allow_unknown_events is known (see eventCatalogueDiagnostics).
type eventFormatValidator struct{}

var _ validator.String = eventFormatValidator{}

func (eventFormatValidator) Description(context.Context) string {
	return "must be of the form entity/event_type, for example client/created"
}

func (v eventFormatValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (eventFormatValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := catalog.ParseEvent(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Event Format",
			fmt.Sprintf("%s: %s. Events name an entity and an event type separated by a slash.", attributeText(req.Path), err))
	}
}

// attributeText names the attribute at p in a diagnostic's detail. An
// element of a set is named by its set (events), never by its path
// (events[Value("client/créé")]): the message quotes the element itself.
func attributeText(p path.Path) string {
	if last, _ := p.Steps().LastStep(); last != nil {
		if _, inSet := last.(path.PathStepElementKeyValue); inSet {
			return p.ParentPath().String()
		}
	}
	return p.String()
}

// atLeastOneEventValidator refuses an empty set of events: an endpoint of
// no event would be no subscription at all.
type atLeastOneEventValidator struct{}

var _ validator.Set = atLeastOneEventValidator{}

func (atLeastOneEventValidator) Description(context.Context) string {
	return "must hold at least one event"
}

func (v atLeastOneEventValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (atLeastOneEventValidator) ValidateSet(_ context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || len(req.ConfigValue.Elements()) > 0 {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "No Webhook Event",
		fmt.Sprintf("%s is empty: an endpoint needs at least one event. "+
			"To remove every subscription of the URL, remove the resource from the configuration (or run terraform destroy for it).", req.Path))
}

// targetURLValidator checks that a target URL is an absolute http(s) URL
// with a host. It does not normalise anything: the API compares URLs as
// strings, so the URL is sent and stored exactly as written.
type targetURLValidator struct{}

var _ validator.String = targetURLValidator{}

func (targetURLValidator) Description(context.Context) string {
	return "must be an absolute http or https URL with a host"
}

func (v targetURLValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (targetURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := checkTargetURL(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Target URL", fmt.Sprintf("%s %s.", req.Path, err))
	}
}

// checkTargetURL is the check of targetURLValidator, for a target URL read
// from elsewhere (an import identifier).
//
// Its errors show the URL's password and query values as *** (see
// vcita.RedactedURL).
func checkTargetURL(raw string) error {
	shown := vcita.RedactedURL(raw)
	if strings.TrimSpace(raw) != raw || strings.ContainsAny(raw, " \t\r\n") {
		return fmt.Errorf("%q must not contain white space", shown)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a URL", shown)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q must be an absolute URL starting with https:// (or http://)", shown)
	}
	if !strings.HasPrefix(raw, u.Scheme+":") {
		// url.Parse lowers the scheme; the API does not, so HTTPS://h/p
		// would be stored and compared as written, and never match https://h/p.
		return fmt.Errorf("%q must start with %s:// in lower case: the API compares target URLs literally, scheme included", shown, u.Scheme)
	}
	if u.Host == "" || u.Hostname() == "" {
		return fmt.Errorf("%q has no host", shown)
	}
	return nil
}

// durationValidator checks a duration attribute at validate time.
type durationValidator struct{}

var _ validator.String = durationValidator{}

func (durationValidator) Description(context.Context) string {
	return "must be a positive duration such as 30s or 2m"
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := parsePositiveDuration(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Duration", fmt.Sprintf("%s %s.", req.Path, err))
	}
}

// parsePositiveDuration is the check of durationValidator, for a duration
// read from elsewhere (the environment).
func parsePositiveDuration(raw string) (time.Duration, error) {
	d, err := time.ParseDuration(raw)
	if err != nil {
		return 0, fmt.Errorf("must be a duration such as 30s or 2m, got %q", raw)
	}
	if d <= 0 {
		return 0, fmt.Errorf("must be longer than zero, got %q", raw)
	}
	return d, nil
}

// retriesValidator checks max_retries at validate time: a whole number from
// 0 to maxRetriesLimit. max_retries is a Number rather than an Int64 because
// an Int64 attribute given a fraction (1.5) fails before any validator runs,
// with the framework's conversion error, which prints a Go value
// ("%!s(*big.Float=1.5)") and blames the provider.
type retriesValidator struct{}

var _ validator.Number = retriesValidator{}

func (retriesValidator) Description(context.Context) string {
	return fmt.Sprintf("must be a whole number from 0 to %d", maxRetriesLimit)
}

func (v retriesValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (retriesValidator) ValidateNumber(_ context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := wholeRetries(req.ConfigValue.ValueBigFloat()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Max Retries", fmt.Sprintf("%s %s.", req.Path, err))
	}
}

// wholeRetries is the check of retriesValidator, which the provider's
// Configure repeats when it reads the value.
func wholeRetries(n *big.Float) (int, error) {
	if n == nil {
		return 0, retriesRangeError("no value")
	}
	if !n.IsInt() || n.Sign() < 0 || n.Cmp(big.NewFloat(maxRetriesLimit)) > 0 {
		return 0, retriesRangeError(n.Text('g', -1))
	}
	retries, _ := n.Int64()
	return int(retries), nil
}

// retriesRangeError says which values max_retries (or VCITA_MAX_RETRIES)
// takes; got is the value given.
func retriesRangeError(got string) error {
	return fmt.Errorf("must be a whole number from 0 to %d, got %s", maxRetriesLimit, got)
}

// distinctEventsValidator checks that no two elements of a set of events
// name the same event (lead/created and client/created): the API has one
// subscription for both, so the set could never match what it lists. Each
// element's format is checked by eventFormatValidator.
type distinctEventsValidator struct{}

var _ validator.Set = distinctEventsValidator{}

func (distinctEventsValidator) Description(context.Context) string {
	return "no two events may name the same event in different spellings"
}

func (v distinctEventsValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (distinctEventsValidator) ValidateSet(_ context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	var events []string
	for _, element := range req.ConfigValue.Elements() {
		if s, ok := element.(types.String); ok && !s.IsNull() && !s.IsUnknown() {
			events = append(events, s.ValueString())
		}
	}
	sort.Strings(events)
	var keys []string
	spellings := map[string][]string{}
	for _, event := range events {
		parsed, err := catalog.ParseEvent(event)
		if err != nil {
			continue
		}
		if _, seen := spellings[parsed.Key()]; !seen {
			keys = append(keys, parsed.Key())
		}
		spellings[parsed.Key()] = append(spellings[parsed.Key()], event)
	}
	// One error for each event spelt more than once, with every spelling.
	for _, key := range keys {
		if same := spellings[key]; len(same) > 1 {
			resp.Diagnostics.AddAttributeError(req.Path, "Duplicate Webhook Event",
				fmt.Sprintf("%s holds %s, %s spellings of one event: the API has a single subscription for all of them. Keep one.",
					req.Path, quotedList(same), countWord(len(same))))
		}
	}
}

// quotedList quotes each item and joins them as a sentence does: "a", "b"
// and "c".
func quotedList(items []string) string {
	quoted := make([]string, len(items))
	for i, item := range items {
		quoted[i] = strconv.Quote(item)
	}
	if len(quoted) < 2 {
		return strings.Join(quoted, "")
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " and " + quoted[len(quoted)-1]
}

// countWord spells a small count as a word.
func countWord(n int) string {
	if words := []string{"no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}; n < len(words) {
		return words[n]
	}
	return strconv.Itoa(n)
}
