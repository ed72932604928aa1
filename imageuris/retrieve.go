package imageuris

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// Scopes the table uses.
const (
	ScopeTraining  = "training"
	ScopeInference = "inference"
)

const (
	kindFramework = "framework"
	kindAlgorithm = "algorithm"
)

// Request says which image to find. Only Framework and Region are always
// needed; what else is needed depends on the image, and a missing or wrong
// value gets an *Error listing the choices.
type Request struct {
	// Framework is a framework ("pytorch", "tensorflow", "huggingface",
	// "xgboost", "sklearn") or a built-in algorithm ("kmeans",
	// "linear-learner", "forecasting-deepar", …), named as in the Python
	// SDK's image_uris.retrieve.
	Framework string
	Region    string
	// Version is a version or an alias ("2.8" for "2.8.0"). The tag keeps
	// it as given, as Python does: "2.8" gives pytorch-training:2.8-gpu-py312.
	// "" picks the "latest" alias when the image has one (xgboost: the
	// built-in algorithm, tag 1), else the newest version; an image with a
	// single version uses it whatever is asked (kmeans:1).
	Version string
	// PythonVersion ("py312") is needed when the version lists several;
	// with one listed, "" picks it; an image without any ignores it.
	PythonVersion string
	// InstanceType picks the processor: "local" cpu, "local_gpu" gpu,
	// ml.g*/ml.p* gpu, other ml.* cpu (a family the image lists by name is
	// used as is). It is needed when the image has several processors.
	InstanceType string
	// Scope is "training" (the default) or "inference".
	Scope string
	// BaseFrameworkVersion is the Hugging Face base, as Python spells it:
	// "pytorch2.8.0" or an alias such as "pytorch2.8". "" picks the only
	// base of the version. Other images ignore it.
	BaseFrameworkVersion string
	// SMDistributed says the job uses smdistributed (data or model
	// parallel): like a p4d instance, it selects the CUDA 11 tags of a few
	// old TensorFlow and PyTorch versions.
	SMDistributed bool
}

// Image is a resolved image: the parts of its URI and the choices made.
type Image struct {
	Framework string
	Scope     string
	// Version is the table's version (an alias resolved); the tag may
	// carry the alias instead.
	Version              string
	BaseFrameworkVersion string // Hugging Face: the base chosen ("pytorch2.8.0")
	PythonVersion        string // "" when the image has none
	Processor            string // "" when the image has none
	Region               string
	Account              string
	Host                 string // the ECR host of the region's partition
	Repository           string
	Tag                  string
}

// URI is {account}.dkr.{host}/{repository}:{tag}.
func (i Image) URI() string {
	return i.Account + ".dkr." + i.Host + "/" + i.Repository + ":" + i.Tag
}

// Retrieve returns the image URI for req from the embedded table.
func Retrieve(req Request) (string, error) {
	r, err := Default()
	if err != nil {
		return "", err
	}
	return r.Retrieve(req)
}

// Resolve is Retrieve with the parts of the URI and the choices made.
func Resolve(req Request) (Image, error) {
	r, err := Default()
	if err != nil {
		return Image{}, err
	}
	return r.Resolve(req)
}

// Regions returns the regions that serve the image req resolves to; the
// request's Region and InstanceType are not used.
func Regions(req Request) ([]string, error) {
	r, err := Default()
	if err != nil {
		return nil, err
	}
	return r.Regions(req)
}

// Frameworks returns the framework names of the embedded table, sorted.
func Frameworks() []string {
	r, err := Default()
	if err != nil {
		return nil
	}
	return r.Frameworks()
}

// Algorithms returns the built-in algorithm names of the embedded table,
// sorted. xgboost is both: its version 1 is the built-in algorithm.
func Algorithms() []string {
	r, err := Default()
	if err != nil {
		return nil
	}
	return r.Algorithms()
}

// Scopes returns the scopes the embedded table holds for a name.
func Scopes(name string) ([]string, error) {
	r, err := Default()
	if err != nil {
		return nil, err
	}
	return r.Scopes(name)
}

// Versions returns the versions of a name and scope ("" is training),
// oldest first, without aliases.
func Versions(name, scope string) ([]string, error) {
	r, err := Default()
	if err != nil {
		return nil, err
	}
	return r.Versions(name, scope)
}

// Aliases returns the version aliases of a name and scope (alias → version).
func Aliases(name, scope string) (map[string]string, error) {
	r, err := Default()
	if err != nil {
		return nil, err
	}
	return r.Aliases(name, scope)
}

