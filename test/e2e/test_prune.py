"""`wavesync apply --prune` with an ApplySet inventory against the local control plane: prunes
in Argo CD's mirrored wave order, each after the previous one is gone (audit log), objects that
are not wavesync's left alone and reported, kubectl's ApplySet view of the same set, and a
sync killed between the superset and the exact-set update of the parent."""
import base64
import hashlib
import os
import signal
import subprocess
import threading
import time
import uuid

from conftest import schema_events
from manifests import config_map, deployment, meta, namespace

HOLD = "wavesync.dev/e2e-hold"
PART_OF = "applyset.kubernetes.io/part-of"


def widget(name, ns, wave):
    return {"apiVersion": "test.wavesync.dev/v1", "kind": "Widget", "metadata": meta(name, ns, wave),
            "spec": {"size": 1}}


def applyset_id(name, ns):
    """KEP-3659's id for a Secret parent, computed independently of wavesync."""
    digest = hashlib.sha256(f"{name}.{ns}.Secret.".encode()).digest()
    return "applyset-" + base64.urlsafe_b64encode(digest).decode().rstrip("=") + "-v1"


def four_waves(ns):
    held = config_map("gone-3", ns, 3)
    held["metadata"]["finalizers"] = [HOLD]
    return [
        namespace(ns, wave=-1),
        config_map("keep-1", ns, 1), config_map("gone-1", ns, 1),
        config_map("relabelled", ns, 1), config_map("by-hand", ns, 1),
        config_map("keep-2", ns, 2),
        config_map("keep-3", ns, 3), held,
        config_map("keep-4", ns, 4), widget("gone-cr", ns, 4),
    ]


def without(documents, *names):
    return [d for d in documents if d["metadata"]["name"] not in names]


def release_finalizer_after(kubectl, ns, name, seconds, released):
    """Waits until `name` is being deleted, then `seconds` more, then removes the finalizer."""
    def run():
        deadline = time.time() + 120
        while time.time() < deadline:
            live = kubectl.get("configmap", name, "-n", ns)
            if live is None:
                return
            if live["metadata"].get("deletionTimestamp"):
                time.sleep(seconds)
                released.append(time.time())
                kubectl("patch", "configmap", name, "-n", ns, "--type=json",
                        "-p", '[{"op":"remove","path":"/metadata/finalizers"}]')
                return
            time.sleep(0.2)
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_prune_deletes_removed_objects_in_mirrored_wave_order_and_leaves_others_alone(
        apply, audit, kubectl, namespace, wavesync_user):
    ns = namespace
    name = "prune-" + uuid.uuid4().hex[:6]
    flags = ["--applyset", name, "--applyset-namespace", ns]
    documents = four_waves(ns)
    first = apply(*flags, documents=documents)
    assert first.returncode == 0, first.stderr
    set_id = applyset_id(name, ns)
    parent = kubectl.get("secret", name, "-n", ns)
    assert parent["metadata"]["labels"]["applyset.kubernetes.io/id"] == set_id
    assert parent["metadata"]["annotations"]["applyset.kubernetes.io/contains-group-kinds"] == \
        "ConfigMap,Namespace,Widget.test.wavesync.dev"
    assert parent["metadata"]["annotations"]["applyset.kubernetes.io/tooling"].startswith("wavesync/v")

    # Not wavesync's any more: one object taken over by another ApplySet, one re-created by hand.
    kubectl("label", "configmap", "relabelled", "-n", ns, f"{PART_OF}=applyset-other-v1", "--overwrite")
    kubectl("delete", "configmap", "by-hand", "-n", ns)
    kubectl("create", "configmap", "by-hand", "-n", ns, "--from-literal=k=mine")

    released = []
    thread = release_finalizer_after(kubectl, ns, "gone-3", 3, released)
    audit = type(audit)(audit.path)  # only what the pruning sync does from here on
    second = apply(*flags, "--prune", documents=without(documents, "gone-1", "gone-3", "gone-cr",
                                                           "relabelled", "by-hand"))
    thread.join(timeout=60)
    assert second.returncode == 0, second.stderr

    deletes = audit.events(namespace=ns, verbs={"delete"}, user=wavesync_user)
    assert [(e["objectRef"]["resource"], e["objectRef"]["name"]) for e in deletes] == [
        ("widgets", "gone-cr"), ("configmaps", "gone-3"), ("configmaps", "gone-1")]
    # Mirrored waves {1, 3, 4} -> gone-cr (4) first, gone-3 (3), gone-1 (1) last; gone-1's delete
    # waits until the finalizer on gone-3 was released and the object was gone.
    assert released, "gone-3 was never deleted"
    assert deletes[2]["time"].timestamp() >= released[0]
    for kind, obj in (("widgets.test.wavesync.dev", "gone-cr"), ("configmap", "gone-3"), ("configmap", "gone-1")):
        assert kubectl.get(kind, obj, "-n", ns) is None
    for obj in ("keep-1", "keep-2", "keep-3", "keep-4", "relabelled", "by-hand"):
        assert kubectl.get("configmap", obj, "-n", ns) is not None, obj
    assert kubectl.get("configmap", "by-hand", "-n", ns)["data"] == {"k": "mine"}
    assert "v1 ConfigMap " + ns + "/relabelled: not pruned: it belongs to ApplySet applyset-other-v1" in second.stderr
    assert "v1 ConfigMap " + ns + "/by-hand: not pruned: it exists without the " + PART_OF in second.stderr

    # The exact set afterwards: the Widget kind is gone from the parent.
    parent = kubectl.get("secret", name, "-n", ns)
    assert parent["metadata"]["annotations"]["applyset.kubernetes.io/contains-group-kinds"] == "ConfigMap,Namespace"


