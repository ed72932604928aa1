package generate

import (
	"testing"

	"github.com/smcore-go/smcore/gen/emit"
	"github.com/smcore-go/smcore/gen/modelsrc"
	"github.com/smcore-go/smcore/gen/sdkinfo"
)

// BenchmarkGeneratePinned times a whole run on the pinned model, writing
// nothing: load, SDK types, discovery and plan, and every emitter. It is
// the generation time the plan stage must not make worse.
func BenchmarkGeneratePinned(b *testing.B) {
	dir, err := modelsrc.Pinned()
	if err != nil {
		b.Skip(err)
	}
	sdkDir, _, err := sdkinfo.Find()
	if err != nil {
		b.Skip(err)
	}
	opt := Options{Model: dir, SDKDir: sdkDir, DryRun: true, StrictSDK: true, StrictOverrides: true,
		Origin: emit.Origin{Version: "botocore " + modelsrc.PinnedBotocore, Name: "botocore/data/sagemaker/2017-07-24/"}}
	for b.Loop() {
		if _, err := Run(opt); err != nil {
			b.Fatal(err)
		}
	}
}
