# Front door. `make demo` and `make test` set up everything on a fresh Debian 12 machine.
BUILD ?= build
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo
JOBS ?= $(shell nproc)
# ccache (installed by .ci/setup) makes rebuilds of a fresh clone cheap on a machine that built before.
# Paths are hashed relative to the checkout, so another clone of the same commit hits the cache.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1
# Decided when a recipe runs, after `setup` has installed ccache: deciding it when make reads
# this file would configure a fresh machine's first build without ccache and the next with it,
# compiling everything twice.
LAUNCHER = $$(command -v ccache >/dev/null 2>&1 && echo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

.PHONY: all setup build unit differential e2e sanitized-build fuzz test-sanitize test demo bench cluster-up cluster-down clean install package

all: build

setup:
	@bash .ci/setup

build: setup
	@cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS) $(LAUNCHER) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

unit: build
	python3 test/tools/check_layers.py
	$(BUILD)/test/wavesync_tests

# wavesync's manifest reader against kubectl's (test/yamlref, built with Go) on the YAML test
# suite, test/manifest/differential/ and the fuzz corpus: zero differences (test/manifest/differential.py).
differential: build
	python3 test/manifest/differential.py --reader $(BUILD)/test/wavesync_read_manifest

e2e: build
	bash test/e2e/run

# Everything: the unit tests, the differential test against kubectl's reader, the real-cluster e2e suite, bounded fuzzing, then the unit tests
# and the e2e suite again against an ASan+UBSan build.
test: unit differential e2e fuzz test-sanitize

# One clang build with ASan+UBSan (and libFuzzer coverage) serves both the fuzz targets and
# test-sanitize, so the libraries are compiled once for both.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
sanitized-build: setup
	@CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWAVESYNC_FUZZ=ON $(LAUNCHER) >/dev/null

# libFuzzer targets for FUZZ_SECONDS each over test/fuzz/corpus; see test/fuzz/run.
fuzz: sanitized-build
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target wavesync_fuzz_manifest wavesync_fuzz_health wavesync_fuzz_lua
	bash test/fuzz/run $(FUZZ_BUILD) $(FUZZ_SECONDS)

# The unit suite, then the real-cluster e2e suite (kube client, CLI checks, pytest modules in
# SANITIZE_E2E: all by default) with the sanitized binaries. Any ASan, LSan or UBSan report
# ends the process with an error, which fails the test that ran it.
SANITIZE_E2E ?=
export ASAN_OPTIONS ?= detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1
test-sanitize: sanitized-build
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target wavesync_tests wavesync wavesync_kube_e2e
	$(FUZZ_BUILD)/test/wavesync_tests
	BUILD=$(FUZZ_BUILD) WAVESYNC_BIN=$(CURDIR)/$(FUZZ_BUILD)/cli/wavesync bash test/e2e/run $(if $(SANITIZE_E2E),-k "$(SANITIZE_E2E)")

# Installs bin/wavesync, the bash/zsh/fish completions and the man page under PREFIX.
PREFIX ?= /usr/local
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

# A Debian package of the same layout under $(BUILD)/package (CPack; Depends from dpkg-shlibdeps).
package: build
	@cmake -S . -B $(BUILD) >/dev/null  # picks up a new commit for the package version
	@cmake --build $(BUILD) -j $(JOBS) --target wavesync
	cd $(BUILD) && cpack -G DEB
	@ls $(BUILD)/package/*.deb

demo: build
	bash examples/demo.sh

# Benchmarks against a private local control plane (test/bench/run.py); not part of `make test`.
# BENCH_RUNS=5 runs per tool, BENCH_PEER_RUNS_W3=3 for kubectl and kpt on the 10,000-object workload.
BENCH_BUILD ?= build/release
# `wavesync plan` of 10,000 objects is timed beside this revision, built in build/plan-baseline
# (issue 18's starting point: yaml-cpp, manifests kept as trees).
BENCH_PLAN_BASELINE ?= 7773ce9
bench: setup
	@cmake -S . -B $(BENCH_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BENCH_BUILD) -j $(JOBS) --target wavesync wavesync_health_bench
	$(BENCH_BUILD)/test/wavesync_health_bench 10000
	python3 test/bench/plan_speed.py --wavesync $(BENCH_BUILD)/cli/wavesync --baseline-rev $(BENCH_PLAN_BASELINE) --out build/bench
	python3 test/bench/run.py --wavesync $(BENCH_BUILD)/cli/wavesync --out build/bench

cluster-up: setup
	bash test/cluster/up

cluster-down:
	bash test/cluster/down

clean:
	rm -rf $(BUILD)