// ECRHost returns the ECR host of a region's partition, as botocore's
// endpoint resolver does: ecr.us-west-2.amazonaws.com,
// ecr.cn-north-1.amazonaws.com.cn, ecr.us-iso-east-1.c2s.ic.gov, … It
// reports false for a region that no partition claims.
func ECRHost(region string) (string, bool) {
	r, err := Default()
	if err != nil {
		return "", false
	}
	return r.ECRHost(region)
}

// Retrieve returns the image URI for req.
func (r *Registry) Retrieve(req Request) (string, error) {
	img, err := r.Resolve(req)
	if err != nil {
		return "", err
	}
	return img.URI(), nil
}

// Resolve follows the Python SDK's image_uris.retrieve: image and scope,
// instance family rules, version (aliases), base framework, Python
// version, region → account, ECR host, processor, tag.
func (r *Registry) Resolve(req Request) (Image, error) {
	img, scope, err := r.find(req.Framework, req.Scope)
	if err != nil {
		return Image{}, err
	}
	family := instanceFamily(req.InstanceType)
	if err := familyRules(img.Name, req.InstanceType, family); err != nil {
		return Image{}, err
	}
	sel, err := selectImage(img, scope, req)
	if err != nil {
		return Image{}, err
	}
	leaf := sel.leaf
	accounts := r.registries[leaf.Registry]
	account, ok := accounts[req.Region]
	if !ok {
		return Image{}, &Error{Field: FieldRegion, Value: req.Region, Reason: sel.subject() + " are in", Valid: slices.Sorted(maps.Keys(accounts))}
	}
	host, _ := r.ECRHost(req.Region) // Parse checked that every listed region has a partition
	proc, err := processor(req.InstanceType, processorsOf(img, leaf), sel.subject())
	if err != nil {
		return Image{}, err
	}
	if from, ok := img.DeprecatedFamilies[family]; ok && versionAtLeast(sel.tagVersion, from) {
		return Image{}, &Error{Field: FieldInstanceType, Value: req.InstanceType,
			Reason: fmt.Sprintf("%s instances are not supported by %s images from version %s (asked: %s)", family, img.Name, from, sel.tagVersion)}
	}
	prefix := leaf.TagPrefix
	if prefix == "" {
		prefix = sel.tagVersion
	}
	if sel.base != "" {
		// Hugging Face: the base's version and the transformers version,
		// both as given.
		prefix = baseRe.FindStringSubmatch(sel.tagBase)[2] + "-transformers" + sel.tagVersion
	}
	tag := joinNonEmpty(prefix, proc, sel.py, leaf.ContainerVersion[proc])
	if req.InstanceType != "" && (family == "p4d" || req.SMDistributed) {
		if suffix := img.P4DTagSuffixes[tag]; suffix != "" {
			tag += "-" + suffix
		}
	}
	return Image{
		Framework:            img.Name,
		Scope:                scope,
		Version:              sel.version,
		BaseFrameworkVersion: sel.base,
		PythonVersion:        sel.py,
		Processor:            proc,
		Region:               req.Region,
		Account:              account,
		Host:                 host,
		Repository:           leaf.Repository,
		Tag:                  tag,
	}, nil
}

// Regions returns the regions that serve the image req resolves to.
func (r *Registry) Regions(req Request) ([]string, error) {
	img, scope, err := r.find(req.Framework, req.Scope)
	if err != nil {
		return nil, err
	}
	sel, err := selectImage(img, scope, req)
	if err != nil {
		return nil, err
	}
	return slices.Sorted(maps.Keys(r.registries[sel.leaf.Registry])), nil
}

// Frameworks returns the framework names, sorted.
func (r *Registry) Frameworks() []string { return r.namesOfKind(kindFramework) }

// Algorithms returns the built-in algorithm names, sorted.
func (r *Registry) Algorithms() []string { return r.namesOfKind(kindAlgorithm) }

func (r *Registry) namesOfKind(kind string) []string {
	var out []string
	for _, name := range r.names {
		if slices.ContainsFunc(r.byName[name], func(img *image) bool { return slices.Contains(img.Kinds, kind) }) {
			out = append(out, name)
		}
	}
	return out
}

// Scopes returns the scopes of a name, sorted.
func (r *Registry) Scopes(name string) ([]string, error) {
	if len(r.byName[name]) == 0 {
		return nil, r.unknown(name)
	}
	return r.scopes(name), nil
}

func (r *Registry) unknown(name string) error {
	return &Error{Field: FieldFramework, Value: name, Reason: "the table holds", Valid: slices.Clone(r.names)}
}

