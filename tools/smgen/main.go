// Command smgen generates smcore's packages from a SageMaker API model.
//
//	go run ./tools/smgen                  # the pinned model (botocore 1.43.11)
//	go run ./tools/smgen -model PATH      # any botocore or Smithy model, file or folder
//	go run ./tools/smgen -diff OLD NEW    # what an API update changes in the model (a report; writes nothing)
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/smcore-go/smcore/gen/emit"
	"github.com/smcore-go/smcore/gen/generate"
	"github.com/smcore-go/smcore/gen/modelsrc"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "smgen:", err)
		os.Exit(1)
	}
}

func run() error {
	modelPath := flag.String("model", "", "model file or folder (default: the pinned botocore "+modelsrc.PinnedBotocore+" SageMaker model)")
	out := flag.String("out", ".", "repository root to write packages into")
	version := flag.String("model-version", "", "release name recorded in generated files (default: botocore version for the pinned model)")
	report := flag.String("report", "", "write the generation report (markdown) to this file")
	dry := flag.Bool("n", false, "generate but write nothing (prints timings)")
	diff := flag.Bool("diff", false, "compare two models given as arguments (OLD NEW, any format, file or folder) and print what changed; generates nothing")
	diffFormat := flag.String("diff-format", "text", "output of -diff: text or markdown")
	flag.Parse()
	// Flags may also follow the arguments (smgen -diff OLD NEW -diff-format markdown).
	var args []string
	for rest := flag.Args(); len(rest) > 0; rest = flag.Args() {
		args = append(args, rest[0])
		flag.CommandLine.Parse(rest[1:]) // exits on a bad flag, as flag.Parse does
	}

	if *diff {
		if len(args) != 2 {
			return fmt.Errorf("-diff needs two models: smgen -diff OLD NEW")
		}
		return runDiff(os.Stdout, args[0], args[1], *diffFormat)
	}
	if len(args) > 0 {
		return fmt.Errorf("unexpected arguments %q (a model is given with -model; two with -diff)", args)
	}

	opt, err := options(*modelPath, *out, *version, *dry)
	if err != nil {
		return err
	}
	start := time.Now()
	res, err := generate.Run(opt)
	if err != nil {
		return err
	}
	src := res.Service.Source
	rep := res.Report
	fmt.Printf("smgen: %s model %s: %d operations, %d shapes; emitted %d structures, %d unions, %d enums, %d SDK conversions\n",
		src.Format, filepath.Base(opt.Model), len(res.Service.Operations), len(res.Service.Shapes), rep.Structures, rep.Unions, rep.Enums, rep.Conversions)
	for _, s := range res.Stages {
		fmt.Printf("  %-16s %6.0f ms\n", s.Name, float64(s.Duration.Microseconds())/1000)
	}
	fmt.Printf("  %-16s %6.0f ms\n", "total", float64(time.Since(start).Microseconds())/1000)
	if n := len(rep.SDKMissing); n > 0 {
		fmt.Printf("smgen: %d shapes or members not in the SDK were skipped in conversions (see -report)\n", n)
	}
	if n := len(rep.BadPatterns); n > 0 {
		fmt.Printf("smgen: %d patterns Go's regexp cannot compile are not checked (see -report)\n", n)
	}
	printSkipped(os.Stderr, res)
	for _, r := range res.Removed {
		fmt.Println("smgen: removed stale", r)
	}
	if *report != "" {
		if err := os.WriteFile(*report, []byte(reportMarkdown(res)), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// options returns the generate options for -model (empty: the pinned
// model). Only the pinned model is strict: the pinned SDK must cover it and
// every entry of overrides.json must match it; other models skip (and
// report) what does not fit.
func options(modelPath, out, version string, dry bool) (generate.Options, error) {
	opt := generate.Options{Out: out, DryRun: dry}
	if modelPath == "" {
		dir, err := modelsrc.Pinned()
		if err != nil {
			return opt, err
		}
		opt.Model = dir
		opt.StrictSDK = true
		opt.StrictOverrides = true
		opt.Origin = emit.Origin{Version: "botocore " + modelsrc.PinnedBotocore, Name: "botocore/data/sagemaker/2017-07-24/"}
	} else {
		opt.Model = modelPath
		opt.Origin = emit.Origin{Version: version}
	}
	if version != "" {
		opt.Origin.Version = version
	}
	return opt, nil
}

// printSkipped lists the overrides skipped for this model.
func printSkipped(w io.Writer, res *generate.Result) {
	if n := len(res.SkippedOverrides); n > 0 {
		fmt.Fprintf(w, "smgen: %d overrides.json entries do not match this model and were skipped:\n", n)
		for _, s := range res.SkippedOverrides {
			fmt.Fprintln(w, "  "+s)
		}
	}
}

func reportMarkdown(res *generate.Result) string {
	var b strings.Builder
	rep := res.Report
	src := res.Service.Source
	fmt.Fprintf(&b, "# Generation report\n\nWritten by `make generate` (smgen). Model: %s (%s, sha256 %s), %d operations.\n\n",
		strings.Join(src.Files, ", "), src.Format, src.SHA256, len(res.Service.Operations))
	fmt.Fprintf(&b, "Emitted: %d structures, %d unions, %d enums; %d have SDK conversions.\n\n", rep.Structures, rep.Unions, rep.Enums, rep.Conversions)
	section := func(title, why string, items []string) {
		fmt.Fprintf(&b, "## %s (%d)\n\n%s\n\n", title, len(items), why)
		for _, it := range items {
			fmt.Fprintf(&b, "- `%s`\n", it)
		}
		if len(items) > 0 {
			b.WriteString("\n")
		}
	}
	section("Not in the SDK", "Shapes and members the pinned SDK lacks or types differently: they have no conversion.", rep.SDKMissing)
	section("Patterns Go cannot compile", "Strict validation skips these; the members' length limits still apply.", rep.BadPatterns)
	section("Loosened patterns", "Repeat counts above RE2's limit of 1000 were made open-ended; the member's length limit bounds them.", rep.LoosenedPatterns)
	// Only a model other than the pinned one can have skipped overrides
	// (for the pinned one they are an error), so the pinned report has no
	// such section.
	if len(res.SkippedOverrides) > 0 {
		section("Skipped overrides", "Entries of gen/resource/overrides.json whose target is not in this model; they were ignored.", res.SkippedOverrides)
	}
	return b.String()
}
