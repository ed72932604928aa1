package smconfig

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/smcore-go/smcore/internal/yamljson"
	"github.com/smcore-go/smcore/shapes"
)

// values are the typed contents of a config tree.
type values struct {
	session Session
	trainer ModelTrainer
	sections
}

// decoder walks a JSON tree (from yamljson, numbers as json.Number) along
// the schema, checking and filling values. limits turns on the checks
// of entry counts in mappings, which hold for one file but not always
// for files merged.
type decoder struct {
	limits bool
}

// field decodes the value at path.
type field func(path string, v any) *Error

// object describes a mapping: its known keys and what to do with others.
type object struct {
	fields   map[string]field
	ignore   bool // other keys are accepted and ignored, unless they look like a known key misspelt
	nullable bool // a null member counts as unset (as pydantic's Optional)
}

func decodeTree(tree any, limits bool) (values, *Error) {
	var out values
	d := decoder{limits: limits}
	sawVersion := false
	sageMaker := d.resourceSections(&out.sections)
	sageMaker["PythonSDK"] = d.object(object{ignore: true, fields: map[string]field{
		"Modules": d.object(object{ignore: true, fields: map[string]field{
			"Session":      d.session(&out.session),
			"ModelTrainer": d.modelTrainer(&out.trainer),
		}}),
	}})
	root := object{fields: map[string]field{
		"SchemaVersion": func(p string, v any) *Error {
			sawVersion = true
			return schemaVersion(p, v)
		},
		// CustomParameters are free-form strings; a later issue gives them
		// meaning.
		"CustomParameters": d.textMap(new(map[string]string), nil, nil, 0),
		"SageMaker":        d.object(object{ignore: true, fields: sageMaker}),
	}}
	if err := d.object(root)("", tree); err != nil {
		return values{}, err
	}
	if !sawVersion {
		return values{}, &Error{Path: "SchemaVersion", Problem: "missing: a config file starts with SchemaVersion: '1.0'"}
	}
	return out, nil
}

// schemaVersion accepts the string "1.0" only: the Python schema's enum
// is of strings, so an unquoted 1.0 (a float to PyYAML) fails there too.
func schemaVersion(p string, v any) *Error {
	if s, ok := v.(string); ok && s == "1.0" {
		return nil
	}
	problem := "want '1.0', got " + describe(v)
	if n, ok := v.(json.Number); ok {
		problem = fmt.Sprintf("want the string '1.0', got the number %s (quote it: SchemaVersion: '1.0')", n)
	}
	return &Error{Path: p, Problem: problem}
}

func (d decoder) session(dst *Session) field {
	return d.object(object{fields: map[string]field{
		"DefaultS3Bucket":          str(&dst.DefaultS3Bucket, bucketName),
		"DefaultS3ObjectKeyPrefix": str(&dst.DefaultS3ObjectKeyPrefix, length(1, 1024)),
	}})
}

