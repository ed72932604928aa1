// Package shapes holds a Go type for every structure, union and enum of the
// SageMaker API, generated from the API model by smgen.
//
// Field names are the model's member names, and JSON (and YAML through
// sigs.k8s.io/yaml or any JSON-tag-aware encoder) uses them too, so a shape
// can be read from a config file written in the API's own vocabulary.
//
// Values are never lost: a member whose zero value the model allows (false,
// 0, "", an empty list) is a pointer, slice or map, so "unset" and "zero" are
// different values; members are plain values only where the model forbids
// the zero value (a string of minimum length 1, a number whose range excludes
// 0, an enum). Enums are open: a value this version does not know still
// round-trips.
//
// Every structure and union has:
//   - Validate, which checks required members, lengths, ranges and unions
//     (exactly one member set), recursively, and reports every violation
//     with its full path in a *ValidationError; ValidateStrict(s) also
//     checks patterns and enum membership, as the service does;
//   - ToSDK and <Shape>FromSDK, conversions to and from the types of
//     github.com/aws/aws-sdk-go-v2/service/sagemaker.
//
// Shapes that hold a sensitive member, at any depth, have a String method
// that redacts it; Format prints any shape the same way.
package shapes

//go:generate go run ../tools/smgen -out .. -report ../docs/shapes-report.md
