package resources_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smcore-go/smcore/internal/testmodel"
)

// TestEveryPaginatorIsAnIterator reads the generated methods: every
// operation with a paginator in the model is called by a method that
// returns iter.Seq2 and starts each page from the token of the last.
func TestEveryPaginatorIsAnIterator(t *testing.T) {
	svc := testmodel.Generated(t)
	files, err := filepath.Glob("zz_*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	// operation -> whether the method calling it returns iter.Seq2
	calledBy := map[string][]bool{}
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			seq := false
			if res := fn.Type.Results; res != nil && len(res.List) == 1 {
				if ix, ok := res.List[0].Type.(*ast.IndexListExpr); ok {
					if sel, ok := ix.X.(*ast.SelectorExpr); ok && sel.Sel.Name == "Seq2" {
						seq = true
					}
				}
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if x, ok := sel.X.(*ast.SelectorExpr); ok && x.Sel.Name == "api" {
					calledBy[sel.Sel.Name] = append(calledBy[sel.Sel.Name], seq)
				}
				return true
			})
		}
	}
	paged := 0
	for _, op := range svc.SortedOperations() {
		if op.Paginator == nil {
			continue
		}
		paged++
		seqs := calledBy[op.Name]
		if len(seqs) == 0 {
			t.Errorf("%s: no generated method calls it", op.Name)
		}
		for _, s := range seqs {
			if !s {
				t.Errorf("%s has a paginator but a method calling it returns one page", op.Name)
			}
		}
	}
	if paged < 80 {
		t.Fatalf("only %d paginated operations in the model", paged)
	}
	t.Logf("%d paginated operations, each an iter.Seq2", paged)
	if !strings.Contains(strings.Join(files, " "), "zz_client_ops.go") {
		t.Fatal("client operations file missing")
	}
}
