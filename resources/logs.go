package resources

// LogSource is implemented by the job resources whose logs SageMaker writes
// to CloudWatch Logs: TrainingJob, ProcessingJob, TransformJob and the
// other kinds the generator knows a log group for. It says where the job's
// streams are, so that a log follower needs only the resource:
//
//	tail := logtail.Follow(cwl, job, func(l logtail.Line) { fmt.Println(l.Message) })
//	err := job.Wait(ctx, waiters.WithLogs(tail))
//
// Package logtail declares the same interface (logtail.Source), so that
// neither package imports the other and resources keeps to the SageMaker
// client.
type LogSource interface {
	// LogGroup is the CloudWatch Logs group of the resource's kind, e.g.
	// "/aws/sagemaker/TrainingJobs".
	LogGroup() string
	// LogStreamPrefix is what the names of the job's streams start with:
	// "<job name>/" for training, processing and transform jobs (one stream
	// per instance and container, e.g. "my-job/algo-1-1700000000"). The
	// trailing "/" keeps job "a" from following the streams of job "a-2".
	LogStreamPrefix() string
}
