# Front door. `make demo` and `make test` set up everything on a fresh Debian 12 machine.
BUILD ?= build
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo
JOBS ?= $(shell nproc)

.PHONY: all setup build unit e2e test demo bench cluster-up cluster-down clean

all: build

setup:
	@bash .ci/setup

build: setup
	@cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

unit: build
	$(BUILD)/test/wavesync_tests

e2e: build
	bash test/e2e/run

test: unit

demo: build
	bash examples/demo.sh

# Benchmarks against a private local control plane (test/bench/run.py); not part of `make test`.
# BENCH_RUNS=5 runs per tool, BENCH_PEER_RUNS_W3=3 for kubectl and kpt on the 10,000-object workload.
BENCH_BUILD ?= build/release
bench: setup
	@cmake -S . -B $(BENCH_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BENCH_BUILD) -j $(JOBS) --target wavesync
	python3 test/bench/run.py --wavesync $(BENCH_BUILD)/cli/wavesync --out build/bench

cluster-up: setup
	bash test/cluster/up

cluster-down:
	bash test/cluster/down

clean:
	rm -rf $(BUILD)
