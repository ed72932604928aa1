package emulator_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/smcore-go/smcore/shapes"
)

// maxEvent is the longest event the endpoint makes of a job's output.
const maxEvent = 256<<10 - 26

// checkLoss: the job completed, with the loss of its last line.
func checkLoss(t *testing.T, status shapes.TrainingJobStatus, reason string, metrics []shapes.MetricData) {
	t.Helper()
	if status != shapes.TrainingJobStatusCompleted {
		t.Fatalf("job %s: %s", status, reason)
	}
	if len(metrics) != 1 || metrics[0].Value == nil || *metrics[0].Value != 0.5 {
		t.Fatalf("metrics after the long output: %+v", metrics)
	}
}

// TestJobOutputLongLineKeepsLaterLines: a 3 MiB line (of multi-byte
// characters) goes to the logs in events of at most 256 KiB cut between
// characters, and the lines after it — and their metric — are kept.
func TestJobOutputLongLineKeepsLaterLines(t *testing.T) {
	ep, c := startProc(t)
	// 3 MiB of "é" (2 bytes each) after one "x", so cuts fall mid-character.
	script := `printf x; head -c 1572864 /dev/zero | tr '\0' 'a' | sed 's/a/é/g'; echo; echo "epoch=1 loss=0.5"; echo done`
	job := runToEnd(t, c, shJob("long-line", script, nil, 600))
	checkLoss(t, job.TrainingJobStatus, job.FailureReason, job.FinalMetricDataList)
	logs := jobLogs(t, ep.Config, "long-line")
	if n := len(logs); n < 3 || logs[n-2] != "epoch=1 loss=0.5" || logs[n-1] != "done" {
		t.Fatalf("the lines after the long one: %d events, last %q", n, logs[max(0, n-2):])
	}
	var total int
	for _, e := range logs[:len(logs)-2] {
		if len(e) > maxEvent || !utf8.ValidString(e) {
			t.Fatalf("event of %d bytes (valid UTF-8: %v)", len(e), utf8.ValidString(e))
		}
		total += len(e)
	}
	if want := 1 + 2*1572864; total != want {
		t.Fatalf("the long line's events hold %d bytes, want %d", total, want)
	}
}

// TestJobOutputProgressBarKeepsLaterLines: a tqdm-style bar redrawn with
// '\r' and no newline for over 1 MiB is one event per redraw, and the
// lines after it and their metric are kept.
func TestJobOutputProgressBarKeepsLaterLines(t *testing.T) {
	ep, c := startProc(t)
	script := `awk 'BEGIN { for (i = 1; i <= 40000; i++) printf "\r%5d/40000 |##########| it/s", i; printf "\r\n" }'; echo "loss=0.5"`
	job := runToEnd(t, c, shJob("progress", script, nil, 600))
	checkLoss(t, job.TrainingJobStatus, job.FailureReason, job.FinalMetricDataList)
	logs := jobLogs(t, ep.Config, "progress")
	if len(logs) != 40001 || logs[0] != "    1/40000 |##########| it/s" || logs[39999] != "40000/40000 |##########| it/s" || logs[40000] != "loss=0.5" {
		t.Fatalf("%d events: first %q, last %q", len(logs), logs[0], logs[len(logs)-1])
	}
	for _, e := range logs {
		if strings.ContainsAny(e, "\r\n") {
			t.Fatalf("an event holds a line end: %q", e)
		}
	}
}
