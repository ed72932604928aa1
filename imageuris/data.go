package imageuris

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// The embedded table: see docs/image-uris.md for its layout and how to
// update it.
//
//go:embed data/images.json
var embedded []byte

// dataFormat is the layout version of the data file; Parse rejects others
// so that an old smcore never misreads a newer file.
const dataFormat = 1

// file is the data file as written. Field names follow the Python SDK's
// image_uri_config files where there is one (py_versions, repository,
// container_version, tag_prefix) so that an SDK entry maps over by eye.
type file struct {
	Format     int                          `json:"format"`
	Source     map[string]string            `json:"source"`
	Partitions []partitionData              `json:"partitions"`
	Registries map[string]map[string]string `json:"registries"`
	Images     []*image                     `json:"images"`
}

type partitionData struct {
	Name        string `json:"name"`
	RegionRegex string `json:"region_regex"`
	DNSSuffix   string `json:"dns_suffix"`
}

// image is one framework or algorithm for a set of scopes.
type image struct {
	Name       string   `json:"name"`
	Kinds      []string `json:"kinds"`
	Scopes     []string `json:"scopes"`
	Processors []string `json:"processors"`
	// Aliases map a short version ("2.8") to a key of Versions; the tag
	// keeps the alias.
	Aliases map[string]string `json:"aliases"`
	// DeprecatedFamilies: instance family → first version that rejects it
	// (p2 from PyTorch 1.13 and TensorFlow 2.12).
	DeprecatedFamilies map[string]string `json:"deprecated_families"`
	// P4DTagSuffixes: tag → suffix appended on p4d instances or with
	// smdistributed (a few old TensorFlow and PyTorch images).
	P4DTagSuffixes map[string]string `json:"p4d_tag_suffixes"`
	Versions       map[string]*node  `json:"versions"`
	Note           string            `json:"note"`
}

// node is a version entry. It is a leaf (Repository and Registry), or
// splits by base framework (Hugging Face) or by Python version
// (TensorFlow 1.13.1) into leaves.
type node struct {
	Scopes           []string          `json:"scopes"`
	Bases            map[string]*node  `json:"bases"`
	BaseAliases      map[string]string `json:"base_aliases"`
	PerPy            map[string]*node  `json:"per_py"`
	PyVersions       []string          `json:"py_versions"`
	Processors       []string          `json:"processors"`
	Repository       string            `json:"repository"`
	Registry         string            `json:"registry"`
	ContainerVersion map[string]string `json:"container_version"`
	TagPrefix        string            `json:"tag_prefix"`
	Note             string            `json:"note"`
}

type partition struct {
	name   string
	re     *regexp.Regexp
	suffix string
}

// Registry is a parsed, validated image table. It is immutable, so one
// value serves concurrent callers.
type Registry struct {
	partitions []partition
	registries map[string]map[string]string
	byName     map[string][]*image
	names      []string
}

var loadEmbedded = sync.OnceValues(func() (*Registry, error) { return Parse(embedded) })

// Default returns the registry of the embedded table, parsed on first use.
func Default() (*Registry, error) { return loadEmbedded() }

var (
	accountRe = regexp.MustCompile(`^[0-9]{12}$`)
	baseRe    = regexp.MustCompile(`^(pytorch|tensorflow)(.+)$`)
)

