package emulator_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/smcore-go/smcore/emulator"
	"github.com/smcore-go/smcore/emulator/emulatortest"
	"github.com/smcore-go/smcore/logtail"
	"github.com/smcore-go/smcore/resources"
	"github.com/smcore-go/smcore/waiters"
)

// logsIn is a CloudWatch Logs client of ep signed for region.
func logsIn(ep *emulatortest.Endpoint, region string) *cloudwatchlogs.Client {
	cfg := ep.Config.Copy()
	cfg.Region = region
	return cloudwatchlogs.NewFromConfig(cfg)
}

// putLine creates group and stream in c's region and puts one event.
func putLine(t *testing.T, c *cloudwatchlogs.Client, group, stream, msg string) {
	t.Helper()
	ctx := context.Background()
	if _, err := c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream),
		LogEvents: []cwtypes.InputLogEvent{{Timestamp: aws.Int64(time.Now().UnixMilli()), Message: aws.String(msg)}}}); err != nil {
		t.Fatal(err)
	}
}

// messages returns the messages of a GetLogEvents answer, or the error's
// code.
func messages(out *cloudwatchlogs.GetLogEventsOutput, err error) string {
	if err != nil {
		code, _ := apiError(err)
		return "error " + code
	}
	var m []string
	for _, e := range out.Events {
		m = append(m, aws.ToString(e.Message))
	}
	return strings.Join(m, "|")
}

// CloudWatch Logs state is per region: a group made in us-west-2 is read
// and listed there, not from eu-west-1, where the same name can be made
// again; the ARNs it is described with are of us-west-2.
func TestLogsStateIsPerRegion(t *testing.T) {
	ep := emulatortest.Start(t)
	ctx := context.Background()
	west, eu := logsIn(ep, "us-west-2"), logsIn(ep, "eu-west-1")
	putLine(t, west, "shared", "s", "from us-west-2")

	get := func(c *cloudwatchlogs.Client) string {
		return messages(c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("shared"), LogStreamName: aws.String("s"), StartFromHead: aws.Bool(true)}))
	}
	if got := get(west); got != "from us-west-2" {
		t.Fatalf("us-west-2 reads %q", got)
	}
	if got := get(eu); got != "error ResourceNotFoundException" {
		t.Fatalf("eu-west-1 reads a us-west-2 group: %q", got)
	}
	if _, err := eu.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("shared"), LogStreamName: aws.String("s"),
		LogEvents: []cwtypes.InputLogEvent{{Timestamp: aws.Int64(time.Now().UnixMilli()), Message: aws.String("x")}}}); err == nil {
		t.Fatal("eu-west-1 put into a us-west-2 stream")
	}
	if out, err := eu.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{}); err != nil || len(out.LogGroups) != 0 {
		t.Fatalf("eu-west-1 lists %d groups (%v)", len(out.LogGroups), err)
	}
	putLine(t, eu, "shared", "s", "from eu-west-1")
	if got := get(eu); got != "from eu-west-1" {
		t.Fatalf("eu-west-1 reads %q", got)
	}
	if got := get(west); got != "from us-west-2" {
		t.Fatalf("us-west-2 after eu-west-1 made the same group: %q", got)
	}
	out, err := west.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{})
	if err != nil || len(out.LogGroups) != 1 {
		t.Fatalf("us-west-2 lists %v (%v)", out, err)
	}
	if arn := aws.ToString(out.LogGroups[0].LogGroupArn); arn != "arn:aws:logs:us-west-2:123456789012:log-group:shared" {
		t.Fatalf("group ARN %s", arn)
	}
	streams, err := west.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("shared")})
	if err != nil || len(streams.LogStreams) != 1 || aws.ToString(streams.LogStreams[0].Arn) != "arn:aws:logs:us-west-2:123456789012:log-group:shared:log-stream:s" {
		t.Fatalf("streams %v (%v)", streams, err)
	}
}