def test_without_prune_the_objects_that_would_go_are_listed_and_kept(apply, kubectl, namespace):
    ns = namespace
    flags = ["--applyset", "set", "--applyset-namespace", ns]
    documents = [namespace_manifest(ns), config_map("a", ns, 1), config_map("b", ns, 2)]
    assert apply(*flags, documents=documents).returncode == 0
    done = apply(*flags, documents=without(documents, "b"))
    assert done.returncode == 0, done.stderr
    assert "--prune would delete them" in done.stderr
    assert f"v1 ConfigMap {ns}/b (wave 2)" in done.stderr
    assert kubectl.get("configmap", "b", "-n", ns) is not None


def test_applyset_warnings_are_events_in_json_output_and_lines_on_stderr(apply, kubectl, namespace):
    ns = namespace
    flags = ["--applyset", "set", "--applyset-namespace", ns]
    documents = [namespace_manifest(ns), config_map("a", ns, 1), config_map("b", ns, 2),
                 config_map("by-hand", ns, 1)]
    assert apply(*flags, documents=documents).returncode == 0
    kubectl("delete", "configmap", "by-hand", "-n", ns)
    kubectl("create", "configmap", "by-hand", "-n", ns, "--from-literal=k=mine")
    done = apply(*flags, "-o", "json", documents=without(documents, "b", "by-hand"))
    assert done.returncode == 0, done.stderr
    events = schema_events(done.stdout)
    names = [e["event"] for e in events]
    not_pruned = (f"v1 ConfigMap {ns}/by-hand: not pruned: it exists without the {PART_OF} label, "
                  "so wavesync did not create it")
    would_go = f"these objects are no longer in the manifests; --prune would delete them:\n  v1 ConfigMap {ns}/b (wave 2)"
    # Before the sync what is left alone, after it what --prune would delete.
    assert names[0] == "warning" and events[0]["message"] == not_pruned
    assert names[-1] == "warning" and events[-1]["message"] == would_go
    assert names[1:-1].count("warning") == 0 and names[1] == "sync-started" and names[-2] == "sync-done"
    # stderr says the same as in text mode.
    assert f"wavesync: warning: {not_pruned}\n" in done.stderr
    assert f"wavesync: warning:   v1 ConfigMap {ns}/b (wave 2)\n" in done.stderr
    assert kubectl.get("configmap", "b", "-n", ns) is not None


