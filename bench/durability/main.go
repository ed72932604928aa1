// Command durability probes what smlocal's data directory keeps when the
// server is killed with SIGKILL under load. It builds smlocal, runs it on a
// fresh data directory, and drives it with SDK clients (standard retries)
// that record every change acknowledged with a 2xx: SageMaker CreateModel,
// AddTags and CreateTrainingJob, S3 PutObject (some of 2 MiB), Logs
// PutLogEvents. It kills the server -kills times, -interval apart,
// restarting it each time on the same directory, then stops the load,
// restarts it once more without faults and counts, per kind of change,
// what was acknowledged, found and lost; the changes whose answer never
// came (in doubt: they may or may not have been kept) and how many of them
// were found; and duplicates (a log event found twice: a retry of a put
// whose first attempt was kept but never answered).
//
//	go run ./bench/durability [-kills 3] [-interval 2s] [-workers 4] [-error-rate 0]
//
// With -error-rate the server also answers that share of the calls of every
// service with the service's internal error, which the clients retry.
package main

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	cwltypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

const (
	role   = "arn:aws:iam::123456789012:role/SageMakerRole"
	image  = "123456789012.dkr.ecr.us-east-1.amazonaws.com/algo:1"
	bucket = "probe"
	group  = "probe"
)

// kinds of change, in the order the workers make them and the report
// lists them.
var kinds = []string{"CreateModel", "AddTags", "CreateTrainingJob", "S3 PutObject", "PutLogEvents"}

func main() {
	kills := flag.Int("kills", 3, "times the server is killed (SIGKILL) under load")
	interval := flag.Duration("interval", 2*time.Second, "load between two kills")
	workers := flag.Int("workers", 4, "concurrent clients")
	errorRate := flag.Float64("error-rate", 0, "share of calls the server answers with an injected internal error (retried)")
	flag.Parse()
	if err := run(*kills, *interval, *workers, *errorRate); err != nil {
		fmt.Fprintln(os.Stderr, "durability:", err)
		os.Exit(1)
	}
}

// ledger is what the clients were told: per kind, the changes answered
// 2xx (with the value to find: an object's MD5) and those whose call
// failed, which the server may have kept.
type ledger struct {
	mu     sync.Mutex
	acked  map[string]map[string]string
	doubt  map[string]map[string]string
	failed map[string]int
}

func (l *ledger) record(kind, id, value string, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := l.acked
	if err != nil {
		m = l.doubt
		l.failed[kind]++
	}
	if m[kind] == nil {
		m[kind] = map[string]string{}
	}
	m[kind][id] = value
}

// server is smlocal on a data directory.
type server struct {
	bin, dir, addr, log string
	faults              []string
	cmd                 *exec.Cmd
}