// logGroupIdentifier takes a name (in the request's region) or a group's
// ARN, with or without the ":*" DescribeLogGroups' arn ends in, which
// names the group in the ARN's region. An ARN of another account is not
// found; one that is not a log group's is refused.
func TestLogGroupIdentifierARN(t *testing.T) {
	ep := emulatortest.Start(t)
	ctx := context.Background()
	west, eu := logsIn(ep, "us-west-2"), logsIn(ep, "eu-west-1")
	putLine(t, west, "/aws/sagemaker/TrainingJobs", "job/algo-1-1", "west line")
	putLine(t, eu, "/aws/sagemaker/TrainingJobs", "job/algo-1-1", "eu line")
	groups, err := west.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{})
	if err != nil || len(groups.LogGroups) != 1 {
		t.Fatalf("DescribeLogGroups: %v", err)
	}
	arn, star := aws.ToString(groups.LogGroups[0].LogGroupArn), aws.ToString(groups.LogGroups[0].Arn)
	if star != arn+":*" {
		t.Fatalf("arn %q, logGroupArn %q", star, arn)
	}
	for _, id := range []string{"/aws/sagemaker/TrainingJobs", arn, star} {
		got := messages(west.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupIdentifier: aws.String(id), LogStreamName: aws.String("job/algo-1-1"), StartFromHead: aws.Bool(true)}))
		if got != "west line" {
			t.Errorf("GetLogEvents %s from us-west-2: %q", id, got)
		}
	}
	// The ARN, not the request, says the region.
	if got := messages(eu.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupIdentifier: aws.String(arn), LogStreamName: aws.String("job/algo-1-1"), StartFromHead: aws.Bool(true)})); got != "west line" {
		t.Errorf("GetLogEvents of the us-west-2 ARN from eu-west-1: %q", got)
	}
	if got := messages(eu.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupIdentifier: aws.String("/aws/sagemaker/TrainingJobs"), LogStreamName: aws.String("job/algo-1-1"), StartFromHead: aws.Bool(true)})); got != "eu line" {
		t.Errorf("GetLogEvents by name from eu-west-1: %q", got)
	}
	f, err := eu.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{LogGroupIdentifier: aws.String(star)})
	if err != nil || len(f.Events) != 1 || aws.ToString(f.Events[0].Message) != "west line" {
		t.Errorf("FilterLogEvents of %s: %v %v", star, f, err)
	}
	st, err := eu.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupIdentifier: aws.String(arn)})
	if err != nil || len(st.LogStreams) != 1 || !strings.HasPrefix(aws.ToString(st.LogStreams[0].Arn), arn+":log-stream:") {
		t.Errorf("DescribeLogStreams of %s: %v %v", arn, st, err)
	}
	for id, want := range map[string]string{
		"arn:aws:logs:us-west-2:999999999999:log-group:/aws/sagemaker/TrainingJobs": "ResourceNotFoundException",
		"arn:aws:logs:us-west-2:123456789012:log-group:missing":                     "ResourceNotFoundException",
		"arn:aws:s3:::bucket":                                    "InvalidParameterException",
		"arn:aws:logs:us-west-2:123456789012:log-stream:x":       "InvalidParameterException",
		"arn:aws:logs:not a region:123456789012:log-group:g":     "InvalidParameterException",
		"arn:aws-cn:logs:us-west-2:123456789012:log-group:g":     "InvalidParameterException",
		"arn:aws:logs:us-west-2:123456789012:log-group:bad name": "InvalidParameterException",
	} {
		_, err := west.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupIdentifier: aws.String(id)})
		if code, _ := apiError(err); code != want {
			t.Errorf("DescribeLogStreams %s: want %s, got %v", id, want, err)
		}
	}
}

// A log journal written before groups were kept per region (lines without
// a region) loads into the default region; what is added after the
// restart carries its region and survives the next one.
func TestLogJournalBeforeRegionsLoads(t *testing.T) {
	dir := t.TempDir()
	old := `{"k":"group","g":"old","c":1767323045000000000}
{"k":"stream","g":"old","s":"s","c":1767323045000000000}
{"k":"event","g":"old","s":"s","t":1767323045000,"i":1767323045000000000,"n":1,"m":"written before regions"}
`
	if err := os.WriteFile(filepath.Join(dir, "logs.jsonl"), []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	read := func(c *cloudwatchlogs.Client) string {
		return messages(c.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("old"), LogStreamName: aws.String("s"), StartFromHead: aws.Bool(true)}))
	}
	a := emulatortest.Start(t, emulator.WithDataDir(dir), emulator.WithRegion("eu-west-1"))
	if err := a.Server.LoadError(); err != nil {
		t.Fatal(err)
	}
	if got := read(logsIn(a, "eu-west-1")); got != "written before regions" {
		t.Fatalf("the default region reads %q", got)
	}
	if got := read(logsIn(a, "us-east-1")); got != "error ResourceNotFoundException" {
		t.Fatalf("another region reads %q", got)
	}
	putLine(t, logsIn(a, "us-west-2"), "old", "s", "new in us-west-2")
	a.Server.Close()

	b := emulatortest.Start(t, emulator.WithDataDir(dir), emulator.WithRegion("eu-west-1"))
	if got := read(logsIn(b, "eu-west-1")); got != "written before regions" {
		t.Fatalf("after a restart, the default region reads %q", got)
	}
	if got := read(logsIn(b, "us-west-2")); got != "new in us-west-2" {
		t.Fatalf("after a restart, us-west-2 reads %q", got)
	}
}

// A training job created in us-west-2 logs into us-west-2, gets that
// region in its environment, and logtail follows it there end to end;
// eu-west-1 sees none of its logs.
func TestJobLogsInTheJobsRegion(t *testing.T) {
	ep, _ := startProc(t)
	cfg := ep.Config.Copy()
	cfg.Region = "us-west-2"
	c := resources.NewFromConfig(cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	job, err := c.CreateTrainingJob(ctx, shJob("west-logs", `echo hello; echo "region=$AWS_REGION"`, nil, 600))
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var lines []string
	tail := logtail.Follow(logsIn(ep, "us-west-2"), job, func(l logtail.Line) {
		mu.Lock()
		lines = append(lines, l.Message)
		mu.Unlock()
	}, logtail.WithDrainQuiet(50*time.Millisecond))
	if err := job.Wait(ctx, quick, waiters.WithLogs(tail)); err != nil {
		t.Fatalf("wait: %v (reason %q)", err, job.FailureReason)
	}
	mu.Lock()
	got := strings.Join(lines, "\n")
	mu.Unlock()
	for _, want := range []string{"hello", "region=us-west-2"} {
		if !strings.Contains(got, want) {
			t.Errorf("logtail in us-west-2 lacks %q:\n%s", want, got)
		}
	}
	out, err := logsIn(ep, "eu-west-1").DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String(logtail.TrainingJobsGroup)})
	if code, _ := apiError(err); code != "ResourceNotFoundException" {
		t.Fatalf("eu-west-1 sees the job's log group: %v %v", out, err)
	}
}
