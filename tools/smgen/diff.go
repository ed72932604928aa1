package main

import (
	"fmt"
	"io"

	"github.com/smcore-go/smcore/gen/model"
	"github.com/smcore-go/smcore/gen/modeldiff"
)

// runDiff loads two models and writes what changed from old to new. It
// reads the models as they are: no renaming (the generated names of
// operation inputs and outputs are <Op>Input and <Op>Output whatever the
// model calls them).
func runDiff(w io.Writer, oldPath, newPath, format string) error {
	if format != "text" && format != "markdown" {
		return fmt.Errorf("-diff-format %q: want text or markdown", format)
	}
	old, err := model.Load(oldPath)
	if err != nil {
		return fmt.Errorf("old model: %w", err)
	}
	cur, err := model.Load(newPath)
	if err != nil {
		return fmt.Errorf("new model: %w", err)
	}
	d := modeldiff.Compare(old, cur)
	if format == "markdown" {
		return d.WriteMarkdown(w)
	}
	return d.WriteText(w)
}
