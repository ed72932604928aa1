package logs

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smcore-go/smcore/emulator/internal/region"
)

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func newService(t *testing.T, c *clock, dir string, delay time.Duration) *Service {
	t.Helper()
	return New(Config{ARNs: region.ARNs{Default: "us-east-1", Account: "111122223333"}, Now: c.now, Dir: dir, Delay: delay})
}

// call sends one Logs request, signed (as the router would have checked)
// for reg, and decodes the answer.
func call(t *testing.T, s *Service, reg, op, body string) (int, map[string]any) {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("X-Amz-Target", "Logs_20140328."+op)
	r = r.WithContext(region.With(r.Context(), reg))
	w := httptest.NewRecorder()
	s.Serve(w, r, []byte(body))
	var out map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatalf("%s: %v: %s", op, err, w.Body)
	}
	return w.Code, out
}

func messages(out map[string]any) []string {
	var msgs []string
	for _, e := range out["events"].([]any) {
		msgs = append(msgs, e.(map[string]any)["message"].(string))
	}
	return msgs
}

func TestAppendIsPerRegion(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 2, 3, 4, 5, 0, time.UTC)}
	s := newService(t, c, "", 0)
	s.Append("eu-west-1", "/aws/sagemaker/TrainingJobs", "job/algo-1-1", c.now(), "epoch 1")
	s.Append("", "/aws/sagemaker/TrainingJobs", "job/algo-1-1", c.now(), "default region")
	req := `{"logGroupName":"/aws/sagemaker/TrainingJobs","logStreamName":"job/algo-1-1","startFromHead":true}`
	if code, out := call(t, s, "eu-west-1", "GetLogEvents", req); code != 200 || strings.Join(messages(out), "|") != "epoch 1" {
		t.Errorf("eu-west-1: %d %v", code, out)
	}
	if code, out := call(t, s, "us-east-1", "GetLogEvents", req); code != 200 || strings.Join(messages(out), "|") != "default region" {
		t.Errorf("us-east-1 (the default): %d %v", code, out)
	}
	if code, out := call(t, s, "ap-south-1", "GetLogEvents", req); code != 400 || out["__type"] != "ResourceNotFoundException" {
		t.Errorf("ap-south-1 has no such group: %d %v", code, out)
	}
	// An ARN reaches its own region's group from any region.
	arn := `{"logGroupIdentifier":"arn:aws:logs:eu-west-1:111122223333:log-group:/aws/sagemaker/TrainingJobs","logStreamName":"job/algo-1-1","startFromHead":true}`
	if code, out := call(t, s, "ap-south-1", "GetLogEvents", arn); code != 200 || len(messages(out)) != 1 {
		t.Errorf("by ARN: %d %v", code, out)
	}
}

func TestDelayHidesRecentEvents(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 2, 3, 4, 5, 0, time.UTC)}
	s := newService(t, c, "", 2*time.Second)
	s.Append("", "g", "s", c.now(), "late line")
	req := `{"logGroupName":"g","logStreamName":"s","startFromHead":true}`
	if _, out := call(t, s, "us-east-1", "GetLogEvents", req); len(messages(out)) != 0 {
		t.Fatalf("readable before the delay: %v", out)
	}
	c.add(2 * time.Second)
	if _, out := call(t, s, "us-east-1", "GetLogEvents", req); len(messages(out)) != 1 {
		t.Fatalf("not readable after the delay: %v", out)
	}
}

func TestJournalAcrossRestarts(t *testing.T) {
	dir := t.TempDir()
	c := &clock{t: time.Date(2026, 12, 2, 3, 4, 5, 0, time.UTC)}
	s := newService(t, c, dir, 0)
	s.Append("eu-west-1", "g", "s", c.now(), "kept")
	if code, _ := call(t, s, "eu-west-1", "CreateLogGroup", `{"logGroupName":"made"}`); code != 200 {
		t.Fatalf("CreateLogGroup: %d", code)
	}
	if err := s.Sync(); err != nil {
		t.Fatal(err)
	}
	s2 := newService(t, c, dir, 0)
	if err := s2.Err(); err != nil {
		t.Fatal(err)
	}
	if _, out := call(t, s2, "eu-west-1", "GetLogEvents", `{"logGroupName":"g","logStreamName":"s","startFromHead":true}`); strings.Join(messages(out), "|") != "kept" {
		t.Errorf("after a restart: %v", out)
	}
	if _, out := call(t, s2, "eu-west-1", "DescribeLogGroups", `{}`); len(out["logGroups"].([]any)) != 2 {
		t.Errorf("groups after a restart: %v", out)
	}
	// A journal that is all NUL bytes is an error, never an empty state.
	if err := os.WriteFile(filepath.Join(dir, logJournalFile), make([]byte, 64), 0o600); err != nil {
		t.Fatal(err)
	}
	s3 := newService(t, c, dir, 0)
	if err := s3.Err(); err == nil || !strings.Contains(err.Error(), "NUL") {
		t.Fatalf("a damaged journal: %v", err)
	}
	if code, out := call(t, s3, "eu-west-1", "DescribeLogGroups", `{}`); code != 500 || out["__type"] != "ServiceUnavailableException" {
		t.Errorf("served over a damaged journal: %d %v", code, out)
	}
}
