// Command terraform-provider-vcita serves the vcita Terraform provider.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"runtime/debug"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/vcita/terraform-provider-vcita/internal/provider"
)

// version is stamped at release time by goreleaser (-ldflags "-X main.version=...").
var version = "dev"

// softMemoryLimit is where the garbage collector starts working harder.
// Terraform sends one provider process several RPCs per resource, and the
// plugin libraries keep roughly 10 KiB of logging context alive per RPC: a
// plan of a thousand subscriptions would otherwise peak near 150 MiB, on CI
// runners that run many providers side by side. Below the limit nothing
// changes; near it, GC runs more often (see BENCHMARKS.md). GOMEMLIMIT, when
// set, wins.
const softMemoryLimit = 72 << 20

//go:generate go run github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs@v0.25.0 generate --provider-name vcita

func main() {
	var debugMode bool
	flag.BoolVar(&debugMode, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(softMemoryLimit)
	}

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/vcita/vcita",
		Debug:   debugMode,
	})
	if profErr := writeHeapProfile(); profErr != nil {
		log.Print(profErr.Error())
	}
	if err != nil {
		log.Fatal(err.Error())
	}
}
