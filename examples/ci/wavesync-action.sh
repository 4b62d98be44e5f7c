#!/usr/bin/env bash
# The script behind action.yml, usable as a plain CI step anywhere (GitLab CI runs it too):
# installs wavesync when it is not on PATH, then runs `wavesync apply` with the INPUT_*
# variables and writes the JUnit report, the timeline and the run report to INPUT_REPORT_DIR.
# Exit code: wavesync's own (0 healthy, 1 failed, 2 bad input, 3 timeout, 4 cluster access,
# 5 held for confirmation); 10 when wavesync cannot be installed.
set -uo pipefail

path=${INPUT_PATH:-manifests}
timeout=${INPUT_TIMEOUT:-10m}
prune=${INPUT_PRUNE:-false}
report_dir=${INPUT_REPORT_DIR:-wavesync-report}
source_dir=${WAVESYNC_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}

say() { echo "wavesync-action: $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_package() {
  local deb=$1
  if [[ $deb == https://* ]]; then
    local tmp
    tmp=$(mktemp -d)
    curl -fsSL --retry 3 -o "$tmp/wavesync.deb" "$deb" || { say "cannot download $deb"; return 1; }
    deb=$tmp/wavesync.deb
  fi
  [ -f "$deb" ] || { say "package $deb does not exist"; return 1; }
  # apt-get resolves the package's Depends (libcurl, yaml-cpp, fmt) from the distribution.
  as_root apt-get install -y -qq "$(realpath "$deb")" >/dev/null || { say "cannot install $deb"; return 1; }
}

build_from_source() {
  say "building wavesync from $source_dir (Release)"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends cmake ninja-build g++ pkg-config git libyaml-cpp-dev libcurl4-openssl-dev \
    libssl-dev libcli11-dev libfmt-dev catch2 nlohmann-json3-dev >/dev/null || return 1
  local build=${RUNNER_TEMP:-/tmp}/wavesync-build
  cmake -S "$source_dir" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null &&
    cmake --build "$build" --target wavesync >/dev/null &&
    as_root cmake --install "$build" --prefix /usr/local >/dev/null
}

if [ -n "${INPUT_PACKAGE:-}" ]; then
  install_package "$INPUT_PACKAGE" || exit 10
elif ! command -v wavesync >/dev/null 2>&1; then
  build_from_source || { say "cannot build wavesync"; exit 10; }
fi
say "$(wavesync version)"

mkdir -p "$report_dir"
args=(apply --timeout "$timeout" --junit "$report_dir/junit.xml"
      --timeline "$report_dir/timeline.html" --report "$report_dir/run.json")
if [ -n "${INPUT_KUBECONFIG:-}" ]; then
  # Contents, never echoed; a private file removed when the step ends.
  kubeconfig=$(mktemp)
  trap 'rm -f "$kubeconfig"' EXIT
  chmod 600 "$kubeconfig"
  printf '%s\n' "$INPUT_KUBECONFIG" > "$kubeconfig"
  args+=(--kubeconfig "$kubeconfig")
fi
[ -n "${INPUT_CONTEXT:-}" ] && args+=(--context "$INPUT_CONTEXT")
[ -n "${INPUT_APPLYSET:-}" ] && args+=(--applyset "$INPUT_APPLYSET")
case "$prune" in
  true) args+=(--prune) ;;
  false | "") ;;
  *) say "prune must be true or false, not \"$prune\""; exit 2 ;;
esac
read -r -a extra <<< "${INPUT_ARGS:-}"
read -r -a paths <<< "$path"
# In GitHub Actions the log gets ::error annotations (wavesync detects GITHUB_ACTIONS itself).
wavesync "${args[@]}" "${extra[@]}" -- "${paths[@]}"
code=$?
[ -n "${GITHUB_OUTPUT:-}" ] && echo "exit-code=$code" >> "$GITHUB_OUTPUT"
exit "$code"
