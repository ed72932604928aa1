package emulator_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	cwltypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/emulator/emulatortest"
)

// s3Fixture is what an S3 call under test may need: a bucket with an
// object, and a multipart upload with one part.
type s3Fixture struct {
	bucket, key, uploadKey, uploadID, etag string
}

// TestFaultS3OperationNames throttles one S3 operation at a time, by its
// name in the S3 API reference, and checks that the real S3 client's call
// of that name gets S3's SlowDown while another call goes through.
func TestFaultS3OperationNames(t *testing.T) {
	calls := map[string]func(context.Context, *s3.Client, *s3Fixture) error{
		"ListBuckets": func(ctx context.Context, c *s3.Client, f *s3Fixture) error {
			_, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
			return err
		},
		"CreateBucket": func(ctx context.Context, c *s3.Client, f *s3Fixture) error {
			_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("another")})
			return err
		},
		"HeadBucket": func(ctx context.Context, c *s3.Client, f *s3Fixture) error {
			_, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: &f.bucket})
			return err
		},
		"DeleteBucket": func(ctx context.Context, c *s3.Client, f *s3Fixture) error {
			_, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: &f.bucket})
			return err
		},
		"ListObjectsV2": func(ctx context.Context, c *s3.Client, f *s3Fixture) error {
			_, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: &f.bucket, Prefix: aws.String("k")})
			return err
		},
		"ListObjects": func(ctx context.Context, c *s3.Client, f *s3Fixture) error {
			_, err := c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: &f.bucket})
			return err
		},
		"PutObject": func(ctx context.Context, c *s3.Client, f *s3Fixture) error {
			_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: &f.bucket, Key: aws.String("new"), Body: strings.NewReader("x")})
			return err
		},
		"GetObject": func(ctx context.Context, c *s3.Client, f *s3Fixture) error {
			out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: &f.bucket, Key: &f.key})
			if err == nil {
				out.Body.Close()
			}
			return err
		},
		"HeadObject": func(ctx context.Context, c *s3.Client, f *s3Fixture) error {
			_, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &f.bucket, Key: &f.key})
			return err
		},
		"CopyObject": func(ctx context.Context, c *s3.Client, f *s3Fixture) error {
			_, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: &f.bucket, Key: aws.String("copy"), CopySource: aws.String(f.bucket + "/" + f.key)})
			return err
		},
		"DeleteObject": func(ctx context.Context, c *s3.Client, f *s3Fixture) error {
			_, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &f.bucket, Key: &f.key})
			return err
		},
		"DeleteObjects": func(ctx context.Context, c *s3.Client, f *s3Fixture) error {
			_, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: &f.bucket, Delete: &s3types.Delete{Objects: []s3types.ObjectIdentifier{{Key: &f.key}}}})
			return err
		},
		"CreateMultipartUpload": func(ctx context.Context, c *s3.Client, f *s3Fixture) error {
			_, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: &f.bucket, Key: aws.String("other-upload")})
			return err
		},
		"UploadPart": func(ctx context.Context, c *s3.Client, f *s3Fixture) error {
			_, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: &f.bucket, Key: &f.uploadKey, UploadId: &f.uploadID,
				PartNumber: aws.Int32(2), Body: strings.NewReader("part two")})
			return err
		},
		"ListParts": func(ctx context.Context, c *s3.Client, f *s3Fixture) error {
			_, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: &f.bucket, Key: &f.uploadKey, UploadId: &f.uploadID})
			return err
		},
		"CompleteMultipartUpload": func(ctx context.Context, c *s3.Client, f *s3Fixture) error {
			_, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: &f.bucket, Key: &f.uploadKey, UploadId: &f.uploadID,
				MultipartUpload: &s3types.CompletedMultipartUpload{Parts: []s3types.CompletedPart{{PartNumber: aws.Int32(1), ETag: &f.etag}}}})
			return err
		},
		"AbortMultipartUpload": func(ctx context.Context, c *s3.Client, f *s3Fixture) error {
			_, err := c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: &f.bucket, Key: &f.uploadKey, UploadId: &f.uploadID})
			return err
		},
	}
	ctx := context.Background()
	for op, call := range calls {
		t.Run(op, func(t *testing.T) {
			ep := emulatortest.Start(t, emulator.WithFaults(emulator.Faults{Rules: []emulator.FaultRule{{Service: "s3", Operation: op, ThrottleRate: 1}}}))
			c := svcS3(ep.Config)
			f := &s3Fixture{bucket: "fixture", key: "k", uploadKey: "upload"}
			if err := ep.Server.EnsureBucket(ctx, f.bucket); err != nil {
				t.Fatal(err)
			}
			if err := ep.Server.PutObject(ctx, f.bucket, f.key, strings.NewReader("v")); err != nil {
				t.Fatal(err)
			}
			if op != "CreateMultipartUpload" {
				up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: &f.bucket, Key: &f.uploadKey})
				if err != nil {
					t.Fatalf("setup: %v", err)
				}
				f.uploadID = aws.ToString(up.UploadId)
				if op != "UploadPart" {
					part, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: &f.bucket, Key: &f.uploadKey, UploadId: &f.uploadID,
						PartNumber: aws.Int32(1), Body: strings.NewReader("part one")})
					if err != nil {
						t.Fatalf("setup: %v", err)
					}
					f.etag = aws.ToString(part.ETag)
				}
			}
			err := call(ctx, c, f)
			want := "SlowDown"
			if strings.HasPrefix(op, "Head") {
				want = "ServiceUnavailable" // a HEAD answer has no body: the client names the status
			}
			if code, status := apiError(err); code != want || status != 503 {
				t.Fatalf("%s: want %s 503, got %v", op, want, err)
			}
			other := "HeadObject"
			if op == other {
				other = "ListBuckets"
			}
			if err := calls[other](ctx, c, f); err != nil {
				t.Fatalf("%s, not faulted: %v", other, err)
			}
		})
	}
}

