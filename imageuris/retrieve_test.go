package imageuris

import (
	"errors"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func asError(t *testing.T, err error) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *Error", err, err)
	}
	return e
}

// TestErrorsListChoices: each rejected field names itself and lists what
// the table has at that point of the resolution.
func TestErrorsListChoices(t *testing.T) {
	cases := []struct {
		name      string
		req       Request
		field     string
		valid     []string // must all be listed
		notValid  []string // must not be listed
		nValid    int      // exact count when > 0
		message   string   // exact message when set
		msgPrefix string
	}{
		{
			name:      "unknown region lists the regions of that version",
			req:       Request{Framework: "pytorch", Region: "xx-1", Version: "2.8.0", InstanceType: "ml.g5.xlarge"},
			field:     FieldRegion,
			valid:     []string{"af-south-1", "cn-north-1", "us-gov-west-1", "us-west-2"},
			notValid:  []string{"us-iso-east-1"}, // the newest DLC map has no ISO region
			nValid:    38,
			msgPrefix: `imageuris: region "xx-1": pytorch 2.8.0 training images are in: af-south-1, ap-east-1, `,
		},
		{
			name:     "an older version's map is another list",
			req:      Request{Framework: "pytorch", Region: "xx-1", Version: "2.1.0", InstanceType: "ml.g5.xlarge"},
			field:    FieldRegion,
			valid:    []string{"us-iso-east-1", "us-isof-east-1", "us-isof-south-1"},
			nValid:   42,
			notValid: []string{"eu-isoe-west-1"},
		},
		{
			name:   "lda is in 16 regions",
			req:    Request{Framework: "lda", Region: "af-south-1"},
			field:  FieldRegion,
			nValid: 16,
			valid:  []string{"us-gov-west-1", "us-iso-east-1"},
		},
		{
			name:      "no region",
			req:       Request{Framework: "kmeans"},
			field:     FieldRegion,
			nValid:    37,
			msgPrefix: `imageuris: no region given: kmeans 1 training images are in: af-south-1, `,
		},
		{
			name:      "unknown framework lists every name",
			req:       Request{Framework: "torch", Region: "us-west-2"},
			field:     FieldFramework,
			valid:     []string{"pytorch", "huggingface", "kmeans", "forecasting-deepar", "xgboost"},
			nValid:    21,
			msgPrefix: `imageuris: framework "torch": the table holds: blazingtext, factorization-machines, forecasting-deepar, huggingface, `,
		},
		{
			name:    "inference of a deep-learning framework is not in the table",
			req:     Request{Framework: "pytorch", Region: "us-west-2", Version: "2.8.0", Scope: "inference", InstanceType: "ml.g5.xlarge"},
			field:   FieldScope,
			message: `imageuris: scope "inference": the table holds pytorch images for: training`,
		},
		{
			name:  "eia",
			req:   Request{Framework: "kmeans", Region: "us-west-2", Scope: "eia"},
			field: FieldScope,
			valid: []string{"inference", "training"},
		},
		{
			name:     "unknown version lists versions and aliases",
			req:      Request{Framework: "pytorch", Region: "us-west-2", Version: "9.9", InstanceType: "ml.g5.xlarge"},
			field:    FieldVersion,
			valid:    []string{"0.4", "0.4.0", "2.8", "2.8.0"},
			nValid:   29 + 24,
			notValid: []string{"latest"},
		},
		{
			name:     "sklearn 1.4-2 is training only",
			req:      Request{Framework: "sklearn", Region: "us-west-2", Version: "1.4-2", Scope: "inference"},
			field:    FieldVersion,
			valid:    []string{"1.2-1", "1.4-2-py312"},
			notValid: []string{"1.4-2"},
		},
		{
			name:    "several Python versions and none given",
			req:     Request{Framework: "pytorch", Region: "us-west-2", Version: "1.4.0", InstanceType: "ml.m5.xlarge"},
			field:   FieldPythonVersion,
			message: `imageuris: no python version given: pytorch 1.4.0 training images are built for: py2, py3, py36`,
		},
		{
			name:    "unknown Python version",
			req:     Request{Framework: "pytorch", Region: "us-west-2", Version: "2.8", PythonVersion: "py311", InstanceType: "ml.m5.xlarge"},
			field:   FieldPythonVersion,
			message: `imageuris: python version "py311": pytorch 2.8.0 training images are built for: py312`,
		},
		{
			name:    "per-Python version",
			req:     Request{Framework: "tensorflow", Region: "us-west-2", Version: "1.13.1", PythonVersion: "py37", InstanceType: "ml.m5.xlarge"},
			field:   FieldPythonVersion,
			message: `imageuris: python version "py37": tensorflow 1.13.1 training images are built for: py2, py3`,
		},
		{
			name:    "per-Python version picks the region map",
			req:     Request{Framework: "tensorflow", Region: "ap-southeast-3", Version: "1.13.1", PythonVersion: "py2", InstanceType: "ml.m5.xlarge"},
			field:   FieldRegion,
			valid:   []string{"us-west-2"},
			nValid:  25,
			message: "",
		},
		{
			name:    "unknown Hugging Face base",
			req:     Request{Framework: "huggingface", Region: "us-west-2", Version: "4.56.2", BaseFrameworkVersion: "pytorch2.7.1", InstanceType: "ml.g5.xlarge"},
			field:   FieldBaseFrameworkVersion,
			message: `imageuris: base framework version "pytorch2.7.1": huggingface 4.56.2 training images are built on: pytorch2.8, pytorch2.8.0`,
		},
		{
			name:    "two processors need an instance type",
			req:     Request{Framework: "pytorch", Region: "us-west-2", Version: "2.8.0"},
			field:   FieldInstanceType,
			message: `imageuris: no instance type given: it picks the processor of pytorch 2.8.0 training images: cpu, gpu`,
		},
		{
			name:    "cpu-only image on a GPU instance",
			req:     Request{Framework: "sklearn", Region: "us-west-2", Version: "1.2-1", InstanceType: "ml.g5.xlarge"},
			field:   FieldInstanceType,
			message: `imageuris: instance type "ml.g5.xlarge": it needs a gpu image; sklearn 1.2-1 training images are for: cpu`,
		},
		{
			name:  "gpu-only image on a CPU instance",
			req:   Request{Framework: "huggingface", Region: "us-west-2", Version: "4.56.2", InstanceType: "ml.m5.xlarge"},
			field: FieldInstanceType,
			valid: []string{"gpu"},
		},
		{
			name:    "not an instance type",
			req:     Request{Framework: "pytorch", Region: "us-west-2", Version: "2.8.0", InstanceType: "g5.xlarge"},
			field:   FieldInstanceType,
			message: `imageuris: instance type "g5.xlarge": not a SageMaker instance type (ml.<family>.<size>, local or local_gpu)`,
		},
		{
			name:    "p2 from PyTorch 1.13",
			req:     Request{Framework: "pytorch", Region: "us-west-2", Version: "2.8", InstanceType: "ml.p2.xlarge"},
			field:   FieldInstanceType,
			message: `imageuris: instance type "ml.p2.xlarge": p2 instances are not supported by pytorch images from version 1.13 (asked: 2.8)`,
		},
		{
			name:  "p2 from TensorFlow 2.12",
			req:   Request{Framework: "tensorflow", Region: "us-west-2", Version: "2.12.0", InstanceType: "ml.p2.xlarge"},
			field: FieldInstanceType,
		},
		{
			name:      "Neuron images are not in the table",
			req:       Request{Framework: "pytorch", Region: "us-west-2", Version: "2.8.0", InstanceType: "ml.trn1.32xlarge"},
			field:     FieldInstanceType,
			msgPrefix: `imageuris: instance type "ml.trn1.32xlarge": Inferentia and Trainium instances use pytorch Neuron images`,
		},
		{
			name:  "Inferentia with Hugging Face",
			req:   Request{Framework: "huggingface", Region: "us-west-2", Version: "4.56.2", InstanceType: "ml.inf2.xlarge"},
			field: FieldInstanceType,
		},
		{
			name:    "Trainium runs PyTorch only",
			req:     Request{Framework: "xgboost", Region: "us-west-2", Version: "1.7-1", InstanceType: "ml.trn1.2xlarge"},
			field:   FieldInstanceType,
			message: `imageuris: instance type "ml.trn1.2xlarge": Trainium instances run only pytorch images`,
		},
		{
			name:  "inf is not a TensorFlow processor",
			req:   Request{Framework: "tensorflow", Region: "us-west-2", Version: "2.19.0", InstanceType: "ml.inf2.xlarge"},
			field: FieldInstanceType,
			valid: []string{"cpu", "gpu"},
		},
		{
			name:      "Graviton",
			req:       Request{Framework: "pytorch", Region: "us-west-2", Version: "2.8.0", InstanceType: "ml.c7g.xlarge"},
			field:     FieldInstanceType,
			msgPrefix: `imageuris: instance type "ml.c7g.xlarge": c7g is a Graviton (arm64) family`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			uri, err := Retrieve(c.req)
			if err == nil {
				t.Fatalf("Retrieve = %s, want an error on %s", uri, c.field)
			}
			e := asError(t, err)
			if e.Field != c.field {
				t.Fatalf("Field = %q, want %q: %v", e.Field, c.field, err)
			}
			for _, v := range c.valid {
				if !slices.Contains(e.Valid, v) {
					t.Errorf("Valid does not list %q: %v", v, err)
				}
			}
			for _, v := range c.notValid {
				if slices.Contains(e.Valid, v) {
					t.Errorf("Valid lists %q: %v", v, err)
				}
			}
			if c.nValid > 0 && len(e.Valid) != c.nValid {
				t.Errorf("Valid has %d choices, want %d: %v", len(e.Valid), c.nValid, e.Valid)
			}
			if c.message != "" && err.Error() != c.message {
				t.Errorf("message\n got %s\nwant %s", err, c.message)
			}
			if c.msgPrefix != "" && !strings.HasPrefix(err.Error(), c.msgPrefix) {
				t.Errorf("message\n got %s\nwant %s…", err, c.msgPrefix)
			}
			if !slices.IsSortedFunc(e.Valid, compareVersions) {
				t.Errorf("Valid is not sorted: %v", e.Valid)
			}
			// The rejection is the same through Resolve.
			if _, err2 := Resolve(c.req); err2 == nil || err2.Error() != err.Error() {
				t.Errorf("Resolve: %v", err2)
			}
		})
	}
}

