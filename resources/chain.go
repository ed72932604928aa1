package resources

// Named is any resource value: every generated resource type has
// ResourceName. Requests that expect another resource's name take it
// through Name or NamePtr, so a resource can be passed where its name is
// expected:
//
//	ep, err := c.CreateEndpoint(ctx, &shapes.CreateEndpointInput{
//		EndpointName:       aws.String("ep"),
//		EndpointConfigName: resources.NamePtr(cfg), // cfg *resources.EndpointConfig
//	})
type Named interface {
	ResourceName() string
}

// WithARN is a resource value that knows its ARN (as last described).
type WithARN interface {
	ResourceARN() string
}

// Name returns r's name for a request member of type string.
func Name(r Named) string {
	if r == nil {
		return ""
	}
	return r.ResourceName()
}

// NamePtr returns r's name for a request member of type *string; nil for
// a nil resource or an empty name.
func NamePtr(r Named) *string {
	if n := Name(r); n != "" {
		return &n
	}
	return nil
}

// ARN returns r's ARN for a request member of type *string; nil when
// unknown.
func ARN(r WithARN) *string {
	if r == nil {
		return nil
	}
	if a := r.ResourceARN(); a != "" {
		return &a
	}
	return nil
}

// Every resource is Named; those with an ARN member are WithARN.
var (
	_ Named   = (*TrainingJob)(nil)
	_ WithARN = (*TrainingJob)(nil)
	_ Named   = (*EndpointConfig)(nil)
)
