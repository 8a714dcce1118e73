package vcita

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/vcita/terraform-provider-vcita/internal/catalog"
	"github.com/vcita/terraform-provider-vcita/internal/stub"
)

// benchListSize is the size of the lists the benchmarks work on: a large
// account, the N = 1000 of cmd/vcita-bench.
const benchListSize = 1000

// benchEvent is the event of the subscriptions cmd/vcita-bench creates, as
// a configuration writes it.
const benchEvent = "client/created"

func benchTargetURL(i int) string { return fmt.Sprintf("https://hooks.example.com/bench/%d", i) }

// benchListAnswer returns the list answer the stub gives for n subscriptions:
// the same bytes the provider reads during a refresh. A few of them use other
// events of the catalogue, so that the list is not one repeated item.
func benchListAnswer(b *testing.B, n int) answer {
	b.Helper()
	s := stub.New()
	events := catalog.Events()
	for i := range n {
		event := benchEvent
		if i%10 == 9 {
			event = events[i%len(events)]
		}
		if _, err := s.Add("", event, benchTargetURL(i)); err != nil {
			b.Fatalf("stub.Add(%q, %q): %v", event, benchTargetURL(i), err)
		}
	}
	req := httptest.NewRequest(http.MethodGet, pathList, nil)
	req.Header.Set("Authorization", "Bearer "+stub.DefaultToken)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("the stub's list answered %d: %s", rec.Code, rec.Body)
	}
	return answer{status: rec.Code, body: rec.Body.Bytes()}
}

// BenchmarkDecodeList1000 decodes one list answer of 1000 subscriptions, the
// work a provider process does once per plan.
func BenchmarkDecodeList1000(b *testing.B) {
	ans := benchListAnswer(b, benchListSize)
	c := testDecoder()
	b.SetBytes(int64(len(ans.body)))
	b.ReportAllocs()
	for b.Loop() {
		subs, err := c.decodeList(ans)
		if err != nil || len(subs) != benchListSize {
			b.Fatalf("decodeList: %d subscriptions, %v", len(subs), err)
		}
	}
}

// BenchmarkFind1000 matches one resource against the shared list of 1000
// subscriptions, the work of each Read. Both cases are worst cases: "last"
// finds the resource by its id at the end of the list; "miss" (a resource
// deleted behind Terraform's back) scans the list for the id and then again
// for the pair, and finds nothing.
func BenchmarkFind1000(b *testing.B) {
	subs, err := testDecoder().decodeList(benchListAnswer(b, benchListSize))
	if err != nil {
		b.Fatal(err)
	}
	last := subs[len(subs)-1]
	lastID, err := strconv.Atoi(last.ID)
	if err != nil {
		b.Fatalf("id %q: %v", last.ID, err)
	}
	lastEvent, _ := catalog.SubscribeSpelling(last.Entity, last.EventType)

	cases := []struct {
		name, id string
		event    catalog.Event
		url      string
		found    bool
	}{
		{"last", last.ID, mustEvent(lastEvent), last.TargetURL, true},
		{"miss", strconv.Itoa(lastID + 1), mustEvent(benchEvent), benchTargetURL(benchListSize), false},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, found := Find(subs, tc.id, tc.event, tc.url); found != tc.found {
					b.Fatalf("Find(%q, %q, %q) found = %v, want %v", tc.id, tc.event, tc.url, found, tc.found)
				}
			}
		})
	}
}
