package resources_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smcore-go/smcore/internal/testenv"
	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/waiters"
)

// reply is one scripted answer: a status code and a JSON body.
type reply struct {
	status int
	body   string
}

// script serves SageMaker's JSON protocol from per-operation queues of
// replies; the last reply of a queue repeats.
type script struct {
	mu      sync.Mutex
	replies map[string][]reply
	calls   map[string]int
	agents  []string
	bodies  map[string][]map[string]any // request bodies by operation
}

func newScript(t *testing.T, replies map[string][]reply) (*script, *resources.Client) {
	s := &script{replies: replies, calls: map[string]int{}, bodies: map[string][]map[string]any{}}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, resources.NewFromConfig(testenv.Config(srv.URL))
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	var body map[string]any
	json.Unmarshal(raw, &body)
	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "SageMaker.")
	s.mu.Lock()
	s.bodies[op] = append(s.bodies[op], body)
	s.agents = append(s.agents, r.Header.Get("User-Agent"))
	q := s.replies[op]
	i := s.calls[op]
	s.calls[op]++
	s.mu.Unlock()
	if len(q) == 0 {
		w.Header().Set("X-Amzn-ErrorType", "InternalFailure")
		w.WriteHeader(500)
		io.WriteString(w, `{"__type":"InternalFailure","message":"no scripted reply for `+op+`"}`)
		return
	}
	rep := q[min(i, len(q)-1)]
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if rep.status >= 400 {
		var e struct {
			Type string `json:"__type"`
		}
		json.Unmarshal([]byte(rep.body), &e)
		w.Header().Set("X-Amzn-ErrorType", e.Type)
	}
	w.WriteHeader(rep.status)
	io.WriteString(w, rep.body)
}

func job(status, secondary, reason string) reply {
	b, _ := json.Marshal(map[string]any{
		"TrainingJobName": "j", "TrainingJobArn": "arn:aws:sagemaker:us-east-1:123456789012:training-job/j",
		"TrainingJobStatus": status, "SecondaryStatus": secondary, "FailureReason": reason,
		"AlgorithmSpecification": map[string]any{"TrainingInputMode": "File"},
		"CreationTime":           1.7e9, "ModelArtifacts": map[string]any{"S3ModelArtifacts": "s3://b/m.tar.gz"},
		"ResourceConfig":    map[string]any{"InstanceCount": 1, "InstanceType": "ml.m5.xlarge", "VolumeSizeInGB": 1},
		"StoppingCondition": map[string]any{"MaxRuntimeInSeconds": 60},
	})
	return reply{200, string(b)}
}

func fast(extra ...waiters.Option) []waiters.Option {
	return append([]waiters.Option{waiters.WithDelays(time.Millisecond, 2*time.Millisecond)}, extra...)
}

func TestWaitSurfacesFailureReasonAndSurvivesTransientErrors(t *testing.T) {
	s, c := newScript(t, map[string][]reply{"DescribeTrainingJob": {
		job("InProgress", "Starting", ""),
		job("InProgress", "Starting", ""),
		{400, `{"__type":"ThrottlingException","message":"Rate exceeded"}`},
		{503, `{"__type":"ServiceUnavailable","message":"try later"}`},
		job("InProgress", "Training", ""),
		job("Failed", "Failed", "AlgorithmError: loss is NaN"),
	}})
	ctx := context.Background()
	j, err := c.GetTrainingJob(ctx, "j")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var seen []string
	err = j.Wait(ctx, fast(waiters.WithProgress(func(e waiters.Event) {
		mu.Lock()
		defer mu.Unlock()
		if e.Err != nil {
			seen = append(seen, "error")
			return
		}
		seen = append(seen, e.Status+"/"+e.SecondaryStatus)
	}))...)
	var fe *waiters.FailedError
	if !errors.As(err, &fe) || fe.Reason != "AlgorithmError: loss is NaN" || fe.Status != "Failed" || fe.Kind != "TrainingJob" || fe.Name != "j" {
		t.Fatalf("want FailedError with the reason, got %v", err)
	}
	want := "InProgress/Starting error error InProgress/Training Failed/Failed"
	if got := strings.Join(seen, " "); got != want {
		t.Fatalf("events %q, want %q", got, want)
	}
	if s.calls["DescribeTrainingJob"] != 6 {
		t.Fatalf("%d describes", s.calls["DescribeTrainingJob"])
	}
	for _, ua := range s.agents {
		if !strings.Contains(ua, "smcore/"+resources.Version) {
			t.Fatalf("user agent %q lacks smcore/%s", ua, resources.Version)
		}
	}
}

func TestNotFoundForms(t *testing.T) {
	_, c := newScript(t, map[string][]reply{
		"DescribeTrainingJob": {{400, `{"__type":"ValidationException","message":"Requested resource not found."}`}},
		"DescribeEndpoint":    {{400, `{"__type":"ValidationException","message":"1 validation error detected: Value at 'endpointName' failed to satisfy constraint"}`}},
		"DescribeDomain":      {{400, `{"__type":"ResourceNotFound","message":"Domain not found"}`}},
	})
	ctx := context.Background()
	if _, err := c.GetTrainingJob(ctx, "gone"); !errors.Is(err, resources.ErrNotFound) {
		t.Errorf("service's own form for TrainingJob: %v", err)
	}
	if _, err := c.GetDomain(ctx, "d-1"); !errors.Is(err, resources.ErrNotFound) {
		t.Errorf("ResourceNotFound: %v", err)
	}
	// Any other ValidationException is not "not found".
	_, err := c.GetEndpoint(ctx, "bad name")
	if err == nil || errors.Is(err, resources.ErrNotFound) {
		t.Errorf("a plain validation error must not mean not found: %v", err)
	}
}

