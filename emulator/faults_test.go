package emulator_test

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/smithy-go"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/emulator/emulatortest"
	"github.com/smcore-go/smcore/internal/testenv"
	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/shapes"
	"github.com/smcore-go/smcore/waiters"
)

// sequence returns a Rand that yields xs in turn (then starts over) and
// counts its calls.
func sequence(xs ...float64) (func() float64, *atomic.Int64) {
	var n atomic.Int64
	return func() float64 { return xs[(n.Add(1)-1)%int64(len(xs))] }, &n
}

type noBackoff struct{}

func (noBackoff) BackoffDelay(int, error) (time.Duration, error) { return time.Millisecond, nil }

// standard returns cfg with the SDK's standard retryer (attempts in all),
// without its backoff waits and client-side rate limit.
func standard(cfg aws.Config, attempts int) aws.Config {
	cfg = cfg.Copy()
	cfg.Retryer = func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = attempts
			o.Backoff = noBackoff{}
			o.RateLimiter = ratelimit.None
		})
	}
	return cfg
}

// apiError returns err's service error code and HTTP status.
func apiError(err error) (string, int) {
	var ae smithy.APIError
	var re interface{ HTTPStatusCode() int }
	code, status := "", 0
	if errors.As(err, &ae) {
		code = ae.ErrorCode()
	}
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	return code, status
}

func describeJob(ctx context.Context, api *sagemaker.Client, name string) error {
	_, err := api.DescribeTrainingJob(ctx, &sagemaker.DescribeTrainingJobInput{TrainingJobName: aws.String(name)})
	return err
}

func TestFaultThrottleEveryCall(t *testing.T) {
	rnd, draws := sequence(0.99)
	ep := emulatortest.Start(t, emulator.WithSimulation(), emulator.WithFaults(emulator.Faults{
		Rules: []emulator.FaultRule{{Operation: "DescribeTrainingJob", ThrottleRate: 1}}, Rand: rnd}))
	ctx := context.Background()
	api := sagemaker.NewFromConfig(ep.Config)
	if _, err := api.CreateTrainingJob(ctx, trainingRequest("j").ToSDK()); err != nil {
		t.Fatalf("other operations are not throttled: %v", err)
	}
	err := describeJob(ctx, api, "j")
	var ae smithy.APIError
	if code, status := apiError(err); code != "ThrottlingException" || status != 400 || !errors.As(err, &ae) || ae.ErrorMessage() != "Rate exceeded" {
		t.Fatalf("want ThrottlingException 400 Rate exceeded, got %v", err)
	}
	// The standard retryer retries throttling, and gives up after its attempts.
	draws.Store(0)
	err = describeJob(ctx, sagemaker.NewFromConfig(standard(ep.Config, 3)), "j")
	if code, _ := apiError(err); code != "ThrottlingException" || draws.Load() != 3 {
		t.Fatalf("want 3 throttled attempts, got %d: %v", draws.Load(), err)
	}
}

func TestFaultThrottleHalfTheCalls(t *testing.T) {
	rnd, draws := sequence(0.2, 0.7) // throttled, passed, throttled, …
	ep := emulatortest.Start(t, emulator.WithSimulation(), emulator.WithFaults(emulator.Faults{
		Rules: []emulator.FaultRule{{Operation: "*", ThrottleRate: 0.5}}, Rand: rnd}))
	ctx := context.Background()
	api := sagemaker.NewFromConfig(ep.Config)
	var got []string
	for range 4 {
		code, _ := apiError(describeJob(ctx, api, "missing"))
		got = append(got, code)
	}
	if strings.Join(got, ",") != "ThrottlingException,ValidationException,ThrottlingException,ValidationException" {
		t.Fatalf("answers %v", got)
	}
	// With the standard retryer every call succeeds on its second attempt.
	draws.Store(0)
	std := sagemaker.NewFromConfig(standard(ep.Config, 3))
	if _, err := std.CreateTrainingJob(ctx, trainingRequest("j").ToSDK()); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := describeJob(ctx, std, "j"); err != nil {
			t.Fatal(err)
		}
	}
	if draws.Load() != 8 {
		t.Fatalf("4 calls should take 8 attempts, took %d", draws.Load())
	}
}

