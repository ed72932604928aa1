package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/smithy-go"

	"github.com/smcore-go/smcore/gen/model"
	"github.com/smcore-go/smcore/internal/samples"
	"github.com/smcore-go/smcore/internal/testmodel"
)

// TestCodecEveryOperation proves the wire codec for every operation of the
// model: a request the SDK encodes decodes in the endpoint (it is never
// refused as malformed), and whatever the endpoint answers — a result or a
// service error — decodes in the SDK.
func TestCodecEveryOperation(t *testing.T) {
	svc := testmodel.Pinned(t)
	srv := httptest.NewServer(New(WithSimulation()))
	defer srv.Close()
	api := sagemaker.NewFromConfig(aws.Config{
		Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	})
	av := reflect.ValueOf(api)
	ctx := context.Background()
	answered := map[string]int{}
	for _, op := range svc.SortedOperations() {
		spec := opTable[op.Name]
		if spec == nil {
			t.Errorf("%s: not in the endpoint's table", op.Name)
			continue
		}
		fn := av.MethodByName(op.Name)
		if !fn.IsValid() {
			t.Errorf("%s: not in the SDK", op.Name)
			continue
		}
		in := reflect.New(fn.Type().In(1).Elem())
		if spec.Input != nil {
			req := spec.Input()
			b, _ := json.Marshal(samples.Value(&model.Member{Target: op.Input}))
			if err := json.Unmarshal(b, req); err != nil {
				t.Errorf("%s: sample: %v", op.Name, err)
				continue
			}
			in = reflect.ValueOf(req).MethodByName("ToSDK").Call(nil)[0]
		}
		rets := fn.CallSlice([]reflect.Value{reflect.ValueOf(ctx), in, reflect.Zero(fn.Type().In(2))})
		err, _ := rets[1].Interface().(error)
		var de *smithy.DeserializationError
		if errors.As(err, &de) {
			t.Errorf("%s: the SDK could not decode the answer: %v", op.Name, err)
			continue
		}
		var ae smithy.APIError
		switch {
		case err == nil:
			answered["ok"]++
		case errors.As(err, &ae):
			if ae.ErrorCode() == "SerializationException" || ae.ErrorCode() == "UnknownOperationException" {
				t.Errorf("%s: the endpoint could not decode the SDK's request: %v", op.Name, err)
			}
			answered[ae.ErrorCode()]++
		default:
			if op.Input != nil && len(requiredMembers(op.Input)) > 0 && isParamValidation(err) {
				answered["sdk-validation"]++ // the sample left a required member the SDK checks too empty
				continue
			}
			t.Errorf("%s: %v", op.Name, err)
		}
	}
	t.Logf("answers by kind: %v", answered)
	if answered["ok"] < 100 {
		t.Errorf("only %d operations answered successfully", answered["ok"])
	}
}

func requiredMembers(s *model.Shape) []string {
	var out []string
	for _, m := range s.Members {
		if m.Required {
			out = append(out, m.Name)
		}
	}
	return out
}

func isParamValidation(err error) bool {
	var oe *smithy.OperationError
	if !errors.As(err, &oe) {
		return false
	}
	var ie smithy.InvalidParamsError
	return errors.As(err, &ie)
}
