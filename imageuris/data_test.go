package imageuris

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
)

// minimal is the smallest table: one partition, one registry, one image.
const minimal = `{
  "format": 1,
  "partitions": [{"name": "aws", "region_regex": "^us\\-\\w+\\-\\d+$", "dns_suffix": "amazonaws.com"}],
  "registries": {"A": {"us-west-2": "123456789012"}},
  "images": [
    {"name": "x", "kinds": ["framework"], "scopes": ["training"], "processors": ["cpu", "gpu"], "aliases": {"1": "1.0"},
     "versions": {"1.0": {"repository": "r", "registry": "A", "py_versions": ["py3"], "container_version": {"cpu": "c", "gpu": "g"}}}}
  ]
}`

func TestParseMinimal(t *testing.T) {
	r, err := Parse([]byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.Retrieve(Request{Framework: "x", Region: "us-west-2", Version: "1", InstanceType: "ml.g5.xlarge"})
	if want := "123456789012.dkr.ecr.us-west-2.amazonaws.com/r:1-gpu-py3-g"; err != nil || got != want {
		t.Errorf("Retrieve = %q, %v; want %s", got, err, want)
	}
}

// TestParseRejects: a broken table is an error that says where, never a
// later panic or a silently wrong URI.
func TestParseRejects(t *testing.T) {
	cases := []struct {
		name, old, new, want string
	}{
		{"format", `"format": 1`, `"format": 2`, "format 2"},
		{"misspelt key", `"py_versions"`, `"py_version"`, `unknown field "py_version"`},
		{"duplicate key", `"1.0": {"repository"`, `"1.0": {}, "1.0": {"repository"`, `images[0].versions: key "1.0" appears twice`},
		{"undefined registry", `"registry": "A"`, `"registry": "B"`, `registry "B" is not defined (registries: A)`},
		{"account", `"123456789012"`, `"12345"`, `account "12345" is not 12 digits`},
		{"region in no partition", `{"us-west-2": "123456789012"}`, `{"us-west-2": "123456789012", "cn-north-1": "123456789012"}`, "registries[A][cn-north-1]: the region is in no partition"},
		{"bad regex", `"^us\\-\\w+\\-\\d+$"`, `"(("`, "region_regex"},
		{"no partitions", `[{"name": "aws", "region_regex": "^us\\-\\w+\\-\\d+$", "dns_suffix": "amazonaws.com"}]`, `[]`, "partitions: none"},
		{"alias to nothing", `{"1": "1.0"}`, `{"1": "2.0"}`, `aliases[1]: "2.0" is not a version`},
		{"alias is a version", `{"1": "1.0"}`, `{"1.0": "1.0"}`, "aliases[1.0]: is also a version"},
		{"container version misses a processor", `{"cpu": "c", "gpu": "g"}`, `{"cpu": "c"}`, `container_version has no entry for processor "gpu"`},
		{"kind", `"kinds": ["framework"]`, `"kinds": ["frame"]`, `kinds: "frame"`},
		{"no scopes", `"scopes": ["training"]`, `"scopes": []`, "scopes: none"},
		{"repeated processor", `["cpu", "gpu"]`, `["cpu", "cpu"]`, `processors: "cpu" is empty or repeated`},
		{"no versions", `"versions": {"1.0": {"repository": "r", "registry": "A", "py_versions": ["py3"], "container_version": {"cpu": "c", "gpu": "g"}}}`, `"versions": {}`, "versions: none"},
		{"two shapes", `{"repository": "r", "registry": "A",`, `{"per_py": {"py2": {"repository": "r", "registry": "A"}}, "repository": "r", "registry": "A",`, "needs exactly one of"},
		{"per_py with py_versions", `{"repository": "r", "registry": "A", "py_versions": ["py3"], "container_version": {"cpu": "c", "gpu": "g"}}`, `{"per_py": {"py3": {"repository": "r", "registry": "A"}}, "py_versions": ["py3"]}`, "per_py lists the Python versions"},
		{"nested per_py", `{"repository": "r", "registry": "A", "py_versions": ["py3"], "container_version": {"cpu": "c", "gpu": "g"}}`, `{"per_py": {"py3": {"per_py": {}}}}`, "must be a leaf"},
		{"base name", `{"repository": "r", "registry": "A", "py_versions": ["py3"], "container_version": {"cpu": "c", "gpu": "g"}}`, `{"bases": {"torch2": {"repository": "r", "registry": "A"}}}`, "a base is pytorch<version>"},
		{"base alias to nothing", `{"repository": "r", "registry": "A", "py_versions": ["py3"], "container_version": {"cpu": "c", "gpu": "g"}}`, `{"bases": {"pytorch2.0.0": {"repository": "r", "registry": "A"}}, "base_aliases": {"pytorch2.0": "pytorch2.0.1"}}`, `"pytorch2.0.1" is not a base`},
		{"version scope", `"py_versions": ["py3"],`, `"py_versions": ["py3"], "scopes": ["inference"],`, `scope "inference" is not a scope of the image`},
		{"scope without versions", `"scopes": ["training"]`, `"scopes": ["training", "inference"]`, ""},
		{"same name and scope twice", `"images": [`, `"images": [{"name": "x", "kinds": ["algorithm"], "scopes": ["training"], "versions": {"1": {"repository": "r", "registry": "A"}}},`, `scope "training" is listed by another entry`},
		{"trailing content", `]
}`, `]
} {}`, "trailing content"},
		{"null image", `"images": [`, `"images": [null,`, "images[0]: name is required"},
		{"not JSON", `"format": 1`, `"format": `, "data:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(minimal, c.old) {
				t.Fatalf("the case's old text is not in the table: %s", c.old)
			}
			doc := strings.Replace(minimal, c.old, c.new, 1)
			r, err := Parse([]byte(doc))
			if c.want == "" {
				// Valid, as long as what it holds resolves.
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if _, err := r.Retrieve(Request{Framework: "x", Region: "us-west-2", Version: "1.0", InstanceType: "local"}); err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Parse accepted:\n%s", doc)
			}
			if !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "imageuris: data:") {
				t.Fatalf("error %q, want it to say %q", err, c.want)
			}
		})
	}
	for _, doc := range []string{"", "null", "[]", "{}", `{"format": 1}`, strings.Repeat("[", 100) + strings.Repeat("]", 100)} {
		if _, err := Parse([]byte(doc)); err == nil {
			t.Errorf("Parse(%q) accepted", doc)
		}
	}
}

