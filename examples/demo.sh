#!/usr/bin/env bash
# make demo: start the local control plane (test/cluster) and deploy ./manifests to it,
# wave by wave, with the live progress view, the summary table and a timeline picture.
# Never touches the user's kubeconfig or current context: every command gets the dev
# cluster's kubeconfig explicitly.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
WAVESYNC="$BUILD/cli/wavesync"
[ -x "$WAVESYNC" ] || { echo "demo: $WAVESYNC is not built: run make demo" >&2; exit 2; }

echo "demo: starting the local control plane (test/cluster/up; the first run builds it)" >&2
# up prints the admin kubeconfig's path as its last line of stdout.
KUBECONFIG_DEMO=$(bash test/cluster/up | tail -n 1)
[ -f "$KUBECONFIG_DEMO" ] || { echo "demo: test/cluster/up gave no kubeconfig" >&2; exit 1; }
KUBECTL_DEMO=$(bash test/cluster/env | sed -n 's/^export WAVESYNC_KUBECTL=//p')

# The live progress view on a terminal, timestamped lines otherwise; the summary table
# at the end; the timeline picture of the run.
mkdir -p "$BUILD/demo"
status=0
"$WAVESYNC" apply manifests --kubeconfig "$KUBECONFIG_DEMO" \
  --timeline "$BUILD/demo/timeline.svg" || status=$?
echo "demo: timeline of the run: $BUILD/demo/timeline.svg" >&2

cat >&2 <<END

demo: the demo cluster is running; your own kubeconfig and context were not touched.
  look at it:   export KUBECONFIG=$KUBECONFIG_DEMO
                kubectl get all -n shop        (or: $KUBECTL_DEMO --kubeconfig $KUBECONFIG_DEMO ...)
  status:       $WAVESYNC status manifests --kubeconfig $KUBECONFIG_DEMO
  stop it:      make cluster-down
END
exit "$status"
