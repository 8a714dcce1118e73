package provider

import (
	"context"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
)

var (
	_ list.ListResource              = (*webhookEndpointListResource)(nil)
	_ list.ListResourceWithConfigure = (*webhookEndpointListResource)(nil)
)

func newWebhookEndpointListResource() list.ListResource {
	return &webhookEndpointListResource{subscriptionLister{typeSuffix: webhookEndpointTypeSuffix}}
}

// webhookEndpointListResource lists the target URLs that have subscriptions,
// made by Terraform or not, as vcita_webhook_endpoint resources to adopt:
// one result per URL, with every event of that URL.
type webhookEndpointListResource struct {
	subscriptionLister
}

func (l *webhookEndpointListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = subscriptionListSchema("Lists the target URLs that have webhook subscriptions in a business (or in the token's own scope), whoever made them, "+
		"as endpoints for `terraform query` to adopt: one result per URL, ordered by URL, holding every event of the URL. "+
		"The filters choose URLs by their subscriptions (a URL with at least one matching subscription is listed), "+
		"but never leave an event of a listed URL out, since a `vcita_webhook_endpoint` owns every subscription of its URL.", endpointFilters)
}

func (l *webhookEndpointListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	listing, diags := listRequestMatching(ctx, l.data, req)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	endpoints, warnings := listedEndpoints(listing)
	diags.Append(warnings...)
	stream.Results = listResults(ctx, req, diags, endpoints, func(m webhookEndpointModel) (string, webhookEndpointModel) {
		return endpointDisplayName(m), m
	})
}

// listedEndpoints are the endpoints of the target URLs that have a matching
// subscription, ordered by URL, each as an import of it records it: every
// subscription of the URL (matching or not), with the catalogue spelling of
// each event, in the business listed. A URL whose subscriptions all lack an
// event has no endpoint to adopt; the warnings name such subscriptions, as
// the endpoint's refresh would.
func listedEndpoints(listing subscriptionListing) ([]webhookEndpointModel, diag.Diagnostics) {
	seen := map[string]bool{}
	var urls []string
	for _, sub := range listing.matching {
		if !seen[sub.TargetURL] {
			seen[sub.TargetURL] = true
			urls = append(urls, sub.TargetURL)
		}
	}
	sort.Strings(urls)
	endpoints := make([]webhookEndpointModel, 0, len(urls))
	var warnings diag.Diagnostics
	for _, targetURL := range urls {
		warnings.Append(unnamedSubscriptionsWarning(listing.all, targetURL)...)
		m := endpointModelFromSubscriptions(listing.all, businessValue(listing.business), targetURL, nil)
		if len(m.Events.Elements()) > 0 {
			endpoints = append(endpoints, m)
		}
	}
	return endpoints, warnings
}

// endpointDisplayName names a listed endpoint: its URL and how many events
// it receives (`terraform query` shows the events themselves with
// include_resource).
func endpointDisplayName(m webhookEndpointModel) string {
	n := len(m.Events.Elements())
	if n == 1 {
		return m.TargetURL.ValueString() + " (1 event)"
	}
	return fmt.Sprintf("%s (%d events)", m.TargetURL.ValueString(), n)
}
