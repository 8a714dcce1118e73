package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

// Every managed resource's operations (Create, Read, Update, Delete) each
// have one time budget: every API call of the operation, its retries and
// its waits at the client's back-off gate count against it (the client
// reads it as the context's deadline). A timeouts block sets it per
// operation; the default is the two minutes the docs have always given a
// call. Clean-up after a failed or interrupted operation has its own,
// bounded time after the budget ends (vcita.CleanupTimeout).

// defaultOperationTimeout is the budget of an operation whose timeouts
// block does not set one.
const defaultOperationTimeout = vcita.DefaultMaxElapsed

// timeoutsBlock is the timeouts block of a managed resource; object names
// what it manages.
func timeoutsBlock(ctx context.Context, object string) schema.Block {
	budget := func(operation string) string {
		return "The time budget of " + operation + " " + object + ", every API call, retry and wait for throttling included, " +
			"as a duration such as `30s` or `10m`. Defaults to `2m`. When it runs out, the operation fails with the API's last answer."
	}
	return timeouts.Block(ctx, timeouts.Opts{
		Create: true, Read: true, Update: true, Delete: true,
		CreateDescription: budget("creating"),
		ReadDescription:   budget("reading (refreshing)"),
		UpdateDescription: budget("updating"),
		DeleteDescription: budget("deleting"),
	})
}

// nullTimeouts is an unset timeouts block, for a model built from what the
// API lists rather than from a configuration (an import, a list result).
func nullTimeouts() timeouts.Value {
	return timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{
		"create": types.StringType, "read": types.StringType, "update": types.StringType, "delete": types.StringType,
	})}
}

// withOperationBudget returns ctx bounded by an operation's budget: budget
// is the timeouts block's method for the operation (Create, Read, Update or
// Delete). A value that does not parse is reported (the block's validators
// refuse it at plan time) and the default used.
func withOperationBudget(ctx context.Context, budget func(context.Context, time.Duration) (time.Duration, diag.Diagnostics), diags *diag.Diagnostics) (context.Context, context.CancelFunc) {
	timeout, budgetDiags := budget(ctx, defaultOperationTimeout)
	diags.Append(budgetDiags...)
	return context.WithTimeout(ctx, timeout)
}
