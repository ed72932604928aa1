// Command withshapes is the measured side of bench/buildcost.sh: it builds
// the same CreateTrainingJob request as ../sdkonly, but as a
// shapes.CreateTrainingJobInput, validates it, converts it with ToSDK and,
// with -call, sends it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"

	"github.com/smcore-go/smcore/shapes"
)

func main() {
	call := flag.Bool("call", false, "send the request to the (unreachable) endpoint")
	flag.Parse()

	req := &shapes.CreateTrainingJobInput{
		TrainingJobName: "buildcost-job",
		RoleArn:         "arn:aws:iam::123456789012:role/SageMakerRole",
		AlgorithmSpecification: &shapes.AlgorithmSpecification{
			TrainingImage:     "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:latest",
			TrainingInputMode: shapes.TrainingInputModeFile,
		},
		ResourceConfig: &shapes.ResourceConfig{
			InstanceType:   shapes.TrainingInstanceTypeMlM5Xlarge,
			InstanceCount:  aws.Int32(1),
			VolumeSizeInGB: aws.Int32(10),
		},
		StoppingCondition: &shapes.StoppingCondition{
			MaxRuntimeInSeconds: aws.Int32(3600),
		},
		OutputDataConfig: &shapes.OutputDataConfig{
			S3OutputPath: "s3://bucket/output/",
		},
		InputDataConfig: []shapes.Channel{{
			ChannelName: "train",
			DataSource: &shapes.DataSource{
				S3DataSource: &shapes.S3DataSource{
					S3DataType:             shapes.S3DataTypeS3Prefix,
					S3Uri:                  "s3://bucket/train/",
					S3DataDistributionType: shapes.S3DataDistributionFullyReplicated,
				},
			},
		}},
		HyperParameters: map[string]string{"epochs": "10", "lr": "0.01"},
	}
	if err := req.Validate(); err != nil {
		fmt.Fprintln(os.Stderr, "withshapes:", err)
		os.Exit(1)
	}
	in := req.ToSDK()

	client := sagemaker.New(sagemaker.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String("http://127.0.0.1:1"),
	})
	if *call {
		if _, err := client.CreateTrainingJob(context.Background(), in); err != nil {
			fmt.Fprintln(os.Stderr, "withshapes:", err)
			os.Exit(1)
		}
	}
	fmt.Printf("withshapes: %s with %d channel(s)\n", aws.ToString(in.TrainingJobName), len(in.InputDataConfig))
}
