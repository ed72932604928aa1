package emulator_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	sdktypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/emulator/emulatortest"
)

// TestRaceManyClients runs clients × ops SDK calls concurrently against
// one endpoint — creates, describes, lists, stops, deletes, tags — while
// lifecycles advance, on names each client owns and on one every client
// shares. Run it with -race. Every answer must be one the service gives
// for the situation (ResourceInUse, not found, not in progress); anything
// else (a 5xx, a broken connection, a malformed answer) fails.
func TestRaceManyClients(t *testing.T) {
	for _, c := range []struct {
		name  string
		retry bool // the standard retryer, for the injected faults
		opts  []emulator.Option
	}{
		{"memory", false, nil},
		{"durable", false, []emulator.Option{emulator.WithDataDir(t.TempDir())}},
		{"faults", true, []emulator.Option{emulator.WithFaults(emulator.Faults{Rules: []emulator.FaultRule{
			{Operation: "*", ThrottleRate: 0.2, Latency: 100 * time.Microsecond},
			{Operation: "DescribeTrainingJob", ServerErrorRate: 0.1},
			{Operation: "CreateTrainingJob", FailJobs: map[string]string{"c0-j1": "injected"}}}})}},
	} {
		t.Run(c.name, func(t *testing.T) {
			raceClients(t, c.retry, append([]emulator.Option{emulator.WithSimulation(), emulator.WithStepTime(3 * time.Millisecond)}, c.opts...)...)
		})
	}
}

func raceClients(t *testing.T, retry bool, opts ...emulator.Option) {
	const clients, ops = 8, 50
	ep := emulatortest.Start(t, opts...)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, clients*ops)
	sharedCreated := make(chan string, clients)
	for c := range clients {
		wg.Go(func() {
			cfg := ep.Config
			if retry {
				cfg = standard(cfg, 10)
			}
			api := sagemaker.NewFromConfig(cfg)
			expect := func(op string, err error, allowed ...string) {
				if err == nil {
					return
				}
				code, status := apiError(err)
				if code == "ThrottlingException" || code == "InternalFailure" && status == 500 && strings.Contains(err.Error(), "internal error") {
					return // injected
				}
				for _, a := range allowed {
					if code == a {
						return
					}
				}
				errs <- fmt.Errorf("client %d %s: %w", c, op, err)
			}
			if _, err := api.CreateTrainingJob(ctx, trainingRequest("shared").ToSDK()); err == nil {
				sharedCreated <- fmt.Sprint(c)
			} else {
				expect("create shared", err, "ResourceInUse")
			}
			for i := range ops {
				name := fmt.Sprintf("c%d-j%d", c, i%7)
				var err error
				switch i % 6 {
				case 0:
					_, err = api.CreateTrainingJob(ctx, trainingRequest(name).ToSDK())
					expect("create", err, "ResourceInUse")
				case 1:
					for _, n := range []string{name, fmt.Sprintf("c%d-j%d", (c+1)%clients, i%7), fmt.Sprintf("c%d-j%d", (c+2)%clients, i%7)} {
						_, err = api.DescribeTrainingJob(ctx, &sagemaker.DescribeTrainingJobInput{TrainingJobName: aws.String(n)})
						expect("describe", err, "ValidationException")
					}
					_, err = api.DescribeTrainingJob(ctx, &sagemaker.DescribeTrainingJobInput{TrainingJobName: aws.String("shared")})
					expect("describe shared", err)
				case 2:
					p := sagemaker.NewListTrainingJobsPaginator(api, &sagemaker.ListTrainingJobsInput{MaxResults: aws.Int32(3), SortBy: sdktypes.SortByName})
					for p.HasMorePages() {
						if _, err = p.NextPage(ctx); err != nil {
							expect("list", err)
							break
						}
					}
				case 3:
					_, err = api.StopTrainingJob(ctx, &sagemaker.StopTrainingJobInput{TrainingJobName: aws.String(name)})
					expect("stop", err, "ValidationException")
				case 4:
					_, err = api.DeleteTrainingJob(ctx, &sagemaker.DeleteTrainingJobInput{TrainingJobName: aws.String(name)})
					expect("delete", err, "ValidationException")
				case 5:
					arn := "arn:aws:sagemaker:us-east-1:123456789012:training-job/shared"
					_, err = api.AddTags(ctx, &sagemaker.AddTagsInput{ResourceArn: aws.String(arn),
						Tags: []sdktypes.Tag{{Key: aws.String(fmt.Sprintf("client-%d", c)), Value: aws.String(fmt.Sprint(i))}}})
					expect("add tags", err)
					_, err = api.ListTags(ctx, &sagemaker.ListTagsInput{ResourceArn: aws.String(arn)})
					expect("list tags", err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	close(sharedCreated)
	for err := range errs {
		t.Error(err)
	}
	if n := len(sharedCreated); n != 1 {
		t.Errorf("%d clients created the shared job, want exactly 1", n)
	}
}

// TestRaceDescribeWhileAdvancing describes jobs from many clients at once
// while their lifecycles advance, so that one request's answer is being
// encoded while another request applies the next transition.
func TestRaceDescribeWhileAdvancing(t *testing.T) {
	ep := emulatortest.Start(t, emulator.WithSimulation(), emulator.WithStepTime(200*time.Microsecond))
	ctx := context.Background()
	api := sagemaker.NewFromConfig(ep.Config)
	for j := range 20 {
		name := fmt.Sprintf("hot-%d", j)
		if _, err := api.CreateTrainingJob(ctx, trainingRequest(name).ToSDK()); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for range 10 {
					if _, err := api.DescribeTrainingJob(ctx, &sagemaker.DescribeTrainingJobInput{TrainingJobName: aws.String(name)}); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
	}
}
