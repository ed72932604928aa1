package emulator_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/smcore-go/smcore/emulator/emulatortest"
	"github.com/smcore-go/smcore/internal/testenv"
	"github.com/smcore-go/smcore/internal/trainingcontract"
	"github.com/smcore-go/smcore/shapes"
)

// meetScript runs on every host: each writes its name into its model
// folder (host-<name>.txt, and common.txt, which the merge leaves to the
// last host). Rank 0 listens on SM_MASTER_ADDR:SM_MASTER_PORT and takes one
// connection from every other host, each sending its name, and writes the
// names it met into met.txt; it would wait far longer than any test for a
// host that never comes. The others connect, retrying until the master
// listens. $FAIL_HOST writes a failure file and exits 1 instead; $PIDS is
// a folder for each host's pid.
const meetScript = `
import json, os, socket, sys, time
host = os.environ["SM_CURRENT_HOST"]
rank = int(os.environ["SM_CURRENT_HOST_RANK"])
hosts = json.loads(os.environ["SM_HOSTS"])
addr, port = os.environ["SM_MASTER_ADDR"], int(os.environ["SM_MASTER_PORT"])
model = os.environ["SM_MODEL_DIR"]
if os.environ.get("PIDS"):
    with open(os.path.join(os.environ["PIDS"], host), "w") as f:
        f.write(str(os.getpid()))
for name in ("host-%s.txt" % host, "common.txt"):
    with open(os.path.join(model, name), "w") as f:
        f.write(host)
if host == os.environ.get("FAIL_HOST"):
    # Fail once the master runs (has written its pid), so that the test
    # sees a running master ended, not one that never started.
    for _ in range(3000):
        if not os.environ.get("PIDS") or os.path.exists(os.path.join(os.environ["PIDS"], hosts[0])):
            break
        time.sleep(0.01)
    with open(os.environ["SM_OUTPUT_FAILURE"], "w") as f:
        f.write("%s gave up (token %s)" % (host, os.environ.get("API_TOKEN", "")))
    sys.exit(1)
if rank == 0:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(len(hosts))
    s.settimeout(600)
    met = [host]
    while len(met) < len(hosts):
        c, _ = s.accept()
        c.settimeout(30)
        data = b""
        while True:
            b = c.recv(256)
            if not b:
                break
            data += b
        c.close()
        met.append(data.decode())
    with open(os.path.join(model, "met.txt"), "w") as f:
        f.write("\n".join(sorted(met)))
    print("master met %s" % " ".join(sorted(met)), flush=True)
else:
    deadline = time.time() + 60
    while True:
        try:
            c = socket.create_connection((addr, port), timeout=5)
            break
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.02)
    c.sendall(host.encode())
    c.close()
    print("%s met the master at %s:%d" % (host, addr, port), flush=True)
`

func python(t *testing.T) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		testenv.Unavailable(t, "python3 not found")
	}
	return py
}

// scriptFile writes a script longer than an entrypoint's argument may be
// (256 characters) into a file.
func scriptFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// meetJob is a job of n hosts running meetScript.
func meetJob(t *testing.T, name string, n int32, env map[string]string) *shapes.CreateTrainingJobInput {
	req := shJob(name, "", env, 120)
	req.AlgorithmSpecification.ContainerEntrypoint = []string{python(t), scriptFile(t, "meet.py", meetScript)}
	req.ResourceConfig.InstanceCount = &n
	return req
}

// modelFiles downloads a job's model.tar.gz through the endpoint's S3 API
// and returns its files.
func modelFiles(t *testing.T, ep *emulatortest.Endpoint, job string) map[string]string {
	t.Helper()
	obj, err := s3.NewFromConfig(ep.Config, func(o *s3.Options) { o.UsePathStyle = true }).GetObject(context.Background(),
		&s3.GetObjectInput{Bucket: aws.String("out"), Key: aws.String("jobs/" + job + "/output/model.tar.gz")})
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Body.Close()
	return untar(t, obj.Body)
}

