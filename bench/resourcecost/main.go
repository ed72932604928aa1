// Command resourcecost measures the client-side cost of a resource create +
// get through package resources against the same requests made with the raw
// SDK, to the same canned loopback server, interleaved and repeated, and
// prints the ratios (goal: ≤ 1.05).
//
//	go run ./bench/resourcecost [-repeats 5]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/shapes"
)

const describe = `{"TrainingJobName":"job","TrainingJobArn":"arn:aws:sagemaker:us-east-1:123456789012:training-job/job",
"TrainingJobStatus":"InProgress","SecondaryStatus":"Starting","AlgorithmSpecification":{"TrainingImage":"img:1","TrainingInputMode":"File"},
"RoleArn":"arn:aws:iam::123456789012:role/r","ResourceConfig":{"InstanceType":"ml.m5.xlarge","InstanceCount":1,"VolumeSizeInGB":30},
"StoppingCondition":{"MaxRuntimeInSeconds":3600},"OutputDataConfig":{"S3OutputPath":"s3://b/out"},"CreationTime":1.7e9,
"ModelArtifacts":{"S3ModelArtifacts":""},"HyperParameters":{"epochs":"10","lr":"0.1"},
"InputDataConfig":[{"ChannelName":"train","DataSource":{"S3DataSource":{"S3DataType":"S3Prefix","S3Uri":"s3://b/train"}}}],
"SecondaryStatusTransitions":[{"Status":"Starting","StartTime":1.7e9,"StatusMessage":"Preparing"}]}`

func server() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if strings.HasSuffix(r.Header.Get("X-Amz-Target"), "CreateTrainingJob") {
			io.WriteString(w, `{"TrainingJobArn":"arn:aws:sagemaker:us-east-1:123456789012:training-job/job"}`)
			return
		}
		io.WriteString(w, describe)
	}))
}

func cfg(url string) aws.Config {
	return aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""), Retryer: func() aws.Retryer { return aws.NopRetryer{} }}
}

func rawRun(ctx context.Context, c *sagemaker.Client) error {
	_, err := c.CreateTrainingJob(ctx, &sagemaker.CreateTrainingJobInput{
		TrainingJobName: aws.String("job"), RoleArn: aws.String("arn:aws:iam::123456789012:role/r"),
		AlgorithmSpecification: &types.AlgorithmSpecification{TrainingImage: aws.String("img:1"), TrainingInputMode: types.TrainingInputModeFile},
		ResourceConfig:         &types.ResourceConfig{InstanceType: types.TrainingInstanceTypeMlM5Xlarge, InstanceCount: aws.Int32(1), VolumeSizeInGB: aws.Int32(30)},
		StoppingCondition:      &types.StoppingCondition{MaxRuntimeInSeconds: aws.Int32(3600)},
		OutputDataConfig:       &types.OutputDataConfig{S3OutputPath: aws.String("s3://b/out")},
		HyperParameters:        map[string]string{"epochs": "10", "lr": "0.1"},
		InputDataConfig: []types.Channel{{ChannelName: aws.String("train"), DataSource: &types.DataSource{S3DataSource: &types.S3DataSource{
			S3DataType: types.S3DataTypeS3Prefix, S3Uri: aws.String("s3://b/train")}}}},
	})
	if err != nil {
		return err
	}
	_, err = c.DescribeTrainingJob(ctx, &sagemaker.DescribeTrainingJobInput{TrainingJobName: aws.String("job")})
	return err
}

func smcoreRun(ctx context.Context, c *resources.Client) error {
	_, err := c.CreateTrainingJob(ctx, &shapes.CreateTrainingJobInput{
		TrainingJobName: "job", RoleArn: "arn:aws:iam::123456789012:role/r",
		AlgorithmSpecification: &shapes.AlgorithmSpecification{TrainingImage: "img:1", TrainingInputMode: shapes.TrainingInputModeFile},
		ResourceConfig:         &shapes.ResourceConfig{InstanceType: shapes.TrainingInstanceTypeMlM5Xlarge, InstanceCount: aws.Int32(1), VolumeSizeInGB: aws.Int32(30)},
		StoppingCondition:      &shapes.StoppingCondition{MaxRuntimeInSeconds: aws.Int32(3600)},
		OutputDataConfig:       &shapes.OutputDataConfig{S3OutputPath: "s3://b/out"},
		HyperParameters:        map[string]string{"epochs": "10", "lr": "0.1"},
		InputDataConfig: []shapes.Channel{{ChannelName: "train", DataSource: &shapes.DataSource{S3DataSource: &shapes.S3DataSource{
			S3DataType: shapes.S3DataTypeS3Prefix, S3Uri: "s3://b/train"}}}},
	})
	return err
}

func cpu() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

type sample struct{ cpuPerOp, allocs, bytes float64 }

func measure(f func() error) sample {
	var c0 time.Duration
	var n int
	res := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		c0 = cpu()
		for b.Loop() {
			if err := f(); err != nil {
				fmt.Fprintln(os.Stderr, "resourcecost:", err)
				os.Exit(1)
			}
		}
		n = b.N
	})
	return sample{float64(cpu()-c0) / float64(n), float64(res.AllocsPerOp()), float64(res.AllocedBytesPerOp())}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func main() {
	repeats := flag.Int("repeats", 3, "interleaved repeats (at least 3)")
	flag.Parse()
	if *repeats < 3 {
		*repeats = 3
	}
	srv := server()
	defer srv.Close()
	ctx := context.Background()
	raw := sagemaker.NewFromConfig(cfg(srv.URL))
	sm := resources.NewFromConfig(cfg(srv.URL))
	var rc, sc, ra, sa, rb, sb []float64
	fmt.Printf("%-8s %-8s %14s %10s %10s\n", "repeat", "variant", "cpu/op", "allocs/op", "B/op")
	for i := range *repeats {
		r := measure(func() error { return rawRun(ctx, raw) })
		s := measure(func() error { return smcoreRun(ctx, sm) })
		fmt.Printf("%-8d %-8s %14v %10.0f %10.0f\n", i+1, "raw SDK", time.Duration(r.cpuPerOp), r.allocs, r.bytes)
		fmt.Printf("%-8d %-8s %14v %10.0f %10.0f\n", i+1, "smcore", time.Duration(s.cpuPerOp), s.allocs, s.bytes)
		rc, sc = append(rc, r.cpuPerOp), append(sc, s.cpuPerOp)
		ra, sa = append(ra, r.allocs), append(sa, s.allocs)
		rb, sb = append(rb, r.bytes), append(sb, s.bytes)
	}
	ct, al, by := median(sc)/median(rc), median(sa)/median(ra), median(sb)/median(rb)
	fmt.Printf("\nresourcecost: cpu_ratio=%.3f allocs_ratio=%.3f bytes_ratio=%.3f (goal <= 1.05; CPU includes the in-process canned server, the same for both)\n", ct, al, by)
}
