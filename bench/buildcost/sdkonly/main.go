// Command sdkonly is the baseline of bench/buildcost.sh: it builds a
// CreateTrainingJob request with the aws-sdk-go-v2 SageMaker types only and,
// with -call, sends it. Compare with ../withshapes, which builds the same
// request through package shapes.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

func main() {
	call := flag.Bool("call", false, "send the request to the (unreachable) endpoint")
	flag.Parse()

	in := &sagemaker.CreateTrainingJobInput{
		TrainingJobName: aws.String("buildcost-job"),
		RoleArn:         aws.String("arn:aws:iam::123456789012:role/SageMakerRole"),
		AlgorithmSpecification: &types.AlgorithmSpecification{
			TrainingImage:     aws.String("123456789012.dkr.ecr.us-east-1.amazonaws.com/train:latest"),
			TrainingInputMode: types.TrainingInputModeFile,
		},
		ResourceConfig: &types.ResourceConfig{
			InstanceType:   types.TrainingInstanceTypeMlM5Xlarge,
			InstanceCount:  aws.Int32(1),
			VolumeSizeInGB: aws.Int32(10),
		},
		StoppingCondition: &types.StoppingCondition{
			MaxRuntimeInSeconds: aws.Int32(3600),
		},
		OutputDataConfig: &types.OutputDataConfig{
			S3OutputPath: aws.String("s3://bucket/output/"),
		},
		InputDataConfig: []types.Channel{{
			ChannelName: aws.String("train"),
			DataSource: &types.DataSource{
				S3DataSource: &types.S3DataSource{
					S3DataType:             types.S3DataTypeS3Prefix,
					S3Uri:                  aws.String("s3://bucket/train/"),
					S3DataDistributionType: types.S3DataDistributionFullyReplicated,
				},
			},
		}},
		HyperParameters: map[string]string{"epochs": "10", "lr": "0.01"},
	}

	client := sagemaker.New(sagemaker.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String("http://127.0.0.1:1"),
	})
	if *call {
		if _, err := client.CreateTrainingJob(context.Background(), in); err != nil {
			fmt.Fprintln(os.Stderr, "sdkonly:", err)
			os.Exit(1)
		}
	}
	fmt.Printf("sdkonly: %s with %d channel(s)\n", aws.ToString(in.TrainingJobName), len(in.InputDataConfig))
}