// logStreams are the names of a job's log streams.
func logStreams(t *testing.T, ep *emulatortest.Endpoint, job string) []string {
	t.Helper()
	out, err := cloudwatchlogs.NewFromConfig(ep.Config).DescribeLogStreams(context.Background(), &cloudwatchlogs.DescribeLogStreamsInput{
		LogGroupName: aws.String("/aws/sagemaker/TrainingJobs"), LogStreamNamePrefix: aws.String(job + "/")})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range out.LogStreams {
		names = append(names, aws.ToString(s.LogStreamName))
	}
	slices.Sort(names)
	return names
}

// TestHostsMeetOnLoopback: a job of three instances runs three host
// processes that meet at SM_MASTER_ADDR:SM_MASTER_PORT; their model
// folders are merged into model.tar.gz (a later host's file replacing a
// same-named one), and each host has its own log stream.
func TestHostsMeetOnLoopback(t *testing.T) {
	ep, c := startProc(t)
	begin := time.Now()
	job := runToEnd(t, c, meetJob(t, "meet", 3, nil))
	if job.TrainingJobStatus != shapes.TrainingJobStatusCompleted {
		t.Fatalf("job %s: %s", job.TrainingJobStatus, job.FailureReason)
	}
	t.Logf("the job took %v", time.Since(begin))
	files := modelFiles(t, ep, "meet")
	if got := files["met.txt"]; got != "algo-1\nalgo-2\nalgo-3" {
		t.Errorf("met.txt: %q", got)
	}
	for _, h := range []string{"algo-1", "algo-2", "algo-3"} {
		if files["host-"+h+".txt"] != h {
			t.Errorf("model.tar.gz lacks %s's file: %v", h, files)
		}
	}
	if files["common.txt"] != "algo-3" {
		t.Errorf("common.txt is %q, want the last host's", files["common.txt"])
	}
	streams := logStreams(t, ep, "meet")
	re := regexp.MustCompile(`^meet/algo-[1-3]-[0-9]+$`)
	if len(streams) != 3 || !re.MatchString(streams[0]) || !re.MatchString(streams[1]) || !re.MatchString(streams[2]) ||
		!strings.HasPrefix(streams[0], "meet/algo-1-") || !strings.HasPrefix(streams[2], "meet/algo-3-") {
		t.Errorf("log streams %v, want meet/algo-{1,2,3}-<epoch>", streams)
	}
	logs := strings.Join(jobLogs(t, ep.Config, "meet"), "\n")
	for _, want := range []string{"master met algo-1 algo-2 algo-3", "algo-2 met the master at 127.0.0.1:", "algo-3 met the master at 127.0.0.1:"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
}

// TestHostFailureEndsTheOtherHosts: when one host exits 1, the others —
// here a master waiting for it, which would wait for minutes — are ended,
// and the job fails with the failed host's failure file, naming it. The
// line the server writes into the ended hosts' logs masks secrets.
func TestHostFailureEndsTheOtherHosts(t *testing.T) {
	ep, c := startProc(t)
	pids := t.TempDir()
	begin := time.Now()
	const token = "tok-secret-0123456789"
	job := runToEnd(t, c, meetJob(t, "meet-fail", 3, map[string]string{"FAIL_HOST": "algo-2", "PIDS": pids, "API_TOKEN": token}))
	if d := time.Since(begin); d > 20*time.Second {
		t.Errorf("the job took %v: the master was not ended", d)
	}
	want := "AlgorithmError: algo-2: algo-2 gave up (token " + token + ")"
	if job.TrainingJobStatus != shapes.TrainingJobStatusFailed || job.FailureReason != want {
		t.Fatalf("job %s: %q, want %q", job.TrainingJobStatus, job.FailureReason, want)
	}
	master := readPids(t, filepath.Join(pids, "algo-1"), 1)[0]
	for deadline := time.Now().Add(5 * time.Second); alive(master); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the master's process %d is still alive", master)
		}
	}
	logs := strings.Join(jobLogs(t, ep.Config, "meet-fail"), "\n")
	if !strings.Contains(logs, "smlocal: ending algo-1: algo-2 failed: algo-2 gave up (token ********)") {
		t.Errorf("the master's log does not say why it was ended:\n%s", logs)
	}
	if strings.Contains(logs, token) {
		t.Errorf("the secret reached the logs:\n%s", logs)
	}
}