def namespace_manifest(ns):
    return namespace(ns, wave=-1)


def test_kubectl_lists_the_members_and_computes_the_same_id(apply, kubectl, namespace, tmp_path):
    ns = namespace
    name = "kubectl-view"
    documents = [namespace_manifest(ns), config_map("a", ns, 1), config_map("b", ns, 2)]
    done = apply("--applyset", name, "--applyset-namespace", ns, documents=documents)
    assert done.returncode == 0, done.stderr
    set_id = kubectl.get("secret", name, "-n", ns)["metadata"]["labels"]["applyset.kubernetes.io/id"]
    assert set_id == applyset_id(name, ns)

    env = dict(os.environ, KUBECTL_APPLYSET="true")
    listed = subprocess.run([kubectl.binary, f"--kubeconfig={kubectl.kubeconfig}", "get", "configmaps", "-n", ns,
                             "-l", f"{PART_OF}={set_id}", "-o", "name"], capture_output=True, text=True, env=env)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.split() == ["configmap/a", "configmap/b"]

    # kubectl refuses a parent of another tool; hand the parent over and let kubectl check the
    # id label against the id it computes itself (a mismatch is an error), in a server dry run
    # that also shows what kubectl would prune from the same set.
    kubectl("annotate", "secret", name, "-n", ns, "applyset.kubernetes.io/tooling=kubectl/v1.36.3", "--overwrite")
    only_a = tmp_path / "kubectl.yaml"
    only_a.write_text(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: {ns}\ndata:\n  k: v\n")
    dry = subprocess.run([kubectl.binary, f"--kubeconfig={kubectl.kubeconfig}", "apply", "-n", ns, "--server-side",
                          "--prune", f"--applyset={name}", "-f", str(only_a), "--dry-run=server"],
                         capture_output=True, text=True, env=env)
    assert dry.returncode == 0, dry.stderr
    assert "configmap/b pruned" in dry.stdout


def test_a_sync_killed_between_the_superset_and_the_exact_set_is_pruned_by_the_next_one(apply, kubectl, namespace):
    ns = namespace
    flags = ["--applyset", "killed", "--applyset-namespace", ns]
    base = [namespace_manifest(ns), config_map("a", ns, 1)]
    assert apply(*flags, documents=base).returncode == 0

    # Adds a Service (a kind the parent did not list) in wave 1 and a Deployment that stays
    # unready for a minute in wave 2; wavesync is killed while it waits on the Deployment.
    grown = base + [{"apiVersion": "v1", "kind": "Service", "metadata": meta("extra", ns, 1),
                     "spec": {"selector": {"app": "x"}, "ports": [{"port": 80}]}},
                    deployment("slow", ns, 2, pod_annotations={"wavesync.dev/test-delay": "60s"})]
    apply.write(grown)
    cmd = [str(apply.binary), "apply", str(apply.directory), "--kubeconfig", apply.kubeconfig, *flags]
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while time.time() < deadline and kubectl.get("deployment", "slow", "-n", ns) is None:
            time.sleep(0.2)
        assert kubectl.get("deployment", "slow", "-n", ns) is not None
        parent = kubectl.get("secret", "killed", "-n", ns)
        assert "Service" in parent["metadata"]["annotations"]["applyset.kubernetes.io/contains-group-kinds"]
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()

    done = apply(*flags, "--prune", documents=base)
    assert done.returncode == 0, done.stderr
    assert kubectl.get("service", "extra", "-n", ns) is None
    assert kubectl.get("deployment", "slow", "-n", ns) is None
    assert kubectl.get("configmap", "a", "-n", ns) is not None
    parent = kubectl.get("secret", "killed", "-n", ns)
    assert parent["metadata"]["annotations"]["applyset.kubernetes.io/contains-group-kinds"] == "ConfigMap,Namespace"
