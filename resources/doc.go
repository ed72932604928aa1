// Package resources gives every SageMaker resource a Go type: the fields its
// Describe operation returns (as package shapes types) and methods for its
// lifecycle — create, get, refresh, update, delete, stop, start, list, wait —
// plus every other operation that belongs to it. The types and methods are
// generated from the API model; this file's siblings without the generated
// header are the small hand-written core they call.
//
// A Client wraps an aws-sdk-go-v2 *sagemaker.Client; there is no global
// state. Every method takes a context.Context first and accepts per-call
// SDK options. Errors keep the SDK's smithy.APIError in their chain and
// satisfy errors.Is(err, ErrNotFound) when the service says the resource
// does not exist, whatever form it uses for that resource.
package resources