// "scope without versions" above parses because its only version serves
// every scope; a version restricted away from a scope that nothing else
// serves is the error.
func TestParseScopeWithoutVersions(t *testing.T) {
	doc := strings.Replace(minimal, `"scopes": ["training"]`, `"scopes": ["training", "inference"]`, 1)
	doc = strings.Replace(doc, `"py_versions": ["py3"],`, `"py_versions": ["py3"], "scopes": ["training"],`, 1)
	if _, err := Parse([]byte(doc)); err == nil || !strings.Contains(err.Error(), `no version serves scope "inference"`) {
		t.Fatalf("Parse: %v", err)
	}
}

// TestEmbeddedTableTidy: the checks Parse cannot make alone.
func TestEmbeddedTableTidy(t *testing.T) {
	r := defaultRegistry(t)
	used := map[string]bool{}
	var walk func(n *node)
	walk = func(n *node) {
		if n.Registry != "" {
			used[n.Registry] = true
		}
		for _, c := range n.Bases {
			walk(c)
		}
		for _, c := range n.PerPy {
			walk(c)
		}
	}
	for _, imgs := range r.byName {
		for _, img := range imgs {
			for _, n := range img.Versions {
				walk(n)
			}
		}
	}
	names := slices.Sorted(maps.Keys(r.registries))
	for i, a := range names {
		if !used[a] {
			t.Errorf("registry %s is not used by any version: remove it", a)
		}
		for _, b := range names[i+1:] {
			if maps.Equal(r.registries[a], r.registries[b]) {
				t.Errorf("registries %s and %s are the same map: use one", a, b)
			}
		}
	}
	// The embedded file is what Parse reads: no second copy to keep in step.
	data, err := os.ReadFile("data/images.json")
	if err != nil || string(data) != string(embedded) {
		t.Errorf("data/images.json and the embedded table differ (%v)", err)
	}
}

func TestDefaultIsShared(t *testing.T) {
	a, err1 := Default()
	b, err2 := Default()
	if err1 != nil || err2 != nil || a != b {
		t.Fatalf("Default() = %p, %v; %p, %v", a, err1, b, err2)
	}
}

// FuzzRetrieve: any request gives a URI or an *Error, never a panic.
func FuzzRetrieve(f *testing.F) {
	f.Add("pytorch", "us-west-2", "2.8", "py312", "ml.g5.xlarge", "training", "", false)
	f.Add("huggingface", "us-west-2", "4.56", "", "ml.p4d.24xlarge", "", "pytorch2.8", true)
	f.Add("tensorflow", "us-west-2", "1.13.1", "py2", "ml.p4d.24xlarge", "", "", true)
	f.Add("kmeans", "us-iso-east-1", "", "", "", "inference", "", false)
	f.Add("xgboost", "cn-north-1", "latest", "py3", "local_gpu", "", "", false)
	f.Add("sklearn", "", "1.4-2", "", "ml_m6g", "inference", "", false)
	f.Fuzz(func(t *testing.T, framework, region, version, py, instance, scope, base string, smd bool) {
		req := Request{Framework: framework, Region: region, Version: version, PythonVersion: py, InstanceType: instance, Scope: scope, BaseFrameworkVersion: base, SMDistributed: smd}
		uri, err := Retrieve(req)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || uri != "" || !strings.HasPrefix(e.Error(), "imageuris: ") {
				t.Fatalf("Retrieve(%+v) = %q, %v (%T)", req, uri, err, err)
			}
			return
		}
		if !strings.Contains(uri, ".dkr.ecr."+region+".") {
			t.Fatalf("Retrieve(%+v) = %s", req, uri)
		}
	})
}

// FuzzParse: any input parses or fails with an error, never a panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte(minimal))
	f.Add(embedded)
	f.Add([]byte(`{"format": 1, "images": [null]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse(data)
		if err != nil {
			return
		}
		for _, name := range r.names {
			_, _ = r.Retrieve(Request{Framework: name, Region: "us-west-2", InstanceType: "ml.g5.xlarge"})
		}
		_ = fmt.Sprint(r.Frameworks(), r.Algorithms())
	})
}
