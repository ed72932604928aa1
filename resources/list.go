package resources

import (
	"context"
	"fmt"
	"iter"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
)

// ListOption configures a list.
type ListOption func(*listOptions)

type listOptions struct {
	pageSize *int32
	limit    int
	sdk      []func(*sagemaker.Options)
}

// WithPageSize asks the service for n items a page (its MaxResults).
func WithPageSize(n int32) ListOption { return func(o *listOptions) { o.pageSize = &n } }

// WithLimit stops after n items in all.
func WithLimit(n int) ListOption { return func(o *listOptions) { o.limit = n } }

// WithSDKOptions passes per-call options to every page request.
func WithSDKOptions(fns ...func(*sagemaker.Options)) ListOption {
	return func(o *listOptions) { o.sdk = append(o.sdk, fns...) }
}

func listOpts(opts []ListOption) listOptions {
	var o listOptions
	for _, f := range opts {
		f(&o)
	}
	return o
}

// pages yields the items of every page. It keeps paging while the token is
// non-empty, even after an empty page, and stops with an error when the
// service repeats a token. fetch gets the token to send (nil first).
func pages[T any](ctx context.Context, o listOptions, fetch func(ctx context.Context, token *string) ([]T, *string, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		var token *string
		seen := map[string]bool{}
		n := 0
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			items, next, err := fetch(ctx, token)
			if err != nil {
				yield(zero, err)
				return
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
