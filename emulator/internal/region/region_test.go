package region

import (
	"context"
	"testing"
)

func TestRegionsAndPartitions(t *testing.T) {
	for r, want := range map[string]string{
		"us-east-1": "aws", "ap-southeast-5": "aws", "cn-north-1": "aws-cn", "cn-northwest-1": "aws-cn",
		"us-gov-west-1": "aws-us-gov", "us-iso-east-1": "aws-iso", "us-isob-east-1": "aws-iso-b", "eusc-de-east-1": "aws-eusc",
	} {
		if !Valid(r) || Partition(r) != want {
			t.Errorf("%s: valid %v, partition %s, want %s", r, Valid(r), Partition(r), want)
		}
	}
	for _, r := range []string{"", "not a region", "US-EAST-1", "us_east_1", "useast1", "us-east", "us--1", "us-east-1a", "x-east-1", "-us-east-1", "local"} {
		if Valid(r) {
			t.Errorf("%q taken for a region", r)
		}
	}
	s := ARNs{Default: "eu-west-1", Account: "111122223333"}
	bg := context.Background()
	if Of(bg) != "" || s.RegionFor(bg) != "eu-west-1" || s.ARN(bg, "logs", "log-group:g") != "arn:aws:logs:eu-west-1:111122223333:log-group:g" {
		t.Errorf("without a request: %q %q %q", Of(bg), s.RegionFor(bg), s.ARN(bg, "logs", "log-group:g"))
	}
	ctx := With(bg, "cn-north-1")
	if Of(ctx) != "cn-north-1" || s.PartitionOf(ctx) != "aws-cn" || s.ARN(ctx, "sagemaker", "training-job/j") != "arn:aws-cn:sagemaker:cn-north-1:111122223333:training-job/j" ||
		s.GlobalARN(ctx, "iam", "user/local") != "arn:aws-cn:iam::111122223333:user/local" {
		t.Errorf("in cn-north-1: %q %q %q", s.PartitionOf(ctx), s.ARN(ctx, "sagemaker", "training-job/j"), s.GlobalARN(ctx, "iam", "user/local"))
	}
}
