"""Waits that outlast an API server outage (client-go reflector semantics: a watch never gives
up on a failure that may pass; --timeout bounds the run): 45 s of refused and reset connections
during a wait, and a watch whose credentials are refused (401) and refreshed. Runs on the
private fault control plane behind the fault proxy (faults.py); judged by kubectl and the
audit log."""
import pathlib
import time
import uuid

import yaml

from faults import FaultProxy, Run, wait_until, write_manifests
from manifests import config_map, deployment, namespace as namespace_doc
# The private fault control plane and a namespace on it, as test_faults.py makes them.
from test_faults import DELAY, cluster, fault_cluster, ns  # noqa: F401 (fixtures)


def app(ns, delay):
    return [namespace_doc(ns, wave=-1), deployment("web", ns, 0, pod_annotations={DELAY: delay}),
            config_map("after", ns, 1)]


def applied(audit, ns, resource, name):
    return [e for e in audit.events(namespace=ns, resource=resource, name=name, verbs={"patch"})
            if e.get("userAgent", "").startswith("wavesync/")]


def test_a_45_second_outage_of_refused_and_reset_connections_during_a_wait_finishes(fault_cluster, ns, wavesync,
                                                                                      tmp_path):
    cluster = fault_cluster
    proxy = FaultProxy(cluster, cluster.kubeconfig, tmp_path)
    try:
        audit = cluster.audit()
        manifests = write_manifests(tmp_path, app(ns, "20s"), ns)
        run = Run(wavesync, manifests, proxy.kubeconfig, timeout="180s")
        wait_until("the Deployment to be applied", lambda: applied(audit, ns, "deployments", "web"), timeout=90)
        proxy.send("refuse")
        proxy.send("reset")
        outage_started = time.monotonic()
        time.sleep(45)
        assert run.running(), f"wavesync gave up during the outage:\n{run.stderr()}"
        proxy.send("normal")
        outage = time.monotonic() - outage_started
        assert run.wait(200) == 0, run.stderr()
        assert int(proxy.stats()["resets"]) >= 5
    finally:
        proxy.close()
    assert outage >= 45
    assert cluster.kubectl.get("configmap", "after", "-n", ns) is not None
    # The wave after the Deployment was applied after the outage, by wavesync.
    assert applied(audit, ns, "configmaps", "after")


def test_a_watch_refused_with_401_gets_fresh_credentials_and_the_sync_finishes(fault_cluster, ns, wavesync, tmp_path):
    cluster = fault_cluster
    token = yaml.safe_load(pathlib.Path(cluster.kubeconfig_token).read_text())["users"][0]["user"]["token"]
    counter = tmp_path / "plugin-runs"
    plugin = tmp_path / "plugin.sh"
    # Run 1: the valid token for 4 s. Run 2: a revoked token, cached (no expiry). Run 3 and
    # later: the valid token. The reset after run 1 expired makes the watch restart with run 2's.
    revoked = f"revoked-token-{uuid.uuid4().hex}"
    plugin.write_text(f"""#!/bin/sh
n=$(( $(cat {counter} 2>/dev/null || echo 0) + 1 )); echo $n > {counter}
expiry=""
token={token}
if [ $n = 1 ]; then expiry=",\\"expirationTimestamp\\":\\"$(date -u -d '+4 seconds' +%Y-%m-%dT%H:%M:%SZ)\\""; fi
if [ $n = 2 ]; then token={revoked}; fi
printf '{{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{{"token":"%s"%s}}}}\\n' "$token" "$expiry"
""")
    plugin.chmod(0o700)
    proxy = FaultProxy(cluster, cluster.kubeconfig_token, tmp_path)
    config = yaml.safe_load(proxy.kubeconfig.read_text())
    config["users"][0]["user"] = {"exec": {"apiVersion": "client.authentication.k8s.io/v1", "command": str(plugin),
                                           "interactiveMode": "Never"}}
    kubeconfig = tmp_path / "kubeconfig-exec"
    kubeconfig.write_text(yaml.safe_dump(config))
    try:
        audit = cluster.audit()
        manifests = write_manifests(tmp_path, app(ns, "15s"), ns)
        run = Run(wavesync, manifests, kubeconfig, timeout="120s")
        wait_until("the Deployment to be applied", lambda: applied(audit, ns, "deployments", "web"), timeout=90)
        time.sleep(5)  # run 1's token has expired; the next credential is run 2's revoked one
        proxy.send("reset")
        assert run.wait(180) == 0, run.stderr()
    finally:
        proxy.close()
    assert int(counter.read_text()) >= 3
    # The audit policy logs writes only: the 401 itself is not in the log; the plugin's third
    # run (after the revoked token was refused) and the finished sync show the refresh.
    assert cluster.kubectl.get("configmap", "after", "-n", ns) is not None