// modelTrainer decodes SageMaker.PythonSDK.Modules.ModelTrainer. The
// Python schema leaves it free-form and pydantic checks it when a trainer
// is made; here it is checked on load: the keys ModelTrainer reads, and
// the fields of its config classes.
func (d decoder) modelTrainer(mt *ModelTrainer) field {
	nested := func(fields map[string]field) field {
		return d.object(object{nullable: true, fields: fields})
	}
	return d.object(object{nullable: true, fields: map[string]field{
		"role":        str(&mt.Role, nil),
		"baseJobName": str(&mt.BaseJobName, nil),
		"sourceCode": func(p string, v any) *Error {
			sc := &SourceCode{}
			mt.SourceCode = sc
			return nested(map[string]field{
				"source_dir":      str(&sc.SourceDir, nil),
				"requirements":    str(&sc.Requirements, nil),
				"entry_script":    str(&sc.EntryScript, nil),
				"command":         str(&sc.Command, nil),
				"ignore_patterns": strList(&sc.IgnorePatterns, nil, 0, 0),
			})(p, v)
		},
		"compute": func(p string, v any) *Error {
			c := &Compute{}
			mt.Compute = c
			return nested(map[string]field{
				"instance_type":                str(&c.InstanceType, nil),
				"instance_count":               integer(&c.InstanceCount),
				"volume_size_in_gb":            integer(&c.VolumeSizeInGB),
				"volume_kms_key_id":            str(&c.VolumeKmsKeyId, nil),
				"keep_alive_period_in_seconds": integer(&c.KeepAlivePeriodInSeconds),
				"instance_groups": list(&c.InstanceGroups, func(g *shapes.InstanceGroup) field {
					return nested(map[string]field{
						"instance_type":       str(&g.InstanceType, nil),
						"instance_count":      integer(&g.InstanceCount),
						"instance_group_name": str(&g.InstanceGroupName, nil),
					})
				}),
				"training_plan_arn": str(&c.TrainingPlanArn, nil),
				"instance_placement_config": func(p string, v any) *Error {
					ipc := &shapes.InstancePlacementConfig{}
					c.InstancePlacementConfig = ipc
					return nested(map[string]field{
						"enable_multiple_jobs": boolean(&ipc.EnableMultipleJobs),
						"placement_specifications": list(&ipc.PlacementSpecifications, func(s *shapes.PlacementSpecification) field {
							return nested(map[string]field{
								"ultra_server_id": str(&s.UltraServerId, nil),
								"instance_count":  integer(&s.InstanceCount),
							})
						}),
					})(p, v)
				},
				"enable_managed_spot_training": boolean(&c.EnableManagedSpotTraining),
			})(p, v)
		},
		"networking": func(p string, v any) *Error {
			n := &Networking{}
			mt.Networking = n
			return nested(map[string]field{
				"security_group_ids":       strList(&n.SecurityGroupIds, nil, 0, 0),
				"subnets":                  strList(&n.Subnets, nil, 0, 0),
				"enable_network_isolation": boolean(&n.EnableNetworkIsolation),
				"enable_inter_container_traffic_encryption": boolean(&n.EnableInterContainerTrafficEncryption),
			})(p, v)
		},
		"stoppingCondition": func(p string, v any) *Error {
			sc := &shapes.StoppingCondition{}
			mt.StoppingCondition = sc
			return nested(map[string]field{
				"max_runtime_in_seconds":      integer(&sc.MaxRuntimeInSeconds),
				"max_wait_time_in_seconds":    integer(&sc.MaxWaitTimeInSeconds),
				"max_pending_time_in_seconds": integer(&sc.MaxPendingTimeInSeconds),
			})(p, v)
		},
		"trainingImage": str(&mt.TrainingImage, nil),
		"trainingImageConfig": func(p string, v any) *Error {
			tic := &shapes.TrainingImageConfig{}
			mt.TrainingImageConfig = tic
			return nested(map[string]field{
				"training_repository_access_mode": str(&tic.TrainingRepositoryAccessMode, nil),
				"training_repository_auth_config": func(p string, v any) *Error {
					auth := &shapes.TrainingRepositoryAuthConfig{}
					tic.TrainingRepositoryAuthConfig = auth
					return nested(map[string]field{
						"training_repository_credentials_provider_arn": str(&auth.TrainingRepositoryCredentialsProviderArn, nil),
					})(p, v)
				},
			})(p, v)
		},
		"algorithmName": str(&mt.AlgorithmName, nil),
		"outputDataConfig": func(p string, v any) *Error {
			o := &shapes.OutputDataConfig{}
			mt.OutputDataConfig = o
			return nested(map[string]field{
				"s3_output_path":   str(&o.S3OutputPath, nil),
				"kms_key_id":       str(&o.KmsKeyId, nil),
				"compression_type": str(&o.CompressionType, nil),
			})(p, v)
		},
		"checkpointConfig": func(p string, v any) *Error {
			cc := &shapes.CheckpointConfig{}
			mt.CheckpointConfig = cc
			return nested(map[string]field{
				"s3_uri":     str(&cc.S3Uri, nil),
				"local_path": str(&cc.LocalPath, nil),
			})(p, v)
		},
		"trainingInputMode": str(&mt.TrainingInputMode, nil),
		"environment":       d.textMap(&mt.Environment, nil, nil, 0),
		"hyperparameters":   rawMap(&mt.Hyperparameters),
	}})
}

// object returns a field that decodes a mapping member by member, in
// sorted key order so that the first problem reported is always the same.
func (d decoder) object(o object) field {
	return func(path string, v any) *Error {
		m, ok := v.(map[string]any)
		if !ok {
			return wrongType(path, "a mapping", v)
		}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			p := yamljson.JoinKey(path, k)
			f := o.fields[k]
			switch {
			case f == nil && o.ignore:
				if known := nearMiss(k, o.fields); known != "" {
					return &Error{Path: p, Problem: fmt.Sprintf("unknown key (did you mean %s?)", known)}
				}
				continue
			case f == nil:
				return unknownKey(p, k, o.fields)
			case m[k] == nil && o.nullable:
				continue
			}
			if err := f(p, m[k]); err != nil {
				return err
			}
		}
		return nil
	}
}

// check returns a problem with a string, or "".
type check func(string) string

func str[T ~string](dst *T, c check) field {
	return func(p string, v any) *Error {
		s, ok := v.(string)
		if !ok {
			return wrongType(p, "a string", v)
		}
		if c != nil {
			if problem := c(s); problem != "" {
				return &Error{Path: p, Problem: problem}
			}
		}
		*dst = T(s)
		return nil
	}
}

