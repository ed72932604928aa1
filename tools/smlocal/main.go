// Command smlocal runs the local SageMaker endpoint.
//
//	go run ./tools/smlocal [-addr 127.0.0.1:4566] [-region us-east-1] [-simulate] [-allow-host name,…]
//	                       [-executor process|docker|none] [-docker-host unix:///…] [-data-dir dir]
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"os/user"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/smcore-go/smcore/emulator"
)

// announceTrust says at start who can reach the endpoint and what a
// request can do there.
func announceTrust(w io.Writer, addr net.Addr, executor, dockerInfo string, randomCreds bool) {
	if ta, ok := addr.(*net.TCPAddr); ok && ta.IP.IsLoopback() {
		fmt.Fprintf(w, "smlocal: listening on loopback only (%s): other hosts cannot reach it\n", addr)
	} else {
		fmt.Fprintf(w, "smlocal: WARNING: listening on %s, which is not loopback: other hosts can reach it, and anyone with the credentials above can use it\n", addr)
	}
	switch executor {
	case "process":
		who := "this user"
		if u, err := user.Current(); err == nil {
			who = fmt.Sprintf("user %s (uid %s)", u.Username, u.Uid)
		}
		fmt.Fprintf(w, "smlocal: -executor process: a CreateTrainingJob request runs the commands it names as %s on this host\n", who)
	case "docker":
		fmt.Fprintf(w, "smlocal: -executor docker: a CreateTrainingJob request runs the image it names on %s, with host networking and its job root mounted: what a container can do there, a request can\n", dockerInfo)
	}
	if executor != "none" && randomCreds {
		fmt.Fprintf(w, "smlocal: -executor %s: the credentials above were made at random for this run (test/test is public); pass -access-key and -secret-key to choose them\n", executor)
	}
}

// executors are the -executor values.
var executors = []string{"process", "docker", "none"}

// givenFlags names the flags the command line set.
func givenFlags(fs *flag.FlagSet) map[string]bool {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	return given
}

const upperDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// randomString is n characters of alphabet, from crypto/rand.
func randomString(n int, alphabet string) string {
	out := make([]byte, 0, n)
	limit := 256 - 256%len(alphabet) // bytes at or above it would favour the first characters
	var b [64]byte
	for len(out) < n {
		rand.Read(b[:])
		for _, c := range b {
			if int(c) < limit && len(out) < n {
				out = append(out, alphabet[int(c)%len(alphabet)])
			}
		}
	}
	return string(out)
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "smlocal:", err)
		stop()
		os.Exit(1)
	}
}

