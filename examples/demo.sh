#!/usr/bin/env bash
# make demo: plan (and, once the local cluster lands, apply) ./manifests.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
"$BUILD/cli/wavesync" plan manifests
