package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fixture is a module whose one package has every kind of declaration.
const fixture = "testdata/fixture"

func TestList(t *testing.T) {
	lists, err := List(fixture, []string{"./..."})
	if err != nil {
		t.Fatal(err)
	}
	if len(lists) != 1 || lists[0].Path != "example.com/fixture/p" || lists[0].File != "p.txt" {
		t.Fatalf("listings: %+v", lists)
	}
	want := []string{
		"pkg p, const Answer untyped int = 42",
		"pkg p, const High Level = 2",
		`pkg p, const Name string = "p"`,
		"pkg p, func Do(context.Context, ...string) (int, error)",
		"pkg p, func Each(func(string), <-chan int, chan<- [2]byte)",
		"pkg p, func Map[K comparable, V any](map[K]V, func(K, V) bool) []K",
		"pkg p, method (*Thing) Set(string)",
		"pkg p, method (Pair) Swap() Pair[T]",
		"pkg p, method (Thing) Get() string",
		"pkg p, method (Thing) Hello() string",
		"pkg p, method (Thing) Read([]byte) (int, error)",
		"pkg p, type Alias = Thing",
		"pkg p, type Level int",
		"pkg p, type Number interface",
		"pkg p, type Number interface, constraint interface{~int | ~float64}",
		"pkg p, type Open interface",
		"pkg p, type Open interface, Close() error",
		"pkg p, type Open interface, Name() string",
		"pkg p, type Pair[T any] struct",
		"pkg p, type Pair[T any] struct, A T",
		"pkg p, type Pair[T any] struct, B T",
		"pkg p, type Sealed interface",
		"pkg p, type Sealed interface, Kind() string",
		"pkg p, type Sealed interface, unexported methods",
		"pkg p, type Thing struct",
		"pkg p, type Thing struct, Count *int",
		"pkg p, type Thing struct, Name string",
		"pkg p, type Thing struct, embedded inner",
		"pkg p, type Thing struct, embedded io.Reader",
		"pkg p, var Default *Thing",
		"pkg p, var Err error",
	}
	if diff := cmp.Diff(want, lists[0].Lines); diff != "" {
		t.Errorf("listing (-want +got):\n%s", diff)
	}
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	l := Listing{Path: "example.com/p", File: "p.txt", Lines: []string{"pkg p, func A()", "pkg p, func B()"}}
	var out bytes.Buffer
	stale, err := Check(&out, dir, []Listing{l}, 10)
	if err != nil || !stale || !strings.Contains(out.String(), "0 lines removed, 2 added") {
		t.Errorf("missing file: stale %v, err %v, output:\n%s", stale, err, out.String())
	}
	if err := write(dir, []Listing{l}); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if stale, err := Check(&out, dir, []Listing{l}, 10); err != nil || stale || out.Len() != 0 {
		t.Errorf("fresh file: stale %v, err %v, output:\n%s", stale, err, out.String())
	}
	if err := os.WriteFile(filepath.Join(dir, "p.txt"), []byte("pkg p, func A()\npkg p, func Old()\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	stale, err = Check(&out, dir, []Listing{l}, 1)
	want := "p.txt is stale for example.com/p: 1 lines removed, 1 added\n  - pkg p, func Old()\n  … (1 more)\n"
	if err != nil || !stale || !strings.HasSuffix(out.String(), want) {
		t.Errorf("stale file: stale %v, err %v, output:\n%s\nwant suffix:\n%s", stale, err, out.String(), want)
	}
}
