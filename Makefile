# smcore — see README.md.
GO      ?= go
MODEL   ?=
# A count, not a duration: Go 1.26's fuzz coordinator can fail a target
# with a bare "context deadline exceeded" when a -fuzztime duration ends
# while a worker is busy (go.dev/issue/75804, fixed in Go 1.27). 200,000
# inputs take about 5-10 s per target here.
FUZZTIME ?= 200000x
FUZZTIME_EXTRACT ?= 20000x
TESTFLAGS ?=

# Library packages: they must never import gen, emulator or CLI code.
LIBS := ./shapes ./resources ./waiters ./highlevel ./smconfig ./logtail

.PHONY: demo generate test check fuzz bench apidiff apidiff-update

## demo: a real training job end to end on the local endpoint, in-process:
## ModelTrainer uploads a script, its data and a local requirement, the job
## runs, its logs and metrics print, the model is downloaded and checked.
## Needs python3 with venv (Debian: python3-venv); no AWS account.
demo:
	$(GO) run ./examples/demo

## generate: regenerate every package from the pinned model (or MODEL=path).
generate:
ifeq ($(MODEL),)
	$(GO) run ./tools/smgen -report docs/shapes-report.md
else
	$(GO) run ./tools/smgen -model $(MODEL)
endif

## test: unit, golden, property and wire tests, then a short fuzz of every loader.
## TESTFLAGS adds go test flags (CI: -p=1, see .ci/run).
test:
	$(GO) test -timeout 30m $(TESTFLAGS) ./...
	$(MAKE) fuzz

fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParseBotocore$$' -fuzztime $(FUZZTIME) ./gen/model
	$(GO) test -run '^$$' -fuzz '^FuzzParseSmithy$$' -fuzztime $(FUZZTIME) ./gen/model
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) ./emulator/wire
	$(GO) test -run '^$$' -fuzz '^FuzzToJSON$$' -fuzztime $(FUZZTIME) ./internal/yamljson
	$(GO) test -run '^$$' -fuzz '^FuzzReformat$$' -fuzztime $(FUZZTIME) ./internal/pyjson
	# Every input of FuzzExtract unpacks into a fresh folder (kernel time):
	# a tenth of the count costs what the others do.
	$(GO) test -run '^$$' -fuzz '^FuzzExtract$$' -fuzztime $(FUZZTIME_EXTRACT) ./internal/archive

## check: formatting, vet, generated code up to date, library import rule.
check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run ./tools/smgen -report docs/shapes-report.md
	@if [ -n "$$(git status --porcelain -- 'shapes/zz_*' 'resources/zz_*' 'emulator/zz_*' docs/shapes-report.md docs/coverage.md)" ]; then \
		echo "generated code is stale: run 'make generate' and commit"; git status --short -- shapes resources emulator docs; git diff --stat -- shapes resources emulator docs; exit 1; fi
	$(GO) test -run TestLibraryImports ./internal/layering

## bench: generator timings and the build-cost comparison.
bench:
	$(GO) test -run '^$$' -bench . -benchtime 5x ./gen/...
	bash bench/buildcost.sh
	$(GO) run ./bench/resourcecost -repeats 5

## apidiff: the exported API of the library packages (and logtail) against the
## committed listing api/*.txt: golang.org/x/exp/apidiff's report of
## incompatible and compatible changes, and a failure when api/ is stale.
## BASE=ref compares against any commit. See docs/updating.md.
apidiff:
	GO=$(GO) BASE=$(BASE) bash tools/apidiff.sh

## apidiff-update: rewrite api/*.txt after a reviewed API change.
apidiff-update:
	GO=$(GO) UPDATE=1 bash tools/apidiff.sh
