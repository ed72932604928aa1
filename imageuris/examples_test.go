package imageuris

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// example is one entry of testdata/examples.json: a request and the URI
// the Python SDK returns for it, or the field the package rejects (the SDK
// rejects it too; testdata/sdkcheck.py checks both against the SDK).
type example struct {
	Origin  string `json:"origin"` // "facts": from shared/facts/image-uris.json; "sdk": run through the SDK
	Facts   string `json:"facts"`  // the facts file's key for the example
	Why     string `json:"why"`
	Request struct {
		Framework            string `json:"framework"`
		Region               string `json:"region"`
		Version              string `json:"version"`
		PythonVersion        string `json:"python_version"`
		BaseFrameworkVersion string `json:"base_framework_version"`
		InstanceType         string `json:"instance_type"`
		Scope                string `json:"scope"`
		SMDistributed        bool   `json:"smdistributed"`
	} `json:"request"`
	URI   string `json:"uri"`
	Error string `json:"error"`
}

func (e example) request() Request {
	r := e.Request
	return Request{
		Framework: r.Framework, Region: r.Region, Version: r.Version, PythonVersion: r.PythonVersion,
		BaseFrameworkVersion: r.BaseFrameworkVersion, InstanceType: r.InstanceType, Scope: r.Scope, SMDistributed: r.SMDistributed,
	}
}

func (e example) name(i int) string {
	r := e.Request
	return fmt.Sprintf("%03d_%s_%s_%s_%s", i, r.Framework, r.Version, r.Region, r.InstanceType)
}

func loadExamples(t *testing.T) []example {
	t.Helper()
	data, err := os.ReadFile("testdata/examples.json")
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var out []example
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("testdata/examples.json: %v", err)
	}
	for i, e := range out {
		if (e.URI == "") == (e.Error == "") || (e.Origin != "facts" && e.Origin != "sdk") {
			t.Fatalf("testdata/examples.json[%d]: needs origin facts or sdk, and exactly one of uri and error", i)
		}
	}
	return out
}

// TestExamples runs every example: the facts file's and those checked
// against the Python SDK. Adding a case is a data change.
func TestExamples(t *testing.T) {
	examples := loadExamples(t)
	var uris, errs int
	for i, e := range examples {
		t.Run(e.name(i), func(t *testing.T) {
			got, err := Retrieve(e.request())
			if e.Error != "" {
				errs++
				var ie *Error
				if !errors.As(err, &ie) {
					t.Fatalf("Retrieve = %q, %v; want an *Error on %s", got, err, e.Error)
				}
				if ie.Field != e.Error {
					t.Fatalf("error on %s, want %s: %v", ie.Field, e.Error, err)
				}
				return
			}
			uris++
			if err != nil {
				t.Fatalf("Retrieve: %v (%s)", err, e.Why)
			}
			if got != e.URI {
				t.Fatalf("Retrieve = %s\nwant       %s (%s)", got, e.URI, e.Why)
			}
			// The other entry points agree with Retrieve.
			img, err := Resolve(e.request())
			if err != nil || img.URI() != got {
				t.Fatalf("Resolve = %+v, %v", img, err)
			}
			regions, err := Regions(e.request())
			if err != nil || !slices.Contains(regions, e.Request.Region) {
				t.Fatalf("Regions = %v, %v; want it to hold %s", regions, err, e.Request.Region)
			}
		})
	}
	t.Logf("%d examples: %d URIs, %d errors", len(examples), uris, errs)
}

// factsPath is the project's facts file, beside the repository (read only;
// the tests that compare against it skip where it is absent).
const factsPath = "../../shared/facts/image-uris.json"

type facts struct {
	Examples            map[string]string            `json:"examples"`
	ECRHostnameExamples map[string]string            `json:"ecr_hostname_examples"`
	AlternateDomains    map[string]string            `json:"alternate_domains_sdk_utils"`
	RegistryMaps        map[string]map[string]string `json:"registry_maps"`
	Frameworks          map[string]struct {
		Processors     []string          `json:"processors"`
		VersionAliases map[string]string `json:"version_aliases"`
		Versions       map[string]struct {
			factLeaf
			Base  string              `json:"base"`
			PerPy map[string]factLeaf `json:"per_py"`
		} `json:"versions"`
	} `json:"frameworks"`
	BuiltinAlgorithms map[string]struct {
		Repo     string            `json:"repo"`
		Versions []string          `json:"versions"`
		Aliases  map[string]string `json:"aliases"`
		Scope    []string          `json:"scope"`
		Reg      string            `json:"reg"`
	} `json:"builtin_algorithms"`
}

type factLeaf struct {
	Py               []string          `json:"py"`
	Processors       []string          `json:"processors"`
	Repo             string            `json:"repo"`
	Reg              string            `json:"reg"`
	ContainerVersion map[string]string `json:"container_version"`
}

func loadFacts(t *testing.T) *facts {
	t.Helper()
	data, err := os.ReadFile(factsPath)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("%s is absent: nothing to compare with", factsPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	var f facts
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("%s: %v", factsPath, err)
	}
	return &f
}

// TestFactsExamplesAreCases pins that every example URI of the facts file
// is a case of testdata/examples.json, so a new fact fails here until its
// case is added.
func TestFactsExamplesAreCases(t *testing.T) {
	f := loadFacts(t)
	byKey := map[string]example{}
	for _, e := range loadExamples(t) {
		if e.Origin == "facts" {
			byKey[e.Facts] = e
		}
	}
	n := 0
	for key, uri := range f.Examples {
		if strings.HasPrefix(key, "_") {
			continue // "_verified": a note, not an example
		}
		n++
		e, ok := byKey[key]
		if !ok {
			t.Errorf("facts example %q (%s) has no case in testdata/examples.json", key, uri)
			continue
		}
		if e.URI != uri {
			t.Errorf("facts example %q: case URI %s, facts %s", key, e.URI, uri)
		}
	}
	if len(byKey) != n {
		t.Errorf("%d cases have origin facts, the facts file has %d examples", len(byKey), n)
	}
	if n == 0 {
		t.Fatal("the facts file has no examples")
	}
}
