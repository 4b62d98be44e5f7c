"""Argo CD parity for hooks and live objects, on the local control plane: Argo CD's hook finalizer
taken off before a hook is re-run or deleted, `wavesync delete` running PreDelete and PostDelete
hooks, and Replace=true / Delete=false set on the live object honoured. Judged from the audit log
and the API."""
import json
import subprocess
import time

from manifests import config_map, job, meta

FINALIZER = "argocd.argoproj.io/hook-finalizer"
FAIL = {"wavesync.dev/test-fail": "true"}


def real(events):
    return [e for e in events if "dryRun" not in e.get("requestURI", "")]


def writes(audit, ns, user, resource=None, name=None, verbs=("create", "patch", "update", "delete")):
    """wavesync's real writes in `ns` as (verb, resource, name, event), in log order."""
    return [(e["verb"], e["objectRef"]["resource"], e["objectRef"]["name"], e)
            for e in real(audit.events(namespace=ns, verbs=set(verbs), resource=resource, name=name, user=user))]


def left_by_argo(kubectl, ns, name):
    """A completed hook Job as Argo CD leaves it: its hook annotation and Argo CD's finalizer."""
    body = job(name, ns, hook="PreSync")
    body["metadata"]["finalizers"] = [FINALIZER]
    kubectl("apply", "-f", "-", input=json.dumps(body))
    deadline = time.time() + 60
    while time.time() < deadline:
        live = kubectl.get("job", name, "-n", ns)
        if any(c["type"] == "Complete" for c in (live.get("status") or {}).get("conditions", [])):
            return
        time.sleep(0.5)
    raise AssertionError(f"job {name} did not complete")


def delete(wavesync, kubeconfig, directory, *args):
    return subprocess.run([str(wavesync), "delete", str(directory), "--kubeconfig", kubeconfig, *args],
                          capture_output=True, text=True, timeout=300)


def test_a_hook_argo_cd_left_with_its_finalizer_is_released_before_it_is_run_again(
        apply, audit, kubectl, namespace, wavesync_user):
    ns = namespace
    kubectl("create", "namespace", ns)
    left_by_argo(kubectl, ns, "migrate")
    audit = type(audit)(audit.path)
    started = time.time()
    done = apply(documents=[job("migrate", ns, hook="PreSync")], timeout="60s")
    assert done.returncode == 0, done.stderr
    assert time.time() - started < 30
    order = [(verb, name) for verb, _, name, _ in writes(audit, ns, wavesync_user, resource="jobs")]
    # The finalizer patch, the BeforeHookCreation delete, then the new hook.
    assert order == [("patch", "migrate"), ("delete", "migrate"), ("patch", "migrate")], order
    live = kubectl.get("job", "migrate", "-n", ns)
    assert FINALIZER not in live["metadata"].get("finalizers", [])


def test_delete_releases_a_hook_argo_cd_left_and_deletes_it(wavesync, kubeconfig, apply, audit, kubectl, namespace,
                                                           wavesync_user):
    ns = namespace
    kubectl("create", "namespace", ns)
    left_by_argo(kubectl, ns, "migrate")
    apply.write([job("migrate", ns, hook="PreSync")])
    audit = type(audit)(audit.path)
    done = delete(wavesync, kubeconfig, apply.directory, "--timeout", "60s")
    assert done.returncode == 0, done.stdout + done.stderr
    assert kubectl.get("job", "migrate", "-n", ns) is None
    order = [(verb, name) for verb, _, name, _ in writes(audit, ns, wavesync_user, resource="jobs")]
    assert order == [("patch", "migrate"), ("delete", "migrate")], order


def app_with_delete_hooks(ns, pre_fails=False):
    return [
        config_map("a", ns, 0),
        config_map("b", ns, 1),
        job("backup", ns, hook="PreDelete", pod_annotations=FAIL if pre_fails else None),
        job("notify", ns, hook="PostDelete", policy="HookSucceeded"),
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("record", ns, hook="PostDelete"),
         "data": {"k": "v"}},
    ]


def test_delete_runs_pre_delete_hooks_first_and_post_delete_hooks_after_everything_is_gone(
        wavesync, kubeconfig, apply, audit, kubectl, namespace, wavesync_user):
    ns = namespace
    kubectl("create", "namespace", ns)
    assert apply(documents=app_with_delete_hooks(ns)).returncode == 0
    # A sync never runs deletion hooks.
    assert kubectl.get("job", "backup", "-n", ns) is None
    assert kubectl.get("job", "notify", "-n", ns) is None
    audit = type(audit)(audit.path)
    done = delete(wavesync, kubeconfig, apply.directory, "--timeout", "120s")
    assert done.returncode == 0, done.stdout + done.stderr
    log = writes(audit, ns, wavesync_user)
    steps = [(verb, resource, name) for verb, resource, name, _ in log]
    first_delete = next(i for i, s in enumerate(steps) if s[0] == "delete")
    assert steps.index(("create", "jobs", "backup")) < first_delete, steps
    app_deletes = [e for verb, resource, name, e in log if verb == "delete" and name in ("a", "b")]
    assert len(app_deletes) == 2, steps
    # The last write to a and b by anyone (the garbage collector ends a foreground deletion).
    gone = max(e["done"] for name in ("a", "b")
               for e in audit.events(namespace=ns, resource="configmaps", name=name))
    # The PreDelete hook goes with the application's objects (Argo CD's cascade deletes it too).
    assert ("delete", "jobs", "backup") in steps
    notify = [e for verb, resource, name, e in log if verb == "create" and name == "notify"]
    record = [e for verb, resource, name, e in log if verb == "create" and name == "record"]
    assert notify and record, steps
    assert gone <= min(notify[0]["time"], record[0]["time"])
    # HookSucceeded: deleted once done; no policy (BeforeHookCreation): kept.
    assert ("delete", "jobs", "notify") in steps
    assert kubectl.get("job", "notify", "-n", ns) is None
    assert kubectl.get("configmap", "record", "-n", ns) is not None
    for name in ("a", "b"):
        assert kubectl.get("configmap", name, "-n", ns) is None


