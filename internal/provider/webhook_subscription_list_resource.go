package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/list"

	"github.com/vcita/terraform-provider-vcita/internal/vcita"
)

var (
	_ list.ListResource              = (*webhookSubscriptionListResource)(nil)
	_ list.ListResourceWithConfigure = (*webhookSubscriptionListResource)(nil)
)

func newWebhookSubscriptionListResource() list.ListResource {
	return &webhookSubscriptionListResource{subscriptionLister{typeSuffix: webhookSubscriptionTypeSuffix}}
}

// webhookSubscriptionListResource lists the subscriptions that exist, made by
// Terraform or not, as vcita_webhook_subscription resources to adopt:
// `terraform query -generate-config-out=FILE` writes a resource block and an
// import block (by identity) for each.
type webhookSubscriptionListResource struct {
	subscriptionLister
}

func (l *webhookSubscriptionListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = subscriptionListSchema("Lists the webhook subscriptions of a business (or of the token's own scope), whoever made them, "+
		"optionally filtered as the `vcita_webhook_subscriptions` data source filters, ordered by id, for `terraform query` to adopt.", subscriptionFilters)
}

func (l *webhookSubscriptionListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	listing, diags := listRequestMatching(ctx, l.data, req)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = listResults(ctx, req, diags, listing.matching, func(sub vcita.Subscription) (string, webhookSubscriptionModel) {
		// The state an import of this subscription would record: the
		// catalogue spelling of its event, in the business it was listed in.
		m := modelFromSubscription(sub, webhookSubscriptionModel{BusinessID: businessValue(listing.business), Timeouts: nullTimeouts()})
		return m.Event.ValueString() + " → " + m.TargetURL.ValueString(), m
	})
}