func TestProcessor(t *testing.T) {
	cpuGPU := []string{"cpu", "gpu"}
	cases := []struct {
		instance  string
		available []string
		want      string // "" with wantErr false: no processor in the tag
		wantErr   bool
	}{
		{"ml.m5.xlarge", cpuGPU, "cpu", false},
		{"ml.c5.2xlarge", cpuGPU, "cpu", false},
		{"ml.r5.large", cpuGPU, "cpu", false},
		{"ml.t3.medium", cpuGPU, "cpu", false},
		{"ml.g5.xlarge", cpuGPU, "gpu", false},
		{"ml.g6e.12xlarge", cpuGPU, "gpu", false},
		{"ml.p3.2xlarge", cpuGPU, "gpu", false},
		{"ml.p4d.24xlarge", cpuGPU, "gpu", false},
		{"ml.p5.48xlarge", cpuGPU, "gpu", false},
		{"ml_g5", cpuGPU, "gpu", false}, // Python's pattern allows ml_<family>
		{"local", cpuGPU, "cpu", false},
		{"local_gpu", cpuGPU, "gpu", false},
		{"ml.inf2.xlarge", cpuGPU, "", true},
		{"ml.trn1.2xlarge", cpuGPU, "", true},
		{"", cpuGPU, "", true},
		{"m5.xlarge", cpuGPU, "", true},
		{"ml.m5.xlarge.big", cpuGPU, "", true},
		{"ml.G5.xlarge", cpuGPU, "", true},
		{"", []string{"gpu"}, "gpu", false}, // one processor, no instance type: that one
		{"ml.m5.xlarge", []string{"gpu"}, "", true},
		{"", []string{"cpu"}, "cpu", false},
		{"ml.g5.xlarge", []string{"cpu"}, "", true},
		{"local_gpu", []string{"cpu"}, "", true},
		{"ml.g5.xlarge", nil, "", false}, // no processors: the instance type is ignored
		{"not an instance type", nil, "", false},
		{"ml.c5.xlarge", []string{"cpu", "gpu", "c5"}, "c5", false}, // a family the image names
		{"ml.p3.2xlarge", []string{"cpu", "p3"}, "p3", false},
		{"ml.inf1.xlarge", []string{"inf", "trn"}, "inf", false},
		{"ml.trn1.32xlarge", []string{"inf", "trn"}, "trn", false},
		{"neuron_x", []string{"neuron"}, "neuron", false},
	}
	for _, c := range cases {
		got, err := processor(c.instance, c.available, "test images")
		if (err != nil) != c.wantErr || got != c.want {
			t.Errorf("processor(%q, %v) = %q, %v; want %q, error %v", c.instance, c.available, got, err, c.want, c.wantErr)
		}
		if err != nil {
			if e := asError(t, err); e.Field != FieldInstanceType || e.Value != c.instance {
				t.Errorf("processor(%q): %+v", c.instance, e)
			}
		}
	}
}

