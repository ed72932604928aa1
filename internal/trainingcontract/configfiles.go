package trainingcontract

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// ResourceConfig is /opt/ml/input/config/resourceconfig.json: the host
// the container runs on and the job's hosts.
type ResourceConfig struct {
	CurrentHost          string          `json:"current_host"`
	CurrentInstanceType  string          `json:"current_instance_type"`
	CurrentGroupName     string          `json:"current_group_name"`
	Hosts                []string        `json:"hosts"`
	InstanceGroups       []InstanceGroup `json:"instance_groups"`
	NetworkInterfaceName string          `json:"network_interface_name"`
}

// InstanceGroup is one group of a heterogeneous cluster in
// resourceconfig.json.
type InstanceGroup struct {
	InstanceGroupName string   `json:"instance_group_name"`
	InstanceType      string   `json:"instance_type"`
	Hosts             []string `json:"hosts"`
}

// ChannelConfig is a channel's entry in inputdataconfig.json.
type ChannelConfig struct {
	TrainingInputMode  string `json:"TrainingInputMode"`
	S3DistributionType string `json:"S3DistributionType,omitempty"`
	RecordWrapperType  string `json:"RecordWrapperType,omitempty"`
	ContentType        string `json:"ContentType,omitempty"`
}

// Config is what SageMaker writes into a host's input/config folder.
type Config struct {
	HyperParameters map[string]string
	Resource        ResourceConfig
	InputData       map[string]ChannelConfig
	// JobName goes into trainingjobconfig.json.
	JobName string
}

// Files are the config files by name, as SageMaker writes them.
func (c Config) Files() (map[string][]byte, error) {
	hps := c.HyperParameters
	if hps == nil {
		hps = map[string]string{}
	}
	in := c.InputData
	if in == nil {
		in = map[string]ChannelConfig{}
	}
	rc := c.Resource
	if rc.Hosts == nil {
		rc.Hosts = []string{}
	}
	if rc.InstanceGroups == nil {
		rc.InstanceGroups = []InstanceGroup{}
	}
	files := map[string]any{
		"hyperparameters.json":   hps,
		"resourceconfig.json":    rc,
		"inputdataconfig.json":   in,
		"trainingjobconfig.json": map[string]string{"TrainingJobName": c.JobName},
	}
	out := make(map[string][]byte, len(files))
	for name, v := range files {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("trainingcontract: %s: %w", name, err)
		}
		out[name] = b
	}
	return out, nil
}

// WriteConfig writes the config files into l's input/config folder.
func (l Layout) WriteConfig(c Config) error {
	files, err := c.Files()
	if err != nil {
		return err
	}
	dir := l.InputConfigDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// ToolkitEnv is the environment the SageMaker training toolkit gives a
// script, for a job that brings no driver of its own: the layout's paths,
// channels, hyperparameters and hosts. The local endpoint's process
// executor gives it to every job; smcore's driver computes the same
// values itself, so a job runs the same with or without it.
func ToolkitEnv(l Layout, c Config) []string {
	env := l.Env()
	var channels []string
	for name := range c.InputData {
		channels = append(channels, name)
	}
	sortStrings(channels)
	chJSON, _ := json.Marshal(nonNil(channels))
	env = append(env, "SM_CHANNELS="+string(chJSON))
	for _, name := range channels {
		env = append(env, "SM_CHANNEL_"+EnvName(name)+"="+l.ChannelDir(name))
	}
	hps := c.HyperParameters
	if hps == nil {
		hps = map[string]string{}
	}
	hpJSON, _ := json.Marshal(hps)
	env = append(env, "SM_HPS="+string(hpJSON))
	for _, k := range sortedKeys(hps) {
		env = append(env, "SM_HP_"+EnvName(k)+"="+hps[k])
	}
	hosts := append([]string(nil), c.Resource.Hosts...)
	SortHosts(hosts)
	hostsJSON, _ := json.Marshal(nonNil(hosts))
	rank := 0
	for i, h := range hosts {
		if h == c.Resource.CurrentHost {
			rank = i
		}
	}
	env = append(env,
		"SM_CURRENT_HOST="+c.Resource.CurrentHost,
		"SM_CURRENT_INSTANCE_TYPE="+c.Resource.CurrentInstanceType,
		"SM_HOSTS="+string(hostsJSON),
		fmt.Sprintf("SM_HOST_COUNT=%d", len(hosts)),
		fmt.Sprintf("SM_CURRENT_HOST_RANK=%d", rank),
		"TRAINING_JOB_NAME="+c.JobName,
	)
	return env
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
