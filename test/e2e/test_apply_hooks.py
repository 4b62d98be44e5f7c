"""Hooks through `wavesync apply` on the local control plane: phases, delete policies,
generateName, Helm annotations, SyncFail, and CRDs before their custom resources. Checked
with kubectl and the apiserver audit log."""
import uuid

from manifests import config_map, deployment, job, meta, namespace as namespace_doc

FAIL = {"wavesync.dev/test-fail": "true"}


def created(audit, namespace_name, resource, user, name=None):
    """wavesync's creating writes (SSA upserts are PATCH) in log order, as (resource, name)."""
    return [(e["objectRef"]["resource"], e["objectRef"]["name"])
            for e in audit.events(namespace=namespace_name, resource=resource, name=name, user=user,
                                  verbs={"create", "patch"})]


def test_presync_hooks_run_before_sync_resources_and_postsync_after_they_are_healthy(
        apply, audit, kubectl, namespace, wavesync_user):
    documents = [
        namespace_doc(namespace, wave=-1),
        job("migrate", namespace, hook="PreSync", pod_annotations={"wavesync.dev/test-delay": "2s"}),
        deployment("web", namespace, 0, pod_annotations={"wavesync.dev/test-delay": "2s"}),
        job("smoke", namespace, hook="PostSync"),
    ]
    done = apply(documents=documents)
    assert done.returncode == 0, done.stderr
    order = [e["objectRef"]["resource"] + "/" + e["objectRef"]["name"]
             for e in audit.events(namespace=namespace, user=wavesync_user, verbs={"create", "patch"})
             if e["objectRef"]["resource"] in ("jobs", "deployments")]
    assert order == ["jobs/migrate", "deployments/web", "jobs/smoke"]
    web_ready = audit.events(namespace=namespace, resource="deployments", name="web", subresource="status",
                             verbs={"update", "patch"})[-1]["done"]
    smoke_created = audit.events(namespace=namespace, resource="jobs", name="smoke", user=wavesync_user,
                                 verbs={"create", "patch"})[0]["time"]
    assert web_ready < smoke_created
    smoke = kubectl.get("job", "smoke", "-n", namespace)
    assert any(c["type"] == "Complete" for c in smoke["status"]["conditions"])


def test_hook_succeeded_hooks_are_deleted_after_a_successful_sync(apply, audit, kubectl, namespace, wavesync_user):
    documents = [namespace_doc(namespace, wave=-1),
                 job("on-success", namespace, hook="PreSync", policy="HookSucceeded"),
                 job("kept", namespace, hook="PreSync", policy="HookFailed"),
                 config_map("settings", namespace, 0)]
    done = apply(documents=documents)
    assert done.returncode == 0, done.stderr
    assert kubectl.get("job", "on-success", "-n", namespace) is None
    assert kubectl.get("job", "kept", "-n", namespace) is not None
    deletes = audit.events(namespace=namespace, resource="jobs", user=wavesync_user, verbs={"delete"})
    assert [e["objectRef"]["name"] for e in deletes] == ["on-success"]


def test_hook_failed_hooks_are_deleted_after_a_failed_sync(apply, audit, kubectl, namespace, wavesync_user):
    documents = [namespace_doc(namespace, wave=-1),
                 job("broken", namespace, hook="PreSync", policy="HookFailed", pod_annotations=FAIL),
                 job("on-success", namespace, hook="PreSync", policy="HookSucceeded"),
                 config_map("settings", namespace, 0)]
    done = apply(documents=documents)
    assert done.returncode == 1, done.stderr
    assert kubectl.get("job", "broken", "-n", namespace) is None
    assert kubectl.get("job", "on-success", "-n", namespace) is not None
    assert kubectl.get("configmap", "settings", "-n", namespace) is None


