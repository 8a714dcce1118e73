package provider

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
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

// settings is the provider configuration after defaults and environment
// variables are applied.
type settings struct {
	token              string
	baseURL            string
	businessID         string
	allowUnknownEvents bool
	maxRetries         int
	requestTimeout     time.Duration
	// unknown is true when a value needed to reach the API is not known yet.
	unknown bool
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
	for _, value := range []interface{ IsUnknown() bool }{config.Token, config.BaseURL, config.BusinessID, config.MaxRetries, config.RequestTimeout} {
		if value.IsUnknown() {
			s.unknown = true
		}
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
		s.maxRetries = int(config.MaxRetries.ValueInt64())
	} else if raw := getenv(envMaxRetries); raw != "" {
		retries, err := strconv.Atoi(raw)
		if err != nil || retries < 0 || retries > 20 {
			diags.AddAttributeError(path.Root("max_retries"), "Invalid Environment Variable",
				fmt.Sprintf("%s must be a whole number from 0 to 20, got %q.", envMaxRetries, raw))
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

	if s.unknown {
		return s, diags
	}

	if s.token == "" {
		diags.AddAttributeError(path.Root("token"), "Missing vcita API Token",
			fmt.Sprintf("The provider needs an API token to call the vcita API. Set the token attribute in the provider block, or the %s environment variable. Staff tokens and directory tokens both work.", envToken))
	}
	if s.baseURL == "" {
		s.baseURL = vcita.DefaultBaseURL
	}
	if err := checkBaseURL(s.baseURL); err != nil {
		diags.AddAttributeError(path.Root("base_url"), "Invalid Base URL",
			fmt.Sprintf("base_url (or %s) is %q: %s.", envBaseURL, s.baseURL, err))
	}
	return s, diags
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

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

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
