// Package logtail follows the CloudWatch Logs output of SageMaker training,
// processing and batch transform jobs.
//
// SageMaker writes one log stream per instance (and per container) under a
// per-kind log group, with stream names that start with "<job-name>/". A
// [Tailer] turns those streams into one sequence of [Line] values. [Follow]
// makes one from the job itself: any [Source], such as the job resources of
// package resources, names its own log group and stream prefix, so the logs
// followed are always those of the job's kind:
//
//	client := cloudwatchlogs.NewFromConfig(cfg) // the same aws.Config as the SageMaker client
//	t := logtail.Follow(client, job, func(l logtail.Line) {
//		fmt.Printf("%s %s\n", l.Stream, l.Message)
//	})
//	for !done {
//		if err := t.Poll(ctx); err != nil { ... }   // while the job runs
//		...
//	}
//	err := t.Drain(ctx)                          // once the job is terminal
//
// [New] takes a log group and prefix instead, for logs no Source describes.
// Neither panics on bad input: a nil client, job or deliver function, an
// empty group, or a job with an empty prefix make Poll and Drain return an
// error matching [ErrNotConfigured].
//
// Package logtail does not import package resources (nor the other way
// round): [Source] has the method set of resources.LogSource, so a resource
// is a Source without either package knowing the other.
//
// A Tailer is what the waiters engine expects as its log follower: it calls
// Poll between status checks and Drain once the job has ended.
//
// What the tailer guarantees:
//   - Streams are looked up on every Poll (DescribeLogStreams by name
//     prefix, every page), so instances that start late, or restart under a
//     new stream, are followed from their first line.
//   - Each stream is read forward from its last token (GetLogEvents with
//     StartFromHead and the NextForwardToken, every page until the token
//     stops moving), so no line is delivered twice or skipped, also across
//     failed polls: a Poll that fails delivers what it read and the next one
//     resumes after it.
//   - The lines of one Poll are merged by timestamp, ties broken by stream
//     name and then by order within the stream. Memory stays bounded by one
//     page per stream; delivered lines are not kept.
//   - A log group that does not exist yet (a job that has not started)
//     means no lines, not an error.
//   - Drain keeps polling until no line has arrived for a quiet period
//     ([WithDrainQuiet], default 10s, bounded by [WithDrainBudget]), so the
//     last lines of a job are not lost to CloudWatch ingestion lag.
//
// The clock Drain waits on can be replaced ([WithClock]), so tests run
// without sleeping. A clock with a NewTimer method, like the waiters
// engine's, adapts in one line: After(d) returns NewTimer(d).C().
package logtail
