"""Fixtures for the real-cluster suite: the built wavesync binary, the local control plane's
kubeconfig, a kubectl bound to it, a fresh namespace per test and an apiserver audit-log
reader. Results are checked through the API and the audit log, never through wavesync's own
output (except where a test checks what the output promises to show).
"""
import datetime
import json
import os
import pathlib
import subprocess
import uuid

import pytest
import yaml

REPO = pathlib.Path(__file__).resolve().parents[2]
EVENTS_SCHEMA = REPO / "test" / "output" / "events.schema.json"


def schema_events(stdout):
    """The NDJSON events in `stdout` (`apply -o json`, `delete -o json`), each one validated
    against the documented schema (test/output/events.schema.json); a line that breaks it fails."""
    import jsonschema
    validator = jsonschema.Draft202012Validator(json.loads(EVENTS_SCHEMA.read_text()))
    events = [json.loads(line) for line in stdout.splitlines()]
    for event in events:
        validator.validate(event)
    return events
CLUSTER = REPO / "test" / "cluster"


def _cluster_env():
    """WAVESYNC_KUBECTL, WAVESYNC_AUDIT_LOG, ... as test/cluster/env exports them."""
    out = subprocess.run(["bash", str(CLUSTER / "env")], capture_output=True, text=True, check=True).stdout
    env = {}
    for line in out.splitlines():
        if line.startswith("export "):
            key, _, value = line[len("export "):].partition("=")
            env[key] = value.strip("'\"")
    return env


@pytest.fixture(scope="session")
def kubeconfig():
    """$WAVESYNC_KUBECONFIG, else the last line `test/cluster/up` prints (it starts the cluster
    when it is down; fails, never skips, when it cannot)."""
    if os.environ.get("WAVESYNC_KUBECONFIG"):
        return os.environ["WAVESYNC_KUBECONFIG"]
    up = subprocess.run(["bash", str(CLUSTER / "up")], capture_output=True, text=True, timeout=3600)
    if up.returncode != 0:
        pytest.fail(f"test/cluster/up failed (exit {up.returncode}):\n{up.stderr[-3000:]}")
    return up.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="session")
def cluster_env(kubeconfig):
    return _cluster_env()


@pytest.fixture(scope="session")
def wavesync():
    """Runs the built binary ($WAVESYNC_BIN, else build/cli/wavesync)."""
    path = pathlib.Path(os.environ.get("WAVESYNC_BIN", REPO / "build" / "cli" / "wavesync"))
    if not os.access(path, os.X_OK):
        pytest.fail(f"{path} is not built: build it or set WAVESYNC_BIN")
    return path


class Kubectl:
    """The cluster's own kubectl with an explicit kubeconfig (never the user's context)."""

    def __init__(self, binary, kubeconfig):
        self.binary = binary
        self.kubeconfig = kubeconfig

    def __call__(self, *args, check=True, input=None, timeout=120):
        done = subprocess.run([self.binary, f"--kubeconfig={self.kubeconfig}", *args], input=input,
                              capture_output=True, text=True, timeout=timeout)
        if check and done.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)}: exit {done.returncode}: {done.stderr}")
        return done

    def get(self, *args):
        """The object (or List) as JSON; None when it does not exist."""
        done = self("get", *args, "-o", "json", check=False)
        if done.returncode != 0:
            if "NotFound" in done.stderr or "not found" in done.stderr:
                return None
            raise AssertionError(f"kubectl get {' '.join(args)}: {done.stderr}")
        return json.loads(done.stdout)

    def wait_crd_served(self, name, timeout=60):
        """Waits until the CRD `name` (plural.group) is Established and discovery lists its kind:
        the API server publishes discovery a moment after Established, and a client that reads
        discovery in between is told the kind does not exist."""
        import time
        self("wait", "--for=condition=Established", f"crd/{name}", f"--timeout={timeout}s")
        deadline = time.time() + timeout
        while True:
            done = self("get", name, "-A", "-o", "name", check=False)
            if done.returncode == 0:
                return
            if time.time() > deadline:
                raise AssertionError(f"discovery did not list {name} within {timeout}s: {done.stderr}")
            time.sleep(0.2)

    def names(self, kind, namespace):
        items = self.get(kind, "-n", namespace)["items"]
        return sorted(i["metadata"]["name"] for i in items)


