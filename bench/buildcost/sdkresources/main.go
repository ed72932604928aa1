// Command sdkresources is the baseline of `PAIR=resources bash
// bench/buildcost.sh`: with the aws-sdk-go-v2 SageMaker client only, it
// describes a training job, waits for it with the SDK's own
// TrainingJobCompletedOrStopped waiter and lists training jobs with the
// SDK's paginator, printing their names. Compare with ../withresources,
// which does the same through package resources.
//
// Nothing is sent unless -call is given (then to an unreachable local
// endpoint), so the binary needs no network to be built or run.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
)

func main() {
	name := flag.String("name", "buildcost-job", "the training job to describe and wait for")
	call := flag.Bool("call", false, "send the requests to the (unreachable) endpoint")
	flag.Parse()

	cfg := aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDBUILDCOST", "secret", ""),
		BaseEndpoint: aws.String("http://127.0.0.1:1"),
	}
	client := sagemaker.NewFromConfig(cfg)
	if !*call {
		fmt.Printf("sdkresources: would describe, wait for and list training jobs (%s)\n", *name)
		return
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	in := &sagemaker.DescribeTrainingJobInput{TrainingJobName: aws.String(*name)}
	job, err := client.DescribeTrainingJob(ctx, in)
	if err != nil {
		fail(err)
	}
	fmt.Printf("sdkresources: %s is %s\n", aws.ToString(job.TrainingJobName), job.TrainingJobStatus)

	w := sagemaker.NewTrainingJobCompletedOrStoppedWaiter(client)
	if err := w.Wait(ctx, in, 50*time.Second); err != nil {
		fail(err)
	}

	p := sagemaker.NewListTrainingJobsPaginator(client, &sagemaker.ListTrainingJobsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			fail(err)
		}
		for _, s := range page.TrainingJobSummaries {
			fmt.Println(aws.ToString(s.TrainingJobName))
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "sdkresources:", err)
	os.Exit(1)
}