def test_a_failing_hook_fails_the_sync_runs_sync_fail_and_applies_no_later_wave(
        apply, audit, kubectl, namespace, wavesync_user):
    documents = [namespace_doc(namespace, wave=-1),
                 job("migrate", namespace, 0, hook="Sync", pod_annotations=FAIL),
                 deployment("web", namespace, 1),
                 job("notify-failure", namespace, hook="SyncFail")]
    done = apply(documents=documents)
    assert done.returncode == 1, done.stderr
    # The failure and its diagnostics are shown (the pod log tail: test_hook_logs.py).
    assert "migrate" in done.stderr
    assert "BackoffLimitExceeded" in done.stderr or "backoff limit" in done.stderr
    notify = kubectl.get("job", "notify-failure", "-n", namespace)
    assert notify is not None
    assert any(c["type"] == "Complete" for c in notify["status"]["conditions"])
    assert kubectl.get("deployment", "web", "-n", namespace) is None
    assert created(audit, namespace, "deployments", wavesync_user) == []


def test_generate_name_hooks_get_a_run_specific_name(apply, kubectl, namespace):
    documents = [namespace_doc(namespace, wave=-1),
                 job("seed-", namespace, hook="PreSync", generate_name=True),
                 config_map("settings", namespace, 0)]
    done = apply(documents=documents)
    assert done.returncode == 0, done.stderr
    names = kubectl.names("jobs", namespace)
    assert len(names) == 1
    assert names[0].startswith("seed-") and "-presync-" in names[0]
    job_object = kubectl.get("job", names[0], "-n", namespace)
    assert any(c["type"] == "Complete" for c in job_object["status"]["conditions"])


def test_helm_hook_annotations_run_as_presync_hooks_with_their_policies(apply, audit, kubectl, namespace,
                                                                        wavesync_user):
    helm = job("db-migrate", namespace, annotations={"helm.sh/hook": "pre-install,pre-upgrade",
                                                    "helm.sh/hook-weight": "-5",
                                                    "helm.sh/hook-delete-policy": "hook-succeeded"})
    documents = [namespace_doc(namespace, wave=-10), helm, config_map("settings", namespace, 0)]
    done = apply(documents=documents)
    assert done.returncode == 0, done.stderr
    order = [e["objectRef"]["resource"] for e in audit.events(namespace=namespace, user=wavesync_user,
                                                              verbs={"create", "patch"})
             if e["objectRef"]["resource"] in ("jobs", "configmaps")]
    assert order == ["jobs", "configmaps"]
    assert kubectl.get("job", "db-migrate", "-n", namespace) is None  # hook-succeeded


def test_a_crd_and_its_custom_resource_in_consecutive_waves(apply, audit, kubectl, namespace, wavesync_user):
    group = f"e{uuid.uuid4().hex[:8]}.e2e.wavesync.dev"
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": meta(f"gizmos.{group}", wave=0),
           "spec": {"group": group, "scope": "Namespaced",
                    "names": {"kind": "Gizmo", "plural": "gizmos", "singular": "gizmo", "listKind": "GizmoList"},
                    "versions": [{"name": "v1", "served": True, "storage": True,
                                  "schema": {"openAPIV3Schema": {"type": "object",
                                                                 "x-kubernetes-preserve-unknown-fields": True}}}]}}
    cr = {"apiVersion": f"{group}/v1", "kind": "Gizmo", "metadata": meta("g1", namespace, 1), "spec": {"size": 3}}
    try:
        done = apply(documents=[namespace_doc(namespace, wave=-1), crd, cr])
        assert done.returncode == 0, done.stderr
        assert kubectl.get(f"gizmos.{group}", "g1", "-n", namespace)["spec"]["size"] == 3
        crd_write = audit.events(resource="customresourcedefinitions", name=f"gizmos.{group}", user=wavesync_user,
                                 verbs={"create", "patch"})[0]["time"]
        cr_write = audit.events(namespace=namespace, resource="gizmos", user=wavesync_user,
                                verbs={"create", "patch"})[0]["time"]
        assert crd_write < cr_write
    finally:
        kubectl("delete", "crd", f"gizmos.{group}", "--ignore-not-found", "--wait=false", check=False)