// TestAliasesKeepTheTag: for every alias of every image, the alias picks
// the aliased version's image and the tag carries the alias (Python's
// rule: pytorch 2.8 → pytorch-training:2.8-gpu-py312).
func TestAliasesKeepTheTag(t *testing.T) {
	r := defaultRegistry(t)
	n := 0
	for _, name := range r.names {
		for _, img := range r.byName[name] {
			for _, scope := range img.Scopes {
				for alias, target := range aliasesFor(img, scope) {
					base := Request{Framework: name, Scope: scope, Version: target}
					req := someRequest(t, r, img, base)
					full, err := r.Resolve(req)
					if err != nil {
						t.Fatalf("%s %s: %v", name, target, err)
					}
					req.Version = alias
					short, err := r.Resolve(req)
					if err != nil {
						t.Fatalf("%s %s: %v", name, alias, err)
					}
					n++
					if short.Version != target || short.Account != full.Account || short.Repository != full.Repository {
						t.Errorf("%s %s: %+v, %s gives %+v", name, alias, short, target, full)
					}
					// The tag differs only where the version is written.
					if want := strings.Replace(full.Tag, target, alias, 1); short.Tag != want {
						t.Errorf("%s %s: tag %s, want %s", name, alias, short.Tag, want)
					}
				}
			}
		}
	}
	if n < 60 {
		t.Fatalf("only %d aliases checked", n)
	}
}

