package sagemaker

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strconv"

	"github.com/smcore-go/smcore/internal/trainingcontract"
)

// A job of N instances runs as N hosts, algo-1 … algo-N, each a process
// tree of its own with its own /opt/ml tree (<root>/algo-i), config files
// and log stream. The hosts meet on loopback: SM_MASTER_ADDR is 127.0.0.1
// and SM_MASTER_PORT a port that was free when the job started.

// maxHosts bounds the hosts of one job: each is a process tree and a copy
// of its channels on this machine.
const maxHosts = 32

// homogeneousGroup is the instance group SageMaker names in
// resourceconfig.json for a job without InstanceGroups.
const homogeneousGroup = "homogeneousCluster"

// hostPlan is how a job's hosts are spread over its instance groups.
type hostPlan struct {
	hosts  []string // algo-1 … algo-N
	types  []string // each host's instance type
	groups []string // each host's instance group
	config []trainingcontract.InstanceGroup
}

// planHosts reads ResourceConfig: InstanceCount hosts, or the sum of
// InstanceGroups[].InstanceCount, numbered across the groups in order. A
// missing or zero count is one host.
func planHosts(doc map[string]any) (hostPlan, error) {
	rc := asMap(doc["ResourceConfig"])
	type group struct {
		name, typ string
		n         int
	}
	var groups []group
	total := 0
	for _, g := range asList(rc["InstanceGroups"]) {
		gm := asMap(g)
		n, _ := intOf(gm["InstanceCount"])
		n = max(n, 0)
		groups = append(groups, group{str(gm["InstanceGroupName"]), str(gm["InstanceType"]), n})
		total += n
		if total > maxHosts {
			break // the count is refused below; do not add up further
		}
	}
	if len(groups) == 0 {
		n, _ := intOf(rc["InstanceCount"])
		groups = []group{{homogeneousGroup, str(rc["InstanceType"]), max(n, 1)}}
		total = groups[0].n
	}
	if total > maxHosts {
		return hostPlan{}, fmt.Errorf("the job asks for more than %d instances; the local endpoint runs at most %d hosts of a job", maxHosts, maxHosts)
	}
	if total == 0 {
		groups[0].n, total = 1, 1
	}
	p := hostPlan{hosts: trainingcontract.HostNames(total)}
	i := 0
	for _, g := range groups {
		ig := trainingcontract.InstanceGroup{InstanceGroupName: g.name, InstanceType: g.typ, Hosts: []string{}}
		for range g.n {
			ig.Hosts = append(ig.Hosts, p.hosts[i])
			p.types = append(p.types, g.typ)
			p.groups = append(p.groups, g.name)
			i++
		}
		p.config = append(p.config, ig)
	}
	return p, nil
}

// intOf reads a number of a request (a json.Number, or a float64 or int
// of a document made in Go).
func intOf(v any) (int, bool) {
	n, err := strconv.Atoi(fmt.Sprint(v))
	return n, err == nil
}

// channelSpec is a channel of InputDataConfig.
type channelSpec struct {
	name    string
	uri     string
	sharded bool     // ShardedByS3Key
	groups  []string // InstanceGroupNames: the groups that get it (none: every host)
	config  trainingcontract.ChannelConfig
}

func channelSpecs(doc map[string]any) []channelSpec {
	mode := firstNonEmpty(str(asMap(doc["AlgorithmSpecification"])["TrainingInputMode"]), "File")
	var out []channelSpec
	for _, c := range asList(doc["InputDataConfig"]) {
		ch := asMap(c)
		src := asMap(asMap(ch["DataSource"])["S3DataSource"])
		dist := firstNonEmpty(str(src["S3DataDistributionType"]), "FullyReplicated")
		spec := channelSpec{
			name:    str(ch["ChannelName"]),
			uri:     str(src["S3Uri"]),
			sharded: dist == "ShardedByS3Key",
			config: trainingcontract.ChannelConfig{
				TrainingInputMode:  firstNonEmpty(str(ch["InputMode"]), mode),
				S3DistributionType: dist,
				RecordWrapperType:  firstNonEmpty(str(ch["RecordWrapperType"]), "None"),
				ContentType:        str(ch["ContentType"]),
			},
		}
		for _, g := range asList(src["InstanceGroupNames"]) {
			spec.groups = append(spec.groups, str(g))
		}
		out = append(out, spec)
	}
	return out
}

