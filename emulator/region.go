package emulator

import (
	"context"
	"strings"
)

// A request signed for any region is served: the region is the signing
// scope's, checked only for its form (validRegion), and handed to the
// handlers through the request's context (regionOf). ARNs carry it and its
// partition (arn). SageMaker and CloudWatch Logs state is per region; S3
// buckets are one namespace, as in S3. WithRegion names the region used
// where no request says one (ARNs made outside a request, log lines
// AppendLog is given no region for).

type regionKey struct{}

// withRegion returns ctx carrying a verified request's region.
func withRegion(ctx context.Context, region string) context.Context {
	return context.WithValue(ctx, regionKey{}, region)
}

// regionOf returns the region the request behind ctx was signed for, or
// "" when ctx is not a request's (background work).
func regionOf(ctx context.Context) string {
	r, _ := ctx.Value(regionKey{}).(string)
	return r
}

// regionFor returns the region of the request behind ctx, or the server's
// default region (WithRegion) when there is none.
func (s *Server) regionFor(ctx context.Context) string {
	if r := regionOf(ctx); r != "" {
		return r
	}
	return s.region
}

// partitionOf returns the partition of the request behind ctx (or of the
// server's default region).
func (s *Server) partitionOf(ctx context.Context) string {
	return partition(s.regionFor(ctx))
}

// arn builds an ARN of service in the request's region and partition and
// the server's account: arn:<partition>:<service>:<region>:<account>:<resource>.
func (s *Server) arn(ctx context.Context, service, resource string) string {
	return s.arnIn(s.regionFor(ctx), service, resource)
}

// arnIn builds an ARN of service in region (and its partition).
func (s *Server) arnIn(region, service, resource string) string {
	return "arn:" + partition(region) + ":" + service + ":" + region + ":" + s.account + ":" + resource
}

// globalARN builds the ARN of a resource of a global service (IAM), which
// has no region but is in the request's partition.
func (s *Server) globalARN(ctx context.Context, service, resource string) string {
	return "arn:" + s.partitionOf(ctx) + ":" + service + "::" + s.account + ":" + resource
}

// partition returns the partition a region belongs to, by its prefix, as
// the SDKs' partition table does.
func partition(region string) string {
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

// validRegion reports whether r has the form of an AWS region name: lower
// case words joined by hyphens, the first of two to four letters, the last
// a number (us-east-1, us-gov-west-1, cn-north-1, eusc-de-east-1).
func validRegion(r string) bool {
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