// someRequest completes req for img: a region of its map, its first
// Python version, an instance type for its first processor.
func someRequest(t *testing.T, r *Registry, img *image, req Request) Request {
	t.Helper()
	n := img.Versions[img.Aliases[req.Version]]
	if n == nil {
		n = img.Versions[req.Version]
	}
	if n.Bases != nil {
		req.BaseFrameworkVersion = slices.Sorted(maps.Keys(n.Bases))[0]
		n = n.Bases[req.BaseFrameworkVersion]
	}
	switch {
	case n.PerPy != nil:
		req.PythonVersion = slices.Sorted(maps.Keys(n.PerPy))[0]
	case len(n.PyVersions) > 0:
		req.PythonVersion = n.PyVersions[0]
	}
	sel, err := selectImage(img, req.Scope, req)
	if err != nil {
		t.Fatalf("%s %s: %v", img.Name, req.Version, err)
	}
	req.Region = slices.Sorted(maps.Keys(r.registries[sel.leaf.Registry]))[0]
	if procs := processorsOf(img, sel.leaf); len(procs) > 0 {
		req.InstanceType = instanceFor(procs[0])
	}
	return req
}

func instanceFor(processor string) string {
	switch processor {
	case "gpu":
		return "ml.g5.xlarge"
	case "cpu":
		return "ml.m5.xlarge"
	}
	return "ml." + processor + ".xlarge"
}

