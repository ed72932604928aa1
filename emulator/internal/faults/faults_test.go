package faults

import (
	"context"
	"testing"
	"time"
)

func seq(vals ...float64) func() float64 {
	return func() float64 { v := vals[0]; vals = vals[1:]; return v }
}

func TestNilInjectsNothing(t *testing.T) {
	var f *Set
	if f.Before(context.Background(), "sagemaker", "X") != nil || f.Drop("s3", "PutObject") {
		t.Fatal("a nil Set injected a fault")
	}
	if _, ok := f.JobFailure("j"); ok {
		t.Fatal("a nil Set failed a job")
	}
}

func TestRulesByServiceAndOperation(t *testing.T) {
	f := New([]Rule{
		{Operation: "CreateTrainingJob", ThrottleRate: 0.5, FailJobs: map[string]string{"bad": "AlgorithmError: injected"}},
		{Service: "s3", Operation: "*", ServerErrorRate: 1},
		{Service: "*", Operation: "GetLogEvents", DropResponse: true},
	}, seq(0.4, 0.6, 0.99))
	ctx := context.Background()
	if e := f.Before(ctx, "sagemaker", "CreateTrainingJob"); e == nil || e.Code != "ThrottlingException" || e.Status != 400 {
		t.Errorf("throttled (0.4 < 0.5): %v", e)
	}
	if e := f.Before(ctx, "sagemaker", "CreateTrainingJob"); e != nil {
		t.Errorf("not throttled (0.6): %v", e)
	}
	if e := f.Before(ctx, "sagemaker", "DescribeTrainingJob"); e != nil {
		t.Errorf("another operation: %v", e)
	}
	// A rule without Service is SageMaker's; Logs' create is not matched.
	if e := f.Before(ctx, "logs", "CreateTrainingJob"); e != nil {
		t.Errorf("the rule leaked to logs: %v", e)
	}
	if e := f.Before(ctx, "s3", "GetObject"); e == nil || e.Code != "InternalError" || e.Status != 500 {
		t.Errorf("S3's internal error: %v", e)
	}
	if !f.Drop("logs", "GetLogEvents") || !f.Drop("sagemaker", "GetLogEvents") || f.Drop("logs", "PutLogEvents") {
		t.Error("DropResponse by operation across services")
	}
	if r, ok := f.JobFailure("bad"); !ok || r != "AlgorithmError: injected" {
		t.Errorf("JobFailure: %q %v", r, ok)
	}
	if _, ok := f.JobFailure("good"); ok {
		t.Error("a job not named failed")
	}
}

func TestLatencyEndsWithTheClient(t *testing.T) {
	f := New([]Rule{{Service: "logs", Latency: time.Hour}}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if e := f.Before(ctx, "logs", "GetLogEvents"); e == nil || e.Code != "RequestTimeout" {
		t.Fatalf("a client gone during the latency: %v", e)
	}
}
