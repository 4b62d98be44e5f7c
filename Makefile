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

cluster-up: setup
	bash test/cluster/up

cluster-down:
	bash test/cluster/down

clean:
	rm -rf $(BUILD)
