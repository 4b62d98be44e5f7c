# Shared settings and helpers for the dev cluster scripts (sourced, never run).
# Every path, port and version lives here so up, down, status, restart-apiserver and
# smoke agree. All settings can be overridden from the environment.

CLUSTER_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# --- versions (one k8s.io/kubernetes release; staging modules at the matching v0.Y.Z)
K8S_VERSION=${WAVESYNC_K8S_VERSION:-v1.36.3}
ETCD_VERSION=${WAVESYNC_ETCD_VERSION:-v3.6.16}
KWOK_VERSION=${WAVESYNC_KWOK_VERSION:-v0.8.0}

# --- cache (binaries built once per machine) and state (one running cluster)
CACHE_ROOT=${WAVESYNC_CLUSTER_CACHE:-$HOME/.cache/wavesync/dev-cluster}
GO_VERSION_TAG=$(go env GOVERSION 2>/dev/null || echo nogo)
CACHE_KEY="k8s-${K8S_VERSION}_etcd-${ETCD_VERSION}_kwok-${KWOK_VERSION}_${GO_VERSION_TAG}-$(uname -m)"
BIN_DIR="$CACHE_ROOT/$CACHE_KEY/bin"
STATE_DIR=${WAVESYNC_CLUSTER_STATE:-$HOME/.local/state/wavesync/dev-cluster}
PKI_DIR="$STATE_DIR/pki"
LOG_DIR="$STATE_DIR/logs"
PID_DIR="$STATE_DIR/pids"
KUBECONFIG_CERT="$STATE_DIR/kubeconfig"
KUBECONFIG_TOKEN="$STATE_DIR/kubeconfig-token"
KUBECONFIG_LIMITED="$STATE_DIR/kubeconfig-limited"
AUDIT_LOG="$STATE_DIR/audit/audit.log"

# --- ports, all on 127.0.0.1 (picked away from 6443/2379/10250-10259 so a real
#     cluster or kind on the same machine does not collide)
BIND_ADDRESS=127.0.0.1
APISERVER_PORT=${WAVESYNC_APISERVER_PORT:-16443}
ETCD_CLIENT_PORT=${WAVESYNC_ETCD_CLIENT_PORT:-12379}
ETCD_PEER_PORT=${WAVESYNC_ETCD_PEER_PORT:-12380}
KCM_PORT=${WAVESYNC_KCM_PORT:-20257}
SCHEDULER_PORT=${WAVESYNC_SCHEDULER_PORT:-20259}
KWOK_NODES=${WAVESYNC_KWOK_NODES:-1}
# kwok's kubelet API (pod logs), the port every fake node advertises; next to the
# apiserver's by default, so a second cluster on other ports gets its own.
KWOK_PORT=${WAVESYNC_KWOK_PORT:-$((APISERVER_PORT + 1))}

# --- apiserver load limits (defaults are upstream's). With priority and fairness on
#     (the default) the two are summed into the total seat count, which must be >= 1;
#     WAVESYNC_APISERVER_APF=false switches to the plain max-in-flight filter instead.
#     Note: both filters exempt system:masters, so use kubeconfig-limited to feel them.
MAX_REQUESTS_INFLIGHT=${WAVESYNC_MAX_REQUESTS_INFLIGHT:-400}
MAX_MUTATING_REQUESTS_INFLIGHT=${WAVESYNC_MAX_MUTATING_REQUESTS_INFLIGHT:-200}
APISERVER_APF=${WAVESYNC_APISERVER_APF:-true}
# --- the apiserver's watch cache; WAVESYNC_APISERVER_WATCH_CACHE=false serves every watch from
#     etcd, so one resumed from a compacted resourceVersion gets 410 Gone (the watch cache keeps
#     its own window of events and would answer it)
APISERVER_WATCH_CACHE=${WAVESYNC_APISERVER_WATCH_CACHE:-true}

# Components in start order; down stops them in reverse.
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)

log() { printf '[cluster %3ds] %s\n' "$SECONDS" "$*" >&2; }
die() { printf '[cluster] error: %s\n' "$*" >&2; exit 1; }

# Installs the Debian packages the scripts need, only when a command is missing.
ensure_packages() {
  local missing=() cmd pkg
  for pair in openssl:openssl ss:iproute2 flock:util-linux curl:curl; do
    cmd=${pair%%:*}; pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing packages ${missing[*]}: install them (apt-get install ${missing[*]})"
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
    || die "apt-get install ${missing[*]} failed"
}

# Serialises up, down and restart-apiserver on one state dir (fd 8, released on exit).
lock_state() {
  mkdir -p "$(dirname "$STATE_DIR")"
  exec 8>"$STATE_DIR.lock"
  flock -w 600 8 || die "another up/down/restart-apiserver still holds $STATE_DIR.lock"
}

