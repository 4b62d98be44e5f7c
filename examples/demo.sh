#!/usr/bin/env bash
# make demo: start the local control plane (test/cluster) and deploy ./manifests to it,
# wave by wave, with the live progress view. Never touches the user's kubeconfig or
# current context: every command gets the dev cluster's kubeconfig explicitly.
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

"$WAVESYNC" plan manifests

if "$WAVESYNC" apply --help >/dev/null 2>&1; then
  args=(apply manifests --kubeconfig "$KUBECONFIG_DEMO")
  if "$WAVESYNC" apply --help 2>&1 | grep -q -- '--timeline'; then
    mkdir -p "$BUILD/demo"
    args+=(--timeline "$BUILD/demo/timeline.svg")
  fi
  status=0
  "$WAVESYNC" "${args[@]}" || status=$?
  if [ -f "$BUILD/demo/timeline.svg" ]; then
    echo "demo: timeline of the run: $BUILD/demo/timeline.svg" >&2
  fi
else
  echo "demo: this build has no 'wavesync apply' yet; showing the plan only" >&2
  status=0
fi

cat >&2 <<END

demo: the demo cluster is running; your own kubeconfig and context were not touched.
  look at it:   export KUBECONFIG=$KUBECONFIG_DEMO
                kubectl get all -n shop        (or: $KUBECTL_DEMO --kubeconfig $KUBECONFIG_DEMO ...)
  status:       $WAVESYNC status manifests --kubeconfig $KUBECONFIG_DEMO
  stop it:      make cluster-down
END
exit "$status"