// TestDriverOnEveryHost stages files as a trainer does — the driver's
// files as channel sm_drivers, the entry script as channel code — and
// runs the job with trainingcontract.Entrypoint on two hosts: each host
// runs the driver with its own SM_CURRENT_HOST and rank, and both hosts'
// model files arrive.
func TestDriverOnEveryHost(t *testing.T) {
	ep, c := startProc(t)
	ctx := context.Background()
	channels := []string{trainingcontract.CodeChannel, trainingcontract.DriversChannel}
	driver, err := trainingcontract.Driver{EntryScript: "train.sh", InstanceCount: 2, Channels: channels,
		HyperParameters: map[string]string{"epochs": "3"}}.Files()
	if err != nil {
		t.Fatal(err)
	}
	if err := ep.Server.EnsureBucket(ctx, "data"); err != nil {
		t.Fatal(err)
	}
	put := func(key, body string) {
		if err := ep.Server.PutObject(ctx, "data", key, strings.NewReader(body)); err != nil {
			t.Fatal(err)
		}
	}
	for name, b := range driver {
		put("drv/sm_drivers/"+name, string(b))
	}
	put("drv/code/train.sh", `#!/bin/sh
echo "host=$SM_CURRENT_HOST rank=$SM_CURRENT_HOST_RANK of=$SM_HOST_COUNT master=$SM_MASTER_ADDR:$SM_MASTER_PORT args=$*" > "$SM_MODEL_DIR/$SM_CURRENT_HOST.txt"
echo "loss=0.$SM_CURRENT_HOST_RANK"
`)
	req := shJob("drv", "", nil, 120)
	req.AlgorithmSpecification.ContainerEntrypoint, req.AlgorithmSpecification.ContainerArguments = trainingcontract.Entrypoint()
	req.ResourceConfig.InstanceCount = aws.Int32(2)
	req.HyperParameters = map[string]string{"epochs": "3"}
	for _, ch := range channels {
		req.InputDataConfig = append(req.InputDataConfig, shapes.Channel{ChannelName: ch, DataSource: &shapes.DataSource{S3DataSource: &shapes.S3DataSource{
			S3DataType: shapes.S3DataTypeS3Prefix, S3Uri: "s3://data/drv/" + ch + "/"}}})
	}
	job := runToEnd(t, c, req)
	if job.TrainingJobStatus != shapes.TrainingJobStatusCompleted {
		t.Fatalf("job %s: %s\n%s", job.TrainingJobStatus, job.FailureReason, strings.Join(jobLogs(t, ep.Config, "drv"), "\n"))
	}
	files := modelFiles(t, ep, "drv")
	re := regexp.MustCompile(`^host=(algo-[12]) rank=([01]) of=2 master=127\.0\.0\.1:([0-9]+) args=--epochs 3\n$`)
	var ports []string
	for i, h := range []string{"algo-1", "algo-2"} {
		m := re.FindStringSubmatch(files[h+".txt"])
		if m == nil || m[1] != h || m[2] != strconv.Itoa(i) {
			t.Errorf("%s.txt: %q", h, files[h+".txt"])
			continue
		}
		ports = append(ports, m[3])
	}
	if len(ports) == 2 && (ports[0] != ports[1] || ports[0] == "7777") {
		t.Errorf("master ports %v: want the job's one free port on both hosts", ports)
	}
	logs := strings.Join(jobLogs(t, ep.Config, "drv"), "\n")
	for _, want := range []string{"smcore driver: job drv on algo-1 (rank 0 of 2", "smcore driver: job drv on algo-2 (rank 1 of 2"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
	// The metric is the first host's.
	if len(job.FinalMetricDataList) != 1 || aws.ToFloat32(job.FinalMetricDataList[0].Value) != 0 {
		t.Errorf("metrics %+v", job.FinalMetricDataList)
	}
}

// TestShardedChannelsAndInstanceGroups: a job of two instance groups
// (one host, then two) numbers its hosts across them; resourceconfig.json
// names each host's group and type; a ShardedByS3Key channel gives the
// i-th of n hosts every n-th object by sorted key; a channel with
// InstanceGroupNames reaches only those groups' hosts.
func TestShardedChannelsAndInstanceGroups(t *testing.T) {
	ep, c := startProc(t)
	ctx := context.Background()
	if err := ep.Server.EnsureBucket(ctx, "data"); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"shards/part-0", "shards/part-1", "shards/part-2", "shards/sub/part-3", "shards/sub/part-4", "extra/e.txt"} {
		if err := ep.Server.PutObject(ctx, "data", key, strings.NewReader(key)); err != nil {
			t.Fatal(err)
		}
	}
	script := `cd "$SM_INPUT_DATA_DIR" && find . -type f | sort > "$SM_MODEL_DIR/$SM_CURRENT_HOST.files" &&
cp "$SM_INPUT_CONFIG_DIR/resourceconfig.json" "$SM_MODEL_DIR/$SM_CURRENT_HOST.rc.json" &&
cp "$SM_INPUT_CONFIG_DIR/inputdataconfig.json" "$SM_MODEL_DIR/$SM_CURRENT_HOST.in.json" &&
echo "$SM_CHANNELS $SM_CURRENT_INSTANCE_TYPE" > "$SM_MODEL_DIR/$SM_CURRENT_HOST.env"`
	req := shJob("groups", "", nil, 120)
	req.AlgorithmSpecification.ContainerEntrypoint = []string{"sh", scriptFile(t, "groups.sh", script)}
	req.ResourceConfig = &shapes.ResourceConfig{VolumeSizeInGB: aws.Int32(10), InstanceGroups: []shapes.InstanceGroup{
		{InstanceGroupName: "small", InstanceType: shapes.TrainingInstanceTypeMlM5Large, InstanceCount: aws.Int32(1)},
		{InstanceGroupName: "big", InstanceType: shapes.TrainingInstanceTypeMlC5Xlarge, InstanceCount: aws.Int32(2)},
	}}
	req.InputDataConfig = []shapes.Channel{
		{ChannelName: "train", DataSource: &shapes.DataSource{S3DataSource: &shapes.S3DataSource{
			S3DataType: shapes.S3DataTypeS3Prefix, S3Uri: "s3://data/shards/", S3DataDistributionType: shapes.S3DataDistributionShardedByS3Key}}},
		{ChannelName: "extra", DataSource: &shapes.DataSource{S3DataSource: &shapes.S3DataSource{
			S3DataType: shapes.S3DataTypeS3Prefix, S3Uri: "s3://data/extra/", InstanceGroupNames: []string{"big"}}}},
	}
	job := runToEnd(t, c, req)
	if job.TrainingJobStatus != shapes.TrainingJobStatusCompleted {
		t.Fatalf("job %s: %s", job.TrainingJobStatus, job.FailureReason)
	}
	files := modelFiles(t, ep, "groups")
	for host, want := range map[string]string{
		"algo-1": "./train/part-0\n./train/sub/part-3\n",
		"algo-2": "./extra/e.txt\n./train/part-1\n./train/sub/part-4\n",
		"algo-3": "./extra/e.txt\n./train/part-2\n",
	} {
		if got := files[host+".files"]; got != want {
			t.Errorf("%s's channels hold\n%s\nwant\n%s", host, got, want)
		}
	}
	for host, want := range map[string]string{
		"algo-1": `["train"] ml.m5.large`, "algo-2": `["extra","train"] ml.c5.xlarge`, "algo-3": `["extra","train"] ml.c5.xlarge`,
	} {
		if got := strings.TrimSpace(files[host+".env"]); got != want {
			t.Errorf("%s: SM_CHANNELS and SM_CURRENT_INSTANCE_TYPE %q, want %q", host, got, want)
		}
	}
	var rc trainingcontract.ResourceConfig
	if err := json.Unmarshal([]byte(files["algo-2.rc.json"]), &rc); err != nil {
		t.Fatal(err)
	}
	wantGroups := []trainingcontract.InstanceGroup{
		{InstanceGroupName: "small", InstanceType: "ml.m5.large", Hosts: []string{"algo-1"}},
		{InstanceGroupName: "big", InstanceType: "ml.c5.xlarge", Hosts: []string{"algo-2", "algo-3"}},
	}
	if rc.CurrentHost != "algo-2" || rc.CurrentGroupName != "big" || rc.CurrentInstanceType != "ml.c5.xlarge" ||
		!slices.Equal(rc.Hosts, []string{"algo-1", "algo-2", "algo-3"}) || len(rc.InstanceGroups) != 2 ||
		rc.InstanceGroups[0].InstanceGroupName != wantGroups[0].InstanceGroupName || !slices.Equal(rc.InstanceGroups[0].Hosts, wantGroups[0].Hosts) ||
		rc.InstanceGroups[1].InstanceType != wantGroups[1].InstanceType || !slices.Equal(rc.InstanceGroups[1].Hosts, wantGroups[1].Hosts) {
		t.Errorf("algo-2's resourceconfig.json: %s", files["algo-2.rc.json"])
	}
	var in map[string]trainingcontract.ChannelConfig
	if err := json.Unmarshal([]byte(files["algo-1.in.json"]), &in); err != nil {
		t.Fatal(err)
	}
	if len(in) != 1 || in["train"].S3DistributionType != "ShardedByS3Key" || in["train"].TrainingInputMode != "File" {
		t.Errorf("algo-1's inputdataconfig.json: %s", files["algo-1.in.json"])
	}
}

