"""The kube client as a cluster admin must be able to trust it, judged by the apiserver's audit
log (writes only: the dev cluster's audit policy does not log reads or watches) and by RBAC:
impersonation from the kubeconfig and from --as/--as-group/--as-uid on every request (watches:
a user that may not watch is refused in its own name), no credentials and no exec plugin for a
plain-http server, exec plugin answers with nulls that never abort the process (whose core-dump
limit is 0), a User-Agent that names wavesync, and the report written after SIGTERM."""
import http.client
import http.server
import json
import pathlib
import re
import signal
import ssl
import subprocess
import threading
import time
import uuid

import pytest
import yaml

from conftest import REPO
from faults import wait_until
from manifests import config_map, deployment, namespace as namespace_doc

UA = re.compile(r"^wavesync/\S+ \(linux/(amd64|arm64)\) \S+$")


def run(wavesync, *args, timeout=180, env=None):
    return subprocess.run([str(wavesync), *args], capture_output=True, text=True, timeout=timeout, cwd=REPO,
                          env=env)


def write_app(tmp_path, documents):
    d = tmp_path / f"app-{uuid.uuid4().hex[:8]}"
    d.mkdir()
    (d / "app.yaml").write_text(yaml.safe_dump_all(documents, sort_keys=False))
    return d


def kubeconfig_with(tmp_path, source, user_fields=None, cluster_fields=None, name="kubeconfig"):
    config = yaml.safe_load(pathlib.Path(source).read_text())
    if user_fields is not None:
        config["users"][0]["user"].update(user_fields)
        config["users"][0]["user"] = {k: v for k, v in config["users"][0]["user"].items() if v is not None}
    if cluster_fields is not None:
        config["clusters"][0]["cluster"].update(cluster_fields)
        config["clusters"][0]["cluster"] = {k: v for k, v in config["clusters"][0]["cluster"].items()
                                            if v is not None}
    path = tmp_path / name
    path.write_text(yaml.safe_dump(config))
    path.chmod(0o600)
    return path


def wavesync_events(audit, namespace=None, ok=None):
    """Every audited request wavesync made (by its User-Agent), in the namespace when given."""
    return [e for e in audit.events(namespace=namespace, subresource="*", ok=False)
            if e.get("userAgent", "").startswith("wavesync/")
            and (ok is None or (200 <= e.get("responseStatus", {}).get("code", 0) < 300) == ok)]


@pytest.fixture()
def rbac_user(kubectl):
    """Makes a user allowed `verbs` on every resource (a ClusterRole and its binding, deleted
    afterwards) and returns its name, for impersonating."""
    made = []

    def make(verbs):
        name = f"nobody-at-all-{uuid.uuid4().hex[:6]}"
        made.append(name)
        kubectl("apply", "-f", "-", input=yaml.safe_dump_all([
            {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": f"e2e-{name}"},
             "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": list(verbs)}]},
            {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
             "metadata": {"name": f"e2e-{name}"},
             "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": f"e2e-{name}"},
             "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": name}]}]))
        return name

    yield make
    for name in made:
        kubectl("delete", "clusterrolebinding,clusterrole", f"e2e-{name}", "--ignore-not-found", check=False)


@pytest.fixture()
def reader(rbac_user):
    """A user that may read everything and write nothing, so what impersonating it refuses is
    the first write, which the audit log records with the impersonated user."""
    return rbac_user(["get", "list", "watch"])


def test_impersonation_in_the_kubeconfig_is_used_and_refused_as_kubectl_refuses_it(
        wavesync, kubeconfig, kubectl, audit, namespace, tmp_path, wavesync_user, reader):
    config = kubeconfig_with(tmp_path, kubeconfig, {"as": reader})
    app = write_app(tmp_path, [namespace_doc(namespace), config_map("cm", namespace)])
    done = run(wavesync, "apply", str(app), "--kubeconfig", str(config), "--timeout", "60s")
    assert done.returncode == 4, done.stderr
    assert "403 Forbidden" in done.stderr and f'User "{reader}" cannot patch' in done.stderr, done.stderr
    kubectl_done = subprocess.run([kubectl.binary, f"--kubeconfig={config}", "apply", "--server-side", "-f",
                                   str(app / "app.yaml")], capture_output=True, text=True)
    assert kubectl_done.returncode != 0 and f'User "{reader}" cannot patch' in kubectl_done.stderr, \
        kubectl_done.stderr
    assert kubectl.get("namespace", namespace) is None
    # The audit log names the impersonated user on wavesync's refused write, and no write of
    # wavesync's went out with the kubeconfig's own (admin) rights.
    mine = wavesync_events(audit, namespace)
    assert mine, "no write of wavesync's reached the apiserver"
    for e in mine:
        assert e["user"]["username"] == wavesync_user, e
        assert e.get("impersonatedUser", {}).get("username") == reader, e
        assert e["responseStatus"]["code"] == 403, e


