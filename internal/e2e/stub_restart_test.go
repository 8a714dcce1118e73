package e2e

import (
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vcita/terraform-provider-vcita/internal/stub"
	"github.com/vcita/terraform-provider-vcita/internal/tfcli"
)

// stubProcess is vcita-stub run as a process of its own, with -state, on a
// fixed loopback address, so that it can be killed and started again.
type stubProcess struct {
	t         *testing.T
	bin, addr string
	state     string
	cmd       *exec.Cmd
}

// start starts the stub and waits until it answers.
func (p *stubProcess) start() {
	p.t.Helper()
	p.cmd = exec.CommandContext(p.t.Context(), p.bin, "-listen", p.addr, "-state", p.state,
		"-token", stub.DefaultToken, "-latency", "150ms")
	p.cmd.Stderr = os.Stderr
	if err := p.cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if conn, err := net.Dial("tcp", p.addr); err == nil {
			_ = conn.Close()
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	p.t.Fatalf("vcita-stub does not listen on %s", p.addr)
}

// kill stops the stub at once, as a crash would: no graceful shutdown.
func (p *stubProcess) kill() {
	_ = p.cmd.Process.Kill()
	_ = p.cmd.Wait()
}

// saved returns what the stub's state file holds.
func (p *stubProcess) saved() stub.State {
	p.t.Helper()
	var st stub.State
	data, err := os.ReadFile(p.state)
	if err == nil {
		err = json.Unmarshal(data, &st)
	}
	if err != nil {
		p.t.Fatalf("the state file: %v", err)
	}
	return st
}

// freeLoopbackAddr returns a 127.0.0.1 address that was free a moment ago.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

// vcita-stub -state lets a test take the API down in the middle of an
// apply and bring it back on the same port, as an outage happens in life:
// the apply rides it out on its retries, and what it made before the
// outage is still there after it, neither lost nor made twice.
func TestApplyRidesOutAStubRestartedMidApply(t *testing.T) {
	t.Parallel()
	const n = 12
	bin := filepath.Join(t.TempDir(), "vcita-stub")
	if err := tfcli.Build(t.Context(), "./cmd/vcita-stub", bin); err != nil {
		t.Fatal(err)
	}
	p := &stubProcess{t: t, bin: bin, addr: freeLoopbackAddr(t), state: filepath.Join(t.TempDir(), "state.json")}
	p.start()
	t.Cleanup(p.kill)

	tw, err := tfcli.NewWorkspace(t.Context(), t.TempDir(), tfcli.Options{Env: tfcli.ProviderEnv("http://"+p.addr, stub.DefaultToken)})
	if err != nil {
		t.Fatal(err)
	}
	w := &workspace{Workspace: tw, t: t}
	w.writeFile("main.tf", subscriptions(n))

	var out strings.Builder
	applied := make(chan int, 1)
	go func() {
		code, err := w.Run(t.Context(), &out, nil, "apply", "-auto-approve", "-no-color", "-parallelism=2")
		if err != nil {
			t.Error(err)
		}
		applied <- code
	}()
	// Down once a few subscriptions are made, and up again a moment later.
	deadline := time.Now().Add(2 * time.Minute)
	for len(p.saved().Subscriptions) < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("the apply made no 3 subscriptions in 2 minutes:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.kill()
	before := len(p.saved().Subscriptions)
	time.Sleep(time.Second)
	p.start()

	if code := <-applied; code != 0 {
		t.Fatalf("the apply failed across the restart (exit %d):\n%s", code, out.String())
	}
	if before >= n {
		t.Fatalf("the stub was killed after the apply made all %d subscriptions: the outage came too late to test anything", n)
	}
	if got := len(p.saved().Subscriptions); got != n {
		t.Errorf("the stub holds %d subscriptions after the apply, want %d: none lost, none twice", got, n)
	}
	state, err := w.State(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got := len(state.Values.RootModule.Resources); got != n {
		t.Errorf("the state holds %d resources, want %d", got, n)
	}
	w.planClean()
	w.must("destroy", destroy)
	if left := p.saved().Subscriptions; len(left) != 0 {
		t.Errorf("destroy left %v", left)
	}
}
