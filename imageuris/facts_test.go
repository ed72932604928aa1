package imageuris

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func defaultRegistry(t *testing.T) *Registry {
	t.Helper()
	r, err := Default()
	if err != nil {
		t.Fatalf("the embedded table does not parse: %v", err)
	}
	return r
}

// TestDataMatchesFacts pins the embedded table to the facts file: every
// registry map, framework version and algorithm there is in the table with
// the same values. The table may hold more (an update can come before the
// facts file's).
func TestDataMatchesFacts(t *testing.T) {
	f := loadFacts(t)
	r := defaultRegistry(t)
	empty := cmpopts.EquateEmpty()

	for name, m := range f.RegistryMaps {
		if diff := cmp.Diff(m, r.registries[name], empty); diff != "" {
			t.Errorf("registry %s (-facts +table):\n%s", name, diff)
		}
	}

	for fname, fw := range f.Frameworks {
		name := fname
		if name == "huggingface-pytorch" {
			name = "huggingface" // Python's name; the facts keep only its PyTorch bases
		}
		img, _, err := r.find(name, ScopeTraining)
		if err != nil {
			t.Errorf("%s: %v", fname, err)
			continue
		}
		if diff := cmp.Diff(fw.Processors, img.Processors, empty); diff != "" {
			t.Errorf("%s processors (-facts +table):\n%s", fname, diff)
		}
		if diff := cmp.Diff(fw.VersionAliases, img.Aliases, empty); diff != "" {
			t.Errorf("%s aliases (-facts +table):\n%s", fname, diff)
		}
		for ver, fv := range fw.Versions {
			n := img.Versions[ver]
			if n == nil {
				t.Errorf("%s %s: not in the table", fname, ver)
				continue
			}
			if fv.Base != "" {
				if n = n.Bases[fv.Base]; n == nil {
					t.Errorf("%s %s: base %s not in the table", fname, ver, fv.Base)
					continue
				}
			}
			if fv.PerPy != nil {
				if len(n.PerPy) != len(fv.PerPy) {
					t.Errorf("%s %s: per_py %v, facts %v", fname, ver, slices.Sorted(maps.Keys(n.PerPy)), slices.Sorted(maps.Keys(fv.PerPy)))
				}
				for py, leaf := range fv.PerPy {
					compareLeaf(t, fname+" "+ver+" "+py, leaf, n.PerPy[py])
				}
				continue
			}
			compareLeaf(t, fname+" "+ver, fv.factLeaf, n)
		}
	}

	for name, a := range f.BuiltinAlgorithms {
		img, _, err := r.find(name, ScopeTraining)
		if err != nil {
			t.Errorf("algorithm %s: %v", name, err)
			continue
		}
		if !slices.Contains(img.Kinds, kindAlgorithm) {
			t.Errorf("algorithm %s: kinds %v", name, img.Kinds)
		}
		if diff := cmp.Diff(a.Scope, img.Scopes, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
			t.Errorf("algorithm %s scopes (-facts +table):\n%s", name, diff)
		}
		for _, v := range a.Versions {
			compareLeaf(t, "algorithm "+name+" "+v, factLeaf{Repo: a.Repo, Reg: a.Reg}, img.Versions[v])
		}
		for alias, v := range a.Aliases {
			if img.Aliases[alias] != v {
				t.Errorf("algorithm %s: alias %s → %q, facts %q", name, alias, img.Aliases[alias], v)
			}
		}
		if name != "xgboost" && len(img.Versions) != len(a.Versions) {
			t.Errorf("algorithm %s: versions %v, facts %v", name, slices.Sorted(maps.Keys(img.Versions)), a.Versions)
		}
	}
	if got, want := len(r.Algorithms()), len(f.BuiltinAlgorithms); got != want {
		t.Errorf("Algorithms() has %d names, the facts %d", got, want)
	}
}

func compareLeaf(t *testing.T, at string, want factLeaf, n *node) {
	t.Helper()
	if n == nil {
		t.Errorf("%s: not in the table", at)
		return
	}
	got := factLeaf{Py: n.PyVersions, Processors: n.Processors, Repo: n.Repository, Reg: n.Registry, ContainerVersion: n.ContainerVersion}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("%s (-facts +table):\n%s", at, diff)
	}
}

// TestECRHostsMatchFacts checks the host of every partition the facts
// name, China, GovCloud and the ISO partitions included.
func TestECRHostsMatchFacts(t *testing.T) {
	f := loadFacts(t)
	region := regexp.MustCompile(`[a-z]{2,4}(-[a-z]+)+-[0-9]+`)
	n := 0
	for key, template := range f.ECRHostnameExamples {
		regions := region.FindAllString(key, -1)
		if len(regions) == 0 {
			regions = []string{"us-west-2"} // "aws": the commercial partition
		}
		for _, reg := range regions {
			n++
			want := strings.ReplaceAll(template, "{region}", reg)
			if got, ok := ECRHost(reg); !ok || got != want {
				t.Errorf("ECRHost(%s) = %q, %v; facts %s", reg, got, ok, want)
			}
		}
	}
	for reg, domain := range f.AlternateDomains {
		if reg == "default" {
			reg = "us-east-1"
		}
		n++
		if got, _ := ECRHost(reg); !strings.HasSuffix(got, "."+domain) {
			t.Errorf("ECRHost(%s) = %q; want the domain %s", reg, got, domain)
		}
	}
	if n < 10 {
		t.Fatalf("only %d hosts compared", n)
	}
}
