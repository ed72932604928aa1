// Command smcore drives SageMaker from the command line. Today it has one
// command; it grows into the full resource CLI.
//
//	go run ./tools/smcore train -f trainer.yaml [--endpoint-url URL] [--dry-run]
//
// train runs the trainer the file describes (see highlevel.LoadTrainerConfig)
// and streams the job's logs, or with --dry-run prints the exact
// CreateTrainingJob request as JSON with the API's member names. The flags
// and the dry run's output are a stable contract.
//
// AWS access comes from the standard configuration (profiles, AWS_REGION,
// AWS_ENDPOINT_URL, …); --endpoint-url sends every call to one endpoint,
// such as the local one (go run ./tools/smlocal -process).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"time"

	"github.com/spf13/cobra"

	"github.com/smcore-go/smcore/highlevel"
	"github.com/smcore-go/smcore/logtail"
	"github.com/smcore-go/smcore/resources"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := newRoot(os.Stdout, os.Stderr).ExecuteContext(ctx); err != nil {
		os.Exit(1)
	}
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "smcore",
		Short:         "SageMaker Core for Go: train and manage SageMaker resources",
		SilenceUsage:  true,
		SilenceErrors: false,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newTrain(stdout, stderr))
	return root
}

type trainFlags struct {
	file        string
	endpointURL string
	dryRun      bool
	noWait      bool
	verbose     bool
}

func newTrain(stdout, stderr io.Writer) *cobra.Command {
	var f trainFlags
	cmd := &cobra.Command{
		Use:   "train -f trainer.yaml",
		Short: "Run a training job described by a trainer file (YAML or JSON)",
		Long: `Run a training job described by a trainer file: the ModelTrainer's fields
(or, with Kind: Estimator or AlgorithmEstimator, theirs), with the
CreateTrainingJob request's members under the API's names. Logs
stream to standard output, progress to standard error. With --dry-run the
exact CreateTrainingJob request is printed as JSON and nothing is written.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runTrain(cmd.Context(), f, stdout, stderr)
		},
	}
	cmd.Flags().StringVarP(&f.file, "file", "f", "", "the trainer file (required)")
	cmd.Flags().StringVar(&f.endpointURL, "endpoint-url", "", "send every call to this endpoint (e.g. the local endpoint)")
	cmd.Flags().BoolVar(&f.dryRun, "dry-run", false, "print the CreateTrainingJob request as JSON; upload and create nothing")
	cmd.Flags().BoolVar(&f.noWait, "no-wait", false, "return once the job is created")
	cmd.Flags().BoolVarP(&f.verbose, "verbose", "v", false, "log the trainer's decisions (debug level) to standard error")
	cmd.MarkFlagRequired("file")
	return cmd
}

func runTrain(ctx context.Context, f trainFlags, stdout, stderr io.Writer) error {
	file, err := highlevel.LoadTrainerFile(f.file)
	if err != nil {
		return err
	}
	var opts []highlevel.Option
	if f.endpointURL != "" {
		opts = append(opts, highlevel.WithEndpointURL(f.endpointURL))
	}
	if f.verbose {
		opts = append(opts, highlevel.WithLogger(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	if !f.dryRun {
		opts = append(opts,
			highlevel.WithLogs(func(l logtail.Line) { fmt.Fprintln(stdout, l.Message) }),
			highlevel.WithProgress(func(p highlevel.Progress) { progress(stderr, p) }))
	}
	tr, err := newTrainer(ctx, file, opts)
	if err != nil {
		return err
	}
	if f.dryRun {
		dr, err := tr.dryRun(ctx)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := json.Indent(&buf, dr.Body, "", "  "); err != nil {
			return err
		}
		buf.WriteByte('\n')
		_, err = stdout.Write(buf.Bytes())
		return err
	}
	var topts []highlevel.TrainOption
	if f.noWait {
		topts = append(topts, highlevel.WithoutWait())
	}
	job, err := tr.train(ctx, topts...)
	if job != nil {
		fmt.Fprintf(stderr, "training job %s: %s", job.ResourceName(), job.TrainingJobStatus)
		if job.ModelArtifacts != nil && job.ModelArtifacts.S3ModelArtifacts != "" {
			fmt.Fprintf(stderr, ", model %s", job.ModelArtifacts.S3ModelArtifacts)
		}
		fmt.Fprintln(stderr)
	}
	if errors.Is(err, context.Canceled) && job != nil {
		return fmt.Errorf("stopped waiting; the job goes on (attach with the SDK: Attach(ctx, %q)): %w", job.ResourceName(), err)
	}
	return err
}

// trainer is a trainer of any kind, as the command runs it.
type trainer struct {
	dryRun func(context.Context) (*highlevel.DryRunResult, error)
	train  func(context.Context, ...highlevel.TrainOption) (*resources.TrainingJob, error)
}

func newTrainer(ctx context.Context, f *highlevel.TrainerFile, opts []highlevel.Option) (*trainer, error) {
	switch f.Kind {
	case highlevel.KindEstimator:
		e, err := highlevel.NewEstimator(ctx, *f.Estimator, opts...)
		if err != nil {
			return nil, err
		}
		return &trainer{
			dryRun: func(ctx context.Context) (*highlevel.DryRunResult, error) { return e.DryRun(ctx, f.Inputs) },
			train: func(ctx context.Context, o ...highlevel.TrainOption) (*resources.TrainingJob, error) {
				return e.Fit(ctx, f.Inputs, o...)
			},
		}, nil
	case highlevel.KindAlgorithmEstimator:
		e, err := highlevel.NewAlgorithmEstimator(ctx, *f.AlgorithmEstimator, opts...)
		if err != nil {
			return nil, err
		}
		return &trainer{dryRun: func(ctx context.Context) (*highlevel.DryRunResult, error) { return e.DryRun(ctx) }, train: e.Fit}, nil
	}
	t, err := highlevel.NewModelTrainer(ctx, *f.ModelTrainer, opts...)
	if err != nil {
		return nil, err
	}
	return &trainer{dryRun: func(ctx context.Context) (*highlevel.DryRunResult, error) { return t.DryRun(ctx) }, train: t.Train}, nil
}

func progress(w io.Writer, p highlevel.Progress) {
	switch p.Stage {
	case highlevel.StageUpload:
		if p.Done {
			fmt.Fprintf(w, "uploaded %s: %d files, %d bytes to %s\n", p.Channel, p.Files, p.Bytes, p.URI)
		}
	case highlevel.StageCreate:
		fmt.Fprintf(w, "creating training job %s\n", p.JobName)
	case highlevel.StageWait:
		fmt.Fprintf(w, "[%s] %s: %s/%s\n", p.Elapsed.Round(time.Second), p.JobName, p.Status, p.SecondaryStatus)
	}
}