func (s *server) start(withFaults bool) error {
	args := []string{"-addr", s.addr, "-data-dir", s.dir, "-simulate", "-step", "50ms"}
	if withFaults {
		args = append(args, s.faults...)
	}
	out, err := os.OpenFile(s.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer out.Close()
	s.cmd = exec.Command(s.bin, args...)
	s.cmd.Stdout, s.cmd.Stderr = out, out
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("starting smlocal: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- s.cmd.Wait() }()
	c := sts.NewFromConfig(config(s.addr, aws.NopRetryer{}))
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
		select {
		case err := <-exited:
			return fmt.Errorf("smlocal exited at start (%v); see %s", err, s.log)
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		cancel()
		if err == nil {
			return nil // exited is buffered: the process is reaped when it ends
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.cmd.Process.Kill()
	return fmt.Errorf("smlocal did not answer within 30 s; see %s", s.log)
}

// kill sends SIGKILL to the server process this probe started, by its PID.
func (s *server) kill() error { return s.cmd.Process.Kill() }

func config(addr string, r aws.Retryer) aws.Config {
	return aws.Config{Region: "us-east-1", BaseEndpoint: aws.String("http://" + addr),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		Retryer:     func() aws.Retryer { return r }}
}

type clients struct {
	sm   *sagemaker.Client
	s3   *s3.Client
	logs *cloudwatchlogs.Client
}

func newClients(addr string, attempts int) clients {
	cfg := config(addr, retry.NewStandard(func(o *retry.StandardOptions) { o.MaxAttempts = attempts }))
	return clients{sagemaker.NewFromConfig(cfg), s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }), cloudwatchlogs.NewFromConfig(cfg)}
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func run(kills int, interval time.Duration, workers int, errorRate float64) error {
	tmp, err := os.MkdirTemp("", "durability-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	s := &server{bin: filepath.Join(tmp, "smlocal"), dir: filepath.Join(tmp, "data"), log: filepath.Join(tmp, "smlocal.log")}
	if errorRate > 0 {
		s.faults = []string{"-error-rate", strconv.FormatFloat(errorRate, 'f', -1, 64), "-fault-service", "*"}
	}
	if out, err := exec.Command("go", "build", "-o", s.bin, "github.com/smcore-go/smcore/tools/smlocal").CombinedOutput(); err != nil {
		return fmt.Errorf("building smlocal: %v\n%s", err, out)
	}
	if s.addr, err = freeAddr(); err != nil {
		return err
	}
	if err := s.start(false); err != nil {
		return err
	}
	defer func() { s.kill() }()
	ctx := context.Background()
	setup := newClients(s.addr, 3)
	if _, err := setup.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		return err
	}
	if _, err := setup.logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)}); err != nil {
		return err
	}
	for w := range workers {
		if _, err := setup.logs.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String(fmt.Sprint("w", w))}); err != nil {
			return err
		}
	}
	if len(s.faults) > 0 {
		s.kill() // the setup ran without faults; the load runs with them
		if err := s.start(true); err != nil {
			return err
		}
	}

	l := &ledger{acked: map[string]map[string]string{}, doubt: map[string]map[string]string{}, failed: map[string]int{}}
	var stop atomic.Bool
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(ctx, newClients(s.addr, 3), w, l, &stop)
		}()
	}
	for k := range kills {
		time.Sleep(interval)
		if err := s.kill(); err != nil {
			return fmt.Errorf("kill %d: %w", k+1, err)
		}
		if err := s.start(true); err != nil {
			return fmt.Errorf("restart after kill %d: %w", k+1, err)
		}
	}
	time.Sleep(interval)
	stop.Store(true)
	wg.Wait()
	s.kill()
	if err := s.start(false); err != nil {
		return fmt.Errorf("the last restart: %w", err)
	}
	found, dups, err := inventory(ctx, newClients(s.addr, 5))
	if err != nil {
		return err
	}
	fmt.Printf("smlocal killed (SIGKILL) %d times, %s apart, under %d clients; injected error rate %g\n\n", kills, interval, workers, errorRate)
	fmt.Println("| change | acknowledged | found | lost | failed calls (in doubt) | in doubt, found | duplicates |")
	fmt.Println("|---|---|---|---|---|---|---|")
	lostAny := false
	for _, k := range kinds {
		var ok, lost, doubtFound int
		for id, v := range l.acked[k] {
			if got, there := found[k][id]; there && got == v {
				ok++
			} else {
				lost++
			}
		}
		for id := range l.doubt[k] {
			if _, there := found[k][id]; there {
				doubtFound++
			}
		}
		lostAny = lostAny || lost > 0
		fmt.Printf("| %s | %d | %d | %d | %d | %d | %d |\n", k, len(l.acked[k]), ok, lost, l.failed[k], doubtFound, dups[k])
	}
	if lostAny {
		return errors.New("acknowledged changes were lost")
	}
	return nil
}

