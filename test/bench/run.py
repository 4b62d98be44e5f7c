#!/usr/bin/env python3
"""`make bench`: wavesync against kubectl, kpt and the API-server ceiling on a local control plane.

Usage: run.py --wavesync PATH [--runs N] [--peer-runs-w3 N] [--workloads w1,w2,w3[,w4]]
              [--tools wavesync,kubectl,kpt,ceiling,ceiling-ws] [--out build/bench]

Starts a private control plane (test/cluster/up with its own state directory and ports, so
other users of the dev cluster are neither disturbed nor measured), generates the workloads
(gen_workloads.py, seeded), and runs the tools alternately, run i of every tool before run i+1,
deleting the workload's namespaces (and waiting until they are gone) before every run.
Measures wall time, CPU time (user+sys of the whole process tree, from wait4's rusage) and
peak RSS (largest process of the tree), and for wavesync the wave-transition latency from the
API server's audit log. Writes a table to stdout, OUT/results.json and OUT/ratios.svg.
w4 (100,000 objects) runs once per tool in three phases, each measured: apply into an empty
cluster, re-apply unchanged, and apply only the first 10 of its 20 waves with pruning (50,000
deletions). kubectl applies the tree in one command with an ApplySet (`KUBECTL_APPLYSET=true`,
nothing to wait for between waves); kpt applies its package.
Standard library only. Environment: BENCH_RUNS, BENCH_PEER_RUNS_W3, BENCH_KEEP_CLUSTER=1.
"""
import argparse
import base64
import datetime
import hashlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CLUSTER = os.path.join(ROOT, "test", "cluster")

# A private cluster beside the dev cluster (test/cluster/README.md "Settings").
CLUSTER_ENV = {
    "WAVESYNC_CLUSTER_STATE": os.path.expanduser("~/.local/state/wavesync/bench-cluster"),
    "WAVESYNC_APISERVER_PORT": "18443",
    "WAVESYNC_ETCD_CLIENT_PORT": "14379",
    "WAVESYNC_ETCD_PEER_PORT": "14380",
    "WAVESYNC_KCM_PORT": "23257",
    "WAVESYNC_SCHEDULER_PORT": "23259",
    # A kwok node takes 110 pods; workload 2 runs 200 Deployments and two hook Jobs.
    "WAVESYNC_KWOK_NODES": "3",
}
WAVESYNC_USER = "wavesync-admin"
TIMEOUT = "10m"


def log(*parts):
    print("[bench]", *parts, file=sys.stderr, flush=True)


def cluster_env():
    """CLUSTER_ENV; BENCH_PORT_OFFSET=N moves its ports by N and its state to bench-cluster-N, so a
    second benchmark can run beside the first."""
    env = dict(os.environ)
    env.update(CLUSTER_ENV)
    offset = int(os.environ.get("BENCH_PORT_OFFSET", "0"))
    if offset:
        env["WAVESYNC_CLUSTER_STATE"] += f"-{offset}"
        for key, value in CLUSTER_ENV.items():
            if key.endswith("_PORT"):
                env[key] = str(int(value) + offset)
    return env


