package highlevel

import (
	"context"

	"github.com/smcore-go/smcore/logtail"
	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/waiters"
)

// wait waits for job to end, reporting status changes and delivering its
// log lines. A cancelled ctx ends the wait only.
func (t *session) wait(ctx context.Context, job *resources.TrainingJob) error {
	opts := []waiters.Option{waiters.WithProgress(func(e waiters.Event) {
		if e.Type != waiters.EventStatus {
			return
		}
		t.report(Progress{Stage: StageWait, JobName: e.Name, Status: e.Status, SecondaryStatus: e.SecondaryStatus,
			PrevStatus: e.PrevStatus, PrevSecondary: e.PrevSecondary, Elapsed: e.Elapsed})
	})}
	if t.o.logger != nil {
		opts = append(opts, waiters.WithLogger(t.o.logger))
	}
	if t.o.logLine != nil {
		var lopts []logtail.Option
		if t.o.logger != nil {
			lopts = append(lopts, logtail.WithLogger(t.o.logger))
		}
		lopts = append(lopts, t.o.logOpts...)
		opts = append(opts, waiters.WithLogs(logtail.Follow(t.logs, job, t.o.logLine, lopts...)))
	}
	opts = append(opts, t.o.waitOpts...)
	return job.Wait(ctx, opts...)
}
