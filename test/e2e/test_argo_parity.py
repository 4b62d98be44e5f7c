"""Argo CD parity in ordering, pruning and hooks, on the local control plane: 64-bit waves,
duplicates, generateName hooks sorted by their generated name, and objects marked
`argocd.argoproj.io/hook: Skip` never pruned. Judged from the API and the audit log."""
import subprocess
import uuid

from manifests import HOOK, config_map, job, namespace as namespace_doc

PART_OF = "applyset.kubernetes.io/part-of"


def set_flags(ns):
    return ["--applyset", "parity-" + uuid.uuid4().hex[:6], "--applyset-namespace", ns]


def test_a_wave_beyond_32_bits_is_applied_after_the_lower_waves(apply, audit, kubectl, namespace, wavesync_user):
    ns = namespace
    documents = [namespace_doc(ns, wave=-1), config_map("huge", ns, 3000000000), config_map("big", ns, 2147483647)]
    done = apply(documents=documents)
    assert done.returncode == 0, done.stderr
    assert "sync-wave" not in done.stderr  # no "invalid wave" warning
    writes = [e["objectRef"]["name"] for e in patches(audit, ns, "configmaps", wavesync_user)]
    assert writes == ["big", "huge"]


def test_a_duplicated_object_applies_the_last_copy_with_a_warning(apply, kubectl, namespace):
    ns = namespace
    first = config_map("twice", ns)
    second = config_map("twice", ns)
    second["data"] = {"k": "second"}
    done = apply(documents=[namespace_doc(ns, wave=-1), first, second])
    assert done.returncode == 0, done.stderr
    assert "duplicate object ConfigMap " + ns + "/twice" in done.stderr
    assert "the last one is used" in done.stderr
    assert kubectl.get("configmap", "twice", "-n", ns)["data"] == {"k": "second"}
    strict = apply("--strict", documents=[namespace_doc(ns, wave=-1), first, second])
    assert strict.returncode == 2
    assert "duplicate object ConfigMap " + ns + "/twice" in strict.stderr


def test_a_generate_name_hook_gets_argo_cd_s_generated_name_and_sorts_by_it(apply, kubectl, namespace):
    """Argo CD names `generateName` hooks before sorting (`<generateName><rev7>-<phase>-<unix>`), so
    `zz-` sorts after `aa-named`, where an empty name would always have come first. Both are one
    step's concurrent batch, so the order is the one the sync reports (its plan order), not the
    audit log's."""
    import json
    import re
    import time
    ns = namespace
    documents = [namespace_doc(ns, wave=-1),
                 job("zz-", ns, hook="PreSync", generate_name=True),
                 job("aa-named", ns, hook="PreSync")]
    started = int(time.time())
    done = apply("-o", "json", documents=documents)
    assert done.returncode == 0, done.stderr
    hooks = [e["resource"]["name"] for e in map(json.loads, done.stdout.splitlines())
             if e["event"] == "hook-started"]
    assert len(hooks) == 2, hooks
    assert hooks[0] == "aa-named"
    match = re.fullmatch(r"zz-[0-9a-f]{7}-presync-(\d+)", hooks[1])
    assert match, hooks
    assert started - 1 <= int(match.group(1)) <= time.time() + 1
    assert sorted(kubectl.names("jobs", ns)) == sorted(hooks)


