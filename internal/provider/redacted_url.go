package provider

import (
	"net/url"
	"strings"
)

// redactedMark stands for a password or a query value the provider does not
// show.
const redactedMark = "***"

// redactedURL is how the provider's diagnostics and DEBUG logs show a URL:
// its password and the value of each query parameter as ***, and everything
// else (scheme, user name, host, path, query keys: what a reader needs to
// recognise it) as written. A target URL may carry a receiver's secret, and
// such output is what users paste into bug reports. A value that does not
// parse as a URL has no parts to keep: only its first characters are shown.
func redactedURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return unparsedURL(raw)
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), redactedMark)
	}
	if u.RawQuery != "" {
		params := strings.Split(u.RawQuery, "&")
		for i, param := range params {
			if key, _, hasValue := strings.Cut(param, "="); hasValue {
				params[i] = key + "=" + redactedMark
			}
		}
		u.RawQuery = strings.Join(params, "&")
	}
	// url.URL.String escapes the * of a password; show it as written.
	return strings.Replace(u.String(), ":%2A%2A%2A@", ":"+redactedMark+"@", 1)
}

// unparsedURL shows a value that is not a URL up to its first character
// that may start a secret (:, @, ?, #).
func unparsedURL(raw string) string {
	if cut := strings.IndexAny(raw, ":@?#"); cut >= 0 {
		return raw[:cut] + redactedMark
	}
	return raw
}