// TestEveryImageResolves walks the whole table: every image, scope,
// version, base, Python version, processor and region gives a well-formed
// URI whose account is the map's and whose host is the partition's.
func TestEveryImageResolves(t *testing.T) {
	r := defaultRegistry(t)
	uriRe := regexp.MustCompile(`^[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.[a-z0-9.-]+/[a-z0-9-]+:[A-Za-z0-9._-]+$`)
	n := 0
	for _, name := range r.names {
		for _, img := range r.byName[name] {
			for _, scope := range img.Scopes {
				for _, ver := range versionsFor(img, scope) {
					top := img.Versions[ver]
					bases := []string{""}
					if top.Bases != nil {
						bases = slices.Sorted(maps.Keys(top.Bases))
					}
					for _, base := range bases {
						nd := top
						if base != "" {
							nd = top.Bases[base]
						}
						pys := nd.PyVersions
						if nd.PerPy != nil {
							pys = slices.Sorted(maps.Keys(nd.PerPy))
						}
						if len(pys) == 0 {
							pys = []string{""}
						}
						for _, py := range pys {
							leaf := nd
							if nd.PerPy != nil {
								leaf = nd.PerPy[py]
							}
							procs := processorsOf(img, leaf)
							instances := []string{""}
							if len(procs) > 0 {
								instances = nil
								for _, p := range procs {
									instances = append(instances, instanceFor(p))
								}
							}
							for region, account := range r.registries[leaf.Registry] {
								for _, it := range instances {
									req := Request{Framework: name, Region: region, Version: ver, PythonVersion: py, InstanceType: it, Scope: scope, BaseFrameworkVersion: base}
									got, err := r.Resolve(req)
									if err != nil {
										t.Fatalf("%+v: %v", req, err)
									}
									n++
									host, _ := r.ECRHost(region)
									if got.Account != account || got.Host != host || got.Repository != leaf.Repository || !uriRe.MatchString(got.URI()) {
										t.Fatalf("%+v: %+v", req, got)
									}
									if leaf.TagPrefix == "" && !strings.Contains(got.Tag, ver) {
										t.Fatalf("%+v: tag %s lacks the version", req, got.Tag)
									}
								}
							}
						}
					}
				}
			}
		}
	}
	t.Logf("%d URIs", n)
	if n < 3000 {
		t.Fatalf("only %d URIs resolved", n)
	}
}

// TestSingleVersion: an image with one version uses it whatever is asked,
// as Python does (kmeans "2" → kmeans:1).
func TestSingleVersion(t *testing.T) {
	for _, v := range []string{"", "1", "2", "latest", "1.0"} {
		img, err := Resolve(Request{Framework: "kmeans", Region: "us-west-2", Version: v})
		if err != nil {
			t.Fatalf("version %q: %v", v, err)
		}
		if img.Version != "1" || img.URI() != "174872318107.dkr.ecr.us-west-2.amazonaws.com/kmeans:1" {
			t.Errorf("version %q: %+v", v, img)
		}
	}
	if got, err := Versions("kmeans", ""); err != nil || !slices.Equal(got, []string{"1"}) {
		t.Errorf("Versions(kmeans) = %v, %v", got, err)
	}
}

// TestNoVersion: "" is the latest alias, else the newest version.
func TestNoVersion(t *testing.T) {
	cases := []struct {
		req     Request
		version string
		tag     string
	}{
		{Request{Framework: "pytorch", InstanceType: "ml.g5.xlarge"}, "2.8.0", "2.8.0-gpu-py312"},
		{Request{Framework: "tensorflow", InstanceType: "ml.m5.xlarge"}, "2.19.0", "2.19.0-cpu-py312"},
		{Request{Framework: "huggingface", InstanceType: "ml.g5.xlarge"}, "5.3.0", "2.9.0-transformers5.3.0-gpu-py312-cu130-ubuntu22.04"},
		{Request{Framework: "xgboost"}, "1", "1"}, // the latest alias: the built-in algorithm, as in Python
		{Request{Framework: "sklearn"}, "1.4-2-py312", "1.4-2-py312-cpu-py3"},
		{Request{Framework: "sklearn", Scope: "inference"}, "1.4-2-py312", "1.4-2-py312-cpu-py3"},
	}
	for _, c := range cases {
		c.req.Region = "us-east-1"
		img, err := Resolve(c.req)
		if err != nil || img.Version != c.version || img.Tag != c.tag {
			t.Errorf("%+v: %+v, %v; want version %s, tag %s", c.req, img, err, c.version, c.tag)
		}
	}
}

