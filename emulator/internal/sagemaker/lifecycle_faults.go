package sagemaker

// failLifecycle runs a training job through its first steps and ends it
// Failed with reason (FaultRule.FailJobs).
func (s *Service) failLifecycle(r *record, reason string) {
	rs := r.spec
	r.setStatus(r.created, "", "Starting", "Injected fault: preparing the instances for training")
	s.schedule(r,
		step{secondary: "Downloading", message: "Injected fault: downloading input data"},
		step{secondary: "Training", message: "Injected fault: training"},
		step{status: rs.Failed, secondary: "Failed", reason: reason, message: "Injected fault: the job failed"})
}
