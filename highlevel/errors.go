package highlevel

import (
	"errors"
	"fmt"
	"strings"
)

// ConfigError is a configuration a trainer refuses, found before anything
// is uploaded or created. Field is the path of the offending field in
// TrainerConfig (its YAML/JSON name), Rule what it breaks.
type ConfigError struct {
	Field string
	Rule  string
}

func (e *ConfigError) Error() string { return "highlevel: " + e.Field + ": " + e.Rule }

// configErrors collects every ConfigError of a configuration.
type configErrors []error

func (c *configErrors) add(field, format string, args ...any) {
	*c = append(*c, &ConfigError{Field: field, Rule: fmt.Sprintf(format, args...)})
}

func (c configErrors) err() error { return errors.Join(c...) }

// StagingError is a failed upload of a job's inputs. Uploaded lists the
// objects already written (they are left in place: a retry with the same
// job name overwrites them).
type StagingError struct {
	JobName  string
	URI      string // what was being uploaded to
	Uploaded []string
	Err      error
}

func (e *StagingError) Error() string {
	msg := fmt.Sprintf("highlevel: staging the inputs of %s to %s: %v", e.JobName, e.URI, e.Err)
	if len(e.Uploaded) > 0 {
		msg += fmt.Sprintf(" (already uploaded and left in place: %s)", strings.Join(e.Uploaded, ", "))
	}
	return msg
}

func (e *StagingError) Unwrap() error { return e.Err }

// CreateError is a CreateTrainingJob that failed after the job's inputs
// were uploaded; they are left in place, under Staged.
type CreateError struct {
	JobName string
	Staged  []string
	Err     error
}

func (e *CreateError) Error() string {
	msg := fmt.Sprintf("highlevel: creating training job %s: %v", e.JobName, e.Err)
	if len(e.Staged) > 0 {
		msg += fmt.Sprintf(" (its staged inputs are left in place: %s)", strings.Join(e.Staged, ", "))
	}
	return msg
}

func (e *CreateError) Unwrap() error { return e.Err }

// errDryRun stops a CreateTrainingJob call after serialization.
var errDryRun = errors.New("highlevel: dry run: request not sent")
