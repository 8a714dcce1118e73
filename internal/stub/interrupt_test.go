package stub

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
)

func TestInterrupt(t *testing.T) {
	s := NewTestServer(t)
	get := func(transport http.RoundTripper, path string) (string, error) {
		req, err := http.NewRequest(http.MethodGet, s.URL()+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+DefaultToken)
		resp, err := transport.RoundTrip(req)
		if err != nil {
			return "", err
		}
		defer func() { _ = resp.Body.Close() }()
		body, err := io.ReadAll(resp.Body)
		return string(body), err
	}

	ctx, cancel := context.WithCancel(context.Background())
	keep := Interrupt{Op: OpList, Cancel: cancel}
	if _, err := get(keep, "/platform/v1/other"); err != nil || ctx.Err() != nil {
		t.Fatalf("another path: %v, context %v; want it forwarded and nothing cancelled", err, ctx.Err())
	}
	body, err := get(keep, pathList)
	if err != nil || ctx.Err() == nil || body == "" {
		t.Fatalf("list: %q, %v, context %v; want the answer kept and the context cancelled", body, err, ctx.Err())
	}

	ctx, cancel = context.WithCancel(context.Background())
	if _, err := get(Interrupt{Op: OpList, Cancel: cancel, LoseAnswer: true}, pathList); !errors.Is(err, context.Canceled) || ctx.Err() == nil {
		t.Fatalf("list with LoseAnswer: %v, context %v; want the answer lost and the context cancelled", err, ctx.Err())
	}
}
