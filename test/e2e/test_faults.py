"""wavesync against a misbehaving control plane: the apiserver killed and restarted mid-wave,
connections reset, stalled and delayed by our fault proxy, 429 throttling, a watch that expires
(410 Gone), credentials that stop working, a hook Job deleted behind wavesync's back and a
namespace stuck terminating. Each case either finishes with the cluster as the manifests say
(checked with kubectl and the audit log, hooks created once) or fails with the documented exit
code and a message saying what happened; nothing waits past --timeout.

These tests run on a second control plane of their own (faults.FAULT_CLUSTER_ENV), so
restarting its apiserver never disturbs other suites; every test restores normal flags."""
import json
import os
import pathlib
import stat
import time
import uuid

import pytest
import yaml

from faults import FaultCluster, FaultProxy, LogWindow, Run, wait_until, write_manifests
from manifests import config_map, deployment, job, namespace as namespace_doc

DELAY = "wavesync.dev/test-delay"
USER = "wavesync-admin"


@pytest.fixture(scope="module")
def cluster():
    c = FaultCluster()
    yield c
    c.restore()
    c.down()


@pytest.fixture()
def fault_cluster(cluster):
    yield cluster
    cluster.restore()


@pytest.fixture()
def ns(fault_cluster, request):
    name = f"fault-{request.node.name[5:25].replace('_', '-').strip('-')}-{uuid.uuid4().hex[:5]}"
    yield name
    fault_cluster.kubectl("delete", "namespace", name, "--ignore-not-found", "--wait=false", check=False)


@pytest.fixture()
def proxy(fault_cluster, tmp_path):
    p = FaultProxy(fault_cluster, fault_cluster.kubeconfig, tmp_path)
    yield p
    p.close()


def writes(audit, ns, resource, name=None, verbs=("create", "patch"), user=USER):
    return audit.events(namespace=ns, resource=resource, name=name, user=user, verbs=set(verbs))


def creates(audit, ns, name, user=USER):
    """Writes that created the hook Job `name` (a server-side apply creates with a 201 PATCH)."""
    return [e for e in writes(audit, ns, "jobs", name, user=user) if e["responseStatus"]["code"] == 201]


def hook_job(name, ns, delay=None):
    return job(name, ns, hook="PreSync", policy="BeforeHookCreation",
               pod_annotations={DELAY: delay} if delay else None)


def assert_synced(kubectl, ns, config_maps=(), deployments=(), jobs=()):
    for name in config_maps:
        assert kubectl.get("configmap", name, "-n", ns) is not None, f"configmap {name} missing"
    for name in deployments:
        d = kubectl.get("deployment", name, "-n", ns)
        assert d is not None and d["status"].get("availableReplicas") == 1, f"deployment {name} not available"
    for name in jobs:
        j = kubectl.get("job", name, "-n", ns)
        assert j is not None and any(c["type"] == "Complete" and c["status"] == "True"
                                     for c in j["status"].get("conditions", [])), f"job {name} not complete"


def waiting_app(ns, delay="8s"):
    """PreSync hook, a wave-0 Deployment that turns Ready after `delay`, a wave-1 ConfigMap."""
    return [namespace_doc(ns, wave=-1), hook_job("migrate", ns),
            deployment("web", ns, 0, pod_annotations={DELAY: delay}), config_map("after", ns, 1)]


def test_apiserver_killed_and_restarted_while_wavesync_waits_on_a_watch(fault_cluster, ns, wavesync, tmp_path):
    audit = fault_cluster.audit()
    manifests = write_manifests(tmp_path, waiting_app(ns, delay="10s"), ns)
    run = Run(wavesync, manifests, fault_cluster.kubeconfig, timeout="150s")
    wait_until("the Deployment to be applied", lambda: writes(audit, ns, "deployments", "web"), timeout=60)
    fault_cluster.restart_apiserver()
    assert run.wait(200) == 0, run.stderr()
    assert_synced(fault_cluster.kubectl, ns, config_maps=["after"], deployments=["web"], jobs=["migrate"])
    assert len(creates(audit, ns, "migrate")) == 1


