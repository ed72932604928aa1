package imageuris_test

import (
	"errors"
	"fmt"

	"github.com/smcore-go/smcore/imageuris"
)

func ExampleRetrieve() {
	uri, err := imageuris.Retrieve(imageuris.Request{
		Framework:    "pytorch",
		Region:       "us-west-2",
		Version:      "2.8", // an alias: the tag keeps it
		InstanceType: "ml.g5.xlarge",
	})
	fmt.Println(uri, err)
	// Output: 763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:2.8-gpu-py312 <nil>
}

func ExampleRetrieve_algorithm() {
	uri, _ := imageuris.Retrieve(imageuris.Request{Framework: "kmeans", Region: "us-iso-east-1"})
	fmt.Println(uri)
	// Output: 490574956308.dkr.ecr.us-iso-east-1.c2s.ic.gov/kmeans:1
}

func ExampleRetrieve_huggingFace() {
	uri, _ := imageuris.Retrieve(imageuris.Request{
		Framework:            "huggingface",
		Region:               "us-west-2",
		Version:              "4.56.2",
		BaseFrameworkVersion: "pytorch2.8.0",
		InstanceType:         "ml.g5.xlarge",
	})
	fmt.Println(uri)
	// Output: 763104351884.dkr.ecr.us-west-2.amazonaws.com/huggingface-pytorch-training:2.8.0-transformers4.56.2-gpu-py312-cu129-ubuntu22.04
}

func ExampleError() {
	_, err := imageuris.Retrieve(imageuris.Request{Framework: "tensorflow", Region: "us-west-2", Version: "1.13.1", InstanceType: "ml.m5.xlarge"})
	fmt.Println(err)
	var e *imageuris.Error
	if errors.As(err, &e) {
		fmt.Println(e.Field, e.Valid)
	}
	// Output:
	// imageuris: no python version given: tensorflow 1.13.1 training images are built for: py2, py3
	// python version [py2 py3]
}

func ExampleECRHost() {
	for _, region := range []string{"us-west-2", "cn-north-1", "us-gov-west-1", "us-isob-east-1"} {
		host, _ := imageuris.ECRHost(region)
		fmt.Println(host)
	}
	// Output:
	// ecr.us-west-2.amazonaws.com
	// ecr.cn-north-1.amazonaws.com.cn
	// ecr.us-gov-west-1.amazonaws.com
	// ecr.us-isob-east-1.sc2s.sgov.gov
}