func TestResolveParts(t *testing.T) {
	img, err := Resolve(Request{Framework: "huggingface", Region: "cn-north-1", Version: "4.56", BaseFrameworkVersion: "pytorch2.8", InstanceType: "ml.p4d.24xlarge"})
	if err != nil {
		t.Fatal(err)
	}
	want := Image{
		Framework: "huggingface", Scope: "training", Version: "4.56.2", BaseFrameworkVersion: "pytorch2.8.0",
		PythonVersion: "py312", Processor: "gpu", Region: "cn-north-1", Account: "727897471807",
		Host: "ecr.cn-north-1.amazonaws.com.cn", Repository: "huggingface-pytorch-training",
		Tag: "2.8-transformers4.56-gpu-py312-cu129-ubuntu22.04",
	}
	if img != want {
		t.Errorf("Resolve =\n%+v\nwant\n%+v", img, want)
	}
}

func TestNamesAndLists(t *testing.T) {
	if got, want := Frameworks(), []string{"huggingface", "pytorch", "sklearn", "tensorflow", "xgboost"}; !slices.Equal(got, want) {
		t.Errorf("Frameworks() = %v, want %v", got, want)
	}
	algos := []string{
		"blazingtext", "factorization-machines", "forecasting-deepar", "image-classification", "ipinsights", "kmeans", "knn",
		"lda", "linear-learner", "ntm", "object-detection", "object2vec", "pca", "randomcutforest", "semantic-segmentation", "seq2seq", "xgboost",
	}
	if got := Algorithms(); !slices.Equal(got, algos) {
		t.Errorf("Algorithms() = %v, want %v", got, algos)
	}
	if got, err := Scopes("sklearn"); err != nil || !slices.Equal(got, []string{"inference", "training"}) {
		t.Errorf("Scopes(sklearn) = %v, %v", got, err)
	}
	if _, err := Scopes("nope"); asError(t, err).Field != FieldFramework {
		t.Errorf("Scopes(nope): %v", err)
	}
	v, err := Versions("pytorch", "training")
	if err != nil || len(v) != 29 || v[0] != "0.4.0" || v[len(v)-1] != "2.8.0" {
		t.Errorf("Versions(pytorch) = %v, %v", v, err)
	}
	if _, err := Versions("pytorch", "inference"); asError(t, err).Field != FieldScope {
		t.Errorf("Versions(pytorch, inference): %v", err)
	}
	a, err := Aliases("tensorflow", "")
	if err != nil || a["2.19"] != "2.19.0" || a["1.15"] != "1.15.5" {
		t.Errorf("Aliases(tensorflow) = %v, %v", a, err)
	}
	a["2.19"] = "changed" // a copy: the registry is immutable
	if a2, _ := Aliases("tensorflow", ""); a2["2.19"] != "2.19.0" {
		t.Error("Aliases returned the registry's own map")
	}
	regions, err := Regions(Request{Framework: "xgboost", Version: "latest"})
	if err != nil || len(regions) != 33 {
		t.Errorf("Regions(xgboost latest) = %d regions, %v", len(regions), err)
	}
	regions[0] = "changed"
	if again, _ := Regions(Request{Framework: "xgboost", Version: "latest"}); again[0] == "changed" {
		t.Error("Regions returned shared memory")
	}
}