def test_apiserver_killed_and_restarted_while_wavesync_applies(fault_cluster, ns, wavesync, tmp_path):
    audit = fault_cluster.audit()
    names = [f"cm-{i:03d}" for i in range(300)]
    manifests = write_manifests(tmp_path, [namespace_doc(ns, wave=-1), hook_job("migrate", ns)]
                    + [config_map(n, ns, 0) for n in names] + [config_map("after", ns, 1)], ns)
    run = Run(wavesync, manifests, fault_cluster.kubeconfig, timeout="150s")
    wait_until("the first ConfigMap write", lambda: writes(audit, ns, "configmaps"), timeout=60, interval=0.05)
    fault_cluster.restart_apiserver()
    assert run.wait(200) == 0, run.stderr()
    assert_synced(fault_cluster.kubectl, ns, config_maps=names + ["after"], jobs=["migrate"])
    assert len(creates(audit, ns, "migrate")) == 1


def test_connections_reset_every_second_do_not_stop_a_sync(fault_cluster, ns, wavesync, tmp_path, proxy):
    audit = fault_cluster.audit()
    names = [f"cm-{i:03d}" for i in range(100)]
    manifests = write_manifests(tmp_path, waiting_app(ns, delay="6s") + [config_map(n, ns, 0) for n in names], ns)
    proxy.send("reset-after 1000")
    run = Run(wavesync, manifests, proxy.kubeconfig, timeout="150s")
    assert run.wait(200) == 0, run.stderr()
    assert int(proxy.stats()["resets"]) >= 3
    assert_synced(fault_cluster.kubectl, ns, config_maps=names + ["after"], deployments=["web"], jobs=["migrate"])
    assert len(creates(audit, ns, "migrate")) == 1


def test_added_latency_of_300_ms_each_way_slows_a_sync_but_it_finishes(fault_cluster, ns, wavesync, tmp_path, proxy):
    manifests = write_manifests(tmp_path, waiting_app(ns, delay="2s") + [config_map(f"cm-{i}", ns, 0) for i in range(50)],
                                ns)
    proxy.send("latency 300")
    run = Run(wavesync, manifests, proxy.kubeconfig, timeout="150s")
    assert run.wait(200) == 0, run.stderr()
    assert_synced(fault_cluster.kubectl, ns, config_maps=["after", "cm-49"], deployments=["web"], jobs=["migrate"])


def test_a_short_stall_during_a_wait_is_survived(fault_cluster, ns, wavesync, tmp_path, proxy):
    audit = fault_cluster.audit()
    manifests = write_manifests(tmp_path, waiting_app(ns, delay="4s"), ns)
    run = Run(wavesync, manifests, proxy.kubeconfig, timeout="150s")
    wait_until("the Deployment to be applied", lambda: writes(audit, ns, "deployments", "web"), timeout=60)
    proxy.send("stall")
    stalled_at = time.monotonic()
    # The Deployment turns available during the stall (the controllers do not go through the
    # proxy), but wavesync cannot hear it: the watch event is held, so wave 1 waits.
    wait_until("the Deployment to be available", lambda: (fault_cluster.kubectl.get("deployment", "web", "-n", ns)
                                                          or {}).get("status", {}).get("availableReplicas") == 1,
               timeout=60)
    time.sleep(max(1.0, 8 - (time.monotonic() - stalled_at)))
    stats = proxy.stats()
    assert stats["mode"] == "stall" and int(stats["held"]) > 0, stats
    assert run.running(), run.stderr()
    assert fault_cluster.kubectl.get("configmap", "after", "-n", ns) is None
    proxy.send("normal")
    assert run.wait(200) == 0, run.stderr()
    assert_synced(fault_cluster.kubectl, ns, config_maps=["after"], deployments=["web"], jobs=["migrate"])


def test_a_stall_that_outlasts_the_timeout_ends_with_exit_code_3_in_time(fault_cluster, ns, wavesync, tmp_path, proxy):
    audit = fault_cluster.audit()
    manifests = write_manifests(tmp_path, waiting_app(ns, delay="4s"), ns)
    run = Run(wavesync, manifests, proxy.kubeconfig, timeout="25s")
    wait_until("the Deployment to be applied", lambda: writes(audit, ns, "deployments", "web"), timeout=60)
    proxy.send("stall")
    code = run.wait(120)
    assert code == 3, run.stderr()
    # --timeout, then at most the 30 s grace for diagnostics (cli/run_deadline.hpp), plus slack.
    assert run.elapsed < 25 + 30 + 15, f"took {run.elapsed:.0f} s"
    assert "timeout" in run.stderr().lower() or "timed out" in run.stderr().lower(), run.stderr()


