// Command durablecost measures what a data directory (emulator.WithDataDir)
// costs the local endpoint: calls per second of
//
//   - CreateModel on an endpoint that already holds -existing models (each
//     change rewrites the SageMaker state file whole and fsyncs it),
//   - DescribeModel (a read: nothing is written),
//   - S3 PutObject of -object bytes (one file per object, fsynced),
//   - PutLogEvents of one event (an append; the journal is synced before
//     the answer),
//
// each against a memory-only endpoint (the baseline) and a durable one, in
// alternating order and repeated, through the real SDK clients over
// loopback, and prints the medians and the ratio durable/memory per call.
//
//	go run ./bench/durablecost [-repeats 3] [-duration 1s] [-existing 1000] [-object 65536]
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	cwltypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/smcore-go/smcore/emulator"
)

type clients struct {
	sm   *sagemaker.Client
	s3   *s3.Client
	logs *cloudwatchlogs.Client
	n    int // names made so far
}

func start(dir string) (*clients, func(), error) {
	var opts []emulator.Option
	if dir != "" {
		opts = append(opts, emulator.WithDataDir(dir))
	}
	emu := emulator.New(opts...)
	srv := httptest.NewServer(emu)
	cfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""), Retryer: func() aws.Retryer { return aws.NopRetryer{} }}
	c := &clients{sm: sagemaker.NewFromConfig(cfg), s3: s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }),
		logs: cloudwatchlogs.NewFromConfig(cfg)}
	stop := func() { srv.Close(); emu.Close() }
	ctx := context.Background()
	if _, err := c.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bench")}); err != nil {
		stop()
		return nil, nil, err
	}
	if _, err := c.logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("g")}); err != nil {
		stop()
		return nil, nil, err
	}
	if _, err := c.logs.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")}); err != nil {
		stop()
		return nil, nil, err
	}
	return c, stop, nil
}

func (c *clients) createModel(ctx context.Context) error {
	c.n++
	_, err := c.sm.CreateModel(ctx, &sagemaker.CreateModelInput{ModelName: aws.String(fmt.Sprintf("model-%d", c.n)),
		ExecutionRoleArn: aws.String("arn:aws:iam::123456789012:role/SageMakerRole"),
		PrimaryContainer: &types.ContainerDefinition{Image: aws.String("123456789012.dkr.ecr.us-east-1.amazonaws.com/serve:1"),
			Environment: map[string]string{"A": "1", "B": "2"}}})
	return err
}

func main() {
	repeats := flag.Int("repeats", 3, "interleaved repeats (at least 3)")
	duration := flag.Duration("duration", time.Second, "how long each measurement runs")
	existing := flag.Int("existing", 1000, "models the endpoints hold before CreateModel is measured")
	objectSize := flag.Int("object", 64<<10, "bytes of each S3 object put")
	flag.Parse()
	if err := run(*repeats, *duration, *existing, *objectSize); err != nil {
		fmt.Fprintln(os.Stderr, "durablecost:", err)
		os.Exit(1)
	}
}

func run(repeats int, d time.Duration, existing, objectSize int) error {
	if repeats < 3 {
		return fmt.Errorf("-repeats %d: at least 3", repeats)
	}
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "durablecost-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	mem, stopMem, err := start("")
	if err != nil {
		return err
	}
	defer stopMem()
	dur, stopDur, err := start(dir)
	if err != nil {
		return err
	}
	defer stopDur()
	for _, c := range []*clients{mem, dur} {
		for range existing {
			if err := c.createModel(ctx); err != nil {
				return err
			}
		}
	}
	body := bytes.Repeat([]byte("x"), objectSize)
	calls := []struct {
		name string
		do   func(*clients) error
	}{
		{fmt.Sprintf("CreateModel (%d+ models held)", existing), func(c *clients) error { return c.createModel(ctx) }},
		{"DescribeModel", func(c *clients) error {
			_, err := c.sm.DescribeModel(ctx, &sagemaker.DescribeModelInput{ModelName: aws.String("model-1")})
			return err
		}},
		{fmt.Sprintf("S3 PutObject (%d bytes)", objectSize), func(c *clients) error {
			c.n++
			_, err := c.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bench"), Key: aws.String(fmt.Sprintf("k/%d", c.n)), Body: bytes.NewReader(body)})
			return err
		}},
		{"PutLogEvents (1 event)", func(c *clients) error {
			_, err := c.logs.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"),
				LogEvents: []cwltypes.InputLogEvent{{Timestamp: aws.Int64(time.Now().UnixMilli()), Message: aws.String("loss=0.25 epoch=3")}}})
			return err
		}},
	}
	rate := func(c *clients, do func(*clients) error) (float64, error) {
		n, t0 := 0, time.Now()
		for time.Since(t0) < d {
			if err := do(c); err != nil {
				return 0, err
			}
			n++
		}
		return float64(n) / time.Since(t0).Seconds(), nil
	}
	fmt.Printf("%-36s %12s %12s %8s\n", "call", "memory/s", "durable/s", "ratio")
	for _, call := range calls {
		var m, du, ratios []float64
		for i := range repeats {
			order := []*clients{mem, dur}
			if i%2 == 1 {
				order = []*clients{dur, mem}
			}
			got := map[*clients]float64{}
			for _, c := range order {
				r, err := rate(c, call.do)
				if err != nil {
					return fmt.Errorf("%s: %w", call.name, err)
				}
				got[c] = r
			}
			m, du = append(m, got[mem]), append(du, got[dur])
			ratios = append(ratios, got[dur]/got[mem])
		}
		fmt.Printf("%-36s %12.0f %12.0f %8.3f\n", call.name, median(m), median(du), median(ratios))
	}
	return nil
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
