"""Fixtures and helpers for the seed-application and examples tests, on top of
conftest.py's (`kubeconfig`, `cluster_env`, `wavesync`): a throwaway PostgreSQL, audit
offsets, ServiceAccount kubeconfigs, the scripts embedded in manifests/.

The cluster is checked with its own kubectl, never with wavesync's words. Import what a
test module needs: `from seed_fixtures import dev_cluster, ...`.
"""
import json
import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import time
import uuid

import pytest
import yaml

REPO = pathlib.Path(__file__).resolve().parents[2]


class DevCluster:
    """The dev cluster's kubectl (explicit kubeconfig) and audit log, for the seed tests."""

    def __init__(self, kubeconfig, kubectl_bin, audit_log):
        self.kubeconfig = kubeconfig
        self.kubectl_bin = kubectl_bin
        self.audit_log = pathlib.Path(audit_log)

    def kubectl(self, *args, check=True, input=None, timeout=120):
        """Runs the cluster's kubectl with the explicit dev kubeconfig."""
        cmd = [self.kubectl_bin, f"--kubeconfig={self.kubeconfig}", *args]
        done = subprocess.run(cmd, input=input, capture_output=True, text=True, timeout=timeout)
        if check and done.returncode != 0:
            raise AssertionError(f"{' '.join(args)}: exit {done.returncode}: {done.stderr}")
        return done

    def get_json(self, *args):
        return json.loads(self.kubectl("get", *args, "-o", "json").stdout)

    def exists(self, *args):
        return self.kubectl("get", *args, "-o", "name", check=False).returncode == 0

    def delete_namespaces(self, *names, wait=True):
        if names:
            self.kubectl("delete", "namespace", *names, "--ignore-not-found",
                         f"--wait={'true' if wait else 'false'}", "--timeout=120s")

    def audit_offset(self):
        """The audit log's current size: pass it to audit_events to see only later writes."""
        return self.audit_log.stat().st_size if self.audit_log.exists() else 0

    def audit_events(self, since_offset=0):
        """Write events (create/update/patch/delete) logged after `since_offset`."""
        # The apiserver logs in blocking mode, so an event is on disk before its response.
        with open(self.audit_log, "rb") as f:
            f.seek(since_offset)
            data = f.read().decode()
        return [json.loads(line) for line in data.splitlines() if line.strip()]


@pytest.fixture(scope="session")
def dev_cluster(kubeconfig, cluster_env):
    """Built on conftest.py's fixtures (which start test/cluster when it is down)."""
    return DevCluster(kubeconfig, os.environ.get("WAVESYNC_KUBECTL", cluster_env["WAVESYNC_KUBECTL"]),
                      os.environ.get("WAVESYNC_AUDIT_LOG", cluster_env["WAVESYNC_AUDIT_LOG"]))


def run_wavesync(binary, *args, timeout=300):
    return subprocess.run([str(binary), *args], capture_output=True, text=True,
                          timeout=timeout, cwd=REPO)


def unique_name(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:6]}"


def load_documents(path):
    return [d for d in yaml.safe_load_all(pathlib.Path(path).read_text()) if d]