def test_an_unreachable_apiserver_is_exit_code_4_naming_the_server(fault_cluster, ns, wavesync, tmp_path, proxy):
    manifests = write_manifests(tmp_path, [namespace_doc(ns), config_map("a", ns)], ns)
    proxy.send("refuse")
    run = Run(wavesync, manifests, proxy.kubeconfig, timeout="60s")
    assert run.wait(90) == 4, run.stderr()
    assert f"127.0.0.1:{proxy.port}" in run.stderr(), run.stderr()
    assert run.elapsed < 30, f"took {run.elapsed:.0f} s"


def test_throttling_429_with_retry_after_is_waited_out_for_500_concurrent_applies(
        fault_cluster, ns, wavesync, tmp_path):
    # Both in-flight filters exempt system:masters, so this run uses the RBAC-only user.
    fault_cluster.restart_apiserver(WAVESYNC_MAX_REQUESTS_INFLIGHT="1", WAVESYNC_MAX_MUTATING_REQUESTS_INFLIGHT="1",
                                    WAVESYNC_APISERVER_APF="false")
    audit = fault_cluster.audit()
    names = [f"cm-{i:03d}" for i in range(500)]
    fault_cluster.kubectl("create", "namespace", ns)
    manifests = write_manifests(tmp_path, [config_map(n, ns, 0) for n in names] + [config_map("after", ns, 1)], ns)
    run = Run(wavesync, manifests, fault_cluster.kubeconfig_limited, timeout="300s")
    assert run.wait(400) == 0, run.stderr()
    throttled = [e for e in audit.events(namespace=ns, resource="configmaps", verbs={"patch"}, ok=False)
                 if e.get("responseStatus", {}).get("code") == 429]
    assert len(throttled) > 0, "no 429 seen: the limits did not bite"
    fault_cluster.restore()
    assert fault_cluster.kubectl.names("configmaps", ns) == sorted(names + ["after", "kube-root-ca.crt"])


def test_a_watch_that_expires_with_410_gone_is_relisted_and_the_sync_finishes(
        fault_cluster, ns, wavesync, tmp_path, proxy):
    # Without the watch cache, a watch resumed from a compacted resourceVersion gets 410 Gone
    # from etcd: compact while the streams are cut, and every resume must expire.
    fault_cluster.restart_apiserver(WAVESYNC_APISERVER_WATCH_CACHE="false")
    assert "--watch-cache=false" in (fault_cluster.state / "kube-apiserver.args").read_text()
    audit = fault_cluster.audit()
    manifests = write_manifests(tmp_path, waiting_app(ns, delay="15s"), ns)
    run = Run(wavesync, manifests, proxy.kubeconfig, timeout="150s")
    wait_until("the Deployment to be applied", lambda: writes(audit, ns, "deployments", "web"), timeout=60)
    time.sleep(2)
    proxy.send("stall")
    for i in range(5):  # move etcd's revision past everything wavesync has seen
        fault_cluster.kubectl("create", "configmap", f"bump-{i}", "-n", ns)
    apiserver_log = LogWindow(fault_cluster.apiserver_log)
    fault_cluster.etcd_compact()
    proxy.send("reset")
    proxy.send("normal")
    assert run.wait(200) == 0, run.stderr()
    assert_synced(fault_cluster.kubectl, ns, config_maps=["after"], deployments=["web"], jobs=["migrate"])
    assert len(creates(audit, ns, "migrate")) == 1
    # The apiserver's word that a watch was resumed from a compacted revision, which it answers
    # with 410 Gone (k8s.io/apiserver pkg/storage/etcd3 watcher.go logWatchChannelErr and
    # errors.go interpretWatchError). Only wavesync's watches were cut and resumed here; the
    # controllers' streams do not pass the proxy and stayed open.
    expired = [line for line in apiserver_log.lines() if "required revision has been compacted" in line]
    assert expired, "no watch hit the compaction: the 410 path was not exercised"


