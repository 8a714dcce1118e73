package provider

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

// Environment variables read when an attribute is not set in the block.
const (
	envToken              = "VCITA_API_TOKEN"
	envBaseURL            = "VCITA_BASE_URL"
	envBusinessID         = "VCITA_BUSINESS_ID"
	envAllowUnknownEvents = "VCITA_ALLOW_UNKNOWN_EVENTS"
	envMaxRetries         = "VCITA_MAX_RETRIES"
	envRequestTimeout     = "VCITA_REQUEST_TIMEOUT"
)

// apiPathPrefix is the path the client puts before every API call; a
// base_url must not hold it too.
const apiPathPrefix = "/platform/v1"

// maxRetriesLimit is the most retries max_retries (or VCITA_MAX_RETRIES) may
// ask for. Time bounds them too: one call retries for at most
// vcita.DefaultMaxElapsed, which alone bounds the retries of throttling.
const maxRetriesLimit = 20

// settings is the provider configuration after defaults and environment
// variables are applied.
type settings struct {
	token              string
	baseURL            string
	businessID         string
	allowUnknownEvents bool
	maxRetries         int
	requestTimeout     time.Duration
}

func lookupEnv(name string) string { return os.Getenv(name) }

// resolveSettings applies the rule "the block wins over the environment, the
// environment over the default" and checks every value. It reads the
// environment only through getenv, so tests need not touch the process's.
func resolveSettings(config providerModel, getenv func(string) string) (settings, diag.Diagnostics) {
	var diags diag.Diagnostics
	s := settings{
		token:              strings.TrimSpace(stringSetting(config.Token, getenv(envToken))),
		baseURL:            stringSetting(config.BaseURL, getenv(envBaseURL)),
		businessID:         stringSetting(config.BusinessID, getenv(envBusinessID)),
		maxRetries:         vcita.DefaultMaxRetries,
		requestTimeout:     vcita.DefaultRequestTimeout,
		allowUnknownEvents: config.AllowUnknownEvents.ValueBool(),
	}
	if config.AllowUnknownEvents.IsNull() {
		if raw := getenv(envAllowUnknownEvents); raw != "" {
			allow, err := strconv.ParseBool(raw)
			if err != nil {
				diags.AddAttributeError(path.Root("allow_unknown_events"), "Invalid Environment Variable",
					fmt.Sprintf("%s must be true or false, got %q.", envAllowUnknownEvents, raw))
			}
			s.allowUnknownEvents = allow
		}
	}

	if !config.MaxRetries.IsNull() && !config.MaxRetries.IsUnknown() {
		retries, err := wholeRetries(config.MaxRetries.ValueBigFloat())
		if err != nil {
			diags.AddAttributeError(path.Root("max_retries"), "Invalid Max Retries", fmt.Sprintf("max_retries %s.", err))
		}
		s.maxRetries = retries
	} else if raw := getenv(envMaxRetries); raw != "" {
		retries, err := strconv.Atoi(raw)
		if err != nil || retries < 0 || retries > maxRetriesLimit {
			diags.AddAttributeError(path.Root("max_retries"), "Invalid Environment Variable",
				fmt.Sprintf("%s %s.", envMaxRetries, retriesRangeError(strconv.Quote(raw))))
		}
		s.maxRetries = retries
	}

	if raw := stringSetting(config.RequestTimeout, getenv(envRequestTimeout)); raw != "" {
		timeout, err := parsePositiveDuration(raw)
		if err != nil {
			diags.AddAttributeError(path.Root("request_timeout"), "Invalid Request Timeout",
				fmt.Sprintf("request_timeout (or %s) %s.", envRequestTimeout, err))
		}
		s.requestTimeout = timeout
	}

	if config.hasUnknownValues() {
		return s, diags // checked in a later run, once they are known
	}

	if s.token == "" {
		diags.Append(missingTokenDiagnostic(config.Token, getenv(envToken) != ""))
	}
	if s.baseURL == "" {
		s.baseURL = vcita.DefaultBaseURL
	}
	if err := checkBaseURL(s.baseURL); err != nil {
		diags.AddAttributeError(path.Root("base_url"), "Invalid Base URL",
			fmt.Sprintf("base_url (or %s) is %s: %s.", envBaseURL, quoteBaseURL(s.baseURL), err))
	}
	return s, diags
}

