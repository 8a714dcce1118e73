package provider

import (
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

func emptyProviderModel() providerModel {
	return providerModel{
		Token:              types.StringNull(),
		BaseURL:            types.StringNull(),
		BusinessID:         types.StringNull(),
		AllowUnknownEvents: types.BoolNull(),
		MaxRetries:         types.NumberNull(),
		RequestTimeout:     types.StringNull(),
	}
}

func envOf(values map[string]string) func(string) string {
	return func(name string) string { return values[name] }
}

func TestResolveSettingsDefaultsAndEnvironment(t *testing.T) {
	got, diags := resolveSettings(emptyProviderModel(), envOf(map[string]string{envToken: "env-token"}))
	if diags.HasError() {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
	if got.token != "env-token" || got.baseURL != vcita.DefaultBaseURL || got.businessID != "" ||
		got.maxRetries != vcita.DefaultMaxRetries || got.requestTimeout != vcita.DefaultRequestTimeout || got.allowUnknownEvents {
		t.Errorf("defaults: got %+v", got)
	}

	got, diags = resolveSettings(emptyProviderModel(), envOf(map[string]string{
		envToken: "t", envBaseURL: "http://127.0.0.1:9999", envBusinessID: "biz",
		envMaxRetries: "7", envRequestTimeout: "5s", envAllowUnknownEvents: "true",
	}))
	if diags.HasError() {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
	if got.baseURL != "http://127.0.0.1:9999" || got.businessID != "biz" || got.maxRetries != 7 || got.requestTimeout != 5*time.Second || !got.allowUnknownEvents {
		t.Errorf("environment: got %+v", got)
	}
}

func TestResolveSettingsBlockWinsOverEnvironment(t *testing.T) {
	config := emptyProviderModel()
	config.Token = types.StringValue("block-token")
	config.BusinessID = types.StringValue("block-biz")
	config.MaxRetries = types.NumberValue(big.NewFloat(2))
	config.RequestTimeout = types.StringValue("1m")
	config.AllowUnknownEvents = types.BoolValue(false)
	got, diags := resolveSettings(config, envOf(map[string]string{
		envToken: "env-token", envBusinessID: "env-biz", envMaxRetries: "9", envRequestTimeout: "1s", envAllowUnknownEvents: "true",
	}))
	if diags.HasError() {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
	if got.token != "block-token" || got.businessID != "block-biz" || got.maxRetries != 2 || got.requestTimeout != time.Minute || got.allowUnknownEvents {
		t.Errorf("got %+v", got)
	}
}

func TestResolveSettingsErrors(t *testing.T) {
	tests := map[string]struct {
		env  map[string]string
		want string
	}{
		"missing token":       {map[string]string{}, "VCITA_API_TOKEN"},
		"http to a remote":    {map[string]string{envToken: "t", envBaseURL: "http://api.vcita.biz"}, "https is required"},
		"relative base URL":   {map[string]string{envToken: "t", envBaseURL: "api.vcita.biz"}, "absolute URL"},
		"credentials in URL":  {map[string]string{envToken: "t", envBaseURL: "https://user:pw@api.vcita.biz"}, "credentials"},
		"ftp base URL":        {map[string]string{envToken: "t", envBaseURL: "ftp://api.vcita.biz"}, "https is required"},
		"bad retries":         {map[string]string{envToken: "t", envMaxRetries: "many"}, "VCITA_MAX_RETRIES"},
		"too many retries":    {map[string]string{envToken: "t", envMaxRetries: "99"}, "VCITA_MAX_RETRIES must be a whole number from 0 to 20"},
		"bad timeout":         {map[string]string{envToken: "t", envRequestTimeout: "soon"}, "duration"},
		"negative timeout":    {map[string]string{envToken: "t", envRequestTimeout: "-1s"}, "longer than zero"},
		"bad allow unknown":   {map[string]string{envToken: "t", envAllowUnknownEvents: "maybe"}, "VCITA_ALLOW_UNKNOWN_EVENTS"},
		"secret stays secret": {map[string]string{envToken: "s3cr3t-token", envBaseURL: "http://example.com"}, "https is required"},
		"doubled API path":    {map[string]string{envToken: "t", envBaseURL: "https://api.vcita.biz/platform/v1"}, "its path holds /platform/v1, which the provider adds to every request itself: the path would be doubled (/platform/v1/platform/v1/webhooks)"},
		"API path and slash":  {map[string]string{envToken: "t", envBaseURL: "https://gateway.example.com/vcita/platform/v1/"}, "Give the API's root instead, such as https://api.vcita.biz"},
		"a call's path":       {map[string]string{envToken: "t", envBaseURL: "https://api.vcita.biz/platform/v1/webhooks"}, "the path would be doubled"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, diags := resolveSettings(emptyProviderModel(), envOf(tc.env))
			if !diags.HasError() {
				t.Fatal("expected an error diagnostic")
			}
			text := ""
			for _, d := range diags {
				text += d.Summary() + ": " + d.Detail() + "\n"
			}
			if !strings.Contains(text, tc.want) {
				t.Errorf("diagnostics %q do not mention %q", text, tc.want)
			}
			if token := tc.env[envToken]; token != "" && token != "t" && strings.Contains(text, token) {
				t.Errorf("a diagnostic leaks the token: %q", text)
			}
		})
	}
}

// A base_url that is refused is quoted in the diagnostic, but never a secret
// it holds: credentials, a query or fragment, or a token pasted in its place.
func TestResolveSettingsNeverQuotesASecretOfTheBaseURL(t *testing.T) {
	const secret = "s3cr3t"
	tests := map[string]struct {
		baseURL string
		want    string // what the diagnostic must still say
	}{
		"password":               {"https://user:" + secret + "@api.vcita.biz", `"https://[redacted]@api.vcita.biz": it must not contain credentials`},
		"user only":              {"https://" + secret + "@api.vcita.biz", `"https://[redacted]@api.vcita.biz"`},
		"token in the query":     {"https://api.vcita.biz/?token=" + secret, `"https://api.vcita.biz/?[redacted]": it must not have a query`},
		"query over plain http":  {"http://api.vcita.biz?token=" + secret, "[redacted]"},
		"fragment":               {"https://api.vcita.biz#" + secret, `"https://api.vcita.biz#[redacted]"`},
		"token instead of a URL": {secret, "not shown here (it may hold a secret): it must be an absolute URL"},
		"credentials over http":  {"http://me:" + secret + "@example.com/x", `"http://[redacted]@example.com/x"`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, diags := resolveSettings(emptyProviderModel(), envOf(map[string]string{envToken: "t", envBaseURL: tc.baseURL}))
			if !diags.HasError() {
				t.Fatalf("base_url %q must be refused", tc.baseURL)
			}
			text := ""
			for _, d := range diags {
				text += d.Summary() + ": " + d.Detail() + "\n"
			}
			if strings.Contains(text, secret) {
				t.Errorf("the diagnostic repeats the secret: %s", text)
			}
			if !strings.Contains(text, tc.want) {
				t.Errorf("diagnostics %q do not say %q", text, tc.want)
			}
		})
	}
}

// token = "" in the block wins over VCITA_API_TOKEN, as any attribute set in
// the block does; the error says so rather than that no token was given.
func TestResolveSettingsEmptyTokenInTheBlock(t *testing.T) {
	config := emptyProviderModel()
	config.Token = types.StringValue("")
	for env, want := range map[string]string{
		"env-token": "The token attribute in the provider block is empty. An attribute set in the block wins over its environment variable, even when empty, so VCITA_API_TOKEN is ignored although it is set.",
		"":          "even when empty, so VCITA_API_TOKEN is not read.",
	} {
		_, diags := resolveSettings(config, envOf(map[string]string{envToken: env}))
		if len(diags) != 1 || diags[0].Summary() != "Empty vcita API Token" || !strings.Contains(diags[0].Detail(), want) {
			t.Errorf("with VCITA_API_TOKEN=%q: got %v, want Empty vcita API Token saying %q", env, diags, want)
		}
		if env != "" && strings.Contains(diags[0].Detail(), env) {
			t.Errorf("the diagnostic repeats the environment's token: %s", diags[0].Detail())
		}
	}
	if _, diags := resolveSettings(emptyProviderModel(), envOf(nil)); len(diags) != 1 || diags[0].Summary() != "Missing vcita API Token" {
		t.Errorf("no token anywhere: got %v, want Missing vcita API Token", diags)
	}
}

func TestResolveSettingsUnknownValuesAreCheckedOnceKnown(t *testing.T) {
	unknown := map[string]func(*providerModel){
		"token":           func(m *providerModel) { m.Token = types.StringUnknown() },
		"base_url":        func(m *providerModel) { m.BaseURL = types.StringUnknown() },
		"business_id":     func(m *providerModel) { m.BusinessID = types.StringUnknown() },
		"max_retries":     func(m *providerModel) { m.MaxRetries = types.NumberUnknown() },
		"request_timeout": func(m *providerModel) { m.RequestTimeout = types.StringUnknown() },
	}
	for name, makeUnknown := range unknown {
		t.Run(name, func(t *testing.T) {
			config := emptyProviderModel()
			makeUnknown(&config)
			if !config.hasUnknownValues() {
				t.Errorf("an unknown %s must count as a configuration not known yet", name)
			}
			// No token anywhere: an error once known, not while unknown.
			if _, diags := resolveSettings(config, envOf(nil)); diags.HasError() {
				t.Errorf("an unknown %s is not an error at plan time: %v", name, diags)
			}
		})
	}
	if emptyProviderModel().hasUnknownValues() {
		t.Error("an empty provider block has no unknown value")
	}
}

func TestCheckBaseURLLoopback(t *testing.T) {
	for _, ok := range []string{"https://api.vcita.biz", "https://gateway.example.com/platform/v10", "http://localhost:8080", "http://127.0.0.1:1", "http://127.9.9.9", "http://[::1]:80", "https://example.com/prefix"} {
		if err := checkBaseURL(ok); err != nil {
			t.Errorf("checkBaseURL(%q) = %v, want nil", ok, err)
		}
	}
	for _, bad := range []string{"http://10.0.0.1", "http://localhost.example.com", "http://128.0.0.1", "https://", "http://[::2]", ""} {
		if err := checkBaseURL(bad); err == nil {
			t.Errorf("checkBaseURL(%q) = nil, want an error", bad)
		}
	}
}
