package shapes

import "testing"

// TestValidateAllocatesNothingWhenValid keeps validation off the hot path's
// allocation budget.
func TestValidateAllocatesNothingWhenValid(t *testing.T) {
	req := &CreateTrainingJobInput{
		TrainingJobName:        "job",
		RoleArn:                "arn:aws:iam::123456789012:role/r",
		AlgorithmSpecification: &AlgorithmSpecification{TrainingImage: "img:1", TrainingInputMode: TrainingInputModeFile},
		ResourceConfig:         &ResourceConfig{InstanceType: TrainingInstanceTypeMlM5Xlarge, InstanceCount: ptrOf(int32(1)), VolumeSizeInGB: ptrOf(int32(30))},
		StoppingCondition:      &StoppingCondition{MaxRuntimeInSeconds: ptrOf[int32](3600)},
		OutputDataConfig:       &OutputDataConfig{S3OutputPath: "s3://b/out"},
		InputDataConfig:        []Channel{{ChannelName: "train", DataSource: &DataSource{S3DataSource: &S3DataSource{S3DataType: S3DataTypeS3Prefix, S3Uri: "s3://b/train"}}}},
	}
	if err := req.Validate(); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { _ = req.Validate() }); n != 0 {
		t.Fatalf("Validate of a valid request allocates %v times", n)
	}
}