def test_exec_credentials_that_stop_working_mid_run_are_refreshed(fault_cluster, ns, wavesync, tmp_path):
    token = yaml.safe_load(pathlib.Path(fault_cluster.kubeconfig_token).read_text())["users"][0]["user"]["token"]
    counter = tmp_path / "plugin-runs"
    plugin = tmp_path / "plugin.py"
    # Run 1: the valid token, expiring in 3 s. Run 2: a token the apiserver rejects (401).
    # Run 3 and later: the valid token again.
    plugin.write_text(f"""#!/usr/bin/env python3
import datetime, json, pathlib
c = pathlib.Path({str(counter)!r})
n = int(c.read_text()) + 1 if c.exists() else 1
c.write_text(str(n))
status = {{"token": {token!r} if n != 2 else "revoked-token-{uuid.uuid4().hex}"}}
if n == 1:
    status["expirationTimestamp"] = (datetime.datetime.now(datetime.timezone.utc)
        + datetime.timedelta(seconds=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
print(json.dumps({{"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential", "status": status}}))
""")
    plugin.chmod(0o700)
    config = yaml.safe_load(pathlib.Path(fault_cluster.kubeconfig_token).read_text())
    config["users"][0]["user"] = {"exec": {"apiVersion": "client.authentication.k8s.io/v1", "command": str(plugin),
                                           "interactiveMode": "Never"}}
    kubeconfig = tmp_path / "kubeconfig-exec"
    kubeconfig.write_text(yaml.safe_dump(config))
    audit = fault_cluster.audit()
    manifests = write_manifests(tmp_path, waiting_app(ns, delay="6s"), ns)
    run = Run(wavesync, manifests, kubeconfig, timeout="120s")
    assert run.wait(180) == 0, run.stderr()
    assert int(counter.read_text()) >= 3
    assert_synced(fault_cluster.kubectl, ns, config_maps=["after"], deployments=["web"], jobs=["migrate"])
    assert len(creates(audit, ns, "migrate", user="wavesync-token-admin")) == 1


def test_a_hook_job_deleted_by_someone_else_fails_the_sync_at_once(fault_cluster, ns, wavesync, tmp_path):
    audit = fault_cluster.audit()
    manifests = write_manifests(tmp_path, [namespace_doc(ns, wave=-1), hook_job("migrate", ns, delay="60s"),
                               config_map("after", ns, 1)], ns)
    run = Run(wavesync, manifests, fault_cluster.kubeconfig, timeout="120s")
    wait_until("the hook Job", lambda: creates(audit, ns, "migrate"), timeout=60)
    time.sleep(1)
    fault_cluster.kubectl("delete", "job", "migrate", "-n", ns, "--wait=false")
    code = run.wait(60)
    assert code == 1, run.stderr()
    assert "migrate" in run.stderr() and "deleted" in run.stderr().lower(), run.stderr()
    assert fault_cluster.kubectl.get("configmap", "after", "-n", ns) is None


def test_a_namespace_stuck_terminating_fails_with_a_clear_message(fault_cluster, ns, wavesync, tmp_path):
    kubectl = fault_cluster.kubectl
    kubectl("create", "namespace", ns)
    blocker = {"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": {"name": "blocker", "namespace": ns, "finalizers": ["wavesync.dev/test-block"]}}
    kubectl("apply", "-f", "-", input=json.dumps(blocker))
    kubectl("delete", "namespace", ns, "--wait=false")
    wait_until("the namespace to be terminating",
               lambda: (kubectl.get("namespace", ns) or {}).get("status", {}).get("phase") == "Terminating")
    try:
        manifests = write_manifests(tmp_path, [config_map("app", ns, 0)], ns)
        run = Run(wavesync, manifests, fault_cluster.kubeconfig, timeout="60s")
        code = run.wait(90)
        assert code == 1, run.stderr()
        assert "terminat" in run.stderr(), run.stderr()
        assert ns in run.stderr(), run.stderr()
        assert run.elapsed < 30
    finally:
        kubectl("patch", "configmap", "blocker", "-n", ns, "--type=merge", "-p", '{"metadata":{"finalizers":null}}',
                check=False)