def start_cluster():
    if os.environ.get("BENCH_KEEP_CLUSTER") != "1":
        # Freshly started for every session: no objects, watches or caches left from before.
        subprocess.run(["bash", os.path.join(CLUSTER, "down")], env=cluster_env(), check=True,
                       stdout=subprocess.DEVNULL)
    out = subprocess.run(["bash", os.path.join(CLUSTER, "up")], env=cluster_env(), check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    kubeconfig = out.strip().splitlines()[-1]
    status = subprocess.run(["bash", os.path.join(CLUSTER, "status")], env=cluster_env(),
                            stdout=subprocess.PIPE, text=True).stdout
    paths = {}
    for line in status.splitlines():
        key, _, value = line.partition(":")
        paths[key.strip()] = value.strip().split(" ")[0]
    return kubeconfig, paths["kubectl"], paths["audit log"]


STOPPED = 124  # the exit code recorded for a run stopped at its time limit


def measure(argv, stdout, stderr, limit=None):
    """Runs argv; returns (exit code, wall s, cpu s, peak RSS MB) of its whole process tree.
    Through GNU time: a child forked from this Python process would start with Python's own
    peak RSS (the kernel carries the parent's high-water mark over fork and exec), a child of
    the small `time` process does not. CPU is user+sys of the tree (wait4, RUSAGE_BOTH).
    With `limit` (seconds) the tree is killed then: exit STOPPED, CPU and RSS unknown (0)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        start = time.monotonic()
        proc = subprocess.Popen(["/usr/bin/time", "-q", "-f", "%e %U %S %M", "-o", report.name, *argv],
                                stdout=stdout, stderr=stderr, start_new_session=limit is not None)
        try:
            code = proc.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            stderr.write(f"\nstopped by run.py after {limit:.0f} s (BENCH_W4_LIMIT)\n".encode())
            return STOPPED, time.monotonic() - start, 0.0, 0.0
        wall = time.monotonic() - start
        fields = report.read().split()
    _, user, system, rss_kb = fields[-4:]
    return code, wall, float(user) + float(system), int(rss_kb) / 1024.0


class Cluster:
    def __init__(self, kubeconfig, kubectl, audit_log):
        self.kubeconfig = kubeconfig
        self.kubectl = kubectl
        self.audit_log = audit_log

    def kubectl_run(self, *args, check=True, capture=False):
        return subprocess.run([self.kubectl, "--kubeconfig", self.kubeconfig, *args], check=check,
                              stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)

    def clean(self, namespaces):
        """Deletes the namespaces and wavesync's ApplySet parents, and waits until they are gone."""
        self.kubectl_run("delete", "namespace", "--ignore-not-found", "--wait=true", "--timeout=600s",
                         *namespaces)
        self.kubectl_run("delete", "secret", "-n", "default", "--ignore-not-found", "manifests", "flat")
        while True:
            left = self.kubectl_run("get", "namespace", "-o", "name", "--ignore-not-found", *namespaces,
                                    capture=True, check=False).stdout.strip()
            if not left:
                return
            time.sleep(0.5)

    def audit_offset(self):
        return os.path.getsize(self.audit_log)


# --- the tools ---------------------------------------------------------------------------------

def kubectl_script(cluster, work, index):
    """The script a careful user writes: per step, apply the directory server-side, then wait
    for what has a readiness (Deployments Available, hook Jobs complete)."""
    k = f"{cluster.kubectl} --kubeconfig {cluster.kubeconfig}"
    lines = ["set -eu"]
    for step, name in enumerate(index["steps"]):
        objects = [o for o in index["objects"] if o["step"] == step]
        lines.append(f"{k} apply --server-side --field-manager=bench -f {work}/manifests/{name}/ >/dev/null")
        deployments = [o for o in objects if o["kind"] == "Deployment"]
        jobs = [o for o in objects if o["kind"] == "Job"]
        if deployments:
            ns = deployments[0]["namespace"]
            names = " ".join(f"deployment/{o['name']}" for o in deployments)
            lines.append(f"{k} wait -n {ns} --for=condition=Available --timeout=10m {names} >/dev/null")
        if jobs:
            ns = jobs[0]["namespace"]
            names = " ".join(f"job/{o['name']}" for o in jobs)
            lines.append(f"{k} wait -n {ns} --for=condition=complete --timeout=10m {names} >/dev/null")
    path = os.path.join(work, "kubectl.sh")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def prepare_kpt(work, index):
    """A copy of the kpt package with a Kptfile and a ResourceGroup inventory (not timed)."""
    package = os.path.join(work, "kpt-package")
    if os.path.exists(package):
        shutil.rmtree(package)
    shutil.copytree(os.path.join(work, "kpt"), package)
    subprocess.run(["kpt", "pkg", "init", package], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(["kpt", "live", "init", "--namespace", index["namespaces"][0], "--inventory-id",
                    f"bench-{index['workload']}", package], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return package


def extract_credentials(kubeconfig, directory):
    """Client certificate, key and CA of the kubeconfig's first user/cluster, into a 0700 dir.
    The kubeconfig is the cluster scripts' own (block YAML, base64 values on one line each)."""
    values = {}
    with open(kubeconfig) as f:
        for line in f:
            key, sep, value = line.strip().partition(": ")
            if sep and key in ("certificate-authority-data", "client-certificate-data", "client-key-data", "server"):
                values.setdefault(key, value.strip().strip('"'))
    files = {}
    for key, name in (("certificate-authority-data", "ca.pem"), ("client-certificate-data", "cert.pem"),
                      ("client-key-data", "key.pem")):
        path = os.path.join(directory, name)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(base64.b64decode(values[key]))
        files[name] = path
    return values["server"], files


def ceiling_script(cluster, work, index, secrets_dir):
    """Two curl runs, no waiting: the namespaces, then every object at once, all server-side
    apply PATCHes multiplexed over HTTP/2 with up to 100 in flight."""
    server, files = extract_credentials(cluster.kubeconfig, secrets_dir)
    common = (f'cacert = "{files["ca.pem"]}"\ncert = "{files["cert.pem"]}"\nkey = "{files["key.pem"]}"\n'
              'http2\nrequest = "PATCH"\nheader = "Content-Type: application/apply-patch+yaml"\n'
              'header = "Accept: application/json"\noutput = "/dev/null"\nsilent\nfail\n')
    query = "?fieldManager=bench-ceiling&fieldValidation=Strict"

    def entry(url, body):
        return f'url = "{url}"\ndata-binary = "@{body}"\n{common}'

    ns_entries = []
    for ns in index["namespaces"]:
        body = os.path.join(work, f"ceiling-ns-{ns}.json")
        with open(body, "w") as f:
            json.dump({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}, f)
        ns_entries.append(entry(f"{server}/api/v1/namespaces/{ns}{query}", body))
    entries = []
    for o in index["objects"]:
        base = "/api/v1" if not o["group"] else f"/apis/{o['apiVersion']}"
        url = f"{server}{base}/namespaces/{o['namespace']}/{o['resource']}/{o['name']}{query}"
        entries.append(entry(url, os.path.join(work, o["body"])))
    for name, items in (("ceiling-ns.curl", ns_entries), ("ceiling.curl", entries)):
        with open(os.path.join(secrets_dir, name), "w") as f:
            f.write("next\n".join(items))
    path = os.path.join(secrets_dir, "ceiling.sh")
    with open(path, "w") as f:
        f.write("set -eu\n")
        for name in ("ceiling-ns.curl", "ceiling.curl"):
            f.write(f"curl -s --parallel --parallel-max 100 --parallel-immediate -K {secrets_dir}/{name}\n")
    return path


# --- wave-transition latency -------------------------------------------------------------------

def parse_time(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def transitions(audit_log, offset, index):
    """For each step after the first: time from the last write that made the previous step's
    objects what they are when the next step begins (their last apply or status update, by
    anyone), to wavesync's first logged request for the next step. Seconds, per transition."""
    step_of = {(o["group"], o["resource"], o["namespace"], o["name"]): o["step"] for o in index["objects"]}
    writes = {}  # step -> [(stage time, is wavesync, request time)]
    with open(audit_log, "rb") as f:
        f.seek(offset)
        for raw in f:
            try:
                e = json.loads(raw)
            except ValueError:
                continue
            ref = e.get("objectRef", {})
            key = (ref.get("apiGroup", ""), ref.get("resource", ""), ref.get("namespace", ""), ref.get("name", ""))
            step = step_of.get(key)
            if step is None:
                continue
            writes.setdefault(step, []).append((parse_time(e["stageTimestamp"]),
                                                e.get("user", {}).get("username") == WAVESYNC_USER,
                                                parse_time(e["requestReceivedTimestamp"])))
    out = []
    for step in range(1, len(index["steps"])):
        first = [received for _, ours, received in writes.get(step, []) if ours]
        if not first:
            continue
        begins = min(first)
        before = [stage for stage, _, _ in writes.get(step - 1, []) if stage <= begins]
        if before:
            out.append(begins - max(before))
    return out


# --- reporting ---------------------------------------------------------------------------------

def percentile(values, p):
    values = sorted(values)
    if not values:
        return None
    k = (len(values) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def summarize(samples):
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples)} if samples else None


def svg_ratios(results, path):
    """Median wavesync/peer wall-time ratio per workload and peer, with min-max whiskers; log scale."""
    import math
    bars = []
    for w, data in results["workloads"].items():
        for peer, ratio in data.get("ratios", {}).items():
            if ratio:
                bars.append((f"{w} vs {peer}", ratio["median"], ratio["min"], ratio["max"]))
    width, row, left = 760, 34, 170
    height = 60 + row * max(1, len(bars))
    lo, hi = 0.01, 10.0

    def x(v):
        v = min(max(v, lo), hi)
        return left + (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * (width - left - 20)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
             f'<text x="10" y="20" font-size="14">wavesync wall time / peer wall time (median, min-max; log scale; &lt;1 = wavesync faster)</text>']
    for tick in (0.01, 0.1, 0.25, 0.5, 1, 2, 10):
        parts.append(f'<line x1="{x(tick):.1f}" y1="30" x2="{x(tick):.1f}" y2="{height - 20}" stroke="#ddd"/>')
        parts.append(f'<text x="{x(tick):.1f}" y="{height - 5}" text-anchor="middle">{tick:g}</text>')
    for i, (label, med, mn, mx) in enumerate(bars):
        y = 40 + i * row
        colour = "#2a7" if med < 1 else "#c44"
        parts.append(f'<text x="10" y="{y + 15}">{label}</text>')
        parts.append(f'<rect x="{left}" y="{y + 4}" width="{x(med) - left:.1f}" height="16" fill="{colour}"/>')
        parts.append(f'<line x1="{x(mn):.1f}" y1="{y + 12}" x2="{x(mx):.1f}" y2="{y + 12}" stroke="#000"/>')
        parts.append(f'<text x="{x(med) + 4:.1f}" y="{y + 16}">{med:.3f}x</text>')
    parts.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(parts) + "\n")


def table(results):
    rows = [("workload", "tool", "runs", "wall s med [min-max]", "cpu s med", "rss MB med", "ratio ws/tool med [min-max]")]
    for w, data in results["workloads"].items():
        for tool, s in data["summary"].items():
            if not s["wall"]:
                rows.append((w, tool, "0", s.get("note", "unavailable"), "", "", ""))
                continue
            r = data["ratios"].get(tool)
            ratio = f"{r['median']:.3f} [{r['min']:.3f}-{r['max']:.3f}]" if r else ""
            rows.append((w, tool, str(s["runs"]), f"{s['wall']['median']:.2f} [{s['wall']['min']:.2f}-{s['wall']['max']:.2f}]",
                         f"{s['cpu']['median']:.2f}", f"{s['rss']['median']:.0f}", ratio))
        t = data.get("transitions_ms")
        if t:
            rows.append((w, "transition", str(t["count"]), f"p50 {t['p50']:.1f} ms, p99 {t['p99']:.1f} ms", "", "", ""))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(widths[i]) for i, c in enumerate(r)) for r in rows)


