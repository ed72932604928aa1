// Package shapes holds a Go type for every structure, union and enum of the
// SageMaker API, generated from the API model by smgen.
//
// Operation inputs and outputs are named <Operation>Input and
// <Operation>Output, as in the SDK; other types keep the model's names.
// Field names are the model's member names, and JSON (and YAML through
// sigs.k8s.io/yaml, which reads the same tags) uses them too, so a shape
// can be read from a config file written in the API's own vocabulary.
//
// Pointer or plain is decided by kind alone, never by whether the model
// marks a member required (that changes between model versions):
// strings, enums and timestamps are plain values, "" or the zero time
// meaning absent; numbers and booleans are pointers (aws.Int32, aws.Bool),
// so 0 and false are values; structures are pointers; lists and maps are
// nil when absent and sent empty when empty; union members are pointers.
// A required member is always sent, even empty (a Tag's Value ""); an
// optional plain member is omitted when zero. Enums are open: a value this
// version does not know still round-trips.
//
// Every structure and union has:
//   - Validate, which checks required members, lengths, ranges and unions
//     (exactly one member set), recursively, and reports every violation
//     with its full path in a *ValidationError (a present number is always
//     range-checked, zero included); ValidateWith(s, Patterns|Enums) and
//     ValidateStrict(s) also check patterns and enum membership, as the
//     service does;
//   - ToSDK and <Shape>FromSDK, conversions to and from the types of
//     github.com/aws/aws-sdk-go-v2/service/sagemaker.
//
// Shapes that hold a sensitive member, at any depth, have a String method
// that redacts it; Format prints any shape the same way.
package shapes

//go:generate go run ../tools/smgen -out .. -report ../docs/shapes-report.md