def test_an_object_marked_skip_is_not_pruned_and_stays_in_the_set(apply, kubectl, namespace, wavesync):
    ns = namespace
    flags = set_flags(ns)
    deployed = config_map("later-skipped", ns)
    documents = [namespace_doc(ns, wave=-1), deployed, config_map("plain", ns)]
    assert apply(*flags, documents=documents).returncode == 0

    # The manifest now says Skip: neither applied (its data stays) nor pruned.
    skipped = config_map("later-skipped", ns, annotations={HOOK: "Skip"})
    skipped["data"] = {"k": "changed"}
    # A live object someone marked Skip by hand is not pruned either, though it left the manifests.
    kubectl("annotate", "configmap", "plain", "-n", ns, f"{HOOK}=Skip")
    done = apply(*flags, "--prune", documents=[namespace_doc(ns, wave=-1), skipped])
    assert done.returncode == 0, done.stderr
    assert kubectl.get("configmap", "later-skipped", "-n", ns)["data"] == {"k": "v"}
    assert kubectl.get("configmap", "plain", "-n", ns) is not None
    assert "not pruned" not in done.stderr

    # Both stay members of the set: the next run still knows them and still leaves them alone.
    again = apply(*flags, "--prune", documents=[namespace_doc(ns, wave=-1), skipped])
    assert again.returncode == 0, again.stderr
    assert kubectl.get("configmap", "later-skipped", "-n", ns) is not None
    assert kubectl.get("configmap", "plain", "-n", ns) is not None
    members = kubectl.get("secret", flags[1], "-n", ns)["metadata"]["annotations"]["wavesync.dev/applyset-members"]
    assert f"ConfigMap/v1/{ns}/later-skipped" in members.split(","), members
    assert f"ConfigMap/v1/{ns}/plain" in members.split(","), members


def patches(audit, ns, resource, user, name=None):
    """Real (not dry-run) server-side applies and creates of `resource` in `ns`, in log order."""
    return audit.events(namespace=ns, verbs={"patch", "create"}, resource=resource, user=user, name=name,
                        dry_run=False)


def test_a_renamed_object_is_created_before_the_old_one_has_finished_going(apply, audit, kubectl, namespace,
                                                                            wavesync_user):
    from test_prune import HOLD, release_finalizer_after
    ns = namespace
    flags = set_flags(ns)
    old = config_map("web-v1", ns, 1)
    old["metadata"]["finalizers"] = [HOLD]
    assert apply(*flags, documents=[namespace_doc(ns, wave=-1), old, config_map("next", ns, 2)]).returncode == 0

    released = []
    thread = release_finalizer_after(kubectl, ns, "web-v1", 3, released)
    audit = type(audit)(audit.path)
    done = apply(*flags, "--prune", documents=[namespace_doc(ns, wave=-1), config_map("web-v2", ns, 1),
                                               config_map("next", ns, 2)])
    thread.join(timeout=60)
    assert done.returncode == 0, done.stderr
    assert released, "web-v1 was never deleted"
    delete = audit.events(namespace=ns, verbs={"delete"}, resource="configmaps", name="web-v1", user=wavesync_user)
    created = patches(audit, ns, "configmaps", wavesync_user, name="web-v2")
    following = patches(audit, ns, "configmaps", wavesync_user, name="next")
    assert len(delete) == 1 and created and following
    # Same wave: web-v2 is written right after the DELETE, while web-v1 is still held; the next
    # wave waits until web-v1 is gone.
    assert delete[0]["time"] <= created[0]["time"]
    assert created[0]["time"].timestamp() < released[0]
    assert following[0]["time"].timestamp() >= released[0]
    assert kubectl.get("configmap", "web-v1", "-n", ns) is None


def test_prune_waves_move_earlier_once_the_last_created_are_gone(apply, audit, kubectl, namespace, wavesync_user):
    """Live waves {1, 2, 3}: Argo CD prunes old-3 in wave 1, then mirrors again over {1, 2}: old-2
    moves to wave 1, and then old-1 too, all before wave 2's applies."""
    ns = namespace
    flags = set_flags(ns)
    keep = [namespace_doc(ns, wave=-1), config_map("a", ns, 1), config_map("b", ns, 2), config_map("c", ns, 3)]
    old = [config_map("old-1", ns, 1), config_map("old-2", ns, 2), config_map("old-3", ns, 3)]
    assert apply(*flags, documents=keep + old).returncode == 0
    audit = type(audit)(audit.path)
    done = apply(*flags, "--prune", documents=keep)
    assert done.returncode == 0, done.stderr
    writes = [(e["verb"], e["objectRef"]["name"]) for e in audit.events(
        namespace=ns, verbs={"delete", "patch"}, resource="configmaps", user=wavesync_user, dry_run=False)]
    order = [name for _, name in writes]
    assert order.index("old-3") < order.index("old-2") < order.index("old-1") < order.index("b"), writes
    for name in ("old-1", "old-2", "old-3"):
        assert kubectl.get("configmap", name, "-n", ns) is None


