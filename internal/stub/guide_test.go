package stub

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// The Testing Modules guide is the stub's documentation: it must name
// every admin endpoint, fault kind, fault setting and behaviour.
func TestTheGuideDocumentsTheWholeStub(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../templates/guides/testing-modules.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	guide := string(data)
	for pattern := range New().adminRoutes() {
		if !strings.Contains(guide, "| `"+pattern+"` |") {
			t.Errorf("the guide's table of admin endpoints has no row for `%s`", pattern)
		}
	}
	for _, kind := range faultKinds {
		if !strings.Contains(guide, "| `"+string(kind)+"` |") {
			t.Errorf("the guide's table of fault kinds has no row for `%s`", kind)
		}
	}
	// Every field a JSON body may set, in the guide's spelling.
	documented := map[string]bool{}
	for _, m := range regexp.MustCompile("`([a-z_]+)`").FindAllStringSubmatch(guide, -1) {
		documented[looseKey(m[1])] = true
	}
	for _, v := range []any{FaultConfig{}, Behaviour{}} {
		typ := reflect.TypeOf(v)
		for i := range typ.NumField() {
			if name := typ.Field(i).Name; !documented[looseKey(name)] {
				t.Errorf("the guide does not document %s.%s", typ.Name(), name)
			}
		}
	}
}