def test_as_flags_impersonate_every_request_including_watches_and_the_user_agent_names_wavesync(
        wavesync, kubeconfig, kubectl, audit, namespace, tmp_path):
    someone = f"deployer-{uuid.uuid4().hex[:6]}"
    app = write_app(tmp_path, [namespace_doc(namespace, wave=-1), deployment("web", namespace, 0),
                               config_map("after", namespace, 1)])
    done = run(wavesync, "apply", str(app), "--kubeconfig", kubeconfig, "--timeout", "120s", "--as", someone,
               "--as-group", "system:masters", "--as-group", "deployers", "--as-uid", "uid-42")
    assert done.returncode == 0, done.stderr
    assert kubectl.get("configmap", "after", "-n", namespace) is not None
    # The audit policy logs writes only: every write of wavesync's carries the impersonation.
    mine = wavesync_events(audit, namespace)
    assert {"patch"} <= {e["verb"] for e in mine}, mine
    for e in mine:
        imp = e.get("impersonatedUser", {})
        assert imp.get("username") == someone and imp.get("uid") == "uid-42", e
        assert {"system:masters", "deployers"} <= set(imp.get("groups", [])), e
        assert UA.match(e["userAgent"]), e["userAgent"]


def test_watches_carry_the_impersonation(wavesync, kubeconfig, kubectl, namespace, tmp_path, rbac_user):
    # The audit policy logs writes only, so the watch is judged by RBAC: the impersonated user
    # may do everything but watch. Writes succeed as that user; the wait's watch is refused in
    # its name. Without the Impersonate headers on the watch, it would run as the admin and the
    # sync would finish.
    no_watch = rbac_user(["get", "list", "create", "update", "patch", "delete"])
    # A Deployment is waited for (a ConfigMap is healthy from the write's answer alone).
    app = write_app(tmp_path, [namespace_doc(namespace, wave=-1), deployment("web", namespace, 0)])
    done = run(wavesync, "apply", str(app), "--kubeconfig", kubeconfig, "--timeout", "60s", "--as", no_watch)
    assert done.returncode != 0, done.stderr
    assert f'User "{no_watch}" cannot watch' in done.stderr, done.stderr
    assert kubectl.get("namespace", namespace) is not None  # the writes went out as that user


def test_impersonating_a_group_without_a_user_is_refused_before_any_request(wavesync, kubeconfig, audit, namespace,
                                                                             tmp_path):
    app = write_app(tmp_path, [namespace_doc(namespace), config_map("cm", namespace)])
    done = run(wavesync, "apply", str(app), "--kubeconfig", kubeconfig, "--as-group", "system:masters")
    assert done.returncode == 4, done.stderr
    assert "impersonation uid, groups or user-extra without a user to impersonate" in done.stderr
    assert not wavesync_events(audit, namespace)


class PlainHttpFront:
    """A plain-http front for the apiserver: records each request's headers and relays it over
    TLS without client credentials, so whatever credentials wavesync sends reach the audit log."""

    def __init__(self, upstream):
        self.seen = []
        self.marker = f"plain-http-front-{uuid.uuid4().hex[:8]}"
        host, port = upstream.removeprefix("https://").rsplit(":", 1)
        front = self
        context = ssl._create_unverified_context()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                front.seen.append(dict(self.headers))
                conn = http.client.HTTPSConnection(host, int(port), context=context, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                # Marks the relayed requests in the audit log, apart from concurrent tests'.
                headers["User-Agent"] = f"{front.marker} {self.headers.get('User-Agent', '')}"
                conn.request("GET", self.path, headers=headers)
                answer = conn.getresponse()
                body = answer.read()
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.getheader("Content-Type", "application/json"))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_PATCH = do_POST = do_DELETE = do_GET

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()


