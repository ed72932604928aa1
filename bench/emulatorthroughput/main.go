// Command emulatorthroughput measures how many DescribeTrainingJob calls
// per second one SDK client makes over loopback against
//
//   - floor: a canned httptest server that answers every request with the
//     same DescribeTrainingJob body (the emulator's own answer for the job,
//     recorded once, so the client decodes the same bytes);
//   - emulator: the local endpoint (package emulator) holding the job;
//   - moto: moto's server (python3 -m moto.server) holding the same job,
//     skipped with a note when it cannot start;
//
// one call at a time, interleaved (in alternating order) and repeated, for
// a fixed duration per run, and prints the medians and the ratios
// emulator/floor (goal ≥ 0.9; the median of each repeat's ratio, which a
// change in the machine's load during the measurement disturbs least) and
// emulator/moto. The client and both in-process servers share the
// process, as a test using the emulator would.
//
//	go run ./bench/emulatorthroughput [-repeats 7] [-duration 1s] [-cpuprofile emu.prof]
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/smcore-go/smcore/emulator"
)

const jobName = "bench-job"

func cfg(url string, httpClient aws.HTTPClient) aws.Config {
	c := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""), Retryer: func() aws.Retryer { return aws.NopRetryer{} }}
	if httpClient != nil {
		c.HTTPClient = httpClient
	}
	return c
}

func createJob(ctx context.Context, c *sagemaker.Client) error {
	_, err := c.CreateTrainingJob(ctx, &sagemaker.CreateTrainingJobInput{
		TrainingJobName: aws.String(jobName), RoleArn: aws.String("arn:aws:iam::123456789012:role/SageMakerRole"),
		AlgorithmSpecification: &types.AlgorithmSpecification{TrainingImage: aws.String("123456789012.dkr.ecr.us-east-1.amazonaws.com/algo:1"), TrainingInputMode: types.TrainingInputModeFile},
		ResourceConfig:         &types.ResourceConfig{InstanceType: types.TrainingInstanceTypeMlM5Xlarge, InstanceCount: aws.Int32(1), VolumeSizeInGB: aws.Int32(30)},
		StoppingCondition:      &types.StoppingCondition{MaxRuntimeInSeconds: aws.Int32(3600)},
		OutputDataConfig:       &types.OutputDataConfig{S3OutputPath: aws.String("s3://bucket/out")},
		HyperParameters:        map[string]string{"epochs": "10", "lr": "0.1"},
		InputDataConfig: []types.Channel{{ChannelName: aws.String("train"), DataSource: &types.DataSource{S3DataSource: &types.S3DataSource{
			S3DataType: types.S3DataTypeS3Prefix, S3Uri: aws.String("s3://bucket/train")}}}},
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("ml")}},
	})
	return err
}

func describe(ctx context.Context, c *sagemaker.Client) error {
	_, err := c.DescribeTrainingJob(ctx, &sagemaker.DescribeTrainingJobInput{TrainingJobName: aws.String(jobName)})
	return err
}

// recorder is an HTTP client that keeps the last response body.
type recorder struct{ body []byte }

func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	r.body, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(r.body))
	return resp, err
}

// canned answers every request with body.
func canned(body []byte) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Write(body)
	}))
}