// receivers are the indexes of the hosts that get channel c.
func (c channelSpec) receivers(p hostPlan) []int {
	var out []int
	for i := range p.hosts {
		if len(c.groups) == 0 || slices.Contains(c.groups, p.groups[i]) {
			out = append(out, i)
		}
	}
	return out
}

// shard is the part of a channel's sorted keys the k-th of n receiving
// hosts gets: all of them, or with ShardedByS3Key every n-th from the
// k-th, as SageMaker shards.
func (c channelSpec) shard(keys []string, k, n int) []string {
	if !c.sharded || n <= 1 {
		return keys
	}
	var out []string
	for j := k; j < len(keys); j += n {
		out = append(out, keys[j])
	}
	return out
}

// stageChannels copies each channel's objects into the hosts that get it
// and returns, for each host, its channels' entries in inputdataconfig.json
// and their names in request order.
func (s *Service) stageChannels(ctx context.Context, specs []channelSpec, p hostPlan, layouts []trainingcontract.Layout) ([]map[string]trainingcontract.ChannelConfig, [][]string, error) {
	configs := make([]map[string]trainingcontract.ChannelConfig, len(p.hosts))
	names := make([][]string, len(p.hosts))
	for i := range configs {
		configs[i] = map[string]trainingcontract.ChannelConfig{}
	}
	for _, c := range specs {
		bucket, prefix, keys, err := s.channelKeys(ctx, c.uri)
		if err != nil {
			return nil, nil, fmt.Errorf("channel %s: %w", c.name, err)
		}
		hosts := c.receivers(p)
		for k, i := range hosts {
			if err := s.stage(ctx, bucket, prefix, c.shard(keys, k, len(hosts)), layouts[i].ChannelDir(c.name)); err != nil {
				return nil, nil, fmt.Errorf("channel %s: %w", c.name, err)
			}
			configs[i][c.name] = c.config
			names[i] = append(names[i], c.name)
		}
	}
	return configs, names, nil
}

// channelKeys lists the objects under an s3:// prefix, sorted.
func (s *Service) channelKeys(ctx context.Context, uri string) (bucket, prefix string, keys []string, err error) {
	bucket, prefix, ok := splitS3(uri)
	if !ok {
		return "", "", nil, fmt.Errorf("%q is not an s3:// URI", uri)
	}
	keys, err = s.S3.ListObjects(ctx, bucket, prefix)
	if err != nil {
		return "", "", nil, err
	}
	if len(keys) == 0 {
		return "", "", nil, fmt.Errorf("no object under %s", uri)
	}
	slices.Sort(keys)
	return bucket, prefix, keys, nil
}

// freeLoopbackPort is a TCP port of 127.0.0.1 that is free now: the job's
// SM_MASTER_PORT.
func freeLoopbackPort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("choosing the master port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// loopbackInterface is the name of the loopback interface ("lo" on Linux,
// "lo0" on macOS): the hosts' network_interface_name, since they meet on
// loopback.
func loopbackInterface() string {
	ifaces, _ := net.Interfaces()
	for _, ifc := range ifaces {
		if ifc.Flags&net.FlagLoopback != 0 {
			return ifc.Name
		}
	}
	return "lo"
}

// hostError is a host's failure: the first of a job's hosts to fail.
type hostError struct {
	index int
	err   error
}

func (e *hostError) Error() string { return e.err.Error() }
func (e *hostError) Unwrap() error { return e.err }

// runHosts runs every host's run with ex in parallel. It returns nil when
// every run ends without error; when one fails, it ends the others (their
// process trees, through their context) and returns a *hostError for the
// first to fail. ending is told of each host still running that the
// failure ends.
func runHosts(ctx context.Context, ex Executor, runs []*TrainingRun, logs []func(string), ending func(i int, failed *hostError)) error {
	hctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	type result struct {
		i   int
		err error
	}
	results := make(chan result, len(runs))
	for i, run := range runs {
		go func() { results <- result{i, ex.Run(hctx, run, logs[i])} }()
	}
	running := make([]bool, len(runs))
	for i := range running {
		running[i] = true
	}
	var failed *hostError
	for range runs {
		r := <-results
		running[r.i] = false
		if r.err == nil || failed != nil || ctx.Err() != nil {
			continue
		}
		failed = &hostError{index: r.i, err: r.err}
		cancel(fmt.Errorf("host %s failed", runs[r.i].Host))
		for j, on := range running {
			if on {
				ending(j, failed)
			}
		}
	}
	if failed != nil {
		return failed
	}
	return nil
}