def test_a_failed_pre_delete_hook_fails_the_delete_and_deletes_nothing_else(
        wavesync, kubeconfig, apply, audit, kubectl, namespace, wavesync_user):
    ns = namespace
    kubectl("create", "namespace", ns)
    assert apply(documents=app_with_delete_hooks(ns, pre_fails=True)).returncode == 0
    audit = type(audit)(audit.path)
    done = delete(wavesync, kubeconfig, apply.directory, "--timeout", "120s")
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"PreDelete hook(s) failed: {ns}/backup" in done.stderr
    steps = [(verb, resource, name) for verb, resource, name, _ in writes(audit, ns, wavesync_user)]
    # The failed hook is deleted (so a retry creates it afresh); nothing of the application is.
    assert steps == [("create", "jobs", "backup"), ("delete", "jobs", "backup")], steps
    for name in ("a", "b"):
        assert kubectl.get("configmap", name, "-n", ns) is not None
    assert kubectl.get("job", "notify", "-n", ns) is None


def test_replace_true_on_the_live_object_writes_it_with_an_update(apply, audit, kubectl, namespace, wavesync_user):
    ns = namespace
    kubectl("create", "namespace", ns)
    assert apply(documents=[config_map("settings", ns)]).returncode == 0
    kubectl("annotate", "configmap", "settings", "-n", ns, "argocd.argoproj.io/sync-options=Replace=true")
    changed = config_map("settings", ns)
    changed["data"] = {"k": "changed"}
    audit = type(audit)(audit.path)
    done = apply(documents=[changed])
    assert done.returncode == 0, done.stderr
    verbs = [verb for verb, _, _, _ in writes(audit, ns, wavesync_user, resource="configmaps", name="settings")]
    assert verbs == ["update"], verbs
    assert kubectl.get("configmap", "settings", "-n", ns)["data"] == {"k": "changed"}


def applied_then_annotated(apply, audit, kubectl, ns, marked, other, option):
    """Applies ConfigMaps `marked` and `other`, then sets sync option `option` on the live `marked`
    only (as `kubectl annotate`, never in the manifests). Returns an audit reader from then on."""
    kubectl("create", "namespace", ns)
    assert apply(documents=[config_map(marked, ns), config_map(other, ns)]).returncode == 0
    kubectl("annotate", "configmap", marked, "-n", ns, f"argocd.argoproj.io/sync-options={option}")
    return type(audit)(audit.path)


def test_delete_keeps_an_object_marked_delete_false_on_the_live_object(
        wavesync, kubeconfig, apply, audit, kubectl, namespace, wavesync_user):
    ns = namespace
    audit = applied_then_annotated(apply, audit, kubectl, ns, "stays", "goes", "Delete=false")
    done = delete(wavesync, kubeconfig, apply.directory, "--timeout", "60s")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "v1 ConfigMap " + ns + "/stays: kept: Delete=false on the live object" in done.stderr
    assert kubectl.get("configmap", "stays", "-n", ns) is not None
    assert kubectl.get("configmap", "goes", "-n", ns) is None
    names = [name for verb, _, name, _ in writes(audit, ns, wavesync_user, verbs=("delete",))]
    assert names == ["goes"], names


def test_delete_asks_to_confirm_an_object_marked_delete_confirm_on_the_live_object(
        wavesync, kubeconfig, apply, audit, kubectl, namespace, wavesync_user):
    ns = namespace
    audit = applied_then_annotated(apply, audit, kubectl, ns, "precious", "plain", "Delete=confirm")
    done = delete(wavesync, kubeconfig, apply.directory, "--timeout", "60s")
    assert done.returncode == 5, done.stdout + done.stderr
    assert f"v1 ConfigMap {ns}/precious" in done.stderr
    # Held: nothing at all is deleted, not even the object that needs no confirmation.
    assert writes(audit, ns, wavesync_user, verbs=("delete",)) == []
    assert kubectl.get("configmap", "plain", "-n", ns) is not None
    confirmed = delete(wavesync, kubeconfig, apply.directory, "--timeout", "60s", "--confirm-delete")
    assert confirmed.returncode == 0, confirmed.stdout + confirmed.stderr
    assert kubectl.get("configmap", "precious", "-n", ns) is None