// text reads a string, or a number as written: LR: 1.0 is "1.0".
// Booleans and nulls are refused rather than guessed at.
func text(p string, v any, c check) (string, *Error) {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case json.Number:
		s = string(x)
	default:
		return "", wrongType(p, "a string", v)
	}
	if c != nil {
		if problem := c(s); problem != "" {
			return "", &Error{Path: p, Problem: problem}
		}
	}
	return s, nil
}

func boolean(dst **bool) field {
	return func(p string, v any) *Error {
		b, ok := v.(bool)
		if !ok {
			e := wrongType(p, "a boolean", v)
			if s, ok := v.(string); ok {
				switch strings.ToLower(s) {
				case "true", "false":
					e.Problem += " (a quoted string: drop the quotes)"
				case "yes", "no", "on", "off", "y", "n":
					e.Problem += " (YAML 1.2 reads it as a string: write true or false)"
				}
			}
			return e
		}
		*dst = &b
		return nil
	}
}

// integer accepts any number with an integral value that fits an int32
// (30, 30.0 or 3e1), as pydantic's int does.
func integer(dst **int32) field {
	return func(p string, v any) *Error {
		n, ok := v.(json.Number)
		if !ok {
			return wrongType(p, "an integer", v)
		}
		r, ok := new(big.Rat).SetString(string(n))
		if !ok || !r.IsInt() {
			return &Error{Path: p, Problem: "want an integer, got " + string(n)}
		}
		if !r.Num().IsInt64() || r.Num().Int64() < -1<<31 || r.Num().Int64() >= 1<<31 {
			return &Error{Path: p, Problem: "want a 32-bit integer, got " + string(n)}
		}
		i := int32(r.Num().Int64())
		*dst = &i
		return nil
	}
}

// strList reads a list of strings with between lo and hi items (hi 0:
// any number).
func strList(dst *[]string, c check, lo, hi int) field {
	return func(p string, v any) *Error {
		items, ok := v.([]any)
		if !ok {
			return wrongType(p, "a list of strings", v)
		}
		if len(items) < lo || hi > 0 && len(items) > hi {
			return &Error{Path: p, Problem: fmt.Sprintf("want %d to %d items, got %d", lo, hi, len(items))}
		}
		out := make([]string, len(items))
		for i, item := range items {
			if err := str(&out[i], c)(p+"["+strconv.Itoa(i)+"]", item); err != nil {
				return err
			}
		}
		*dst = out
		return nil
	}
}

// list reads a list of mappings, each with the field item returns.
func list[T any](dst *[]T, item func(*T) field) field {
	return func(p string, v any) *Error {
		items, ok := v.([]any)
		if !ok {
			return wrongType(p, "a list", v)
		}
		out := make([]T, len(items))
		for i, it := range items {
			if err := item(&out[i])(p+"["+strconv.Itoa(i)+"]", it); err != nil {
				return err
			}
		}
		*dst = out
		return nil
	}
}

// textMap reads a mapping of strings (numbers as written), checking keys
// and values, with at most maxEntries entries (0: any number).
func (d decoder) textMap(dst *map[string]string, key, val check, maxEntries int) field {
	return func(p string, v any) *Error {
		m, ok := v.(map[string]any)
		if !ok {
			return wrongType(p, "a mapping of strings", v)
		}
		if d.limits && maxEntries > 0 && len(m) > maxEntries {
			return &Error{Path: p, Problem: fmt.Sprintf("want at most %d entries, got %d", maxEntries, len(m))}
		}
		out := make(map[string]string, len(m))
		for _, k := range slices.Sorted(maps.Keys(m)) {
			kp := yamljson.JoinKey(p, k)
			if key != nil {
				if problem := key(k); problem != "" {
					return &Error{Path: kp, Problem: problem}
				}
			}
			s, err := text(kp, m[k], val)
			if err != nil {
				return err
			}
			out[k] = s
		}
		*dst = out
		return nil
	}
}