// work makes changes until stop, round robin over the kinds, and records
// each outcome. After a failed call it waits a little: the server may be
// restarting.
func work(ctx context.Context, c clients, w int, l *ledger, stop *atomic.Bool) {
	lastModel := ""
	for i := 0; !stop.Load(); i++ {
		var err error
		name := fmt.Sprintf("w%d-%d", w, i)
		kind := kinds[i%len(kinds)]
		switch kind {
		case "CreateModel":
			var out *sagemaker.CreateModelOutput
			out, err = c.sm.CreateModel(ctx, &sagemaker.CreateModelInput{ModelName: aws.String(name), ExecutionRoleArn: aws.String(role),
				PrimaryContainer: &smtypes.ContainerDefinition{Image: aws.String(image)}})
			if err == nil {
				lastModel = aws.ToString(out.ModelArn)
			}
			l.record(kind, name, "", err)
		case "AddTags":
			if lastModel == "" {
				continue
			}
			_, err = c.sm.AddTags(ctx, &sagemaker.AddTagsInput{ResourceArn: aws.String(lastModel), Tags: []smtypes.Tag{{Key: aws.String(name), Value: aws.String("v")}}})
			l.record(kind, lastModel+" "+name, "", err)
		case "CreateTrainingJob":
			maxRuntime := int32(3600)
			_, err = c.sm.CreateTrainingJob(ctx, &sagemaker.CreateTrainingJobInput{TrainingJobName: aws.String(name), RoleArn: aws.String(role),
				AlgorithmSpecification: &smtypes.AlgorithmSpecification{TrainingImage: aws.String(image), TrainingInputMode: smtypes.TrainingInputModeFile},
				ResourceConfig:         &smtypes.ResourceConfig{InstanceType: smtypes.TrainingInstanceTypeMlM5Xlarge, InstanceCount: aws.Int32(1), VolumeSizeInGB: aws.Int32(10)},
				OutputDataConfig:       &smtypes.OutputDataConfig{S3OutputPath: aws.String("s3://" + bucket + "/out")},
				StoppingCondition:      &smtypes.StoppingCondition{MaxRuntimeInSeconds: &maxRuntime}})
			l.record(kind, name, "", err)
		case "S3 PutObject":
			size := 4 << 10
			if i%8 == 3 {
				size = 2 << 20 // past the size synced before the commit
			}
			body := bytes.Repeat([]byte(name+";"), size/len(name))
			sum := md5.Sum(body)
			_, err = c.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(name), Body: bytes.NewReader(body)})
			l.record(kind, name, hex.EncodeToString(sum[:]), err)
		case "PutLogEvents":
			_, err = c.logs.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(fmt.Sprint("w", w)),
				LogEvents: []cwltypes.InputLogEvent{{Timestamp: aws.Int64(time.Now().UnixMilli()), Message: aws.String(name)}}})
			l.record(kind, name, "", err)
		}
		if err != nil {
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// inventory reads back everything there is, per kind: the IDs found (with
// an object's MD5), and how many log events are found more than once.
func inventory(ctx context.Context, c clients) (map[string]map[string]string, map[string]int, error) {
	found := map[string]map[string]string{}
	for _, k := range kinds {
		found[k] = map[string]string{}
	}
	var models []string
	for p := sagemaker.NewListModelsPaginator(c.sm, &sagemaker.ListModelsInput{}); p.HasMorePages(); {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("ListModels: %w", err)
		}
		for _, m := range page.Models {
			found["CreateModel"][aws.ToString(m.ModelName)] = ""
			models = append(models, aws.ToString(m.ModelArn))
		}
	}
	for _, arn := range models {
		for p := sagemaker.NewListTagsPaginator(c.sm, &sagemaker.ListTagsInput{ResourceArn: aws.String(arn)}); p.HasMorePages(); {
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, nil, fmt.Errorf("ListTags %s: %w", arn, err)
			}
			for _, t := range page.Tags {
				found["AddTags"][arn+" "+aws.ToString(t.Key)] = ""
			}
		}
	}
	for p := sagemaker.NewListTrainingJobsPaginator(c.sm, &sagemaker.ListTrainingJobsInput{}); p.HasMorePages(); {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("ListTrainingJobs: %w", err)
		}
		for _, j := range page.TrainingJobSummaries {
			found["CreateTrainingJob"][aws.ToString(j.TrainingJobName)] = ""
		}
	}
	for p := s3.NewListObjectsV2Paginator(c.s3, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)}); p.HasMorePages(); {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("ListObjectsV2: %w", err)
		}
		for _, o := range page.Contents {
			etag := aws.ToString(o.ETag)
			found["S3 PutObject"][aws.ToString(o.Key)] = etag[1 : len(etag)-1]
		}
	}
	seen := map[string]int{}
	for p := cloudwatchlogs.NewFilterLogEventsPaginator(c.logs, &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(group)}); p.HasMorePages(); {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("FilterLogEvents: %w", err)
		}
		for _, e := range page.Events {
			seen[aws.ToString(e.Message)]++
		}
	}
	dups := map[string]int{}
	for msg, n := range seen {
		found["PutLogEvents"][msg] = ""
		if n > 1 {
			dups["PutLogEvents"]++
		}
	}
	return found, dups, nil
}
