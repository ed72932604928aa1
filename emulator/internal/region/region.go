// Package region carries a request's region to the services of the local
// endpoint and builds ARNs in it.
package region

import (
	"context"
	"strings"
)

// A request signed for any region is served: the region is the signing
// scope's, checked only for its form (Valid), and handed to the
// services through the request's context (Of). ARNs carry it and its
// partition (ARNs). SageMaker and CloudWatch Logs state is per region; S3
// buckets are one namespace, as in S3. WithRegion names the region used
// where no request says one (ARNs made outside a request, log lines
// AppendLog is given no region for).

type regionKey struct{}

// With returns ctx carrying a verified request's region.
func With(ctx context.Context, region string) context.Context {
	return context.WithValue(ctx, regionKey{}, region)
}

// Of returns the region the request behind ctx was signed for, or
// "" when ctx is not a request's (background work).
func Of(ctx context.Context) string {
	r, _ := ctx.Value(regionKey{}).(string)
	return r
}

// ARNs makes the names of a service's resources: in the request's region
// and partition, or the default region's outside a request, and in the
// account.
type ARNs struct {
	Default string // the region where no request says one
	Account string
}

// RegionFor returns the region of the request behind ctx, or the default
// region when there is none.
func (s ARNs) RegionFor(ctx context.Context) string {
	if r := Of(ctx); r != "" {
		return r
	}
	return s.Default
}

// PartitionOf returns the partition of the request behind ctx (or of the
// default region).
func (s ARNs) PartitionOf(ctx context.Context) string {
	return Partition(s.RegionFor(ctx))
}

// ARN builds an ARN of service in the request's region and partition and
// the account: arn:<partition>:<service>:<region>:<account>:<resource>.
func (s ARNs) ARN(ctx context.Context, service, resource string) string {
	return s.ARNIn(s.RegionFor(ctx), service, resource)
}

// ARNIn builds an ARN of service in region (and its partition).
func (s ARNs) ARNIn(region, service, resource string) string {
	return "arn:" + Partition(region) + ":" + service + ":" + region + ":" + s.Account + ":" + resource
}

// GlobalARN builds the ARN of a resource of a global service (IAM), which
// has no region but is in the request's partition.
func (s ARNs) GlobalARN(ctx context.Context, service, resource string) string {
	return "arn:" + s.PartitionOf(ctx) + ":" + service + "::" + s.Account + ":" + resource
}

// Partition returns the partition a region belongs to, by its prefix, as
// the SDKs' partition table does.
func Partition(region string) string {
	for _, p := range []struct{ prefix, partition string }{
		{"cn-", "aws-cn"},
		{"us-gov-", "aws-us-gov"},
		{"us-iso-", "aws-iso"},
		{"us-isob-", "aws-iso-b"},
		{"eu-isoe-", "aws-iso-e"},
		{"us-isof-", "aws-iso-f"},
		{"eusc-", "aws-eusc"},
	} {
		if strings.HasPrefix(region, p.prefix) {
			return p.partition
		}
	}
	return "aws"
}

// Valid reports whether r has the form of an AWS region name: lower
// case words joined by hyphens, the first of two to four letters, the last
// a number (us-east-1, us-gov-west-1, cn-north-1, eusc-de-east-1).
func Valid(r string) bool {
	parts := strings.Split(r, "-")
	if len(r) > 32 || len(parts) < 3 {
		return false
	}
	for i, p := range parts {
		if p == "" {
			return false
		}
		for j := 0; j < len(p); j++ {
			c := p[j]
			switch {
			case i == len(parts)-1:
				if c < '0' || c > '9' {
					return false
				}
			case c < 'a' || c > 'z':
				return false
			}
		}
	}
	return len(parts[0]) >= 2 && len(parts[0]) <= 4
}
