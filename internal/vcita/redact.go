package vcita

import (
	"html"
	"strconv"
	"strings"
	"unicode"
)

// maxSnippet is how much of an unexpected body reaches a diagnostic: enough
// to recognise a proxy's error page, too little to flood the terminal.
const maxSnippet = 160

// secretWindow is the length of the shortest run of a secret's characters
// that counts as showing the secret: 8 consecutive characters of a token are
// a good part of it, and fewer than that turn up in ordinary text.
const secretWindow = 8

// withheldText replaces an answer's text that would show a secret even in
// part, however the answer spelt it.
const withheldText = "(the answer's text is withheld: it holds the API token)"

// snippet turns an arbitrary body into one short, printable line: markup
// removed, control characters dropped, white space folded, secrets redacted.
// A body that spells a secret in a way redaction cannot undo (split by
// markup or white space, or written with JSON escapes, HTML entities or
// percent-encoding) is withheld whole.
func snippet(body []byte, secrets ...string) string {
	text := Scrub(string(body), secrets...)
	if text == withheldText {
		return text
	}
	text = stripMarkup(text)
	text = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return ' '
		case !unicode.IsPrint(r):
			return -1
		}
		return r
	}, text)
	text = strings.Join(strings.Fields(text), " ")
	// Again after cleaning: removing markup or control characters can
	// join the pieces of a secret back together.
	text = redact(text, secrets)
	if runes := []rune(text); len(runes) > maxSnippet {
		text = string(runes[:maxSnippet]) + "…"
	}
	return text
}

// Scrub returns text with each secret replaced by [redacted], or, when the
// text would still show secretWindow consecutive characters of a secret once
// markup, white space and escapes are taken out, a note that it is withheld.
// Whatever quotes an answer of the API (an error, a log line) goes through
// it.
func Scrub(text string, secrets ...string) string {
	text = redact(text, secrets)
	if exposes(text, secrets) {
		return withheldText
	}
	return text
}

func redact(text string, secrets []string) string {
	for _, secret := range secrets {
		if secret != "" {
			text = strings.ReplaceAll(text, secret, "[redacted]")
		}
	}
	return text
}

// exposes reports whether text shows secretWindow consecutive characters of
// a secret (all of a shorter one) as written, or once markup and white space
// are taken out, or once JSON escapes, HTML entities and percent-encoding
// are decoded as well.
func exposes(text string, secrets []string) bool {
	for _, variant := range []string{text, unescapeAll(text)} {
		bare := compact(stripMarkup(redact(variant, secrets)))
		for _, candidate := range []string{variant, bare} {
			for _, secret := range secrets {
				if holdsWindowOf(candidate, secret) {
					return true
				}
			}
		}
	}
	return false
}

// holdsWindowOf reports whether text holds secretWindow consecutive
// characters of secret, or all of a secret shorter than that.
func holdsWindowOf(text, secret string) bool {
	if secret == "" {
		return false
	}
	if len(secret) <= secretWindow {
		return strings.Contains(text, secret)
	}
	for i := 0; i+secretWindow <= len(secret); i++ {
		if strings.Contains(text, secret[i:i+secretWindow]) {
			return true
		}
	}
	return false
}

// compact drops white space and characters that do not print, which an
// answer may put inside a secret without changing how it reads.
func compact(text string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return -1
		}
		return r
	}, text)
}

// unescapeAll decodes JSON string escapes, HTML entities and
// percent-encoding, over and over until nothing changes (a few rounds at
// most), so that a secret spelt in any mix of them reads plainly.
func unescapeAll(text string) string {
	for range 4 {
		decoded := unescapePercent(html.UnescapeString(unescapeJSON(text)))
		if decoded == text {
			break
		}
		text = decoded
	}
	return text
}

// unescapeJSON decodes the escapes of a JSON string (\uXXXX, \n, \/ and the
// rest) wherever they appear, leaving anything else as it is.
func unescapeJSON(text string) string {
	if !strings.Contains(text, `\`) {
		return text
	}
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		if text[i] != '\\' || i+1 >= len(text) {
			b.WriteByte(text[i])
			continue
		}
		switch next := text[i+1]; next {
		case 'u':
			if i+6 <= len(text) {
				if code, err := strconv.ParseUint(text[i+2:i+6], 16, 32); err == nil {
					b.WriteRune(rune(code))
					i += 5
					continue
				}
			}
			b.WriteByte(text[i])
		case 'n', 'r', 't', 'b', 'f':
			b.WriteByte(' ')
			i++
		case '"', '\\', '/', '\'':
			b.WriteByte(next)
			i++
		default:
			b.WriteByte(text[i])
		}
	}
	return b.String()
}

// unescapePercent decodes %XX wherever it appears; a % that starts no
// escape is kept.
func unescapePercent(text string) string {
	if !strings.Contains(text, "%") {
		return text
	}
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		if text[i] == '%' && i+2 < len(text) {
			if value, err := strconv.ParseUint(text[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(value))
				i += 2
				continue
			}
		}
		b.WriteByte(text[i])
	}
	return b.String()
}

// stripMarkup drops anything between < and >, so that an HTML error page
// reads as its text ("502 Bad Gateway") rather than its tags.
func stripMarkup(text string) string {
	if !strings.Contains(text, "<") {
		return text
	}
	var b strings.Builder
	inTag := false
	for _, r := range text {
		switch {
		case r == '<':
			inTag = true
			b.WriteRune(' ')
		case r == '>' && inTag:
			inTag = false
		case !inTag:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// redactedMark stands for a password or a query value the provider does not
// show.
const redactedMark = "***"

// RedactedURL is how a URL is shown in errors, diagnostics and DEBUG logs:
// its password and the value of each query parameter as ***, and everything
// else (scheme, user name, host, path, query keys, fragment: what a reader
// needs to recognise it) exactly as written. A target URL may carry a
// receiver's secret, and such output is what users paste into bug reports.
// It works on the text, not on a parsed URL, so that a URL that does not
// parse, or that parsing would respell (an upper-case scheme, an escape),
// shows as written too.
func RedactedURL(raw string) string {
	rest, fragment, hasFragment := strings.Cut(raw, "#")
	rest, query, hasQuery := strings.Cut(rest, "?")
	shown := redactPassword(rest)
	if hasQuery {
		params := strings.Split(query, "&")
		for i, param := range params {
			if key, _, hasValue := strings.Cut(param, "="); hasValue {
				params[i] = key + "=" + redactedMark
			}
		}
		shown += "?" + strings.Join(params, "&")
	}
	if hasFragment {
		shown += "#" + fragment
	}
	return shown
}

// redactPassword shows the password of the user information of a URL
// without its query or fragment as ***.
func redactPassword(raw string) string {
	scheme, rest, hasScheme := strings.Cut(raw, "//")
	if !hasScheme {
		return raw
	}
	authority, path := rest, ""
	if slash := strings.Index(rest, "/"); slash >= 0 {
		authority, path = rest[:slash], rest[slash:]
	}
	at := strings.LastIndex(authority, "@")
	if at < 0 {
		return raw
	}
	user, _, hasPassword := strings.Cut(authority[:at], ":")
	if !hasPassword {
		return raw
	}
	return scheme + "//" + user + ":" + redactedMark + authority[at:] + path
}
