package resource

import (
	"strings"
	"testing"

	"github.com/smcore-go/smcore/gen/model"
	"github.com/smcore-go/smcore/internal/testmodel"
)

func pinned(t *testing.T) (*model.Service, *Set) {
	t.Helper()
	svc := testmodel.Pinned(t)
	ov, err := DefaultOverrides()
	if err != nil {
		t.Fatal(err)
	}
	set, err := Discover(svc, ov)
	if err != nil {
		t.Fatal(err)
	}
	return svc, set
}

// TestWellKnownResources pins what discovery derives for resources whose
// facts are known from the API reference and the anchors' research.
func TestWellKnownResources(t *testing.T) {
	svc, set := pinned(t)
	byName := map[string]*Resource{}
	for _, r := range set.Resources {
		byName[r.Name] = r
	}
	type want struct {
		ids     string
		status  string
		second  string
		reason  string
		classes map[string]Class
		methods string // kinds that must be there, comma-separated Go names
	}
	table := map[string]want{
		"TrainingJob": {"TrainingJobName", "TrainingJobStatus", "SecondaryStatus", "FailureReason",
			map[string]Class{"InProgress": Transitional, "Completed": Success, "Failed": Failure, "Stopping": Transitional, "Stopped": Stopped, "Deleting": Deleting}, "Create,Delete,List,Stop,Update"},
		"ProcessingJob": {"ProcessingJobName", "ProcessingJobStatus", "", "FailureReason", map[string]Class{"Completed": Success, "Failed": Failure, "Stopped": Stopped}, "Create,Stop,List"},
		"TransformJob":  {"TransformJobName", "TransformJobStatus", "", "FailureReason", map[string]Class{"Completed": Success, "Stopped": Stopped}, "Create,Stop,List"},
		"Endpoint": {"EndpointName", "EndpointStatus", "", "FailureReason",
			map[string]Class{"InService": Success, "Creating": Transitional, "Updating": Transitional, "RollingBack": Transitional, "Deleting": Deleting, "Failed": Failure, "UpdateRollbackFailed": Failure}, "Create,Delete,Update,UpdateWeightsAndCapacities"},
		"EndpointConfig": {"EndpointConfigName", "", "", "", nil, "Create,Delete,List"},
		"Model":          {"ModelName", "", "", "", nil, "Create,Delete,List"},
		"NotebookInstance": {"NotebookInstanceName", "NotebookInstanceStatus", "", "FailureReason",
			map[string]Class{"Pending": Transitional, "InService": Success, "Stopped": Stopped, "Failed": Failure, "Deleting": Deleting}, "Create,Delete,Start,Stop,Update"},
		"TrialComponent": {"TrialComponentName", "Status.PrimaryStatus", "", "Status.Message", map[string]Class{"Completed": Success, "Failed": Failure}, "Create,Delete,Associate,Disassociate"},
		"Workforce":      {"WorkforceName", "Workforce.Status", "", "Workforce.FailureReason", map[string]Class{"Active": Success, "Deleting": Deleting}, "Create,Delete,Update"},
		"Workteam":       {"WorkteamName", "", "", "", nil, "Create,Delete,Update,ListLabelingJobs"},
		"HubContent":     {"HubName,HubContentType,HubContentName", "HubContentStatus", "", "FailureReason", nil, "Import,Delete"},
		"Image":          {"ImageName", "ImageStatus", "", "FailureReason", map[string]Class{"CREATED": Success, "CREATE_FAILED": Failure, "DELETE_FAILED": DeleteFailed, "DELETING": Deleting, "UPDATING": Transitional}, "Create,Delete,Update"},
		"ImageVersion":   {"ImageName", "ImageVersionStatus", "", "FailureReason", map[string]Class{"CREATED": Success, "DELETE_FAILED": DeleteFailed}, "Create,Delete"},
		"FeatureGroup":   {"FeatureGroupName", "FeatureGroupStatus", "", "FailureReason", map[string]Class{"Created": Success, "CreateFailed": Failure, "DeleteFailed": DeleteFailed, "Deleting": Deleting}, "Create,Delete,Update"},
		"HyperParameterTuningJob": {"HyperParameterTuningJobName", "HyperParameterTuningJobStatus", "", "FailureReason",
			map[string]Class{"Completed": Success, "DeleteFailed": DeleteFailed, "Stopped": Stopped}, "Create,Delete,Stop,ListTrainingJobs"},
		"AutoMLJob":                   {"AutoMLJobName", "AutoMLJobStatus", "AutoMLJobSecondaryStatus", "FailureReason", nil, "Create,Stop,ListCandidates"},
		"Domain":                      {"DomainId", "Status", "", "FailureReason", map[string]Class{"InService": Success, "Delete_Failed": DeleteFailed, "Update_Failed": Failure}, "Create,Delete,Update"},
		"App":                         {"DomainId,AppType,AppName", "Status", "", "FailureReason", map[string]Class{"Deleted": Deleted, "InService": Success}, "Create,Delete"},
		"Pipeline":                    {"PipelineName", "PipelineStatus", "", "", nil, "Create,Delete,Update"},
		"PipelineExecution":           {"PipelineExecutionArn", "PipelineExecutionStatus", "", "FailureReason", map[string]Class{"Executing": Transitional, "Succeeded": Success, "Stopped": Stopped}, "StartPipelineExecution,Stop,Retry,ListSteps,DescribePipelineDefinition"},
		"MlflowTrackingServer":        {"TrackingServerName", "TrackingServerStatus", "", "", nil, "Create,Delete,Start,Stop,Update"},
		"Cluster":                     {"ClusterName", "ClusterStatus", "", "", map[string]Class{"InService": Success, "SystemUpdating": Transitional}, "Create,Delete,Update,BatchDeleteNodes"},
		"InferenceComponent":          {"InferenceComponentName", "InferenceComponentStatus", "", "FailureReason", nil, "Create,Delete,Update,UpdateRuntimeConfig"},
		"InferenceRecommendationsJob": {"JobName", "Status", "", "FailureReason", map[string]Class{"DELETED": Deleted, "COMPLETED": Success}, "Create,Stop,ListSteps"},
		"ModelPackage":                {"ModelPackageName", "ModelPackageStatus", "", "", nil, "Create,Delete,Update"},
		"SubscribedWorkteam":          {"WorkteamArn", "", "", "", nil, ""},
	}
	if len(table) < 20 {
		t.Fatal("keep at least 20 resources in this table")
	}
	for name, w := range table {
		r := byName[name]
		if r == nil {
			t.Errorf("%s: not discovered", name)
			continue
		}
		var ids []string
		for _, id := range r.Identifiers {
			ids = append(ids, id.Name)
		}
		if got := strings.Join(ids, ","); got != w.ids {
			t.Errorf("%s: identifiers %s, want %s", name, got, w.ids)
		}
		status := ""
		if r.Status != nil {
			status = strings.Join(r.Status.Path, ".")
		}
		if status != w.status {
			t.Errorf("%s: status %q, want %q", name, status, w.status)
		}
		if got := strings.Join(r.Secondary, "."); got != w.second {
			t.Errorf("%s: secondary status %q, want %q", name, got, w.second)
		}
		if got := strings.Join(r.Reason, "."); got != w.reason {
			t.Errorf("%s: reason %q, want %q", name, got, w.reason)
		}
		for v, c := range w.classes {
			if got, ok := r.Status.Classes[v]; !ok || got != c {
				t.Errorf("%s: status %s is %v, want %v", name, v, got, c)
			}
		}
		for _, m := range strings.Split(w.methods, ",") {
			if m == "" {
				continue
			}
			found := false
			for _, have := range r.Methods {
				if have.Name == m || have.Op.Name == m {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: no method %s", name, m)
			}
		}
		if r.Describe == nil && w.ids != "" && name != "SubscribedWorkteam" {
			t.Errorf("%s: no Describe", name)
		}
	}
	// Object methods must fill the identifiers.
	if m := byName["TrainingJob"].Method(KindStop); m == nil || !m.Object {
		t.Error("TrainingJob.Stop must be an object method")
	}
	if m := byName["PipelineExecution"].Method(KindCreate); m == nil || m.Op.Name != "StartPipelineExecution" || m.Object {
		t.Error("StartPipelineExecution must create a PipelineExecution")
	}
	c, n := set.Coverage(svc)
	if c != n {
		t.Errorf("coverage %d/%d", c, n)
	}
	if len(set.Warnings) > 1 {
		t.Errorf("warnings: %v", set.Warnings)
	}
}

// TestSageMakerCoreResources: every resource sagemaker-core 1.0.78
// generates and the model still has is discovered.
func TestSageMakerCoreResources(t *testing.T) {
	_, set := pinned(t)
	have := map[string]bool{}
	for _, r := range set.Resources {
		have[r.Name] = true
	}
	for _, n := range strings.Fields(`Action Algorithm App AppImageConfig Artifact Association AutoMLJob AutoMLJobV2 Cluster
		ClusterSchedulerConfig CodeRepository CompilationJob ComputeQuota Context DataQualityJobDefinition Device DeviceFleet
		Domain EdgeDeploymentPlan EdgePackagingJob Endpoint EndpointConfig Experiment FeatureGroup FeatureMetadata
		FlowDefinition Hub HubContent HubContentReference HumanTaskUi HyperParameterTuningJob Image ImageVersion
		InferenceComponent InferenceExperiment InferenceRecommendationsJob LabelingJob LineageGroup MlflowApp
		MlflowTrackingServer Model ModelBiasJobDefinition ModelCard ModelCardExportJob ModelExplainabilityJobDefinition
		ModelPackage ModelPackageGroup ModelQualityJobDefinition MonitoringAlert MonitoringExecution MonitoringSchedule
		NotebookInstance NotebookInstanceLifecycleConfig OptimizationJob PartnerApp Pipeline PipelineExecution
		ProcessingJob Project Space StudioLifecycleConfig SubscribedWorkteam TrainingJob TrainingPlan TransformJob
		Trial TrialComponent UserProfile Workforce Workteam`) {
		if !have[n] {
			t.Errorf("%s not discovered", n)
		}
	}
}

func TestClassify(t *testing.T) {
	for v, want := range map[string]Class{
		"Failed": Failure, "FAILED": Failure, "CreateFailed": Failure, "CREATE_FAILED": Failure, "UpdateRollbackFailed": Failure,
		"DELETE_FAILED": DeleteFailed, "DeleteFailed": DeleteFailed, "Delete_Failed": DeleteFailed,
		"Stopped": Stopped, "Cancelled": Stopped, "Deleting": Deleting, "DELETING": Deleting, "Deleted": Deleted,
		"InService": Success, "Completed": Success, "InProgress": Transitional, "IN_PROGRESS": Transitional,
	} {
		if got, known := Classify(v); got != want || !known {
			t.Errorf("Classify(%q) = %v, %v; want %v", v, got, known, want)
		}
	}
	if c, known := Classify("Teleporting"); known || c != Transitional {
		t.Errorf("unknown status: %v %v", c, known)
	}
}

func TestOverridesMustMatchModel(t *testing.T) {
	svc, _ := pinned(t)
	ov, _ := DefaultOverrides()
	ov.Operations["DescribeNoSuchThing"] = ov.Operations["DescribePipelineDefinitionForExecution"]
	if _, err := Discover(svc, ov); err == nil || !strings.Contains(err.Error(), "DescribeNoSuchThing") {
		t.Fatalf("a stale override must fail discovery: %v", err)
	}
	ov, _ = DefaultOverrides()
	nf := ov.NotFound["TrainingJob"]
	ov.NotFound["NoSuchResource"] = nf
	if _, err := Discover(svc, ov); err == nil || !strings.Contains(err.Error(), "NoSuchResource") {
		t.Fatalf("a stale not-found rule must fail discovery: %v", err)
	}
}

func TestEveryOverrideHasReasonAndSource(t *testing.T) {
	ov, err := DefaultOverrides()
	if err != nil {
		t.Fatal(err)
	}
	check := func(what, reason, source string) {
		if reason == "" || source == "" {
			t.Errorf("%s: needs a reason and a source", what)
		}
	}
	check("notFoundDefault", ov.NotFoundDefault.Reason, ov.NotFoundDefault.Source)
	for k, v := range ov.NotFound {
		check("notFound."+k, v.Reason, v.Source)
	}
	for k, v := range ov.Operations {
		check("operations."+k, v.Reason, v.Source)
	}
	for k, v := range ov.ExtraResources {
		check("extraResources."+k, v.Reason, v.Source)
	}
}