func TestFaultServerError(t *testing.T) {
	rnd, draws := sequence(0.1)
	ep := emulatortest.Start(t, emulator.WithSimulation(), emulator.WithFaults(emulator.Faults{
		Rules: []emulator.FaultRule{{Operation: "CreateTrainingJob", ServerErrorRate: 1}}, Rand: rnd}))
	ctx := context.Background()
	api := sagemaker.NewFromConfig(ep.Config)
	_, err := api.CreateTrainingJob(ctx, trainingRequest("j").ToSDK())
	if code, status := apiError(err); code != "InternalFailure" || status != 500 {
		t.Fatalf("want InternalFailure 500, got %v", err)
	}
	draws.Store(0)
	_, err = sagemaker.NewFromConfig(standard(ep.Config, 3)).CreateTrainingJob(ctx, trainingRequest("j").ToSDK())
	if code, _ := apiError(err); code != "InternalFailure" || draws.Load() != 3 {
		t.Fatalf("want 3 failed attempts, got %d: %v", draws.Load(), err)
	}
	// A failed call did not run.
	if code, _ := apiError(describeJob(ctx, api, "j")); code != "ValidationException" {
		t.Fatalf("the job must not exist: %v", code)
	}
}

func TestFaultServerErrorRetriedToSuccess(t *testing.T) {
	rnd, draws := sequence(0.3, 0.8)
	ep := emulatortest.Start(t, emulator.WithSimulation(), emulator.WithFaults(emulator.Faults{
		Rules: []emulator.FaultRule{{Operation: "*", ServerErrorRate: 0.5}}, Rand: rnd}))
	c := resources.NewFromConfig(standard(ep.Config, 3))
	job, err := c.CreateTrainingJob(context.Background(), trainingRequest("j"))
	if err != nil || job.ResourceName() != "j" {
		t.Fatalf("%v %v", job, err)
	}
	if draws.Load() != 4 { // create and describe, each twice
		t.Fatalf("attempts %d", draws.Load())
	}
}

func TestFaultLatency(t *testing.T) {
	const delay = 300 * time.Millisecond
	ep := emulatortest.Start(t, emulator.WithSimulation(), emulator.WithFaults(emulator.Faults{
		Rules: []emulator.FaultRule{{Operation: "CreateTrainingJob", Latency: delay}, {Operation: "DescribeTrainingJob", Latency: delay}}}))
	api := sagemaker.NewFromConfig(ep.Config)
	start := time.Now()
	if _, err := api.CreateTrainingJob(context.Background(), trainingRequest("slow").ToSDK()); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < delay {
		t.Fatalf("answered after %v, want at least %v", d, delay)
	}
	// A client that gives up gets its deadline error, early; the create it
	// abandoned during the delay does not run.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start = time.Now()
	_, err := api.CreateTrainingJob(ctx, trainingRequest("abandoned").ToSDK())
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > delay {
		t.Fatalf("want the deadline error before the delay ends, got %v after %v", err, time.Since(start))
	}
	time.Sleep(2 * delay)
	out, err := api.ListTrainingJobs(context.Background(), &sagemaker.ListTrainingJobsInput{})
	if err != nil || len(out.TrainingJobSummaries) != 1 || *out.TrainingJobSummaries[0].TrainingJobName != "slow" {
		t.Fatalf("want only the job that was answered: %+v %v", out, err)
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel2()
	if err := describeJob(ctx2, api, "slow"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("describe: %v", err)
	}
}

// attempts records the answer to each CreateTrainingJob attempt, as it is
// given (before the client can see it): "dropped", the error type, or the
// status text.
type attempts struct {
	h       http.Handler
	mu      sync.Mutex
	creates []string
}

func (a *attempts) note(answer string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.creates = append(a.creates, answer)
}

func (a *attempts) answers() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return strings.Join(a.creates, ",")
}

func (a *attempts) reset() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.creates = nil
}

type recorder struct {
	http.ResponseWriter
	a     *attempts
	noted bool
}

func (r *recorder) WriteHeader(s int) {
	if !r.noted {
		r.noted = true
		if code := r.Header().Get("X-Amzn-ErrorType"); code != "" {
			r.a.note(code)
		} else {
			r.a.note(http.StatusText(s))
		}
	}
	r.ResponseWriter.WriteHeader(s)
}

func (r *recorder) Write(b []byte) (int, error) {
	if !r.noted {
		r.WriteHeader(http.StatusOK)
	}
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	r.noted = true
	r.a.note("dropped")
	return http.NewResponseController(r.ResponseWriter).Hijack()
}

