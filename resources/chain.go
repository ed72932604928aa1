package resources

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"

	"github.com/smcore-go/smcore/waiters"
)

// The small interfaces below are what generic code needs from resources:
// every generated resource type satisfies those whose methods it has, and
// the compiler checks it in the generated files. A request member that
// names another resource is a plain string, so a resource is passed by its
// name:
//
//	ep, err := c.CreateEndpoint(ctx, &shapes.CreateEndpointInput{
//		EndpointName:       "ep",
//		EndpointConfigName: cfg.ResourceName(), // cfg *resources.EndpointConfig
//	})
//
// and generic clean-up reads:
//
//	func cleanup(ctx context.Context, rs ...resources.Deleter) error {
//		var errs []error
//		for _, r := range rs {
//			errs = append(errs, r.Delete(ctx))
//		}
//		return errors.Join(errs...)
//	}

// Named is every resource: its name (the last identifier).
type Named interface {
	ResourceName() string
}

// WithARN is a resource whose Describe gives its ARN.
type WithARN interface {
	ResourceARN() string
}

// Refresher is a resource that can be described again.
type Refresher interface {
	Refresh(ctx context.Context, optFns ...func(*sagemaker.Options)) error
}

// Deleter is a resource with a Delete operation.
type Deleter interface {
	Delete(ctx context.Context, optFns ...func(*sagemaker.Options)) error
}

// Stopper is a resource with a Stop operation.
type Stopper interface {
	Stop(ctx context.Context, optFns ...func(*sagemaker.Options)) error
}

// Starter is a resource with a Start operation on an existing resource.
type Starter interface {
	Start(ctx context.Context, optFns ...func(*sagemaker.Options)) error
}

// Waiter is a resource with a lifecycle status: Wait returns once the
// status is no longer transitional (a job: once it has ended).
type Waiter interface {
	Wait(ctx context.Context, opts ...waiters.Option) error
}

// DeleteWaiter is a resource with a status and a Delete: WaitForDelete
// returns once it is gone.
type DeleteWaiter interface {
	WaitForDelete(ctx context.Context, opts ...waiters.Option) error
}
