// Command terraform-provider-vcita serves the vcita Terraform provider.
package main

import (
	"flag"
	"log"

	"github.com/vcita/terraform-provider-vcita/internal/provider"
	"github.com/vcita/terraform-provider-vcita/internal/serve"
)

// version is stamped at release time by goreleaser (-ldflags "-X main.version=...").
var version = "dev"

// address is the provider's address in the registry.
const address = "registry.terraform.io/vcita/vcita"

// go generate runs make docs, the one way to build docs/: it checks that the
// Terraform it reads the schema with documents list resources and identity.
//
//go:generate make docs

func main() {
	debug := flag.Bool("debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	if err := serve.Serve(address, provider.New(version), *debug); err != nil {
		log.Fatal(err.Error())
	}
}
