// Command withresources is the measured side of `PAIR=resources bash
// bench/buildcost.sh`: it does what ../sdkresources does, through package
// resources: GetTrainingJob, job.Wait and ranging over ListTrainingJobs,
// printing the names.
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

	"github.com/smcore-go/smcore/resources"
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
	c := resources.NewFromConfig(cfg)
	if !*call {
		fmt.Printf("withresources: would describe, wait for and list training jobs (%s)\n", *name)
		return
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	job, err := c.GetTrainingJob(ctx, *name)
	if err != nil {
		fail(err)
	}
	fmt.Printf("withresources: %s is %s\n", job.TrainingJobName, job.TrainingJobStatus)

	if err := job.Wait(ctx); err != nil {
		fail(err)
	}

	for s, err := range c.ListTrainingJobs(ctx, nil) {
		if err != nil {
			fail(err)
		}
		fmt.Println(s.TrainingJobName)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "withresources:", err)
	os.Exit(1)
}