@pytest.fixture(scope="session")
def kubectl(cluster_env, kubeconfig):
    return Kubectl(os.environ.get("WAVESYNC_KUBECTL", cluster_env["WAVESYNC_KUBECTL"]), kubeconfig)


@pytest.fixture()
def namespace(kubectl, request):
    """A fresh namespace name (the test's manifests create it); deleted afterwards."""
    stem = request.node.name.replace("test_", "", 1).replace("_", "-")[:30].strip("-")
    name = f"e2e-{stem}-{uuid.uuid4().hex[:5]}"
    yield name
    kubectl("delete", "namespace", name, "--ignore-not-found", "--wait=false", check=False)


def parse_time(text):
    return datetime.datetime.strptime(text.rstrip("Z")[:26], "%Y-%m-%dT%H:%M:%S.%f").replace(
        tzinfo=datetime.timezone.utc)


class Audit:
    """The apiserver audit log (JSON lines, Metadata level, written before each response),
    from the moment the fixture was made."""

    def __init__(self, path):
        self.path = pathlib.Path(path)
        self.offset = self.path.stat().st_size if self.path.exists() else 0

    def events(self, namespace=None, verbs=None, resource=None, name=None, user=None,
               subresource=None, ok=True, dry_run=True):
        """Matching events in log order. `subresource=None` means the main resource only; pass
        "*" for any, or e.g. "status". `ok` keeps only 2xx answers. `dry_run=False` leaves out
        dry-run requests (wavesync validates the whole plan with dryRun=All before its first
        write), keeping only real writes."""
        with open(self.path, "rb") as f:
            f.seek(self.offset)
            text = f.read().decode(errors="replace")
        # The apiserver may be half-way through writing the last line: only whole lines count.
        lines = text[:text.rfind("\n") + 1].splitlines()
        out = []
        for line in lines:
            if not line.strip():
                continue
            e = json.loads(line)
            ref = e.get("objectRef", {})
            if namespace is not None and ref.get("namespace") != namespace and not (
                    ref.get("resource") == "namespaces" and ref.get("name") == namespace):
                continue
            if verbs is not None and e["verb"] not in verbs:
                continue
            if resource is not None and ref.get("resource") != resource:
                continue
            if name is not None and ref.get("name") != name:
                continue
            if user is not None and e.get("user", {}).get("username") != user:
                continue
            if subresource != "*" and ref.get("subresource") != subresource:
                continue
            if not dry_run and "dryRun" in e.get("requestURI", ""):
                continue
            if ok and not (200 <= e.get("responseStatus", {}).get("code", 0) < 300):
                continue
            e["time"] = parse_time(e["requestReceivedTimestamp"])
            e["done"] = parse_time(e["stageTimestamp"])
            out.append(e)
        return out


@pytest.fixture()
def audit(cluster_env):
    return Audit(os.environ.get("WAVESYNC_AUDIT_LOG", cluster_env["WAVESYNC_AUDIT_LOG"]))


@pytest.fixture(scope="session")
def wavesync_user(kubectl):
    """The user name wavesync's writes carry in the audit log (the kubeconfig's identity)."""
    done = kubectl("auth", "whoami", "-o", "json", check=False)
    if done.returncode == 0:
        return json.loads(done.stdout)["status"]["userInfo"]["username"]
    return "wavesync-admin"


class Apply:
    """Writes manifests to a directory and runs `wavesync apply` on them."""

    def __init__(self, binary, kubeconfig, directory):
        self.binary = binary
        self.kubeconfig = kubeconfig
        self.directory = directory

    def write(self, documents, file="app.yaml"):
        path = self.directory / file
        path.write_text(yaml.safe_dump_all(documents, sort_keys=False))
        return path

    def __call__(self, *args, documents=None, timeout="120s", process_timeout=400):
        if documents is not None:
            self.write(documents)
        cmd = [str(self.binary), "apply", str(self.directory), "--kubeconfig", self.kubeconfig,
               "--timeout", timeout, *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=process_timeout, cwd=REPO)


@pytest.fixture()
def apply(wavesync, kubeconfig, tmp_path):
    # A temporary directory has no default ApplySet name, so no parent is written unless a
    # test passes --applyset; the unique name keeps tests' directories apart all the same.
    directory = tmp_path / f"app-{uuid.uuid4().hex[:8]}"
    directory.mkdir()
    return Apply(wavesync, kubeconfig, directory)