// run serves until ctx ends, then stops the server and the jobs still
// running.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flag := flag.NewFlagSet("smlocal", flag.ContinueOnError)
	flag.SetOutput(stderr)
	addr := flag.String("addr", "127.0.0.1:4566", "listen address (loopback by default)")
	region := flag.String("region", "us-east-1", "default region: of ARNs made outside a request, and in the examples printed (requests signed for any region are served)")
	account := flag.String("account", "123456789012", "account ID in ARNs")
	key := flag.String("access-key", "test", "accepted access key ID (with an executor and not given: a random one, printed at start)")
	secret := flag.String("secret-key", "test", "accepted secret access key (with an executor and not given: a random one, printed at start)")
	step := flag.Duration("step", 500*time.Millisecond, "duration of each lifecycle step (Creating → InService, …)")
	simulate := flag.Bool("simulate", false, "complete jobs no executor can run, marked as simulated")
	verbose := flag.Bool("v", false, "log every request")
	executor := flag.String("executor", "none", "what runs training jobs: process (host processes, no container: a job's ContainerEntrypoint, a classic script-mode job's program, or an -image-command; a request runs commands as this user), docker (the job's image, one container per host), or none")
	process := flag.Bool("process", false, "the same as -executor process")
	dockerHost := flag.String("docker-host", "", "with -executor docker: the daemon's address (default: DOCKER_HOST, or the docker CLI's context); it must run on this machine")
	dockerGPUs := flag.String("docker-gpus", "", "with -executor docker: docker's --gpus for every job (all, device=0,…) or none (default: all for GPU instance types when nvidia-smi lists GPUs)")
	var dockerArgs []string
	flag.Func("docker-arg", "with -executor docker: an option of docker create for every container (repeat it: -docker-arg=--shm-size=2g -docker-arg=--ipc=host)", func(v string) error {
		dockerArgs = append(dockerArgs, v)
		return nil
	})
	workDir := flag.String("work-dir", "", "where training job roots are made (default: a temporary folder)")
	dataDir := flag.String("data-dir", "", "keep resources, tags, S3 objects and log events here across restarts (default: memory only)")
	throttle := flag.Float64("throttle-rate", 0, "fault: share of calls answered with the service's throttling error (0..1)")
	serverErr := flag.Float64("error-rate", 0, "fault: share of calls answered with the service's internal error (0..1)")
	latency := flag.Duration("latency", 0, "fault: latency added to every call")
	faultService := flag.String("fault-service", "sagemaker", "service the faults above apply to: sagemaker, s3, logs or * (all three)")
	logDelay := flag.Duration("log-delay", 0, "fault: delay before log events become visible")
	allowHost := flag.String("allow-host", "", "Host names served besides loopback ones (comma-separated; * for any); default: loopback only when -addr is loopback, any otherwise")
	skew := flag.Duration("clock-skew", emulator.DefaultClockSkew, "how far a request's X-Amz-Date may be from this machine's clock (0: any)")
	var jobEnv []string
	flag.Func("job-env", "`NAME` of a variable of smlocal's environment that training jobs also get (NAME or PREFIX*; repeat it or separate names with commas); without it jobs get none", func(v string) error {
		for _, n := range strings.Split(v, ",") {
			if n = strings.TrimSpace(n); n == "" || n == "*" || strings.ContainsAny(n, "= ") {
				return fmt.Errorf("%q: want a variable name or a prefix ending in *", n)
			}
			jobEnv = append(jobEnv, n)
		}
		return nil
	})
	imageCommands := map[string][]string{}
	flag.Func("image-command", "with -process, `IMAGE=COMMAND` runs COMMAND (with /bin/sh -c) for a training job of that image (or of a prefix ending in *) that names no ContainerEntrypoint; its arguments, \"train\" unless ContainerArguments, are in \"$@\" (repeatable)", func(v string) error {
		image, command, ok := strings.Cut(v, "=")
		if !ok || strings.TrimSpace(image) == "" || strings.TrimSpace(command) == "" {
			return fmt.Errorf("%q: want IMAGE=COMMAND", v)
		}
		imageCommands[strings.TrimSpace(image)] = []string{"/bin/sh", "-c", command, "sh"}
		return nil
	})
	if err := flag.Parse(args); err != nil {
		return err
	}
	given := givenFlags(flag)
	if !slices.Contains(executors, *executor) {
		return fmt.Errorf("-executor %q: want process, docker or none", *executor)
	}
	if *process {
		if given["executor"] && *executor != "process" {
			return fmt.Errorf("-process is -executor process: it contradicts -executor %s", *executor)
		}
		*executor = "process"
	}
	if *executor != "docker" {
		for _, f := range []string{"docker-host", "docker-gpus", "docker-arg"} {
			if given[f] {
				return fmt.Errorf("-%s is for -executor docker", f)
			}
		}
	}
	randomCreds := false
	if *executor != "none" {
		// test/test is public: with it any local process, or a web page
		// that reaches loopback, could run commands as this user (or
		// containers on the daemon).
		if !given["access-key"] {
			*key, randomCreds = "SMLOCAL"+randomString(13, upperDigits), true
		}
		if !given["secret-key"] {
			*secret, randomCreds = randomString(40, upperDigits+"abcdefghijklmnopqrstuvwxyz"), true
		}
	}
	switch *faultService {
	case "sagemaker", "s3", "logs", "*":
	default:
		return fmt.Errorf("-fault-service %q: want sagemaker, s3, logs or *", *faultService)
	}

	opts := []emulator.Option{
		emulator.WithRegion(*region), emulator.WithAccount(*account),
		emulator.WithCredentials(emulator.Credentials{AccessKeyID: *key, SecretAccessKey: *secret}),
		emulator.WithStepTime(*step), emulator.WithClockSkew(*skew),
	}
	dockerInfo := ""
	switch *executor {
	case "process":
		opts = append(opts, emulator.WithExecutor(emulator.ProcessExecutor{}))
	case "docker":
		d := emulator.DockerExecutor{Host: *dockerHost, GPUs: *dockerGPUs, CreateArgs: dockerArgs}
		c, cancel := context.WithTimeout(ctx, 30*time.Second)
		version, err := d.ServerVersion(c)
		cancel()
		if err != nil {
			return fmt.Errorf("-executor docker: the docker daemon cannot be reached (-docker-host, DOCKER_HOST): %w", err)
		}
		dockerInfo = fmt.Sprintf("the docker daemon %s (%s)", firstNonEmpty(*dockerHost, os.Getenv("DOCKER_HOST"), "the CLI's default"), version)
		opts = append(opts, emulator.WithExecutor(d))
	}
	if len(jobEnv) > 0 {
		opts = append(opts, emulator.WithJobEnv(jobEnv...))
	}
	if len(imageCommands) > 0 {
		opts = append(opts, emulator.WithImageCommands(imageCommands))
	}
	if *workDir != "" {
		opts = append(opts, emulator.WithWorkDir(*workDir))
	}
	if *dataDir != "" {
		opts = append(opts, emulator.WithDataDir(*dataDir))
	}
	if *throttle > 0 || *serverErr > 0 || *latency > 0 {
		opts = append(opts, emulator.WithFaults(emulator.Faults{Rules: []emulator.FaultRule{{Service: *faultService, Operation: "*", ThrottleRate: *throttle, ServerErrorRate: *serverErr, Latency: *latency}}}))
	}
	if *logDelay > 0 {
		opts = append(opts, emulator.WithLogDelay(*logDelay))
	}
	if *simulate {
		opts = append(opts, emulator.WithSimulation())
	}
	level := slog.LevelWarn // a data directory that cannot be read, a failed write
	if *verbose {
		level = slog.LevelDebug
	}
	opts = append(opts, emulator.WithLogger(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))))
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	// Bound to loopback, only loopback Host headers are served (a page in
	// a browser cannot reach the endpoint by DNS rebinding); bound to
	// another interface, clients reach it under names it cannot know.
	switch {
	case *allowHost != "":
		opts = append(opts, emulator.WithAllowedHosts(strings.Split(*allowHost, ",")...))
	case !isLoopback(ln.Addr()):
		opts = append(opts, emulator.WithAllowedHosts("*"))
	}
	url := "http://" + ln.Addr().String()
	emu := emulator.New(append(opts, emulator.WithEndpointURL(url))...)
	defer emu.Close() // after the server: stops the jobs still running
	if err := emu.LoadError(); err != nil {
		ln.Close()
		return fmt.Errorf("the data directory %s cannot be read, and is left as it is: %w", *dataDir, err)
	}
	fmt.Fprintf(stdout, `smlocal: SageMaker endpoint at %s (region %s, account %s, credentials %s/%s)

  Go SDK:  cfg.BaseEndpoint = aws.String(%q)  (or AWS_ENDPOINT_URL_SAGEMAKER=%s)
  AWS CLI: AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s aws --region %s --endpoint-url %s sagemaker list-training-jobs
  boto3:   boto3.client("sagemaker", endpoint_url=%q, region_name=%q, aws_access_key_id=%q, aws_secret_access_key=%q)

`, url, *region, *account, *key, *secret, url, url, *key, *secret, *region, url, url, *region, *key, *secret)
	announceTrust(stdout, ln.Addr(), *executor, dockerInfo, randomCreds)
	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	shut := make(chan struct{}) // closed once Shutdown has drained the requests
	go func() {
		defer close(shut)
		<-ctx.Done()
		c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(c)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		srv.Close()
		return err
	}
	<-shut
	return nil
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// isLoopback reports whether a listener's address is on loopback only.
func isLoopback(a net.Addr) bool {
	t, ok := a.(*net.TCPAddr)
	return ok && t.IP.IsLoopback()
}