// Parse reads a table in the embedded data's layout (docs/image-uris.md).
// It checks every reference, so that Retrieve cannot fail on the data
// itself: a broken table is an error here, never a panic later.
func Parse(data []byte) (*Registry, error) {
	if err := duplicateKeys(data); err != nil {
		return nil, fmt.Errorf("imageuris: data: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields() // a misspelt key in a hand-edited file must not pass silently
	var f file
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("imageuris: data: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("imageuris: data: trailing content after the table")
	}
	if f.Format != dataFormat {
		return nil, fmt.Errorf("imageuris: data: format %d, this package reads format %d", f.Format, dataFormat)
	}
	v := &validator{}
	r := &Registry{registries: f.Registries, byName: map[string][]*image{}}
	for i, p := range f.Partitions {
		re, err := regexp.Compile(p.RegionRegex)
		switch {
		case err != nil:
			v.add("partitions[%d]: region_regex: %v", i, err)
		case p.Name == "" || p.DNSSuffix == "":
			v.add("partitions[%d]: name and dns_suffix are required", i)
		default:
			r.partitions = append(r.partitions, partition{p.Name, re, p.DNSSuffix})
		}
	}
	if len(f.Partitions) == 0 {
		v.add("partitions: none")
	}
	for _, name := range slices.Sorted(maps.Keys(f.Registries)) {
		regions := f.Registries[name]
		if len(regions) == 0 {
			v.add("registries[%s]: no regions", name)
		}
		for _, region := range slices.Sorted(maps.Keys(regions)) {
			if !accountRe.MatchString(regions[region]) {
				v.add("registries[%s][%s]: account %q is not 12 digits", name, region, regions[region])
			}
			if _, ok := r.ecrHost(region); !ok {
				v.add("registries[%s][%s]: the region is in no partition", name, region)
			}
		}
	}
	seen := map[[2]string]bool{}
	for i, img := range f.Images {
		if img == nil || img.Name == "" {
			v.add("images[%d]: name is required", i)
			continue
		}
		v.image(img, f.Registries)
		for _, s := range img.Scopes {
			if seen[[2]string{img.Name, s}] {
				v.add("images[%s]: scope %q is listed by another entry of the same name", img.Name, s)
			}
			seen[[2]string{img.Name, s}] = true
		}
		if _, ok := r.byName[img.Name]; !ok {
			r.names = append(r.names, img.Name)
		}
		r.byName[img.Name] = append(r.byName[img.Name], img)
	}
	if len(r.names) == 0 {
		v.add("images: none")
	}
	if len(v.errs) > 0 {
		return nil, fmt.Errorf("imageuris: data:\n%w", errors.Join(v.errs...))
	}
	slices.Sort(r.names)
	return r, nil
}

// duplicateKeys rejects an object with a key twice: encoding/json keeps
// the last one silently, and a version pasted twice with different values
// is the likeliest slip of a hand edit.
func duplicateKeys(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	var walk func(path string, depth int) error
	walk = func(path string, depth int) error {
		if depth > 64 {
			return fmt.Errorf("%s: nested too deeply", path)
		}
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'):
			seen := map[string]bool{}
			for dec.More() {
				t, err := dec.Token()
				if err != nil {
					return err
				}
				key, _ := t.(string)
				if seen[key] {
					return fmt.Errorf("%s: key %q appears twice", strings.TrimPrefix(path, "."), key)
				}
				seen[key] = true
				if err := walk(path+"."+key, depth+1); err != nil {
					return err
				}
			}
		case json.Delim('['):
			for i := 0; dec.More(); i++ {
				if err := walk(fmt.Sprintf("%s[%d]", path, i), depth+1); err != nil {
					return err
				}
			}
		default:
			return nil
		}
		_, err = dec.Token() // the closing delimiter
		return err
	}
	return walk("", 0)
}

type validator struct{ errs []error }

func (v *validator) add(format string, args ...any) {
	v.errs = append(v.errs, fmt.Errorf(format, args...))
}

func (v *validator) image(img *image, registries map[string]map[string]string) {
	at := "images[" + img.Name + "]"
	if len(img.Kinds) == 0 {
		v.add("%s: kinds: none", at)
	}
	for _, k := range img.Kinds {
		if k != kindFramework && k != kindAlgorithm {
			v.add("%s: kinds: %q is neither %q nor %q", at, k, kindFramework, kindAlgorithm)
		}
	}
	if len(img.Scopes) == 0 {
		v.add("%s: scopes: none", at)
	}
	v.distinct(at+": scopes", img.Scopes)
	v.distinct(at+": processors", img.Processors)
	if len(img.Versions) == 0 {
		v.add("%s: versions: none", at)
	}
	for _, s := range img.Scopes {
		if len(img.Versions) > 0 && len(versionsFor(img, s)) == 0 {
			v.add("%s: no version serves scope %q", at, s)
		}
	}
	for alias, target := range sortedMap(img.Aliases) {
		if _, ok := img.Versions[alias]; ok {
			v.add("%s: aliases[%s]: is also a version", at, alias)
		}
		if _, ok := img.Versions[target]; !ok {
			v.add("%s: aliases[%s]: %q is not a version", at, alias, target)
		}
	}
	for family, from := range sortedMap(img.DeprecatedFamilies) {
		if family == "" || from == "" {
			v.add("%s: deprecated_families: empty family or version", at)
		}
	}
	for _, ver := range slices.Sorted(maps.Keys(img.Versions)) {
		n := img.Versions[ver]
		nat := fmt.Sprintf("%s.versions[%s]", at, ver)
		if n == nil {
			v.add("%s: empty", nat)
			continue
		}
		for _, s := range n.Scopes {
			if !slices.Contains(img.Scopes, s) {
				v.add("%s: scope %q is not a scope of the image", nat, s)
			}
		}
		v.node(n, nat, img, registries, true)
	}
}

// node checks a version entry; top says whether bases may appear (they
// split a version, never a base or a Python version).
func (v *validator) node(n *node, at string, img *image, registries map[string]map[string]string, top bool) {
	shapes := 0
	for _, set := range []bool{n.Bases != nil, n.PerPy != nil, n.Repository != "" || n.Registry != ""} {
		if set {
			shapes++
		}
	}
	if shapes != 1 {
		v.add("%s: needs exactly one of bases, per_py, or repository and registry", at)
		return
	}
	if !top && (n.Scopes != nil || n.Bases != nil) {
		v.add("%s: scopes and bases belong to the version entry", at)
	}
	if n.BaseAliases != nil && n.Bases == nil {
		v.add("%s: base_aliases without bases", at)
	}
	switch {
	case n.Bases != nil:
		if len(n.Bases) == 0 {
			v.add("%s: bases: none", at)
		}
		for _, b := range slices.Sorted(maps.Keys(n.Bases)) {
			if !baseRe.MatchString(b) {
				v.add("%s: bases[%s]: a base is pytorch<version> or tensorflow<version>", at, b)
			}
			if n.Bases[b] == nil {
				v.add("%s: bases[%s]: empty", at, b)
				continue
			}
			v.node(n.Bases[b], at+".bases["+b+"]", img, registries, false)
		}
		for alias, target := range sortedMap(n.BaseAliases) {
			if !baseRe.MatchString(alias) {
				v.add("%s: base_aliases[%s]: a base is pytorch<version> or tensorflow<version>", at, alias)
			}
			if _, ok := n.Bases[alias]; ok {
				v.add("%s: base_aliases[%s]: is also a base", at, alias)
			}
			if _, ok := n.Bases[target]; !ok {
				v.add("%s: base_aliases[%s]: %q is not a base", at, alias, target)
			}
		}
	case n.PerPy != nil:
		if len(n.PerPy) == 0 || n.PyVersions != nil {
			v.add("%s: per_py lists the Python versions as its keys, without py_versions", at)
		}
		for _, py := range slices.Sorted(maps.Keys(n.PerPy)) {
			leaf := n.PerPy[py]
			if py == "" || leaf == nil || leaf.PerPy != nil || leaf.Bases != nil || leaf.PyVersions != nil {
				v.add("%s: per_py[%s]: must be a leaf (repository, registry) without py_versions", at, py)
				continue
			}
			v.node(leaf, at+".per_py["+py+"]", img, registries, false)
		}
	default:
		v.leaf(n, at, img, registries)
	}
}

func (v *validator) leaf(n *node, at string, img *image, registries map[string]map[string]string) {
	if n.Repository == "" || n.Registry == "" {
		v.add("%s: repository and registry are both required", at)
	}
	if n.Registry != "" && registries[n.Registry] == nil {
		v.add("%s: registry %q is not defined (registries: %s)", at, n.Registry, strings.Join(slices.Sorted(maps.Keys(registries)), ", "))
	}
	v.distinct(at+": py_versions", n.PyVersions)
	v.distinct(at+": processors", n.Processors)
	if len(n.ContainerVersion) > 0 {
		// Python indexes container_version by the processor: every
		// processor the image can pick needs an entry.
		procs := processorsOf(img, n)
		if len(procs) == 0 {
			v.add("%s: container_version without processors", at)
		}
		for _, p := range procs {
			if n.ContainerVersion[p] == "" {
				v.add("%s: container_version has no entry for processor %q", at, p)
			}
		}
	}
}

func (v *validator) distinct(at string, list []string) {
	for i, s := range list {
		if s == "" || slices.Contains(list[:i], s) {
			v.add("%s: %q is empty or repeated", at, s)
		}
	}
}

// sortedMap iterates a map in key order, so that validation errors come
// out in a stable order.
func sortedMap(m map[string]string) iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if !yield(k, m[k]) {
				return
			}
		}
	}
}

// processorsOf follows Python: the image's processors, else the leaf's.
func processorsOf(img *image, leaf *node) []string {
	if len(img.Processors) > 0 {
		return img.Processors
	}
	return leaf.Processors
}