// rawMap reads a free-form mapping, each value kept as JSON.
func rawMap(dst *map[string]json.RawMessage) field {
	return func(p string, v any) *Error {
		m, ok := v.(map[string]any)
		if !ok {
			return wrongType(p, "a mapping", v)
		}
		out := make(map[string]json.RawMessage, len(m))
		for k, val := range m {
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(val); err != nil {
				return &Error{Path: yamljson.JoinKey(p, k), Problem: err.Error(), Err: err}
			}
			out[k] = json.RawMessage(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
		}
		*dst = out
		return nil
	}
}

// tags reads a list of {Key, Value}, both required, as the Python schema
// says; values may be numbers, kept as written.
func tags(dst *[]shapes.Tag) field {
	return func(p string, v any) *Error {
		items, ok := v.([]any)
		if !ok {
			return wrongType(p, "a list of {Key, Value}", v)
		}
		if len(items) > 50 {
			return &Error{Path: p, Problem: fmt.Sprintf("want at most 50 tags, got %d", len(items))}
		}
		out := make([]shapes.Tag, len(items))
		for i, item := range items {
			ip := p + "[" + strconv.Itoa(i) + "]"
			m, ok := item.(map[string]any)
			if !ok {
				return wrongType(ip, "a mapping {Key, Value}", item)
			}
			for _, k := range slices.Sorted(maps.Keys(m)) {
				if k != "Key" && k != "Value" {
					return unknownKey(yamljson.JoinKey(ip, k), k, map[string]field{"Key": nil, "Value": nil})
				}
			}
			for _, k := range []string{"Key", "Value"} {
				if _, ok := m[k]; !ok {
					return &Error{Path: yamljson.JoinKey(ip, k), Problem: "missing"}
				}
			}
			var err *Error
			if out[i].Key, err = text(ip+".Key", m["Key"], tagText(1, 128)); err != nil {
				return err
			}
			if out[i].Value, err = text(ip+".Value", m["Value"], tagText(0, 256)); err != nil {
				return err
			}
		}
		*dst = out
		return nil
	}
}

func wrongType(p, want string, got any) *Error {
	return &Error{Path: p, Problem: "want " + want + ", got " + describe(got)}
}

func unknownKey(p, key string, known map[string]field) *Error {
	if n := nearMiss(key, known); n != "" {
		return &Error{Path: p, Problem: fmt.Sprintf("unknown key (did you mean %s?)", n)}
	}
	return &Error{Path: p, Problem: "unknown key (known: " + strings.Join(slices.Sorted(maps.Keys(known)), ", ") + ")"}
}

// nearMiss returns the known key that key spells differently only in case
// or underscores, or "".
func nearMiss(key string, known map[string]field) string {
	fold := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, "_", "")) }
	for _, n := range slices.Sorted(maps.Keys(known)) {
		if fold(n) == fold(key) {
			return n
		}
	}
	return ""
}

// describe renders a value for an error message.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		if utf8.RuneCountInString(x) > 60 {
			x = string([]rune(x)[:57]) + "..."
		}
		return strconv.Quote(x)
	case json.Number:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	}
	return fmt.Sprintf("%T", v)
}

// Constraints of the Python schema (config_schema.py) on the keys it
// types, so that a file fails here as it fails there.
var (
	roleARNPattern = regexp.MustCompile(`^arn:aws[a-z\-]*:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+$`)
	bucketPattern  = regexp.MustCompile(`^[a-z0-9][\.\-a-z0-9]{1,61}[a-z0-9]$`)
	vpcIDPattern   = regexp.MustCompile(`^[-0-9a-zA-Z]+$`)
	envNamePattern = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
	// Python's \w is Unicode letters, digits and _.
	tagPattern = regexp.MustCompile(`^[\p{L}\p{N}_\s\p{Z}.:/=+\-@]*$`)
)

func length(lo, hi int) check {
	return func(s string) string {
		if n := utf8.RuneCountInString(s); n < lo || n > hi {
			return fmt.Sprintf("want %d to %d characters, got %d", lo, hi, n)
		}
		return ""
	}
}

func roleArn(s string) string {
	if !roleARNPattern.MatchString(s) || len(s) < 20 || len(s) > 2048 {
		return fmt.Sprintf("want an IAM role ARN (arn:aws:iam::123456789012:role/Name), got %s", describe(s))
	}
	return ""
}

func bucketName(s string) string {
	if !bucketPattern.MatchString(s) {
		return fmt.Sprintf("want an S3 bucket name (3 to 63 of a-z, 0-9, '.', '-'), got %s", describe(s))
	}
	return ""
}

func vpcID(s string) string {
	if !vpcIDPattern.MatchString(s) || len(s) > 32 {
		return fmt.Sprintf("want an ID of up to 32 letters, digits and '-', got %s", describe(s))
	}
	return ""
}

// envNameOf checks an environment variable's name, of at most n
// characters.
func envNameOf(n int) check {
	return func(s string) string {
		if !envNamePattern.MatchString(s) {
			return "want a variable name (a letter or _, then letters, digits, _)"
		}
		if len(s) > n {
			return fmt.Sprintf("want a variable name of at most %d characters, got %d", n, len(s))
		}
		return ""
	}
}

func tagText(lo, hi int) check {
	return func(s string) string {
		if problem := length(lo, hi)(s); problem != "" {
			return problem
		}
		if !tagPattern.MatchString(s) {
			return fmt.Sprintf("want letters, digits, spaces and _.:/=+-@, got %s", describe(s))
		}
		return ""
	}
}
