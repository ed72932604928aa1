package resources

import (
	"context"
	"fmt"
	"iter"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"

	"github.com/smcore-go/smcore/shapes"
)

// ListOption configures a list. The page size is the request's own
// MaxResults (or the operation's page-size member), and the starting page
// its NextToken.
type ListOption func(*listOptions)

type listOptions struct {
	limit  int
	sdk    []func(*sagemaker.Options)
	onPage func(Page)
}

// Page describes a page a list has just fetched.
type Page struct {
	// Token is the token that fetched the page: "" for the first page of a
	// listing that started without one. A listing started again from it
	// (the request's NextToken) yields this page again.
	Token string
	// Next is the token of the following page; "" on the last page. A
	// listing started from it goes on after this page.
	Next string
	// Items is how many items the page holds.
	Items int
}

// WithLimit stops after n items in all.
func WithLimit(n int) ListOption { return func(o *listOptions) { o.limit = n } }

// WithSDKOptions passes per-call options to every page request.
func WithSDKOptions(fns ...func(*sagemaker.Options)) ListOption {
	return func(o *listOptions) { o.sdk = append(o.sdk, fns...) }
}

// OnPage calls fn with each page as it arrives, before its items are
// yielded: save p.Token (or p.Next once the page's items are all handled)
// to resume the listing later, from another process too.
func OnPage(fn func(p Page)) ListOption { return func(o *listOptions) { o.onPage = fn } }

// pages yields the items of every page, starting from start. The request
// in is validated first. It keeps paging while the token is non-empty, even
// after an empty page, and stops with an error when the service repeats a
// token. fetch gets the token to send and the call's SDK options.
func pages[T any](ctx context.Context, c *Client, in shapes.Validatable, start *string, opts []ListOption,
	fetch func(ctx context.Context, token *string, optFns []func(*sagemaker.Options)) ([]T, *string, error)) iter.Seq2[T, error] {
	var o listOptions
	for _, f := range opts {
		f(&o)
	}
	if start != nil && *start == "" {
		start = nil
	}
	return func(yield func(T, error) bool) {
		var zero T
		if err := c.validate(in); err != nil {
			yield(zero, err)
			return
		}
		optFns := c.opts(o.sdk)
		token := start
		seen := map[string]bool{}
		n := 0
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			items, next, err := fetch(ctx, token, optFns)
			if err != nil {
				yield(zero, err)
				return
			}
			if o.onPage != nil {
				o.onPage(Page{Token: deref(token), Next: deref(next), Items: len(items)})
			}
			for _, it := range items {
				if o.limit > 0 && n >= o.limit {
					return
				}
				if !yield(it, nil) {
					return
				}
				n++
			}
			if next == nil || *next == "" || (o.limit > 0 && n >= o.limit) {
				return
			}
			if seen[*next] {
				yield(zero, fmt.Errorf("list: the service repeated page token %q", *next))
				return
			}
			seen[*next] = true
			token = next
		}
	}
}

// convItems converts a page's items with the shape's FromSDK function.
func convItems[S, T any](in []S, from func(*S) *T) []*T {
	out := make([]*T, len(in))
	for i := range in {
		out[i] = from(&in[i])
	}
	return out
}

// convEnums converts a page's enum items.
func convEnums[T ~string, S ~string](in []S) []T {
	out := make([]T, len(in))
	for i, v := range in {
		out[i] = T(v)
	}
	return out
}