// TestAlgorithmRegions: every built-in algorithm in every region of its
// map, with the account of that region and the host of its partition.
func TestAlgorithmRegions(t *testing.T) {
	r := defaultRegistry(t)
	counts := map[string]int{}
	for _, name := range r.Algorithms() {
		regions, err := r.Regions(Request{Framework: name, Version: "1"})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		counts[name] = len(regions)
		for _, region := range regions {
			for _, scope := range []string{"", "training", "inference"} {
				img, err := r.Resolve(Request{Framework: name, Region: region, Version: "1", Scope: scope})
				if err != nil {
					t.Fatalf("%s %s: %v", name, region, err)
				}
				host, _ := r.ECRHost(region)
				if img.Tag != "1" || img.Repository != name || img.Host != host {
					t.Errorf("%s %s: %+v", name, region, img)
				}
			}
		}
	}
	want := map[string]int{"lda": 16, "xgboost": 33, "kmeans": 37, "blazingtext": 37, "forecasting-deepar": 37}
	for name, n := range want {
		if counts[name] != n {
			t.Errorf("%s is in %d regions, want %d", name, counts[name], n)
		}
	}
	if len(counts) != 17 {
		t.Errorf("%d algorithms", len(counts))
	}
}

func TestECRHost(t *testing.T) {
	cases := map[string]string{
		"us-west-2":       "ecr.us-west-2.amazonaws.com",
		"il-central-1":    "ecr.il-central-1.amazonaws.com",
		"mx-central-1":    "ecr.mx-central-1.amazonaws.com",
		"ap-southeast-7":  "ecr.ap-southeast-7.amazonaws.com",
		"cn-north-1":      "ecr.cn-north-1.amazonaws.com.cn",
		"cn-northwest-1":  "ecr.cn-northwest-1.amazonaws.com.cn",
		"us-gov-west-1":   "ecr.us-gov-west-1.amazonaws.com",
		"us-gov-east-1":   "ecr.us-gov-east-1.amazonaws.com",
		"us-iso-east-1":   "ecr.us-iso-east-1.c2s.ic.gov",
		"us-iso-west-1":   "ecr.us-iso-west-1.c2s.ic.gov",
		"us-isob-east-1":  "ecr.us-isob-east-1.sc2s.sgov.gov",
		"us-isof-east-1":  "ecr.us-isof-east-1.csp.hci.ic.gov",
		"us-isof-south-1": "ecr.us-isof-south-1.csp.hci.ic.gov",
		"eu-isoe-west-1":  "ecr.eu-isoe-west-1.cloud.adc-e.uk",
		"eusc-de-east-1":  "ecr.eusc-de-east-1.amazonaws.eu",
	}
	for region, want := range cases {
		if got, ok := ECRHost(region); !ok || got != want {
			t.Errorf("ECRHost(%s) = %q, %v; want %s", region, got, ok, want)
		}
	}
	for _, region := range []string{"", "xx-1", "us-west", "US-WEST-2", "cn-north-1.evil.com", "us-west-2/x"} {
		if got, ok := ECRHost(region); ok {
			t.Errorf("ECRHost(%q) = %q, want no partition", region, got)
		}
	}
}

func TestCompareVersions(t *testing.T) {
	ordered := []string{"0.4", "0.4.0", "0.20.0", "0.23-1", "0.90-1", "0.90-2", "1", "1.0", "1.0-1", "1.2", "1.2-1", "1.4-2", "1.4-2-py312", "1.9", "1.10", "1.10.0", "2.8.0", "2.19.0", "10.0", "latest"}
	for i := range ordered {
		for j := range ordered {
			got := compareVersions(ordered[i], ordered[j])
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got != want {
				t.Errorf("compareVersions(%s, %s) = %d, want %d", ordered[i], ordered[j], got, want)
			}
		}
	}
	atLeast := []struct {
		v, min string
		want   bool
	}{
		{"1.13", "1.13", true}, {"1.13.1", "1.13", true}, {"1.13.0", "1.13", true}, {"1.12.1", "1.13", false},
		{"2.8", "1.13", true}, {"1.9", "1.13", false}, {"2.12.0", "2.12", true}, {"2.11", "2.12", false},
		{"99999999999999999999999", "1", true},
	}
	for _, c := range atLeast {
		if got := versionAtLeast(c.v, c.min); got != c.want {
			t.Errorf("versionAtLeast(%s, %s) = %v", c.v, c.min, got)
		}
	}
}
