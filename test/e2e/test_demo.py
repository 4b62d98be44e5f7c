"""`make demo`'s script deploys manifests/ to the local control plane: afterwards every
object of manifests/ is present and healthy, as the cluster's kubectl sees it."""
import json
import os
import subprocess

import pytest

from seed_fixtures import REPO, dev_cluster, manifest_objects  # noqa: F401

NAMESPACES = ["shop", "rabbitmq-system", "rook-ceph"]


def condition(obj, kind):
    for c in obj.get("status", {}).get("conditions", []):
        if c["type"] == kind:
            return c["status"]
    return None


def unhealthy_reason(obj):
    """None when the live object is healthy the way its kind's controller reports it."""
    kind, status = obj["kind"], obj.get("status", {})
    if kind == "Namespace":
        return None if status.get("phase") == "Active" else f"phase {status.get('phase')}"
    if kind == "Deployment":
        want = obj["spec"].get("replicas", 1)
        if condition(obj, "Available") != "True":
            return "not Available"
        if status.get("observedGeneration", 0) < obj["metadata"]["generation"]:
            return "rollout not observed"
        if status.get("updatedReplicas") != want or status.get("availableReplicas") != want:
            return f"{status.get('availableReplicas')}/{want} replicas available"
        return None
    if kind == "Job":
        return None if condition(obj, "Complete") == "True" else "not Complete"
    if kind == "CephObjectStoreUser":
        return None if status.get("phase") == "Ready" else f"phase {status.get('phase')}"
    if obj["apiVersion"].startswith(("rabbitmq.com/", "cert-manager.io/")):
        return None if condition(obj, "Ready") == "True" else "not Ready"
    return None  # ConfigMap, Service, RBAC, CronJob, IngressRoute: existing is healthy


def test_demo_deploys_every_object_of_the_manifests_healthy(dev_cluster, wavesync):  # noqa: F811
    dev_cluster.delete_namespaces(*NAMESPACES)
    build = wavesync.parent.parent
    timeline = build / "demo" / "timeline.svg"
    timeline.unlink(missing_ok=True)
    env = {**os.environ, "BUILD": str(build)}
    demo = subprocess.run(["bash", str(REPO / "examples" / "demo.sh")], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=900)
    assert demo.returncode == 0, demo.stderr[-4000:]
    assert f"export KUBECONFIG={dev_cluster.kubeconfig}" in demo.stderr
    assert f"demo: timeline of the run: {build}/demo/timeline.svg" in demo.stderr
    assert timeline.read_text().lstrip().startswith(("<svg", "<?xml"))

    assert manifest_problems(dev_cluster) == []


def manifest_problems(cluster):
    """One line per object of manifests/ that is missing or not healthy."""
    problems = []
    for obj in manifest_objects(REPO / "manifests"):
        meta = obj["metadata"]
        ident = f"{obj['kind']} {meta.get('namespace', '')}/{meta['name']}"
        args = [f"{obj['kind'].lower()}.{obj['apiVersion'].split('/')[0]}"
                if "/" in obj["apiVersion"] else obj["kind"].lower(), meta["name"]]
        if "namespace" in meta:
            args += ["-n", meta["namespace"]]
        got = cluster.kubectl("get", *args, "-o", "json", check=False)
        if got.returncode != 0:
            problems.append(f"{ident}: missing ({got.stderr.strip()})")
            continue
        reason = unhealthy_reason(json.loads(got.stdout))
        if reason:
            problems.append(f"{ident}: {reason}")
    return problems


@pytest.fixture(scope="module", autouse=True)
def _leave_cluster_clean(dev_cluster):  # noqa: F811
    yield
    dev_cluster.delete_namespaces(*NAMESPACES, wait=False)
