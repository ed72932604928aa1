package sagemaker

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// body decodes a request body as the endpoint does.
func body(t *testing.T, format string, args ...any) map[string]any {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(fmt.Appendf(nil, format, args...)))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

// onDisk is the state the data directory holds: the snapshot with the
// journal replayed over it, as a restart reads it before it applies the
// restart semantics.
func onDisk(t *testing.T, dir string) state {
	t.Helper()
	st, _, _, err := readState(dir)
	if err != nil {
		t.Fatal(err)
	}
	st.Gen = 0
	return roundTrip(t, st)
}

// inMemory is the endpoint's state, encoded as a snapshot is.
func inMemory(t *testing.T, s *Service) state {
	t.Helper()
	s.mu.Lock()
	b := s.snapshot()
	s.mu.Unlock()
	var st state
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&st); err != nil {
		t.Fatal(err)
	}
	st.Gen = 0
	return roundTrip(t, st)
}

// roundTrip normalizes a state through JSON, so that both sides compare
// in the same form.
func roundTrip(t *testing.T, st state) state {
	t.Helper()
	if len(st.Tags) == 0 {
		st.Tags = nil
	}
	if len(st.Records) == 0 {
		st.Records = nil
	}
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var out state
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestJournalMatchesMemory runs random sequences of creates, updates,
// stops, deletes, tag changes, lifecycle steps (applied lazily by
// describes) and executor-like background changes, and after every call
// checks that the data directory holds exactly the state in memory, with
// the journal growing line by line and, with a small threshold, replaced
// by snapshots along the way.
func TestJournalMatchesMemory(t *testing.T) {
	for _, compactAt := range []int64{0, 4 << 10} {
		for seed := range uint64(3) {
			t.Run(fmt.Sprintf("compactAt=%d/seed=%d", compactAt, seed), func(t *testing.T) {
				dir := t.TempDir()
				var mu sync.Mutex
				now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
				clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
				s := newService(Config{Dir: dir, Simulate: true, Now: clock, Step: time.Second})
				s.store.compactAt = compactAt
				rng := rand.New(rand.NewPCG(seed, 42))
				arns := map[string]string{} // name -> ARN of what may exist
				compactions := 0
				for i := range 200 {
					name := fmt.Sprintf("r%d", rng.IntN(8))
					var op string
					var in map[string]any
					switch rng.IntN(10) {
					case 0:
						op, in = "CreateModel", body(t, `{"ModelName":%q,"ExecutionRoleArn":"arn:aws:iam::123456789012:role/r","PrimaryContainer":{"Image":"img:1"},"Tags":[{"Key":"k","Value":"v%d"}]}`, name, i)
					case 1:
						op, in = "DeleteModel", body(t, `{"ModelName":%q}`, name)
					case 2:
						op, in = "CreateExperiment", body(t, `{"ExperimentName":%q}`, name)
					case 3:
						op, in = "UpdateExperiment", body(t, `{"ExperimentName":%q,"Description":"step %d"}`, name, i)
					case 4:
						op, in = "DeleteExperiment", body(t, `{"ExperimentName":%q}`, name)
					case 5:
						op, in = "CreateTrainingJob", body(t, `{"TrainingJobName":%q,"RoleArn":"arn:aws:iam::123456789012:role/r",
							"AlgorithmSpecification":{"TrainingImage":"img:1","TrainingInputMode":"File"},
							"ResourceConfig":{"InstanceType":"ml.m5.xlarge","InstanceCount":1,"VolumeSizeInGB":10},
							"OutputDataConfig":{"S3OutputPath":"s3://b/out"},"StoppingCondition":{"MaxRuntimeInSeconds":3600}}`, name)
					case 6:
						op, in = "StopTrainingJob", body(t, `{"TrainingJobName":%q}`, name)
					case 7:
						arn := arns[name]
						if arn == "" {
							continue
						}
						if rng.IntN(2) == 0 {
							op, in = "AddTags", body(t, `{"ResourceArn":%q,"Tags":[{"Key":"t%d","Value":"x"}]}`, arn, rng.IntN(3))
						} else {
							op, in = "DeleteTags", body(t, `{"ResourceArn":%q,"TagKeys":["t%d","k"]}`, arn, rng.IntN(3))
						}
					case 8:
						op, in = "DescribeTrainingJob", body(t, `{"TrainingJobName":%q}`, name)
					case 9:
						// Time passes; a change made outside any request,
						// as an executor's, marks its record.
						mu.Lock()
						now = now.Add(time.Duration(rng.IntN(3)) * time.Second)
						mu.Unlock()
						s.mu.Lock()
						if r := s.records["TrainingJob"][recordKey(s.Default, []string{name})]; r != nil {
							r.setStatus(clock(), "", "Training", "background")
						}
						s.mu.Unlock()
						op, in = "ListTrainingJobs", body(t, `{}`)
					}
					out, err := s.sagemaker(op, in)
					if err == nil {
						for _, k := range []string{"ModelArn", "ExperimentArn", "TrainingJobArn"} {
							if arn, ok := out[k].(string); ok {
								arns[name] = arn
							}
						}
					}
					gen := s.store.gen
					if diff := cmp.Diff(inMemory(t, s), onDisk(t, dir)); diff != "" {
						t.Fatalf("after call %d (%s): the data directory differs from memory (-memory +disk):\n%s", i, op, diff)
					}
					if s.store.gen != gen {
						compactions++
					}
				}
				if compactAt > 0 && s.store.gen < 2 {
					t.Errorf("a %d-byte threshold made only %d snapshots", compactAt, s.store.gen)
				}
				if compactAt == 0 && s.store.gen != 0 {
					t.Errorf("the default threshold made %d snapshots for a small state", s.store.gen)
				}
				if _, err := os.Stat(filepath.Join(dir, journalFile)); compactAt == 0 && err != nil {
					t.Errorf("no journal: %v", err)
				}
				_ = compactions
			})
		}
	}
}

// TestJournalStaleLinesAfterASnapshot: a crash between writing a snapshot
// and removing the journal leaves the old journal behind; its lines are of
// an older generation and must not be replayed over the newer snapshot.
func TestJournalStaleLinesAfterASnapshot(t *testing.T) {
	dir := t.TempDir()
	s := newService(Config{Dir: dir})
	s.store.compactAt = 1 // every write after the first append is a snapshot
	create := func(name, image string) {
		t.Helper()
		if _, err := s.sagemaker("CreateModel", body(t, `{"ModelName":%q,"ExecutionRoleArn":"arn:aws:iam::123456789012:role/r","PrimaryContainer":{"Image":%q}}`, name, image)); err != nil {
			t.Fatal(err)
		}
	}
	create("m", "old:1")
	journal, err := os.ReadFile(filepath.Join(dir, journalFile))
	if err != nil {
		t.Fatalf("the first change goes to the journal: %v", err)
	}
	if _, err := s.sagemaker("DeleteModel", body(t, `{"ModelName":"m"}`)); err != nil {
		t.Fatal(err)
	}
	// That was a snapshot: the journal is gone.
	if _, err := os.Stat(filepath.Join(dir, journalFile)); err == nil {
		t.Fatal("the journal outlived the snapshot")
	}
	// Put the old journal back, as a crash before its removal would leave
	// it; the next change is appended after its stale lines.
	if err := os.WriteFile(filepath.Join(dir, journalFile), journal, 0o644); err != nil {
		t.Fatal(err)
	}
	s.store.journalSize = int64(len(journal))
	s.store.compactAt = 1 << 20
	create("m2", "new:1")
	if diff := cmp.Diff(inMemory(t, s), onDisk(t, dir)); diff != "" {
		t.Fatalf("stale journal lines were replayed (-memory +disk):\n%s", diff)
	}
	// And a restart comes back with m2 only.
	s2 := newService(Config{Dir: dir})
	if s2.store.err != nil {
		t.Fatal(s2.store.err)
	}
	if s2.records["Model"][recordKey(s2.Default, []string{"m"})] != nil || s2.records["Model"][recordKey(s2.Default, []string{"m2"})] == nil {
		t.Fatalf("after the restart: %v", s2.records["Model"])
	}
}

// TestJournalTornTailAndDamage: a torn last line is dropped on restart
// (and the journal replaced by a snapshot); a damaged line before the end
// makes SageMaker answer InternalFailure naming it, and nothing is written.
func TestJournalTornTailAndDamage(t *testing.T) {
	dir := t.TempDir()
	s := newService(Config{Dir: dir})
	if _, err := s.sagemaker("CreateExperiment", body(t, `{"ExperimentName":"kept"}`)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, journalFile)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"gen":0,"seq":9,"put":[{"kind":"Experiment","key":"torn"`)
	f.Close()
	s2 := newService(Config{Dir: dir})
	if s2.store.err != nil || s2.records["Experiment"][recordKey(s2.Default, []string{"kept"})] == nil || len(s2.records["Experiment"]) != 1 {
		t.Fatalf("after a torn line: err %v, records %v", s2.store.err, s2.records["Experiment"])
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("the journal with a torn line was not replaced by a snapshot")
	}

	damaged := []byte("not json\n" + `{"gen":1,"seq":1}` + "\n")
	if err := os.WriteFile(path, damaged, 0o644); err != nil {
		t.Fatal(err)
	}
	s3 := newService(Config{Dir: dir})
	_, err = s3.sagemaker("CreateExperiment", body(t, `{"ExperimentName":"new"}`))
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte(journalFile+" line 1")) {
		t.Fatalf("want InternalFailure naming the line, got %v", err)
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, damaged) {
		t.Fatalf("the damaged journal was changed: %q", b)
	}
}

// A data directory written before state was kept per region (keys without
// a region) loads into the default region.
func TestDataDirBeforeRegionsLoads(t *testing.T) {
	dir := t.TempDir()
	s := newService(Config{Dir: dir})
	if _, err := s.sagemaker("CreateExperiment", body(t, `{"ExperimentName":"old"}`)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	found := false
	for _, name := range []string{stateFile, journalFile} {
		p := filepath.Join(dir, name)
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		nb := strings.ReplaceAll(string(b), `"key":"us-east-1\u0000old"`, `"key":"old"`)
		found = found || nb != string(b)
		if err := os.WriteFile(p, []byte(nb), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if !found {
		t.Fatal("no stored key to rewrite")
	}
	s2 := newService(Config{Dir: dir})
	if _, err := s2.sagemaker("DescribeExperiment", body(t, `{"ExperimentName":"old"}`)); err != nil {
		t.Fatalf("a record stored without a region: %v", err)
	}
}