def test_create_namespace_creates_the_sync_namespace_first_with_its_managed_metadata(
        wavesync, kubeconfig, tmp_path, audit, kubectl, namespace, wavesync_user):
    ns = namespace
    directory = tmp_path / ("cn-" + uuid.uuid4().hex[:6])
    directory.mkdir()
    (directory / "app.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inside\ndata:\n  k: v\n")
    cmd = [str(wavesync), "apply", str(directory), "--kubeconfig", kubeconfig, "-n", ns, "--timeout", "120s",
           "--create-namespace", "--namespace-label", "team=web", "--namespace-annotation", "owner=ops"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    live = kubectl.get("namespace", ns)
    assert live["metadata"]["labels"]["team"] == "web"
    assert live["metadata"]["annotations"]["owner"] == "ops"
    assert kubectl.get("configmap", "inside", "-n", ns) is not None
    created = audit.events(namespace=ns, verbs={"patch", "create"}, resource="namespaces", user=wavesync_user)
    first_object = patches(audit, ns, "configmaps", wavesync_user, name="inside")
    assert created and first_object
    assert created[0]["time"] <= first_object[0]["time"]
    # Without --create-namespace the same sync into a missing namespace fails.
    missing = namespace + "-x"
    plain = subprocess.run([str(wavesync), "apply", str(directory), "--kubeconfig", kubeconfig, "-n", missing,
                            "--timeout", "60s"], capture_output=True, text=True, timeout=200)
    assert plain.returncode != 0
    assert kubectl.get("namespace", missing) is None


def test_apply_out_of_sync_only_writes_only_the_changed_objects(apply, audit, kubectl, namespace, wavesync_user):
    import time
    ns = namespace
    documents = [namespace_doc(ns, wave=-1), config_map("one", ns), config_map("two", ns), config_map("three", ns)]
    assert apply(documents=documents).returncode == 0
    time.sleep(1.5)  # the unchanged verdict compares with the second the sync started
    documents[2]["data"] = {"k": "changed"}
    audit = type(audit)(audit.path)
    done = apply("--apply-out-of-sync-only", documents=documents)
    assert done.returncode == 0, done.stderr
    written = [e["objectRef"]["name"] for e in patches(audit, ns, "configmaps", wavesync_user)]
    assert written == ["two"]
    assert kubectl.get("configmap", "two", "-n", ns)["data"] == {"k": "changed"}
    # Without the option every object is written again.
    audit = type(audit)(audit.path)
    assert apply(documents=documents).returncode == 0
    assert sorted(e["objectRef"]["name"] for e in patches(audit, ns, "configmaps", wavesync_user)) == [
        "one", "three", "two"]


def test_a_crd_whose_names_are_rejected_fails_its_step_at_once_with_its_conditions(apply, kubectl, namespace):
    """A second CRD claiming the kind Widget of test.wavesync.dev is never Established
    (NamesAccepted=False, KindConflict): the step fails at once instead of waiting for --timeout."""
    import time
    name = "gadgets" + uuid.uuid4().hex[:5] + ".test.wavesync.dev"
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": name},
           "spec": {"group": "test.wavesync.dev", "scope": "Namespaced",
                    "names": {"kind": "Widget", "plural": name.split(".")[0], "listKind": "WidgetList"},
                    "versions": [{"name": "v1", "served": True, "storage": True,
                                  "schema": {"openAPIV3Schema": {"type": "object",
                                                                 "x-kubernetes-preserve-unknown-fields": True}}}]}}
    try:
        started = time.time()
        done = apply(documents=[crd], timeout="5m")
        assert done.returncode == 1, done.stderr
        assert time.time() - started < 60
        assert "its names were not accepted" in done.stderr
        assert "NamesAccepted=False" in done.stderr
    finally:
        kubectl("delete", "crd", name, "--ignore-not-found", "--wait=false", check=False)