// moto starts moto's server on a free loopback port; stop ends it.
func moto() (url string, stop func(), err error) {
	py, err := exec.LookPath("python3")
	if err != nil {
		return "", nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	var logs bytes.Buffer
	cmd := exec.Command(py, "-m", "moto.server", "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	stop = func() { cmd.Process.Kill(); <-exited }
	url = "http://127.0.0.1:" + strconv.Itoa(port)
	for deadline := time.Now().Add(30 * time.Second); ; {
		resp, err := http.Get(url + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			return url, stop, nil
		}
		select {
		case <-exited:
			return "", nil, fmt.Errorf("moto exited: %s", logs.String())
		default:
		}
		if time.Now().After(deadline) {
			stop()
			return "", nil, fmt.Errorf("moto did not start: %v\n%s", err, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// rate makes calls for d, one at a time, and returns calls per second.
func rate(ctx context.Context, c *sagemaker.Client, d time.Duration) float64 {
	n := 0
	start := time.Now()
	for time.Since(start) < d {
		for range 10 {
			if err := describe(ctx, c); err != nil {
				fmt.Fprintln(os.Stderr, "emulatorthroughput:", err)
				os.Exit(1)
			}
		}
		n += 10
	}
	return float64(n) / time.Since(start).Seconds()
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "emulatorthroughput:", err)
	os.Exit(1)
}

func main() {
	repeats := flag.Int("repeats", 7, "interleaved repeats (at least 3)")
	duration := flag.Duration("duration", time.Second, "length of each run")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the emulator runs to this file")
	flag.Parse()
	*repeats = max(*repeats, 3)
	ctx := context.Background()

	// The emulator, with the job run to completion.
	emu := httptest.NewServer(emulator.New(emulator.WithSimulation(), emulator.WithStepTime(time.Millisecond)))
	defer emu.Close()
	rec := &recorder{}
	if err := createJob(ctx, sagemaker.NewFromConfig(cfg(emu.URL, nil))); err != nil {
		fail(err)
	}
	time.Sleep(20 * time.Millisecond)
	if err := describe(ctx, sagemaker.NewFromConfig(cfg(emu.URL, rec))); err != nil {
		fail(err)
	}
	floor := canned(rec.body)
	defer floor.Close()

	type target struct {
		name string
		c    *sagemaker.Client
		runs []float64
	}
	targets := []*target{
		{name: "floor", c: sagemaker.NewFromConfig(cfg(floor.URL, nil))},
		{name: "emulator", c: sagemaker.NewFromConfig(cfg(emu.URL, nil))},
	}
	motoURL, stop, err := moto()
	if err == nil {
		defer stop()
		c := sagemaker.NewFromConfig(cfg(motoURL, nil))
		if err = createJob(ctx, c); err == nil {
			targets = append(targets, &target{name: "moto", c: c})
		}
	}
	if err != nil {
		fmt.Printf("note: moto skipped: %v\n", err)
	}

	var prof *os.File
	if *profile != "" {
		if prof, err = os.Create(*profile); err != nil {
			fail(err)
		}
	}
	fmt.Printf("DescribeTrainingJob, one SDK client, one call at a time, %v per run; answer %d bytes\n\n", *duration, len(rec.body))
	fmt.Printf("%-8s %-10s %12s\n", "repeat", "target", "calls/s")
	var paired []float64 // emulator/floor within each repeat
	for i := range *repeats {
		// Alternate the order so that a drift in the machine's load
		// does not favour whichever target runs first.
		order := slices.Clone(targets)
		if i%2 == 1 {
			slices.Reverse(order)
		}
		runs := map[string]float64{}
		for _, t := range order {
			for range 50 { // warm the connection and the caches
				describe(ctx, t.c)
			}
			runtime.GC() // each run pays for its own garbage
			if prof != nil && t.name == "emulator" {
				pprof.StartCPUProfile(prof)
			}
			r := rate(ctx, t.c, *duration)
			if prof != nil && t.name == "emulator" {
				pprof.StopCPUProfile()
				prof.Close()
				prof = nil // one profile: the first emulator run
			}
			t.runs = append(t.runs, r)
			runs[t.name] = r
			fmt.Printf("%-8d %-10s %12.0f\n", i+1, t.name, r)
		}
		paired = append(paired, runs["emulator"]/runs["floor"])
	}
	fmt.Println()
	med := map[string]float64{}
	for _, t := range targets {
		med[t.name] = median(t.runs)
		fmt.Printf("median %-10s %10.0f calls/s\n", t.name, med[t.name])
	}
	fmt.Printf("\nemulatorthroughput: emulator/floor=%.3f (median of the repeats' ratios; ratio of medians %.3f; goal >= 0.9)",
		median(paired), med["emulator"]/med["floor"])
	if m, ok := med["moto"]; ok {
		fmt.Printf(" emulator/moto=%.2f", med["emulator"]/m)
	} else {
		fmt.Printf(" emulator/moto=n/a (moto not running)")
	}
	fmt.Println()
}