def test_no_credentials_and_no_exec_plugin_for_a_plain_http_server(wavesync, cluster_env, audit, namespace, tmp_path):
    front = PlainHttpFront(cluster_env["WAVESYNC_APISERVER"])
    try:
        marker = tmp_path / "plugin-ran"
        plugin = tmp_path / "plugin.sh"
        plugin.write_text(f"#!/bin/sh\ntouch {marker}\necho '{{\"apiVersion\":\"client.authentication.k8s.io/v1\","
                          "\"kind\":\"ExecCredential\",\"status\":{\"token\":\"plugin-token\"}}'\n")
        plugin.chmod(0o700)
        token_config = kubeconfig_with(tmp_path, cluster_env["WAVESYNC_KUBECONFIG_TOKEN"],
                                       cluster_fields={"server": front.url, "certificate-authority-data": None,
                                                       "certificate-authority": None}, name="token")
        exec_config = kubeconfig_with(tmp_path, cluster_env["WAVESYNC_KUBECONFIG_TOKEN"],
                                      user_fields={"token": None, "exec": {
                                          "apiVersion": "client.authentication.k8s.io/v1", "command": str(plugin),
                                          "interactiveMode": "Never"}},
                                      cluster_fields={"server": front.url, "certificate-authority-data": None,
                                                      "certificate-authority": None}, name="exec")
        app = write_app(tmp_path, [namespace_doc(namespace), config_map("cm", namespace)])
        for config in (token_config, exec_config):
            done = run(wavesync, "apply", str(app), "--kubeconfig", str(config), "--timeout", "30s")
            assert done.returncode == 4, done.stderr
            assert "is plain http: the credentials of user" in done.stderr, done.stderr
    finally:
        front.close()
    assert front.seen, "wavesync sent nothing to the plain-http server"
    assert not [h for h in front.seen if any(k.lower() == "authorization" for k in h)]
    assert not marker.exists(), "the exec plugin ran for a plain-http server"
    # Relayed requests reach the apiserver without credentials: nothing was written.
    assert not audit.events(namespace=namespace)
    assert all(UA.match(h.get("User-Agent", "")) for h in front.seen)


@pytest.mark.parametrize("status,expect_ok", [
    ('{"token": TOKEN, "expirationTimestamp": null}', True),
    ('{"token": TOKEN, "clientCertificateData": null, "clientKeyData": null}', True),
    ('{"token": null}', False),
    ('{"token": TOKEN, "expirationTimestamp": 12}', False),
    ('null', False),
])
def test_exec_plugin_nulls_and_odd_types_never_abort_and_core_dumps_are_off(
        wavesync, cluster_env, kubectl, namespace, tmp_path, status, expect_ok):
    token = yaml.safe_load(pathlib.Path(cluster_env["WAVESYNC_KUBECONFIG_TOKEN"]).read_text())["users"][0]["user"]["token"]
    limits = tmp_path / "parent-limits"
    plugin = tmp_path / "plugin.sh"
    body = '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":' + \
        status.replace("TOKEN", json.dumps(token)) + "}"
    plugin.write_text(f"#!/bin/sh\ncat /proc/$PPID/limits > {limits}\ncat <<'EOF'\n{body}\nEOF\n")
    plugin.chmod(0o700)
    config = kubeconfig_with(tmp_path, cluster_env["WAVESYNC_KUBECONFIG_TOKEN"], user_fields={
        "token": None, "exec": {"apiVersion": "client.authentication.k8s.io/v1", "command": str(plugin),
                                "interactiveMode": "Never"}})
    app = write_app(tmp_path, [namespace_doc(namespace), config_map("cm", namespace)])
    done = subprocess.run(["bash", "-c", 'ulimit -c unlimited; exec "$@"', "-", str(wavesync), "apply", str(app),
                           "--kubeconfig", str(config), "--timeout", "60s"],
                          capture_output=True, text=True, timeout=120, cwd=REPO)
    if expect_ok:
        assert done.returncode == 0, done.stderr
        assert kubectl.get("configmap", "cm", "-n", namespace) is not None
    else:
        assert done.returncode == 4, done.stderr
        assert re.search(r'exec plugin ".*plugin.sh": returned', done.stderr), done.stderr
    core = [line for line in limits.read_text().splitlines() if line.startswith("Max core file size")]
    assert core and core[0].split()[4:6] == ["0", "0"], core


def test_sigterm_during_a_wait_ends_the_run_with_143_and_writes_the_report(wavesync, kubeconfig, audit, namespace,
                                                                            tmp_path):
    app = write_app(tmp_path, [namespace_doc(namespace, wave=-1),
                               deployment("web", namespace, 0, pod_annotations={"wavesync.dev/test-delay": "120s"})])
    report = tmp_path / "report.json"
    junit = tmp_path / "junit.xml"
    process = subprocess.Popen([str(wavesync), "apply", str(app), "--kubeconfig", kubeconfig, "--timeout", "300s",
                                "--report", str(report), "--junit", str(junit)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
    wait_until("the Deployment to be applied",
               lambda: audit.events(namespace=namespace, resource="deployments", verbs={"patch"}), timeout=90)
    sent = time.monotonic()
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 143, err
    assert time.monotonic() - sent < 10
    assert json.loads(report.read_text()), "empty report"
    assert "<testsuite" in junit.read_text()
