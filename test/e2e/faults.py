"""Fault-injection helpers for test_faults.py: a second local control plane of our own (so
restarting its apiserver with odd flags never disturbs the shared dev cluster), the fault proxy
(test/cluster/faultproxy) in front of it, and wavesync runs in the background."""
import json
import os
import pathlib
import socket
import subprocess
import tempfile
import time
import urllib.request

import yaml

from conftest import Audit, Kubectl, REPO

CLUSTER = REPO / "test" / "cluster"

# Ports and state away from the dev cluster's (16443, 12379/12380, 20257, 20259).
FAULT_CLUSTER_ENV = {
    "WAVESYNC_CLUSTER_STATE": os.environ.get(
        "WAVESYNC_FAULT_CLUSTER_STATE", str(pathlib.Path.home() / ".local/state/wavesync/fault-cluster")),
    "WAVESYNC_APISERVER_PORT": "17443",
    "WAVESYNC_ETCD_CLIENT_PORT": "13379",
    "WAVESYNC_ETCD_PEER_PORT": "13380",
    "WAVESYNC_KCM_PORT": "21257",
    "WAVESYNC_SCHEDULER_PORT": "21259",
}
NORMAL_LIMITS = {"WAVESYNC_MAX_REQUESTS_INFLIGHT": "400", "WAVESYNC_MAX_MUTATING_REQUESTS_INFLIGHT": "200",
                 "WAVESYNC_APISERVER_APF": "true", "WAVESYNC_APISERVER_WATCH_CACHE": "true"}


