package highlevel

import "time"

// Stage is the part of a run a Progress reports on.
type Stage int

const (
	StageUpload Stage = iota // an input, the source code or the driver is being uploaded
	StageCreate              // the job is being created
	StageWait                // the job's status changed
)

func (s Stage) String() string {
	switch s {
	case StageUpload:
		return "upload"
	case StageCreate:
		return "create"
	case StageWait:
		return "wait"
	}
	return "unknown"
}

// Progress is one step of a run.
type Progress struct {
	Stage   Stage
	JobName string
	// StageUpload: what is uploaded where, and how much so far (Done on
	// the last report of an upload).
	Channel, Source, URI string
	Files, Bytes         int64
	Done                 bool
	// StageWait: the job's status and secondary status, their previous
	// values, and the time since the wait started.
	Status, SecondaryStatus, PrevStatus, PrevSecondary string
	Elapsed                                            time.Duration
}
