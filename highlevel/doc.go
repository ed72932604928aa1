// Package highlevel is smcore's training layer: ModelTrainer, the
// interface the SageMaker documentation recommends, on top of package
// resources.
//
// A TrainerConfig embeds the CreateTrainingJob request itself
// (shapes.CreateTrainingJobInput) and adds what the service does not
// have: source code run by smcore's driver, a torchrun or MPI launcher,
// channels from local paths, typed hyperparameters. Train fills the
// Python SDK's defaults (instance, bucket, paths, job name), uploads what
// is local with the S3 transfer manager, creates the job through
// resources, and waits for it with its logs; it returns the generated
// *resources.TrainingJob.
//
//	tr, err := highlevel.NewModelTrainer(ctx, highlevel.TrainerConfig{
//		CreateTrainingJobInput: shapes.CreateTrainingJobInput{
//			AlgorithmSpecification: &shapes.AlgorithmSpecification{TrainingImage: image},
//			RoleArn:                "SageMakerRole",
//		},
//		SourceCode:      &highlevel.SourceCode{SourceDir: "./src", EntryScript: "train.py"},
//		InputData:       []highlevel.InputData{{ChannelName: "train", DataSource: "./data"}},
//		HyperParameters: map[string]any{"epochs": 10},
//	})
//	if err != nil { … }
//	job, err := tr.Train(ctx)
//
// The files, one concept each: config.go (the configuration types),
// options.go (functional options), trainer.go (ModelTrainer, Train,
// DryRun, Attach), validate.go (the rules checked up front), plan.go (the
// request and its defaults), staging.go (the bucket and uploads),
// hyperparameters.go (the wire encoding), defaults.go (the config file's
// ModelTrainer defaults), wait.go, artifacts.go, file.go (trainers in
// YAML), errors.go, progress.go.
//
// The package never imports the local endpoint: to train locally, give
// WithEndpointURL (or an aws.Config pointed at it). See docs/training.md.
package highlevel