// missingTokenDiagnostic explains why there is no token. A token set in
// the block, even to "", wins over VCITA_API_TOKEN, so an empty one (say, a
// variable that defaults to "") hides the environment's: say so.
func missingTokenDiagnostic(configured types.String, inEnvironment bool) diag.Diagnostic {
	if configured.IsNull() {
		return diag.NewAttributeErrorDiagnostic(path.Root("token"), "Missing vcita API Token",
			fmt.Sprintf("The provider needs an API token to call the vcita API. Set the token attribute in the provider block, or the %s environment variable. Staff tokens and directory tokens both work.", envToken))
	}
	ignored := fmt.Sprintf("so %s is not read", envToken)
	if inEnvironment {
		ignored = fmt.Sprintf("so %s is ignored although it is set", envToken)
	}
	return diag.NewAttributeErrorDiagnostic(path.Root("token"), "Empty vcita API Token",
		fmt.Sprintf("The token attribute in the provider block is empty. An attribute set in the block wins over its environment variable, even when empty, %s. "+
			"Set token to the API token, or leave it out of the block (or null, for instance from a variable whose default is null) to use %s.", ignored, envToken))
}

// hasUnknownValues reports whether a value needed to reach the API is not
// known yet (a token produced by another resource). Configure then hands out
// a providerData without a client, which is how resources see that state.
func (m providerModel) hasUnknownValues() bool {
	for _, value := range []interface{ IsUnknown() bool }{m.Token, m.BaseURL, m.BusinessID, m.MaxRetries, m.RequestTimeout} {
		if value.IsUnknown() {
			return true
		}
	}
	return false
}

// stringSetting returns the configured value, else the environment's.
func stringSetting(configured types.String, fromEnv string) string {
	if configured.IsNull() || configured.IsUnknown() {
		return fromEnv
	}
	return configured.ValueString()
}

// checkBaseURL allows https anywhere and plain http only to this machine: a
// token sent in clear text over a network is a token given away.
func checkBaseURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return fmt.Errorf("it must be an absolute URL such as %s", vcita.DefaultBaseURL)
	}
	if u.User != nil {
		return fmt.Errorf("it must not contain credentials; set the token attribute instead")
	}
	if strings.Contains(strings.TrimRight(u.Path, "/")+"/", apiPathPrefix+"/") {
		return fmt.Errorf("its path holds %s, which the provider adds to every request itself: the path would be doubled (%s%s/webhooks) and every call would answer 404 Not Found. "+
			"Give the API's root instead, such as %s", apiPathPrefix, apiPathPrefix, apiPathPrefix, vcita.DefaultBaseURL)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		// The client builds each request's path and query itself, so these
		// would be dropped; a token put there is a token in clear text.
		return fmt.Errorf("it must not have a query (?...) or a fragment (#...): the provider builds the API's paths and queries itself; set the token attribute for the token")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("https is required; plain http is allowed only for a loopback host (localhost, 127.0.0.0/8, ::1)")
	default:
		return fmt.Errorf("https is required, not %s", u.Scheme)
	}
}

// quoteBaseURL quotes a base URL for a diagnostic without what may be a
// secret in it: user information and a query or fragment are shown as
// [redacted]. A value that is not an absolute URL is not quoted at all: it
// may be a token pasted into the wrong variable.
func quoteBaseURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return "a value not shown here (it may hold a secret)"
	}
	shown := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}
	text := shown.String()
	if u.User != nil {
		text = strings.Replace(text, "://", "://[redacted]@", 1)
	}
	if u.RawQuery != "" {
		text += "?[redacted]"
	}
	if u.Fragment != "" {
		text += "#[redacted]"
	}
	return fmt.Sprintf("%q", text)
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
