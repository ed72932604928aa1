package highlevel

import (
	"context"
	"io"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// captureBody adds a build-step middleware that keeps the serialized
// request body and ends the call with errDryRun before it is signed or
// sent: a dry run needs no credentials for SageMaker and sends nothing.
func captureBody(body *[]byte) func(*sagemaker.Options) {
	return func(o *sagemaker.Options) {
		o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
			return st.Build.Add(middleware.BuildMiddlewareFunc("smcore.DryRun",
				func(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (middleware.BuildOutput, middleware.Metadata, error) {
					if req, ok := in.Request.(*smithyhttp.Request); ok {
						if r := req.GetStream(); r != nil {
							b, err := io.ReadAll(r)
							if err != nil {
								return middleware.BuildOutput{}, middleware.Metadata{}, err
							}
							*body = b
						}
					}
					return middleware.BuildOutput{}, middleware.Metadata{}, errDryRun
				}), middleware.After)
		})
	}
}
