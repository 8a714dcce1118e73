package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
)

// envHeapProfileDir names a directory into which the provider writes a heap
// profile of what it still holds as it exits, heap-<pid>.pprof, for `go tool
// pprof`. It is a debugging aid for measuring the provider's memory (see
// BENCHMARKS.md); unset, nothing is written and nothing else changes.
const envHeapProfileDir = "VCITA_DEBUG_HEAP_PROFILE_DIR"

// writeHeapProfile writes the heap profile envHeapProfileDir asks for, if it
// asks for one. A collection first makes the profile show what is alive at
// exit rather than at the last cycle.
func writeHeapProfile() error {
	dir := os.Getenv(envHeapProfileDir)
	if dir == "" {
		return nil
	}
	path := filepath.Join(dir, fmt.Sprintf("heap-%d.pprof", os.Getpid()))
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("%s: %w", envHeapProfileDir, err)
	}
	runtime.GC()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		_ = f.Close()
		return fmt.Errorf("%s: writing %s: %w", envHeapProfileDir, path, err)
	}
	return f.Close()
}