func (a *attempts) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".CreateTrainingJob") {
		w = &recorder{ResponseWriter: w, a: a}
	}
	a.h.ServeHTTP(w, r)
}

// TestFaultDropResponseCreateIsAdopted is the end-to-end proof of
// creation-token adoption: the endpoint creates the job and drops the
// answer, the SDK retries the create, the retry is answered ResourceInUse,
// and package resources recognizes the job as its own by its token.
func TestFaultDropResponseCreateIsAdopted(t *testing.T) {
	s := emulator.New(emulator.WithSimulation(), emulator.WithFaults(emulator.Faults{
		Rules: []emulator.FaultRule{{Operation: "CreateTrainingJob", DropResponse: true}}}))
	a := &attempts{h: s}
	srv := httptest.NewServer(a)
	defer srv.Close()
	cfg := standard(testenv.Config(srv.URL), 3)
	ctx := context.Background()
	c := resources.NewFromConfig(cfg, resources.WithCreationToken())
	job, err := c.CreateTrainingJob(ctx, trainingRequest("adopted"))
	if err != nil {
		t.Fatalf("the retried create must adopt its own job: %v", err)
	}
	if a.answers() != "dropped,ResourceInUse" {
		t.Fatalf("create attempts: %v", a.answers())
	}
	if job.ResourceName() != "adopted" || job.TrainingJobStatus != shapes.TrainingJobStatusInProgress {
		t.Fatalf("job %s %s", job.ResourceName(), job.TrainingJobStatus)
	}
	n := 0
	for _, err := range c.ListTrainingJobs(ctx, &shapes.ListTrainingJobsInput{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 1 {
		t.Fatalf("%d jobs, want exactly the one created", n)
	}
	// Someone else's create of the same name is not adopted.
	if _, err := c.CreateTrainingJob(ctx, trainingRequest("adopted")); err == nil || !strings.Contains(err.Error(), "ResourceInUse") {
		t.Fatalf("a second create with a fresh token must fail: %v", err)
	}
	// Control: without the creation token the same dropped answer leaves
	// the caller with ResourceInUse for the job it made itself.
	a.reset()
	_, err = resources.NewFromConfig(cfg).CreateTrainingJob(ctx, trainingRequest("orphan"))
	if err == nil || !strings.Contains(err.Error(), "ResourceInUse") || a.answers() != "dropped,ResourceInUse" {
		t.Fatalf("without a token: %v (attempts %v)", err, a.answers())
	}
}

func TestFaultDropResponseWithoutRetries(t *testing.T) {
	ep := emulatortest.Start(t, emulator.WithSimulation(), emulator.WithFaults(emulator.Faults{
		Rules: []emulator.FaultRule{{Operation: "CreateTrainingJob", DropResponse: true}}}))
	api := sagemaker.NewFromConfig(ep.Config)
	ctx := context.Background()
	if _, err := api.CreateTrainingJob(ctx, trainingRequest("j").ToSDK()); err == nil {
		t.Fatal("a dropped answer must be an error")
	}
	if err := describeJob(ctx, api, "j"); err != nil {
		t.Fatalf("the change was committed before the drop: %v", err)
	}
}

func TestFaultFailJobs(t *testing.T) {
	const reason = "AlgorithmError: injected out-of-memory"
	ep := emulatortest.Start(t, emulator.WithSimulation(), emulator.WithStepTime(5*time.Millisecond), emulator.WithFaults(emulator.Faults{
		Rules: []emulator.FaultRule{{Operation: "CreateTrainingJob", FailJobs: map[string]string{"doomed": reason}}}}))
	c := resources.NewFromConfig(ep.Config)
	ctx := context.Background()
	doomed, err := c.CreateTrainingJob(ctx, trainingRequest("doomed"))
	if err != nil {
		t.Fatal(err)
	}
	fine, err := c.CreateTrainingJob(ctx, trainingRequest("fine"))
	if err != nil {
		t.Fatal(err)
	}
	err = doomed.Wait(ctx, fast()...)
	var fe *waiters.FailedError
	if !errors.As(err, &fe) || fe.Reason != reason || doomed.TrainingJobStatus != shapes.TrainingJobStatusFailed {
		t.Fatalf("want a FailedError with the injected reason, got %v", err)
	}
	if err := fine.Wait(ctx, fast()...); err != nil {
		t.Fatalf("other jobs complete: %v", err)
	}
}
