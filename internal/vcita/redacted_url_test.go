package vcita

import "testing"

func TestRedactedURLHidesPasswordAndQueryValues(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]string{
		"https://hooks.example.com/x":                        "https://hooks.example.com/x",
		"https://user:pw@hooks.example.com/x":                "https://user:***@hooks.example.com/x",
		"https://user@hooks.example.com/x":                   "https://user@hooks.example.com/x",
		"https://hooks.example.com/x?token=s3cr3t&mode=fast": "https://hooks.example.com/x?token=***&mode=***",
		"https://hooks.example.com/x?flag&sig=abc":           "https://hooks.example.com/x?flag&sig=***",
		"https://u:p@hooks.example.com:8443/a/b?k=v#frag":    "https://u:***@hooks.example.com:8443/a/b?k=***#frag",
		"https://hooks.example.com/x?token=%2Fa%2Bb":         "https://hooks.example.com/x?token=***",
		"http://[::1]:99999999/x?token=s3cr3t":               "http://[::1]:99999999/x?token=***",
		"ht tp://user:pw@hooks.example.com/x?token=s3cr3t":   "ht tp://user:***@hooks.example.com/x?token=***",
		"HTTPS://u:p@Hooks.Example.com/%zz?a=%zz":            "HTTPS://u:***@Hooks.Example.com/%zz?a=***",
		" https://hooks.example.com/a b":                     " https://hooks.example.com/a b",
		"https://u:p:q@h.example.com@x/p":                    "https://u:***@x/p",
	} {
		if got := RedactedURL(raw); got != want {
			t.Errorf("RedactedURL(%q) = %q, want %q", raw, got, want)
		}
	}
}