# --- w4: 100,000 objects, applied, re-applied and pruned -----------------------------------------

def w4_pruned_tree(work, index):
    """The first half of w4's steps, hard-linked into pruned/ (the second half is pruned)."""
    pruned = os.path.join(work, "pruned")
    if os.path.exists(pruned):
        shutil.rmtree(pruned)
    for name in index["steps"][:len(index["steps"]) // 2]:
        shutil.copytree(os.path.join(work, "manifests", name), os.path.join(pruned, name), copy_function=os.link)
    return pruned


W4_PARENT_RESOURCE = "applysets.bench.wavesync.dev"

# kubectl takes a custom resource as an ApplySet parent when its CRD carries this label.
W4_PARENT_CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: applysets.bench.wavesync.dev
  labels:
    applyset.kubernetes.io/is-parent-type: "true"
spec:
  group: bench.wavesync.dev
  scope: Cluster
  names: {kind: ApplySet, plural: applysets, singular: applyset, listKind: ApplySetList}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
"""


def w4_kubectl_parent(cluster, work):
    """A fresh cluster-scoped ApplySet parent for kubectl's w4 runs."""
    crd = os.path.join(work, "applyset-crd.yaml")
    with open(crd, "w") as f:
        f.write(W4_PARENT_CRD)
    cluster.kubectl_run("apply", "--server-side", "-f", crd)
    cluster.kubectl_run("wait", "--for=condition=Established", "--timeout=120s",
                        "customresourcedefinition/" + W4_PARENT_RESOURCE)
    cluster.kubectl_run("delete", W4_PARENT_RESOURCE, "--ignore-not-found", "--wait=true", "w4-kubectl")
    # kubectl takes over an existing parent only when it already says it is kubectl's, with the
    # ApplySet id the specification derives from the parent's name, namespace, kind and group.
    version = json.loads(cluster.kubectl_run("version", "--client", "-o", "json", capture=True).stdout)
    digest = hashlib.sha256(b"w4-kubectl..ApplySet.bench.wavesync.dev").digest()
    applyset_id = "applyset-" + base64.urlsafe_b64encode(digest).decode().rstrip("=") + "-v1"
    parent = os.path.join(work, "applyset-parent.yaml")
    with open(parent, "w") as f:
        f.write("apiVersion: bench.wavesync.dev/v1\nkind: ApplySet\nmetadata:\n  name: w4-kubectl\n"
                f"  labels:\n    applyset.kubernetes.io/id: {applyset_id}\n"
                f"  annotations:\n    applyset.kubernetes.io/tooling: kubectl/{version['clientVersion']['gitVersion']}\n"
                "    applyset.kubernetes.io/contains-group-kinds: \"\"\n")
    cluster.kubectl_run("apply", "--server-side", "--field-manager=kubectl-applyset", "-f", parent)


def run_w4(cluster, work, index, tools, wavesync, out_dir):
    pruned = w4_pruned_tree(work, index)
    manifests = os.path.join(work, "manifests")
    k = [cluster.kubectl, "--kubeconfig", cluster.kubeconfig]
    kubectl_env = "KUBECTL_APPLYSET=true"
    phases = {}
    if "wavesync" in tools:
        ws = [wavesync, "apply", "--kubeconfig", cluster.kubeconfig, "--timeout", "30m", "-o", "json",
              "--applyset", "w4"]
        phases["wavesync"] = [("apply", ws + [manifests]), ("re-apply", ws + [manifests]),
                              ("prune", ws + ["--prune", pruned])]
    if "kubectl" in tools:
        # A Secret parent would confine kubectl to the Secret's namespace, and w4 spans ten: its
        # parent is a cluster-scoped custom resource, which kubectl needs created beforehand.
        kc = ["env", kubectl_env, *k, "apply", "--server-side", "--field-manager=bench", "--prune",
              f"--applyset={W4_PARENT_RESOURCE}/w4-kubectl", "-R", "-f"]
        phases["kubectl"] = [("apply", kc + [manifests]), ("re-apply", kc + [manifests]), ("prune", kc + [pruned])]
    if "kpt" in tools:
        package = prepare_kpt(work, index)
        phases["kpt"] = [("apply", ["kpt", "live", "apply", package, "--kubeconfig", cluster.kubeconfig,
                                    "--reconcile-timeout=30m", "--output=events"])]
    # kubectl's prune of 50,000 objects runs for hours (5 deletions a second) and kpt may not
    # finish at all: each peer phase is stopped after this long.
    w4_limit = float(os.environ.get("BENCH_W4_LIMIT", "3600"))
    runs = {}
    for tool, steps in phases.items():
        cluster.clean(index["namespaces"])
        cluster.kubectl_run("delete", "secret", "-n", "default", "--ignore-not-found", "w4")
        if tool == "kubectl":
            w4_kubectl_parent(cluster, work)
        for phase, argv in steps:
            events = os.path.join(out_dir, f"w4-{tool}-{phase}.out")
            with open(events, "wb") as out, open(events + ".err", "wb") as err:
                code, wall, cpu, rss = measure(argv, out, err, limit=w4_limit if tool != "wavesync" else None)
            if code != 0:
                with open(events + ".err", errors="replace") as err:
                    log(f"w4 {tool} {phase} exited {code}: {err.read()[-2000:]}")
            runs[f"{tool}/{phase}"] = [{"run": 0, "exit": code, "wall": wall, "cpu": cpu, "rss": rss,
                                        "load1": os.getloadavg()[0]}]
            log(f"w4 {tool} {phase}: exit {code}, wall {wall:.2f}s, cpu {cpu:.2f}s, rss {rss:.0f}MB")
            if code != 0:
                break
    cluster.clean(index["namespaces"])
    data = {"objects": len(index["objects"]), "steps": len(index["steps"]), "runs": runs, "summary": {}, "ratios": {}}
    for key, samples in runs.items():
        ok = [x for x in samples if x["exit"] == 0]
        data["summary"][key] = {"runs": len(ok), "failed": len(samples) - len(ok),
                                "wall": summarize([x["wall"] for x in ok]), "cpu": summarize([x["cpu"] for x in ok]),
                                "rss": summarize([x["rss"] for x in ok]),
                                "note": "failed: see w4-%s.out.err" % key.replace("/", "-") if not ok else None}
        tool, phase = key.split("/")
        ours = runs.get(f"wavesync/{phase}")
        if tool != "wavesync" and ok and ours and ours[0]["exit"] == 0:
            data["ratios"][key] = summarize([ours[0]["wall"] / ok[0]["wall"]])
    return data


# --- main --------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wavesync", required=True)
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "5")))
    parser.add_argument("--peer-runs-w3", type=int, default=int(os.environ.get("BENCH_PEER_RUNS_W3", "3")),
                        help="runs of kubectl and kpt on workload 3 (heavy)")
    parser.add_argument("--workloads", default=os.environ.get("BENCH_WORKLOADS", "w1,w2,w3,w4"))
    parser.add_argument("--tools", default=os.environ.get("BENCH_TOOLS", "wavesync,kubectl,kpt,ceiling,ceiling-ws"),
                        help="kubectl on w4 alone takes over an hour")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--out", default=os.path.join(ROOT, "build", "bench"))
    args = parser.parse_args()

    os.makedirs(args.out, exist_ok=True)
    wavesync = os.path.abspath(args.wavesync)
    tools = args.tools.split(",")
    kpt_note = None
    if "kpt" in tools and shutil.which("kpt") is None:
        kpt_note = "kpt not found on PATH"
        tools.remove("kpt")
    log("starting the bench control plane")
    cluster = Cluster(*start_cluster())
    if "kpt" in tools:
        subprocess.run(["kpt", "live", "install-resource-group", "--kubeconfig", cluster.kubeconfig],
                       check=True, stdout=subprocess.DEVNULL)
    gen = os.path.join(args.out, "work")
    workloads = args.workloads.split(",")
    subprocess.run([sys.executable, os.path.join(HERE, "gen_workloads.py"), "--seed", str(args.seed),
                    "--scale", str(args.scale), gen, *workloads], check=True, stdout=subprocess.DEVNULL)

    results = {"machine": {"nproc": os.cpu_count(), "cpu": cpu_model(), "loadavg_start": os.getloadavg()},
               "started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "runs": args.runs, "peer_runs_w3": args.peer_runs_w3, "seed": args.seed, "scale": args.scale,
               "workloads": {}}
    secrets_dir = tempfile.mkdtemp(prefix="wavesync-bench-")  # 0700; removed below
    try:
        for w in workloads:
            work = os.path.join(gen, w)
            with open(os.path.join(work, "index.json")) as f:
                index = json.load(f)
            if w == "w4":
                results["workloads"][w] = run_w4(cluster, work, index, tools, wavesync, args.out)
                continue
            commands = {}
            if "wavesync" in tools:
                commands["wavesync"] = [wavesync, "apply", os.path.join(work, "manifests"), "--kubeconfig",
                                        cluster.kubeconfig, "--timeout", TIMEOUT, "-o", "json"]
            if "kubectl" in tools:
                commands["kubectl"] = ["bash", kubectl_script(cluster, work, index)]
            if "kpt" in tools:
                package = prepare_kpt(work, index)
                commands["kpt"] = ["kpt", "live", "apply", package, "--kubeconfig", cluster.kubeconfig,
                                   "--reconcile-timeout=10m", "--output=events"]
            if "ceiling-ws" in tools:
                # The same objects in one step, applied by wavesync's client without waiting:
                # the API server's limit as reached by the best client at hand.
                commands["ceiling-ws"] = [wavesync, "apply", os.path.join(work, "flat"), "--kubeconfig",
                                          cluster.kubeconfig, "--timeout", TIMEOUT, "--no-wait", "-o", "json"]
            if "ceiling" in tools:
                commands["ceiling"] = ["bash", ceiling_script(cluster, work, index, secrets_dir)]
            runs = {t: [] for t in commands}
            transition_samples = []
            for i in range(args.runs):
                for tool, argv in commands.items():
                    if w == "w3" and tool in ("kubectl", "kpt") and i >= args.peer_runs_w3:
                        continue
                    cluster.clean(index["namespaces"])
                    load = os.getloadavg()[0]
                    offset = cluster.audit_offset()
                    events = os.path.join(args.out, f"{w}-{tool}-{i}.out")
                    with open(events, "wb") as out, open(events + ".err", "wb") as err:
                        code, wall, cpu, rss = measure(argv, out, err)
                    if code != 0:
                        with open(events + ".err", errors="replace") as err:
                            log(f"{w} {tool} exited {code}: {err.read()[-2000:]}")
                    sample = {"run": i, "exit": code, "wall": wall, "cpu": cpu, "rss": rss, "load1": load}
                    if tool == "wavesync" and code == 0:
                        t = transitions(cluster.audit_log, offset, index)
                        sample["transitions_ms"] = [v * 1000 for v in t]
                        transition_samples += sample["transitions_ms"]
                    runs[tool].append(sample)
                    log(f"{w} run {i} {tool}: exit {code}, wall {wall:.2f}s, cpu {cpu:.2f}s, rss {rss:.0f}MB, load {load:.1f}")
            cluster.clean(index["namespaces"])
            data = {"objects": len(index["objects"]), "steps": len(index["steps"]), "runs": runs, "summary": {}, "ratios": {}}
            for tool, samples in runs.items():
                ok = [s for s in samples if s["exit"] == 0]
                data["summary"][tool] = {"runs": len(ok), "failed": len(samples) - len(ok),
                                         "wall": summarize([s["wall"] for s in ok]),
                                         "cpu": summarize([s["cpu"] for s in ok]),
                                         "rss": summarize([s["rss"] for s in ok])}
            if kpt_note:
                data["summary"]["kpt"] = {"runs": 0, "wall": None, "note": kpt_note}
            ours = {s["run"]: s["wall"] for s in runs.get("wavesync", []) if s["exit"] == 0}
            for tool, samples in runs.items():
                if tool == "wavesync":
                    continue
                pairs = [ours[s["run"]] / s["wall"] for s in samples if s["exit"] == 0 and s["run"] in ours]
                data["ratios"][tool] = summarize(pairs)
            if transition_samples:
                data["transitions_ms"] = {"count": len(transition_samples), "p50": percentile(transition_samples, 50),
                                          "p99": percentile(transition_samples, 99), "max": max(transition_samples)}
            results["workloads"][w] = data
    finally:
        shutil.rmtree(secrets_dir, ignore_errors=True)
    results["machine"]["loadavg_end"] = os.getloadavg()
    results["finished"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    svg_ratios(results, os.path.join(args.out, "ratios.svg"))
    print(table(results))
    print(f"machine: {results['machine']['nproc']} CPUs, {results['machine']['cpu']}, load average "
          f"{results['machine']['loadavg_start'][0]:.1f} at start, {results['machine']['loadavg_end'][0]:.1f} at end")
    print(f"wrote {os.path.join(args.out, 'results.json')} and {os.path.join(args.out, 'ratios.svg')}")


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


if __name__ == "__main__":
    main()