func TestWaitForDeleteUsesTheResourcesRule(t *testing.T) {
	_, c := newScript(t, map[string][]reply{"DescribeEndpoint": {
		{200, `{"EndpointName":"e","EndpointArn":"arn:e","EndpointConfigName":"c","EndpointStatus":"InService","CreationTime":1,"LastModifiedTime":1}`},
		{200, `{"EndpointName":"e","EndpointArn":"arn:e","EndpointConfigName":"c","EndpointStatus":"Deleting","CreationTime":1,"LastModifiedTime":1}`},
		{400, `{"__type":"ValidationException","message":"Could not find endpoint \"e\"."}`},
	}})
	ctx := context.Background()
	ep, err := c.GetEndpoint(ctx, "e")
	if err != nil {
		t.Fatal(err)
	}
	if err := ep.WaitForDelete(ctx, fast()...); err != nil {
		t.Fatalf("wait for delete: %v", err)
	}

	// A validation error that is not the not-found form ends the wait with
	// that error instead of reporting the endpoint deleted.
	_, c = newScript(t, map[string][]reply{"DescribeEndpoint": {
		{200, `{"EndpointName":"e","EndpointArn":"arn:e","EndpointConfigName":"c","EndpointStatus":"Deleting","CreationTime":1,"LastModifiedTime":1}`},
		{400, `{"__type":"ValidationException","message":"Access to this endpoint is restricted"}`},
	}})
	ep, _ = c.GetEndpoint(ctx, "e")
	if err := ep.WaitForDelete(ctx, fast()...); err == nil {
		t.Fatal("an unrelated ValidationException was taken as deleted")
	}
}

func TestDeleteFailedIsDistinct(t *testing.T) {
	_, c := newScript(t, map[string][]reply{"DescribeFeatureGroup": {
		{200, `{"FeatureGroupName":"f","FeatureGroupArn":"arn:f","FeatureGroupStatus":"Deleting","RecordIdentifierFeatureName":"id","EventTimeFeatureName":"t","FeatureDefinitions":[],"CreationTime":1}`},
		{200, `{"FeatureGroupName":"f","FeatureGroupArn":"arn:f","FeatureGroupStatus":"DeleteFailed","FailureReason":"in use","RecordIdentifierFeatureName":"id","EventTimeFeatureName":"t","FeatureDefinitions":[],"CreationTime":1}`},
	}})
	ctx := context.Background()
	fg, err := c.GetFeatureGroup(ctx, "f")
	if err != nil {
		t.Fatal(err)
	}
	var df *waiters.DeleteFailedError
	if err := fg.WaitForDelete(ctx, fast()...); !errors.As(err, &df) || df.Reason != "in use" {
		t.Fatalf("want DeleteFailedError, got %v", err)
	}
}

func TestWaitHonoursDeadline(t *testing.T) {
	_, c := newScript(t, map[string][]reply{"DescribeTrainingJob": {job("InProgress", "Training", "")}})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	j, err := c.GetTrainingJob(ctx, "j")
	if err != nil {
		t.Fatal(err)
	}
	err = j.Wait(ctx, fast()...)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "InProgress") {
		t.Fatalf("want a deadline error naming the last status, got %v", err)
	}
}

func TestStoppedIsSuccessUnlessAsked(t *testing.T) {
	_, c := newScript(t, map[string][]reply{"DescribeTrainingJob": {job("Stopped", "Stopped", "")}})
	ctx := context.Background()
	j, _ := c.GetTrainingJob(ctx, "j")
	if err := j.Wait(ctx, fast()...); err != nil {
		t.Fatalf("stopped is a success: %v", err)
	}
	var se *waiters.StoppedError
	if err := j.Wait(ctx, fast(waiters.WithStoppedAsError())...); !errors.As(err, &se) {
		t.Fatalf("want StoppedError, got %v", err)
	}
}

func TestListKeepsPagingAfterEmptyPageAndStopsOnRepeatedToken(t *testing.T) {
	_, c := newScript(t, map[string][]reply{"ListTrainingJobs": {
		{200, `{"TrainingJobSummaries":[],"NextToken":"t1"}`},
		{200, `{"TrainingJobSummaries":[{"TrainingJobName":"a","TrainingJobArn":"arn:a","CreationTime":1,"TrainingJobStatus":"Completed"}],"NextToken":"t2"}`},
		{200, `{"TrainingJobSummaries":[{"TrainingJobName":"b","TrainingJobArn":"arn:b","CreationTime":1,"TrainingJobStatus":"Completed"}],"NextToken":"t2"}`},
	}})
	var names []string
	var last error
	for s, err := range c.ListTrainingJobs(context.Background(), nil) {
		if err != nil {
			last = err
			break
		}
		names = append(names, s.TrainingJobName)
	}
	if strings.Join(names, ",") != "a,b" {
		t.Fatalf("names %v", names)
	}
	if last == nil || !strings.Contains(last.Error(), "repeated page token") {
		t.Fatalf("want a repeated-token error, got %v", last)
	}
}
