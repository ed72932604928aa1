package resources_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"

	"github.com/smcore-go/smcore/internal/testenv"
	"github.com/smcore-go/smcore/resources"
)

// lostResponse commits the first CreateTrainingJob and drops the
// connection before answering, as a network failure would; the SDK then
// retries the create, which finds the job already there.
type lostResponse struct {
	mu      sync.Mutex
	creates int
	token   string // creation token the first create carried
	foreign bool   // the existing job was made by someone else
}

func (s *lostResponse) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "SageMaker.")
	s.mu.Lock()
	defer s.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	switch op {
	case "CreateTrainingJob":
		s.creates++
		if s.creates == 1 {
			var in struct{ Tags []struct{ Key, Value string } }
			json.Unmarshal(body, &in)
			for _, t := range in.Tags {
				if t.Key == resources.CreationTokenTag {
					s.token = t.Value
				}
			}
			if s.foreign {
				s.token = "someone-else"
			}
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		w.Header().Set("X-Amzn-ErrorType", "ResourceInUse")
		w.WriteHeader(400)
		io.WriteString(w, `{"__type":"ResourceInUse","message":"Training job names must be unique within an AWS account and region"}`)
	case "DescribeTrainingJob":
		b, _ := json.Marshal(map[string]any{"TrainingJobName": "j", "TrainingJobArn": "arn:aws:sagemaker:us-east-1:123456789012:training-job/j",
			"TrainingJobStatus": "InProgress", "SecondaryStatus": "Starting", "AlgorithmSpecification": map[string]any{"TrainingInputMode": "File"},
			"CreationTime": 1, "ModelArtifacts": map[string]any{"S3ModelArtifacts": ""}, "StoppingCondition": map[string]any{},
			"ResourceConfig": map[string]any{"VolumeSizeInGB": 1}})
		w.Write(b)
	case "ListTags":
		b, _ := json.Marshal(map[string]any{"Tags": []map[string]string{{"Key": "team", "Value": "ml"}, {"Key": resources.CreationTokenTag, "Value": s.token}}})
		w.Write(b)
	default:
		w.WriteHeader(500)
	}
}

func retrying(url string) aws.Config {
	cfg := testenv.Config(url)
	cfg.Retryer = func() aws.Retryer { return retry.NewStandard(func(o *retry.StandardOptions) { o.MaxAttempts = 3 }) }
	return cfg
}

func TestCreateRetriedAfterLostResponseAdoptsItsOwnResource(t *testing.T) {
	s := &lostResponse{}
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := resources.NewFromConfig(retrying(srv.URL), resources.WithCreationToken())
	job, err := c.CreateTrainingJob(context.Background(), trainingRequest("j"))
	if err != nil {
		t.Fatalf("the retried create must adopt the job it made: %v", err)
	}
	if s.creates != 2 || s.token == "" || job.ResourceName() != "j" {
		t.Fatalf("creates %d, token %q", s.creates, s.token)
	}
}

// The creation token is opt-in: without WithCreationToken no tag is added
// (policies restricting aws:TagKeys would refuse it), and a lost response
// ends as the service's ResourceInUse.
func TestCreationTokenIsOptIn(t *testing.T) {
	s := &lostResponse{}
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := resources.NewFromConfig(retrying(srv.URL))
	_, err := c.CreateTrainingJob(context.Background(), trainingRequest("j"))
	if err == nil || !strings.Contains(err.Error(), "ResourceInUse") {
		t.Fatalf("without the token: want ResourceInUse, got %v", err)
	}
	if s.token != "" {
		t.Fatalf("a tag was added without WithCreationToken: %q", s.token)
	}
}

func TestCreateDoesNotAdoptSomeoneElsesResource(t *testing.T) {
	s := &lostResponse{foreign: true}
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := resources.NewFromConfig(retrying(srv.URL), resources.WithCreationToken())
	if _, err := c.CreateTrainingJob(context.Background(), trainingRequest("j")); err == nil || !strings.Contains(err.Error(), "ResourceInUse") {
		t.Fatalf("want ResourceInUse, got %v", err)
	}
}
