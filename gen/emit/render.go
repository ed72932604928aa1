package emit

import (
	"bytes"
	"fmt"
	"runtime"
	"sync"

	"github.com/dave/jennifer/jen"
)

func newFile(pkg string) *jen.File {
	f := jen.NewFile(pkg)
	f.HeaderComment(Header)
	f.ImportName("github.com/aws/aws-sdk-go-v2/service/sagemaker", "sagemaker")
	f.ImportName("github.com/aws/aws-sdk-go-v2/service/sagemaker/types", "types")
	return f
}

// render formats f; a formatting failure is a generator bug and names the file.
func render(name string, f *jen.File) (File, error) {
	var buf bytes.Buffer
	if err := f.Render(&buf); err != nil {
		return File{}, fmt.Errorf("render %s: %w", name, err)
	}
	return File{Name: name, Data: buf.Bytes()}, nil
}

// runParallel runs jobs on every core and returns their files in job order.
func runParallel(jobs []func() (File, error)) ([]File, error) {
	out := make([]File, len(jobs))
	errs := make([]error, len(jobs))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, job := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			out[i], errs[i] = job()
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// comments renders lines as a comment block that attaches to what follows.
func comments(lines []string) *jen.Statement {
	s := jen.Null()
	for _, l := range lines {
		s.Comment(l).Line()
	}
	return s
}

// docComment writes a doc comment directly above the next declaration.
func docComment(f *jen.File, lines []string) {
	for _, l := range lines {
		f.Comment(l)
	}
}

// multiline puts each item on its own line, as gofmt keeps a composite
// literal of one item per line.
func multiline(items []jen.Code) []jen.Code {
	if len(items) == 0 {
		return nil
	}
	out := make([]jen.Code, 0, len(items)+1)
	for _, it := range items {
		out = append(out, jen.Line().Add(it))
	}
	return append(out, jen.Line())
}
