package sagemaker

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestAnswersAreNotModifiedLater checks that a value the endpoint has
// answered with is never changed afterwards: answers are encoded after the
// lock is released, so a later change to what they share (a training
// job's status transitions, when the next one ends the last) would be a
// data race with that encoding. The race detector rarely catches that
// interleaving over loopback; this test catches the sharing itself.
func TestAnswersAreNotModifiedLater(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s := newService(Config{Simulate: true, Now: clock, Step: time.Minute})
	createJob(t, s, "j")
	var answers []map[string]any
	var encoded [][]byte
	for range 6 {
		out, err := s.sagemaker("DescribeTrainingJob", map[string]any{"TrainingJobName": "j"})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(out)
		answers, encoded = append(answers, out), append(encoded, b)
		mu.Lock()
		now = now.Add(time.Minute)
		mu.Unlock()
	}
	for i, out := range answers {
		if b, _ := json.Marshal(out); !bytes.Equal(b, encoded[i]) {
			t.Fatalf("answer %d changed after it was given:\nthen %s\nnow  %s", i, encoded[i], b)
		}
	}
}

func createJob(t *testing.T, s *Service, name string) {
	t.Helper()
	var body map[string]any
	dec := json.NewDecoder(bytes.NewReader([]byte(`{"TrainingJobName":"` + name + `","RoleArn":"arn:aws:iam::123456789012:role/r",
		"AlgorithmSpecification":{"TrainingImage":"img:1","TrainingInputMode":"File"},
		"ResourceConfig":{"InstanceType":"ml.m5.xlarge","InstanceCount":1,"VolumeSizeInGB":10},
		"OutputDataConfig":{"S3OutputPath":"s3://b/out"},"StoppingCondition":{"MaxRuntimeInSeconds":3600}}`)))
	dec.UseNumber()
	if err := dec.Decode(&body); err != nil {
		t.Fatal(err)
	}
	if _, err := s.sagemaker("CreateTrainingJob", body); err != nil {
		t.Fatal(err)
	}
}

// TestRaceEncodeWhileAdvancing encodes answers, as serveSageMaker does
// after the lock is released, while other goroutines apply transitions to
// the same jobs (run with -race).
func TestRaceEncodeWhileAdvancing(t *testing.T) {
	s := newService(Config{Simulate: true, Step: 20 * time.Microsecond})
	for j := range 30 {
		name := fmt.Sprintf("j%d", j)
		createJob(t, s, name)
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for range 20 {
					out, err := s.sagemaker("DescribeTrainingJob", map[string]any{"TrainingJobName": name})
					if err != nil {
						t.Error(err)
						return
					}
					json.Marshal(out)
				}
			})
		}
		wg.Wait()
	}
}
