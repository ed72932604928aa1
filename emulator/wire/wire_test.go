package wire

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestDecode(t *testing.T) {
	r, err := Decode("POST", "SageMaker.DescribeTrainingJob", strings.NewReader(`{"TrainingJobName":"x","N":1.5}`))
	if err != nil || r.Operation != "DescribeTrainingJob" || r.Prefix != "SageMaker" || r.Body["TrainingJobName"] != "x" {
		t.Fatalf("%+v %v", r, err)
	}
	if n, ok := r.Body["N"].(json.Number); !ok || n.String() != "1.5" {
		t.Fatalf("numbers stay exact: %#v", r.Body["N"])
	}
	for _, c := range []struct{ method, target, body, code string }{
		{"GET", "SageMaker.X", "{}", "InvalidAction"},
		{"POST", "", "{}", "UnknownOperationException"},
		{"POST", "SageMaker.Bad/Op", "{}", "UnknownOperationException"},
		{"POST", "SageMaker.X", "{", "SerializationException"},
		{"POST", "SageMaker.X", "[1]", "SerializationException"},
		{"POST", "SageMaker.X", "{} {}", "SerializationException"},
	} {
		if _, err := Decode(c.method, c.target, strings.NewReader(c.body)); err == nil || err.Code != c.code {
			t.Errorf("%+v: got %v", c, err)
		}
	}
	if _, err := Decode("POST", "S.X", bytes.NewReader(make([]byte, MaxBody+1))); err == nil || err.Status != 413 {
		t.Errorf("huge body: %v", err)
	}
}

func TestWriteError(t *testing.T) {
	w := httptest.NewRecorder()
	WriteError(w, Errorf("ValidationException", "bad %s", "thing"))
	if w.Code != 400 || w.Header().Get("X-Amzn-ErrorType") != "ValidationException" || !strings.Contains(w.Body.String(), `"__type":"ValidationException"`) {
		t.Fatalf("%d %v %s", w.Code, w.Header(), w.Body)
	}
}

// FuzzDecode: any target and body give a request or a well-formed error,
// never a panic.
func FuzzDecode(f *testing.F) {
	f.Add("SageMaker.CreateTrainingJob", []byte(`{"TrainingJobName":"a","ResourceConfig":{"InstanceCount":1}}`))
	f.Add("SageMaker.ListTrainingJobs", []byte(``))
	f.Add(".", []byte(`{"a":[1,2,{"b":null}]}`))
	f.Fuzz(func(t *testing.T, target string, body []byte) {
		r, err := Decode("POST", target, bytes.NewReader(body))
		if (r == nil) == (err == nil) {
			t.Fatalf("exactly one of request and error: %v %v", r, err)
		}
		if err != nil {
			if err.Code == "" || err.Status < 400 {
				t.Fatalf("malformed error %+v", err)
			}
			w := httptest.NewRecorder()
			WriteError(w, err)
			var out map[string]string
			if json.Unmarshal(w.Body.Bytes(), &out) != nil || out["__type"] != err.Code {
				t.Fatalf("error body %q", w.Body.String())
			}
		}
	})
}
