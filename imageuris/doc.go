// Package imageuris finds the ECR image URIs of SageMaker's prebuilt
// training images: the PyTorch, TensorFlow, Hugging Face (PyTorch),
// XGBoost and scikit-learn framework containers and the 17 built-in
// algorithms, in every region and partition that serves them (China,
// GovCloud and the ISO partitions included).
//
//	uri, err := imageuris.Retrieve(imageuris.Request{
//		Framework:    "pytorch",
//		Region:       "us-west-2",
//		Version:      "2.8.0",
//		InstanceType: "ml.g5.xlarge",
//	})
//	// 763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-training:2.8.0-gpu-py312
//
// It is a port of the Python SDK's sagemaker.image_uris.retrieve and gives
// the same URIs for what it covers: version aliases keep the tag as given,
// a version with one Python version or one processor uses it, an image
// with one version uses it whatever is asked, and the processor comes from
// the instance type. Where Python would fail, Retrieve returns an *Error
// that names the field and lists the valid choices (the regions of that
// version, its Python versions, …).
//
// The table (accounts per region, repositories, versions, tags) is data:
// data/images.json, embedded and parsed once. A new framework release is
// an edit of that file plus an example in testdata/examples.json, which
// the tests check; docs/image-uris.md has the layout and the steps. Parse
// reads a newer table without a new smcore.
//
// Not covered (the table lacks their data; each is an *Error that says
// so): inference images of the deep-learning frameworks, Neuron
// (Inferentia/Trainium), Graviton (arm64), Elastic Inference, the training
// compiler, pytorch-smp and Hugging Face's TensorFlow bases.
package imageuris