# True while process $1 exists and is not a zombie (the daemons are reparented to
# init, which may reap them only a second or two after they exit).
alive() {
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

pid_of() { cat "$PID_DIR/$1.pid" 2>/dev/null; }

# True when the saved pid of component $1 is alive and still runs a cached binary of
# that name (guards against a recycled pid after a reboot; any cached version counts,
# so down still stops a cluster started before a version change).
is_running() {
  local pid exe
  pid=$(pid_of "$1") || return 1
  [ -n "$pid" ] && alive "$pid" || return 1
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
  exe=${exe% (deleted)}
  [[ $exe == "$CACHE_ROOT"/*/bin/"$1" ]]
}

# Starts component $1 in the background with the arguments that follow; saves its pid.
start_component() {
  local name=$1; shift
  mkdir -p "$LOG_DIR" "$PID_DIR"
  # setsid: own session, so a Ctrl-C in the calling terminal or a CI step ending does
  # not take the cluster down with it.
  # 8>&- 9>&-: the daemons must not inherit (and so hold forever) the script locks.
  setsid "$BIN_DIR/$name" "$@" >>"$LOG_DIR/$name.log" 2>&1 < /dev/null 8>&- 9>&- &
  local pid=$! i
  echo "$pid" > "$PID_DIR/$name.pid"
  # The pid runs a shell, then setsid, then the binary (each an exec): wait for the
  # last exec so is_running does not mistake the start for an exit.
  for i in $(seq 1 100); do
    [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$BIN_DIR/$name" ] && return 0
    alive "$pid" || return 0
    sleep 0.02
  done
}

# Stops component $1 by its saved pid: TERM, then KILL after $2 seconds (default 10).
# kube-apiserver gets 3 s: it stops listening at once but then waits up to 60 s for
# open watches to drain, and nothing of ours needs that (the audit log is written
# synchronously, etcd keeps the data).
stop_component() {
  local name=$1 grace=${2:-10} pid i
  [ "$name" = kube-apiserver ] && grace=${2:-3}
  if is_running "$name"; then
    pid=$(pid_of "$name")
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 $((grace * 10))); do
      alive "$pid" || break
      sleep 0.1
    done
    alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
  fi
  rm -f "$PID_DIR/$name.pid"
}

# Polls until "$@" succeeds or $1 seconds pass. Usage: wait_for SECONDS WHAT cmd...
wait_for() {
  local timeout=$1 what=$2; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}

kubectl_admin() { "$BIN_DIR/kubectl" --kubeconfig="$KUBECONFIG_CERT" "$@"; }

# The apiserver's flags, in one place: up and restart-apiserver both use them.
apiserver_flags() {
  local flags=(
    --etcd-servers="http://$BIND_ADDRESS:$ETCD_CLIENT_PORT"
    --bind-address="$BIND_ADDRESS"
    --advertise-address="$BIND_ADDRESS"
    --secure-port="$APISERVER_PORT"
    --cert-dir="$STATE_DIR/apiserver"
    --tls-cert-file="$PKI_DIR/apiserver.crt"
    --tls-private-key-file="$PKI_DIR/apiserver.key"
    --client-ca-file="$PKI_DIR/ca.crt"
    --token-auth-file="$PKI_DIR/tokens.csv"
    --service-account-issuer=https://kubernetes.default.svc.cluster.local
    --service-account-key-file="$PKI_DIR/sa.pub"
    --service-account-signing-key-file="$PKI_DIR/sa.key"
    --service-cluster-ip-range=10.96.0.0/16
    --authorization-mode=Node,RBAC
    --disable-admission-plugins=ServiceAccount
    --endpoint-reconciler-type=none
    --allow-privileged=true
    --profiling=false
    --audit-policy-file="$CLUSTER_DIR/audit-policy.yaml"
    --audit-log-path="$AUDIT_LOG"
    --audit-log-format=json
    --audit-log-mode=blocking
    --audit-log-maxsize=200
    --audit-log-maxbackup=1
    --max-requests-inflight="$MAX_REQUESTS_INFLIGHT"
    --max-mutating-requests-inflight="$MAX_MUTATING_REQUESTS_INFLIGHT"
    --enable-priority-and-fairness="$APISERVER_APF"
    --watch-cache="$APISERVER_WATCH_CACHE"
    # pod logs: the "kubelet" is kwok's server, at the node's InternalIP (127.0.0.1) and
    # status.daemonEndpoints port; its serving certificate is checked against our CA
    --kubelet-client-certificate="$PKI_DIR/apiserver-kubelet-client.crt"
    --kubelet-client-key="$PKI_DIR/apiserver-kubelet-client.key"
    --kubelet-certificate-authority="$PKI_DIR/ca.crt"
    --kubelet-preferred-address-types=InternalIP
  )
  printf '%s\n' "${flags[@]}"
}

# The apiserver flags restart-apiserver may change on purpose (load settings, watch cache).
LOAD_FLAGS_RE='^--(max-requests-inflight|max-mutating-requests-inflight|enable-priority-and-fairness|watch-cache)='

# kwok's flags, in one place. --server-address serves the kubelet API (container logs
# from the ClusterLogs in kwok.yaml) over TLS; --node-ip/--node-port are what new fake
# nodes advertise (up also patches existing ones).
kwok_flags() {
  local flags=(
    --kubeconfig="$STATE_DIR/kwok.kubeconfig"
    --config="$STATE_DIR/kwok.yaml"
    --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake
    --node-lease-duration-seconds=40
    --cidr=10.244.0.0/16
    --server-address="$BIND_ADDRESS:$KWOK_PORT"
    --tls-cert-file="$PKI_DIR/kwok-serving.crt"
    --tls-private-key-file="$PKI_DIR/kwok-serving.key"
    --node-ip="$BIND_ADDRESS"
    --node-port="$KWOK_PORT"
  )
  printf '%s\n' "${flags[@]}"
}

# The arguments the running component $1 was started with, one per line.
running_flags() {
  local pid
  pid=$(pid_of "$1") || return 1
  tail -z -n +2 "/proc/$pid/cmdline" 2>/dev/null | tr '\0' '\n'
}

# True when running component $1 has the flags that "$2" (a function) prints, the load
# settings aside (restart-apiserver changes those on purpose).
runs_with_flags() {
  cmp -s <(running_flags "$1" | grep -Ev "$LOAD_FLAGS_RE") <("$2" | grep -Ev "$LOAD_FLAGS_RE")
}