def manifest_objects(directory):
    """Every document under `directory` (recursive, *.yaml/*.yml), in file order."""
    objects = []
    for path in sorted(pathlib.Path(directory).rglob("*.y*ml")):
        objects.extend(load_documents(path))
    return objects


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bindir():
    found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
    candidates = [found.stdout.strip()] if found.returncode == 0 else []
    candidates += sorted(str(p) for p in pathlib.Path("/usr/lib/postgresql").glob("*/bin"))
    for c in candidates:
        if c and (pathlib.Path(c) / "pg_ctl").exists():
            return pathlib.Path(c)
    pytest.fail("PostgreSQL server binaries not found: install the Debian package postgresql")


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own on 127.0.0.1, run as the unprivileged `postgres`
    user in a temporary directory; superuser `postgres` with a password over TCP."""

    def __init__(self):
        self.bindir = _pg_bindir()
        self.port = _free_port()
        self.password = uuid.uuid4().hex
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="wavesync-pg-"))
        self.data = self.dir / "data"
        self.run_as = [] if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--"]

    def start(self):
        pwfile = self.dir / "pw"
        pwfile.write_text(self.password + "\n")
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            shutil.chown(pwfile, "postgres", "postgres")
        pwfile.chmod(0o600)
        subprocess.run([*self.run_as, str(self.bindir / "initdb"), "-D", str(self.data),
                        "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256",
                        f"--pwfile={pwfile}", "--no-sync"],
                       check=True, capture_output=True, timeout=120)
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off"
        subprocess.run([*self.run_as, str(self.bindir / "pg_ctl"), "-D", str(self.data),
                        "-o", options, "-l", str(self.dir / "log"), "-w", "-t", "60", "start"],
                       check=True, capture_output=True, timeout=90)

    def stop(self):
        subprocess.run([*self.run_as, str(self.bindir / "pg_ctl"), "-D", str(self.data),
                        "-m", "immediate", "-w", "-t", "30", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(self.dir, ignore_errors=True)

    def env(self):
        return {"PGHOST": "127.0.0.1", "PGPORT": str(self.port), "PGUSER": "postgres",
                "PGPASSWORD": self.password, "PGCONNECT_TIMEOUT": "5"}

    def query(self, sql, user="postgres", password=None, database="postgres"):
        """One value per line, as psql -tA prints them; the SQL goes on stdin."""
        env = {**os.environ, **self.env(), "PGUSER": user,
               "PGPASSWORD": password or self.password, "PGDATABASE": database}
        done = subprocess.run(["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1"],
                              input=sql, env=env, capture_output=True, text=True, timeout=30)
        if done.returncode != 0:
            raise AssertionError(f"psql as {user}: {done.stderr}")
        return done.stdout.strip()


@pytest.fixture()
def throwaway_postgres():
    pg = ThrowawayPostgres()
    try:
        pg.start()
        yield pg
    finally:
        pg.stop()


def wait_until(predicate, timeout=60, interval=0.5, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def rbac_moved(names, moved):
    """The documents of manifests/01-rbac.yaml named `names`, with their namespaces (and
    their subjects' namespaces) renamed by the `moved` map, to run in test namespaces."""
    out = []
    for doc in load_documents(REPO / "manifests" / "01-rbac.yaml"):
        if doc["metadata"]["name"] not in names:
            continue
        doc = json.loads(json.dumps(doc))
        doc["metadata"]["namespace"] = moved[doc["metadata"]["namespace"]]
        for subject in doc.get("subjects", []):
            subject["namespace"] = moved[subject["namespace"]]
        out.append(doc)
    return out


def service_account_kubeconfig(cluster, namespace, service_account, path):
    """Writes a kubeconfig at `path` that authenticates as the ServiceAccount (a bound
    token from the TokenRequest API) against the dev cluster."""
    token = cluster.kubectl("create", "token", service_account, "-n", namespace,
                            "--duration=1h").stdout.strip()
    raw = cluster.kubectl("config", "view", "--raw", "--minify", "-o", "json").stdout
    server = json.loads(raw)["clusters"][0]["cluster"]
    path.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "sa",
        "clusters": [{"name": "dev", "cluster": server}],
        "users": [{"name": "sa", "user": {"token": token}}],
        "contexts": [{"name": "sa", "context": {"cluster": "dev", "user": "sa"}}],
    }))
    path.chmod(0o600)
    return path


def config_map_script(file_name, key):
    """A script embedded in a ConfigMap of manifests/ (the single copy of it)."""
    docs = load_documents(REPO / "manifests" / file_name)
    return next(d for d in docs if d["kind"] == "ConfigMap")["data"][key]


def secret_key_refs(directory=REPO / "manifests"):
    """Every (secret name, key) a pod template under `directory` reads with secretKeyRef."""
    refs = set()

    def walk(node):
        if isinstance(node, dict):
            ref = node.get("secretKeyRef")
            if isinstance(ref, dict):
                refs.add((ref["name"], ref["key"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for obj in manifest_objects(directory):
        walk(obj)
    return refs