// TestFaultS3DropResponse: a dropped PutObject stored the object; an
// error answer is never dropped.
func TestFaultS3DropResponse(t *testing.T) {
	ctx := context.Background()
	ep := emulatortest.Start(t, emulator.WithFaults(emulator.Faults{Rules: []emulator.FaultRule{{Service: "s3", Operation: "PutObject", DropResponse: true}}}))
	c := svcS3(ep.Config)
	if err := ep.Server.EnsureBucket(ctx, "b-dropped"); err != nil {
		t.Fatal(err)
	}
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("b-dropped"), Key: aws.String("k"), Body: bytes.NewReader([]byte("stored"))})
	if err == nil {
		t.Fatal("the answer was not dropped")
	}
	if code, _ := apiError(err); code != "" {
		t.Fatalf("want a broken connection, got the service error %v", err)
	}
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("b-dropped"), Key: aws.String("k")})
	if err != nil {
		t.Fatalf("the dropped put did not store the object: %v", err)
	}
	body, _ := io.ReadAll(out.Body)
	out.Body.Close()
	if string(body) != "stored" {
		t.Fatalf("got %q", body)
	}
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("no-such-bucket"), Key: aws.String("k"), Body: strings.NewReader("x")})
	if code, status := apiError(err); code != "NoSuchBucket" || status != 404 {
		t.Fatalf("an error answer must reach the client: %v", err)
	}
}

// TestFaultLogs: throttling, server errors and dropped answers for
// CloudWatch Logs, in the service's terms.
func TestFaultLogs(t *testing.T) {
	ctx := context.Background()
	ep := emulatortest.Start(t, emulator.WithFaults(emulator.Faults{Rules: []emulator.FaultRule{
		{Service: "logs", Operation: "GetLogEvents", ThrottleRate: 1},
		{Service: "logs", Operation: "PutLogEvents", ServerErrorRate: 1},
		{Service: "logs", Operation: "CreateLogStream", DropResponse: true},
	}}))
	c := cloudwatchlogs.NewFromConfig(ep.Config)
	ep.Server.AppendLog("", "g", "s", time.Now(), "line")
	_, err := c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")})
	if code, status := apiError(err); code != "ThrottlingException" || status != 400 {
		t.Fatalf("GetLogEvents: want ThrottlingException 400, got %v", err)
	}
	_, err = c.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"),
		LogEvents: []cwltypes.InputLogEvent{{Timestamp: aws.Int64(time.Now().UnixMilli()), Message: aws.String("not stored")}}})
	if code, status := apiError(err); code != "ServiceUnavailableException" || status != 500 {
		t.Fatalf("PutLogEvents: want ServiceUnavailableException 500, got %v", err)
	}
	_, err = c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("created")})
	if code, _ := apiError(err); err == nil || code != "" {
		t.Fatalf("CreateLogStream: want a broken connection, got %v", err)
	}
	out, err := c.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String("g")})
	if err != nil || len(out.Events) != 1 || aws.ToString(out.Events[0].Message) != "line" {
		t.Fatalf("FilterLogEvents: %+v %v", out, err)
	}
	streams, err := c.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("g")})
	if err != nil || len(streams.LogStreams) != 2 {
		t.Fatalf("the dropped CreateLogStream must have created the stream: %+v %v", streams, err)
	}
}

// TestFaultServiceScope: a rule without a service is SageMaker's; "*"
// covers SageMaker, S3 and Logs; STS is never faulted.
func TestFaultServiceScope(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		service           string
		sagemaker, others bool // throttled?
	}{{"", true, false}, {"sagemaker", true, false}, {"*", true, true}, {"s3", false, true}} {
		t.Run("service="+tc.service, func(t *testing.T) {
			ep := emulatortest.Start(t, emulator.WithFaults(emulator.Faults{Rules: []emulator.FaultRule{{Service: tc.service, Operation: "*", ThrottleRate: 1}}}))
			check := func(what string, err error, want bool) {
				t.Helper()
				code, _ := apiError(err)
				if got := code == "ThrottlingException" || code == "SlowDown"; got != want {
					t.Fatalf("%s: throttled %v, want %v (%v)", what, got, want, err)
				}
			}
			_, err := sagemaker.NewFromConfig(ep.Config).ListTrainingJobs(ctx, &sagemaker.ListTrainingJobsInput{})
			check("sagemaker", err, tc.sagemaker)
			_, err = svcS3(ep.Config).ListBuckets(ctx, &s3.ListBucketsInput{})
			check("s3", err, tc.others)
			if tc.service != "s3" {
				_, err = cloudwatchlogs.NewFromConfig(ep.Config).DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{})
				check("logs", err, tc.others)
			}
			_, err = sts.NewFromConfig(ep.Config).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			check("sts", err, false)
		})
	}
}