def wait_until(what, check, timeout=60, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class FaultCluster:
    """The fault cluster: started by `up` with FAULT_CLUSTER_ENV; `down` only if we started it."""

    def __init__(self):
        self.env = {**os.environ, **FAULT_CLUSTER_ENV}
        self.started = subprocess.run(["bash", str(CLUSTER / "status")], env=self.env,
                                      capture_output=True).returncode != 0
        up = subprocess.run(["bash", str(CLUSTER / "up")], env=self.env, capture_output=True, text=True,
                            timeout=3600)
        if up.returncode != 0:
            raise AssertionError(f"fault cluster: test/cluster/up failed:\n{up.stderr[-3000:]}")
        self.kubeconfig = up.stdout.strip().splitlines()[-1]
        out = subprocess.run(["bash", str(CLUSTER / "env")], env=self.env, capture_output=True, text=True,
                             check=True).stdout
        paths = {}
        for line in out.splitlines():
            key, _, value = line[len("export "):].partition("=")
            paths[key] = value.strip("'\"")
        self.paths = paths
        self.kubeconfig_token = paths["WAVESYNC_KUBECONFIG_TOKEN"]
        self.kubeconfig_limited = paths["WAVESYNC_KUBECONFIG_LIMITED"]
        self.audit_log = paths["WAVESYNC_AUDIT_LOG"]
        self.apiserver_log = pathlib.Path(paths["WAVESYNC_CLUSTER_LOGS"]) / "kube-apiserver.log"
        self.server = paths["WAVESYNC_APISERVER"]
        self.state = pathlib.Path(FAULT_CLUSTER_ENV["WAVESYNC_CLUSTER_STATE"])
        self.kubectl = Kubectl(paths["WAVESYNC_KUBECTL"], self.kubeconfig)

    def audit(self):
        return Audit(self.audit_log)

    def restart_apiserver(self, **settings):
        """Restarts the apiserver with the saved flags and `settings` (WAVESYNC_MAX_*,
        WAVESYNC_APISERVER_APF, WAVESYNC_APISERVER_WATCH_CACHE: test/cluster/restart-apiserver)."""
        done = subprocess.run(["bash", str(CLUSTER / "restart-apiserver")], env={**self.env, **settings},
                              capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            raise AssertionError(f"restart-apiserver failed:\n{done.stderr[-3000:]}")

    def restore(self):
        """Back to normal flags, as `up` starts the apiserver."""
        args_file = self.state / "kube-apiserver.args"
        current = args_file.read_text() if args_file.exists() else ""
        if any(f"--{flag}" not in current for flag in ("max-requests-inflight=400", "enable-priority-and-fairness=true",
                                                       "watch-cache=true")):
            self.restart_apiserver(**NORMAL_LIMITS)

    def etcd_compact(self):
        """Compacts etcd at its current revision (through etcd's gRPC gateway), so any watch
        resumed from an older resourceVersion gets 410 Gone."""
        base = f"http://127.0.0.1:{FAULT_CLUSTER_ENV['WAVESYNC_ETCD_CLIENT_PORT']}/v3"

        def post(path, body):
            req = urllib.request.Request(base + path, data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=10) as r:
                return json.load(r)

        revision = int(post("/kv/range", {"key": "AA=="})["header"]["revision"])
        post("/kv/compaction", {"revision": revision, "physical": True})
        return revision

    def down(self):
        if self.started:
            subprocess.run(["bash", str(CLUSTER / "down")], env=self.env, capture_output=True, timeout=300)


class LogWindow:
    """The lines a log file gains from the moment this is made (the file is only appended to,
    restarts included), e.g. the apiserver's own account of a fault."""

    def __init__(self, path):
        self.path = pathlib.Path(path)
        self.start = self.path.stat().st_size if self.path.exists() else 0

    def lines(self):
        with open(self.path, "rb") as f:
            f.seek(self.start)
            return f.read().decode(errors="replace").splitlines()


class FaultProxy:
    """test/cluster/faultproxy in front of the fault cluster's apiserver, with a kubeconfig for it."""

    def __init__(self, cluster, kubeconfig, directory):
        ready = pathlib.Path(directory) / "proxy.ready"
        upstream = cluster.server.removeprefix("https://")
        self.process = subprocess.Popen(
            ["python3", str(CLUSTER / "faultproxy"), "--listen", "0", "--control", "0", "--upstream", upstream,
             "--ready-file", str(ready)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_until("the fault proxy", ready.exists, timeout=30)
        self.port, self.control_port = (int(p) for p in ready.read_text().split())
        config = yaml.safe_load(pathlib.Path(kubeconfig).read_text())
        for c in config["clusters"]:
            c["cluster"]["server"] = f"https://127.0.0.1:{self.port}"
        self.kubeconfig = pathlib.Path(directory) / "kubeconfig-proxy"
        self.kubeconfig.write_text(yaml.safe_dump(config))
        self.kubeconfig.chmod(0o600)

    def send(self, command):
        with socket.create_connection(("127.0.0.1", self.control_port), timeout=10) as s:
            s.sendall((command + "\n").encode())
            answer = s.makefile().readline().strip()
        assert answer.startswith("ok"), f"faultproxy {command}: {answer}"
        return answer

    def stats(self):
        return dict(kv.split("=", 1) for kv in self.send("stats").split()[1:])

    def close(self):
        try:
            self.send("quit")
        except (OSError, AssertionError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Run:
    """`wavesync apply` in the background, output into files."""

    def __init__(self, binary, manifests, kubeconfig, *args, timeout="120s", env=None):
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="run-", dir=pathlib.Path(manifests).parent))
        self.out = open(self.dir / "stdout", "w+")
        self.err = open(self.dir / "stderr", "w+")
        cmd = [str(binary), "apply", str(manifests), "--kubeconfig", str(kubeconfig),
               "--timeout", timeout, *args]
        self.started = time.monotonic()
        self.process = subprocess.Popen(cmd, stdout=self.out, stderr=self.err, cwd=REPO,
                                        env={**os.environ, **(env or {})})
        self.elapsed = None

    def wait(self, timeout):
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"wavesync still running after {timeout} s:\n{self.stderr()}")
        self.elapsed = time.monotonic() - self.started
        return self.process.returncode

    def stderr(self):
        self.err.flush()
        return (self.dir / "stderr").read_text()

    def running(self):
        return self.process.poll() is None


def write_manifests(directory, documents, name):
    """Writes the manifests into directory/name; `name` also names the ApplySet (the directory's
    name), so give every test its own."""
    d = pathlib.Path(directory) / name
    d.mkdir(exist_ok=True)
    (d / "app.yaml").write_text(yaml.safe_dump_all(documents, sort_keys=False))
    return d
