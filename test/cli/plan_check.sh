#!/usr/bin/env bash
# CLI-level checks for `wavesync plan`: bad input gives one `wavesync: error:` line and exit 2,
# good input gives valid JSON. Usage: test/cli/plan_check.sh path/to/wavesync
set -u
bin=${1:?usage: plan_check.sh path/to/wavesync}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0

expect_error() {  # name expected-message plan-arguments...
  local name=$1 want=$2 err code
  shift 2
  "$bin" plan "$@" >/dev/null 2>"$dir/err"; code=$?
  err=$(cat "$dir/err")
  if [[ $code -ne 2 || $(wc -l <"$dir/err") -ne 1 || "$err" != "wavesync: error: $want" ]]; then
    echo "FAIL $name: exit $code, stderr: $err"; failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}

printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a\n' >"$dir/bad.yaml"
expect_error "malformed YAML" "$dir/bad.yaml:4:1: invalid YAML: did not find expected ',' or '}' while parsing a flow mapping started at 3:11" "$dir/bad.yaml"

printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' >"$dir/dup.yaml"
expect_error "duplicate with --strict" \
  "$dir/dup.yaml:5:1: duplicate object ConfigMap default/a: also defined at $dir/dup.yaml:1:1" "$dir/dup.yaml" --strict
if "$bin" plan "$dir/dup.yaml" >/dev/null 2>"$dir/err" &&
  [[ "$(cat "$dir/err")" == "wavesync: warning: $dir/dup.yaml:5:1: duplicate object ConfigMap default/a: also defined at $dir/dup.yaml:1:1; the last one is used" ]]; then
  echo "ok   duplicate without --strict: the last one is used, with a warning"
else
  echo "FAIL duplicate without --strict: exit $?, stderr: $(cat "$dir/err")"; failures=$((failures + 1))
fi

python3 - "$dir/laughs.yaml" <<'PY'
import sys
lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: lol}', 'a: &a [' + ','.join(['"lol"'] * 9) + ']']
prev = 'a'
for c in 'bcdefghi':
    lines.append(f'{c}: &{c} [' + ','.join(['*' + prev] * 9) + ']')
    prev = c
open(sys.argv[1], 'w').write('\n'.join(lines) + '\n')
PY
expect_error "billion laughs" \
  "$dir/laughs.yaml:7:20: document contains excessive aliasing (kubectl's YAML reader refuses it too): expected far fewer aliases" \
  "$dir/laughs.yaml"

head -c 52428800 /dev/zero | tr '\0' '#' >"$dir/big.yaml"
expect_error "50 MB file" \
  "$dir/big.yaml: 52428800 bytes is too large: expected at most 10485760 bytes (10 MiB) per manifest file" "$dir/big.yaml"

printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    argocd.argoproj.io/sync-wave: "x1"\n' >"$dir/wave.yaml"
if "$bin" plan "$dir/wave.yaml" -o json 2>/dev/null | python3 -m json.tool >/dev/null; then echo "ok   bad wave is a warning, JSON still valid"; else echo "FAIL bad wave JSON"; failures=$((failures + 1)); fi
expect_error "bad wave with --strict" \
  "$dir/wave.yaml:6: invalid argocd.argoproj.io/sync-wave \"x1\": expected an integer such as \"-1\" or \"5\"; treated as missing (wave 0) (--strict)" \
  "$dir/wave.yaml" --strict

# Reaching outside the target: another namespace under --namespace-strict, a symlink out of the directory.
mkdir -p "$dir/strict" "$dir/app" "$dir/outside"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: other\n' >"$dir/strict/cm.yaml"
expect_error "--namespace-strict" \
  "$dir/strict/cm.yaml:1:1: ConfigMap c is in namespace \"other\": expected namespace \"shop\" (--namespace-strict)" \
  "$dir/strict" -n shop --namespace-strict
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: inside}\n' >"$dir/app/in.yaml"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: outside}\n' >"$dir/outside/out.yaml"
ln -s ../outside/out.yaml "$dir/app/link.yaml"
# Prints the planned names; the plan's warnings (in the JSON with -o json) go to $dir/err.
names() { "$bin" plan "$@" -o json 2>/dev/null | python3 -c '
import json, sys
plan = json.load(sys.stdin)
open(sys.argv[1], "w").write("".join(w + "\n" for w in plan["warnings"]))
print(" ".join(r["name"] for s in plan["steps"] for r in s["resources"]))' "$dir/err"; }
got=$(names "$dir/app")
if [[ "$got" == "inside" ]] && grep -q "link.yaml: symlink to .*leaves the manifest directory and is not followed" "$dir/err"; then
  echo "ok   symlink out of the directory is not followed"
else
  echo "FAIL symlink not followed: objects '$got', stderr: $(cat "$dir/err")"; failures=$((failures + 1))
fi
got=$(names "$dir/app" --follow-symlinks)
if [[ "$got" == "inside outside" && ! -s "$dir/err" ]]; then
  echo "ok   --follow-symlinks follows it"
else
  echo "FAIL --follow-symlinks: objects '$got', stderr: $(cat "$dir/err")"; failures=$((failures + 1))
fi

exit $((failures > 0))