// TestHomogeneousResourceConfig: a job without instance groups has the
// one SageMaker calls homogeneousCluster in resourceconfig.json.
func TestHomogeneousResourceConfig(t *testing.T) {
	ep, c := startProc(t)
	req := shJob("homog", `cp "$SM_INPUT_CONFIG_DIR/resourceconfig.json" "$SM_MODEL_DIR/rc.json"`, nil, 120)
	req.ResourceConfig.InstanceCount = aws.Int32(2)
	job := runToEnd(t, c, req)
	if job.TrainingJobStatus != shapes.TrainingJobStatusCompleted {
		t.Fatalf("job %s: %s", job.TrainingJobStatus, job.FailureReason)
	}
	var rc trainingcontract.ResourceConfig
	b := modelFiles(t, ep, "homog")["rc.json"] // algo-2's: the later host's file
	if err := json.Unmarshal([]byte(b), &rc); err != nil {
		t.Fatal(err)
	}
	if rc.CurrentHost != "algo-2" || rc.CurrentGroupName != "homogeneousCluster" || rc.CurrentInstanceType != "ml.m5.xlarge" ||
		len(rc.InstanceGroups) != 1 || !slices.Equal(rc.InstanceGroups[0].Hosts, []string{"algo-1", "algo-2"}) || rc.NetworkInterfaceName == "" {
		t.Errorf("resourceconfig.json: %s", b)
	}
}

// TestTooManyHostsFailsSayingWhy: a job asking for more hosts than the
// endpoint runs fails with a ClientError saying so, running nothing.
func TestTooManyHostsFailsSayingWhy(t *testing.T) {
	_, c := startProc(t)
	req := shJob("too-many", "exit 0", nil, 120)
	req.ResourceConfig.InstanceCount = aws.Int32(1000)
	job := runToEnd(t, c, req)
	if job.TrainingJobStatus != shapes.TrainingJobStatusFailed || !strings.HasPrefix(job.FailureReason, "ClientError: ResourceConfig:") ||
		!strings.Contains(job.FailureReason, "at most 32 hosts") {
		t.Fatalf("job %s: %q", job.TrainingJobStatus, job.FailureReason)
	}
}
