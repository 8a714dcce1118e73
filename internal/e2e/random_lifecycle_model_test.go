package e2e

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
	"github.com/vcita/terraform-provider-vcita/internal/tfconfig"
)

// The model of TestLifecycleRandomSteps: the configuration a step wants, as a
// small Go value, and the configuration text it renders to.

// The URLs, businesses and events the steps draw from: few of each, so that
// steps meet each other's subscriptions (adoption, hand-made subscriptions on
// managed URLs, a URL that changes hands).
var (
	lifecycleURLs = []string{
		"https://hooks.example.com/lc/a",
		"https://hooks.example.com/lc/b",
		"https://hooks.example.com/lc/c",
		"https://hooks.example.com/lc/d",
	}
	// "" is the token's own scope. Subscription resources stay in it; an
	// endpoint may be in either, and move between them.
	lifecycleBusinesses = []string{"", "acme"}
	lifecycleEvents     = []string{
		"client/created",
		"client/updated",
		"appointment/scheduled",
		"appointment/cancelled",
		"payment/paid",
		"invoice/issued",
	}
	// Another catalogue spelling of some events: the same subscription.
	lifecycleSpellings = map[string]string{
		"client/created":        "lead/created",
		"appointment/scheduled": "meeting/scheduled",
		"appointment/cancelled": "meeting/cancelled",
	}
)

// eventKey names an event up to its spellings.
func eventKey(event string) string {
	e, err := catalog.ParseEvent(event)
	if err != nil {
		return "malformed:" + event
	}
	return e.Key()
}

// lcPair is one subscription as the API identifies it: a business, an event
// up to its spellings and an exact URL.
type lcPair struct {
	business, url, key string
}

// lcScope is one URL of one business: what an endpoint owns.
type lcScope struct {
	business, url string
}

func (s lcScope) String() string {
	if s.business == "" {
		return s.url
	}
	return s.business + ":" + s.url
}

// lcEndpoint is one vcita_webhook_endpoint resource of the configuration.
type lcEndpoint struct {
	Name     string
	Business string
	URL      string
	Events   []string // as written
	CBD      bool     // lifecycle { create_before_destroy = true }
}

func (e lcEndpoint) address() string { return "vcita_webhook_endpoint." + e.Name }
func (e lcEndpoint) scope() lcScope  { return lcScope{e.Business, e.URL} }

// keys returns the endpoint's events up to their spellings.
func (e lcEndpoint) keys() map[string]bool {
	keys := map[string]bool{}
	for _, event := range e.Events {
		keys[eventKey(event)] = true
	}
	return keys
}

// lcSubscription is one vcita_webhook_subscription resource, in the token's
// own scope.
type lcSubscription struct {
	Name  string
	URL   string
	Event string
}

func (s lcSubscription) address() string { return "vcita_webhook_subscription." + s.Name }
func (s lcSubscription) pair() lcPair    { return lcPair{"", s.URL, eventKey(s.Event)} }

// lcConfig is the configuration one step applies.
type lcConfig struct {
	Endpoints     []lcEndpoint
	Subscriptions []lcSubscription
}

func (c lcConfig) clone() lcConfig {
	out := lcConfig{Endpoints: slices.Clone(c.Endpoints), Subscriptions: slices.Clone(c.Subscriptions)}
	for i := range out.Endpoints {
		out.Endpoints[i].Events = slices.Clone(out.Endpoints[i].Events)
	}
	return out
}

// wanted returns every subscription the configuration wants on vcita.
func (c lcConfig) wanted() map[lcPair]bool {
	wanted := map[lcPair]bool{}
	for _, e := range c.Endpoints {
		for key := range e.keys() {
			wanted[lcPair{e.Business, e.URL, key}] = true
		}
	}
	for _, s := range c.Subscriptions {
		wanted[s.pair()] = true
	}
	return wanted
}

// addresses returns the address of every resource of the configuration.
func (c lcConfig) addresses() []string {
	var out []string
	for _, e := range c.Endpoints {
		out = append(out, e.address())
	}
	for _, s := range c.Subscriptions {
		out = append(out, s.address())
	}
	slices.Sort(out)
	return out
}

// endpointOn returns the index of the endpoint that owns scope, or -1.
func (c lcConfig) endpointOn(scope lcScope) int {
	return slices.IndexFunc(c.Endpoints, func(e lcEndpoint) bool { return e.scope() == scope })
}

// hasSubscriptionsOn reports whether subscription resources manage url.
func (c lcConfig) hasSubscriptionsOn(url string) bool {
	return slices.ContainsFunc(c.Subscriptions, func(s lcSubscription) bool { return s.URL == url })
}

// free reports whether no resource of the configuration manages scope: an
// endpoint may take it without a conflict.
func (c lcConfig) free(scope lcScope) bool {
	return c.endpointOn(scope) < 0 && (scope.business != "" || !c.hasSubscriptionsOn(scope.url))
}

// render returns the configuration as Terraform reads it. Retries are kept
// to one, so that a fault fails the call it hits more often than not.
func (c lcConfig) render() string {
	var b strings.Builder
	b.WriteString(tfconfig.RequiredProviders)
	b.WriteString(`
provider "vcita" {
  max_retries = 1
}
`)
	for _, e := range c.Endpoints {
		var extra strings.Builder
		if e.Business != "" {
			fmt.Fprintf(&extra, "  business_id = %q\n", e.Business)
		}
		if e.CBD {
			extra.WriteString("\n  lifecycle {\n    create_before_destroy = true\n  }\n")
		}
		fmt.Fprintf(&b, `
resource "vcita_webhook_endpoint" %[1]q {
  target_url = %[2]q
  events     = %[3]s
%[4]s}
`, e.Name, e.URL, hclStrings(e.Events), extra.String())
	}
	for _, s := range c.Subscriptions {
		fmt.Fprintf(&b, `
resource "vcita_webhook_subscription" %[1]q {
  event      = %[2]q
  target_url = %[3]q
}
`, s.Name, s.Event, s.URL)
	}
	return b.String()
}

// String summarises the configuration on one line, for the step log.
func (c lcConfig) String() string {
	var parts []string
	for _, e := range c.Endpoints {
		cbd := ""
		if e.CBD {
			cbd = " cbd"
		}
		parts = append(parts, fmt.Sprintf("%s=%s%v%s", e.Name, lcScope{e.Business, e.URL}, e.Events, cbd))
	}
	for _, s := range c.Subscriptions {
		parts = append(parts, fmt.Sprintf("%s=%s[%s]", s.Name, s.URL, s.Event))
	}
	if len(parts) == 0 {
		return "(empty)"
	}
	return strings.Join(parts, " ")
}

// hclStrings renders a list of strings as an HCL tuple.
func hclStrings(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