func (r *Registry) scopes(name string) []string {
	var out []string
	for _, img := range r.byName[name] {
		out = append(out, img.Scopes...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Versions returns the versions of a name and scope, oldest first.
func (r *Registry) Versions(name, scope string) ([]string, error) {
	img, scope, err := r.find(name, scope)
	if err != nil {
		return nil, err
	}
	return versionsFor(img, scope), nil
}

// Aliases returns the version aliases of a name and scope.
func (r *Registry) Aliases(name, scope string) (map[string]string, error) {
	img, scope, err := r.find(name, scope)
	if err != nil {
		return nil, err
	}
	return aliasesFor(img, scope), nil
}

// ECRHost returns the ECR host of the region's partition.
func (r *Registry) ECRHost(region string) (string, bool) { return r.ecrHost(region) }

func (r *Registry) ecrHost(region string) (string, bool) {
	for _, p := range r.partitions {
		if p.re.MatchString(region) {
			return "ecr." + region + "." + p.suffix, true
		}
	}
	return "", false
}

func (r *Registry) find(name, scope string) (*image, string, error) {
	imgs := r.byName[name]
	if len(imgs) == 0 {
		return nil, "", r.unknown(name)
	}
	if scope == "" {
		scope = ScopeTraining
	}
	for _, img := range imgs {
		if slices.Contains(img.Scopes, scope) {
			return img, scope, nil
		}
	}
	return nil, "", &Error{Field: FieldScope, Value: scope, Reason: "the table holds " + name + " images for", Valid: r.scopes(name)}
}

// versionsFor lists the versions of an image that serve a scope, oldest
// first.
func versionsFor(img *image, scope string) []string {
	var out []string
	for v, n := range img.Versions {
		if n != nil && (len(n.Scopes) == 0 || slices.Contains(n.Scopes, scope)) {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, compareVersions)
	return out
}

func aliasesFor(img *image, scope string) map[string]string {
	out := map[string]string{}
	for a, v := range img.Aliases {
		if n := img.Versions[v]; n != nil && (len(n.Scopes) == 0 || slices.Contains(n.Scopes, scope)) {
			out[a] = v
		}
	}
	return out
}

// selection is an image narrowed to one leaf: version, base and Python
// version chosen.
type selection struct {
	img        *image
	scope      string
	version    string // key of img.Versions
	tagVersion string // the version as given (an alias kept), else version
	base       string // key of the version's bases; "" when it has none
	tagBase    string // the base as given (an alias kept), else base
	py         string
	perPy      bool
	leaf       *node
}

// subject names the selection for error messages:
// "pytorch 2.8.0 training images".
func (s *selection) subject() string {
	parts := []string{s.img.Name}
	if s.version != "" {
		parts = append(parts, s.version)
	}
	if s.base != "" {
		parts = append(parts, s.base)
	}
	if s.perPy && s.py != "" {
		parts = append(parts, s.py)
	}
	return strings.Join(append(parts, s.scope, "images"), " ")
}

// selectImage applies Python's version, base framework and Python version
// rules (image_uris.retrieve steps 3 and 4).
func selectImage(img *image, scope string, req Request) (*selection, error) {
	s := &selection{img: img, scope: scope}
	versions := versionsFor(img, scope)
	aliases := aliasesFor(img, scope)
	alias, isAlias := aliases[req.Version]
	switch {
	case len(versions) == 1 && !isAlias:
		// Python uses the only version whatever is asked (kmeans "2" → kmeans:1).
		s.version, s.tagVersion = versions[0], versions[0]
	case req.Version == "":
		if latest, ok := aliases["latest"]; ok {
			s.version = latest
		} else {
			s.version = versions[len(versions)-1]
		}
		s.tagVersion = s.version
	case isAlias:
		s.version, s.tagVersion = alias, req.Version
	case slices.Contains(versions, req.Version):
		s.version, s.tagVersion = req.Version, req.Version
	default:
		valid := append(slices.Collect(maps.Keys(aliases)), versions...)
		slices.SortFunc(valid, compareVersions)
		return nil, &Error{Field: FieldVersion, Value: req.Version, Reason: fmt.Sprintf("%s %s versions are", img.Name, scope), Valid: valid}
	}
	n := img.Versions[s.version]

	if n.Bases != nil {
		given := req.BaseFrameworkVersion
		switch {
		case given == "" && len(n.Bases) == 1:
			for b := range n.Bases {
				s.base = b
			}
			s.tagBase = s.base
		case n.Bases[given] != nil:
			s.base, s.tagBase = given, given
		case n.BaseAliases[given] != "":
			s.base, s.tagBase = n.BaseAliases[given], given
		default:
			valid := append(slices.Collect(maps.Keys(n.Bases)), slices.Collect(maps.Keys(n.BaseAliases))...)
			slices.SortFunc(valid, compareVersions)
			return nil, &Error{Field: FieldBaseFrameworkVersion, Value: given, Reason: s.subject() + " are built on", Valid: valid}
		}
		n = n.Bases[s.base]
	}

	available := n.PyVersions
	if n.PerPy != nil {
		available = slices.Sorted(maps.Keys(n.PerPy))
	}
	switch {
	case len(available) == 0:
		// Python ignores a Python version the image does not list.
	case req.PythonVersion == "" && len(available) == 1:
		s.py = available[0]
	case slices.Contains(available, req.PythonVersion):
		s.py = req.PythonVersion
	default:
		return nil, &Error{Field: FieldPythonVersion, Value: req.PythonVersion, Reason: s.subject() + " are built for", Valid: slices.Clone(available)}
	}
	s.leaf = n
	if n.PerPy != nil {
		s.leaf, s.perPy = n.PerPy[s.py], true
	}
	return s, nil
}

// gravitonFamilies are Python's GRAVITON_ALLOWED_TARGET_INSTANCE_FAMILY
// (sagemaker.core.fw_utils): these families switch tensorflow, pytorch,
// xgboost and sklearn to inference_graviton images and fail for others.
var gravitonFamilies = []string{"m6g", "m6gd", "c6g", "c6gd", "c6gn", "c7g", "r6g", "r6gd"}

// familyRules are Python's checks on the instance family that come before
// the table: Graviton, Trainium, Neuron. The table holds none of those
// images, so each is an error that says why.
func familyRules(name, instanceType, family string) error {
	neuron := strings.HasPrefix(family, "inf") || strings.HasPrefix(family, "trn")
	switch {
	case family == "":
		return nil // local, none or malformed: the processor step decides
	case slices.Contains(gravitonFamilies, family):
		return &Error{Field: FieldInstanceType, Value: instanceType,
			Reason: family + " is a Graviton (arm64) family: the table holds no arm64 images (Python serves tensorflow, pytorch, xgboost and sklearn there from inference_graviton images, inference only)"}
	case strings.HasPrefix(family, "trn") && name != "pytorch":
		return &Error{Field: FieldInstanceType, Value: instanceType, Reason: "Trainium instances run only pytorch images"}
	case neuron && (name == "pytorch" || name == "huggingface"):
		return &Error{Field: FieldInstanceType, Value: instanceType,
			Reason: fmt.Sprintf("Inferentia and Trainium instances use %s Neuron images, which the table does not hold", name)}
	}
	return nil
}

// familyRe is Python's get_instance_type_family pattern: ml.<family>.<size>
// or ml_<family>.
var familyRe = regexp.MustCompile(`^ml[._]([a-z\d-]+)\.?\w*$`)

func instanceFamily(instanceType string) string {
	if m := familyRe.FindStringSubmatch(instanceType); m != nil {
		return m[1]
	}
	return ""
}

// processor is Python's _processor: what the tag says about the hardware.
func processor(instanceType string, available []string, subject string) (string, error) {
	if len(available) == 0 {
		return "", nil // the image has one build: the instance type does not matter
	}
	if len(available) == 1 && instanceType == "" {
		return available[0], nil
	}
	if instanceType == "" {
		return "", &Error{Field: FieldInstanceType, Reason: "it picks the processor of " + subject, Valid: slices.Clone(available)}
	}
	var p string
	switch {
	case strings.HasPrefix(instanceType, "local"):
		p = "gpu"
		if instanceType == "local" {
			p = "cpu"
		}
	case strings.HasPrefix(instanceType, "neuron"):
		p = "neuron"
	default:
		family := instanceFamily(instanceType)
		switch {
		case family == "":
			return "", &Error{Field: FieldInstanceType, Value: instanceType, Reason: "not a SageMaker instance type (ml.<family>.<size>, local or local_gpu)"}
		case slices.Contains(available, family):
			p = family // an image built for one family (c5, p3) names it
		case strings.HasPrefix(family, "inf"):
			p = "inf"
		case strings.HasPrefix(family, "trn"):
			p = "trn"
		case family[0] == 'g' || family[0] == 'p':
			p = "gpu"
		default:
			p = "cpu"
		}
	}
	if !slices.Contains(available, p) {
		return "", &Error{Field: FieldInstanceType, Value: instanceType, Reason: fmt.Sprintf("it needs a %s image; %s are for", p, subject), Valid: slices.Clone(available)}
	}
	return p, nil
}

func joinNonEmpty(parts ...string) string {
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), "-")
}
