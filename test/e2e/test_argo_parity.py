"""Argo CD parity in ordering, pruning and hooks, on the local control plane: 64-bit waves,
duplicates, generateName hooks sorted by their generated name, and objects marked
`argocd.argoproj.io/hook: Skip` never pruned. Judged from the API and the audit log."""
import subprocess
import uuid

from manifests import HOOK, config_map, job, meta, namespace

PART_OF = "applyset.kubernetes.io/part-of"


def set_flags(ns):
    return ["--applyset", "parity-" + uuid.uuid4().hex[:6], "--applyset-namespace", ns]


def test_a_wave_beyond_32_bits_is_applied_after_the_lower_waves(apply, audit, kubectl, namespace, wavesync_user):
    ns = namespace
    documents = [namespace(ns, wave=-1), config_map("huge", ns, 3000000000), config_map("big", ns, 2147483647)]
    done = apply(documents=documents)
    assert done.returncode == 0, done.stderr
    assert "sync-wave" not in done.stderr  # no "invalid wave" warning
    writes = [e["objectRef"]["name"] for e in audit.events(namespace=ns, verbs={"patch"}, resource="configmaps",
                                                            user=wavesync_user)]
    assert writes == ["big", "huge"]


def test_a_duplicated_object_applies_the_last_copy_with_a_warning(apply, kubectl, namespace):
    ns = namespace
    first = config_map("twice", ns)
    second = config_map("twice", ns)
    second["data"] = {"k": "second"}
    done = apply(documents=[namespace(ns, wave=-1), first, second])
    assert done.returncode == 0, done.stderr
    assert "duplicate object ConfigMap " + ns + "/twice" in done.stderr
    assert "the last one is used" in done.stderr
    assert kubectl.get("configmap", "twice", "-n", ns)["data"] == {"k": "second"}
    strict = apply("--strict", documents=[namespace(ns, wave=-1), first, second])
    assert strict.returncode == 2
    assert "duplicate object ConfigMap " + ns + "/twice" in strict.stderr


def test_a_generate_name_hook_is_created_in_the_order_of_its_generated_name(apply, audit, kubectl, namespace,
                                                                            wavesync_user, tmp_path):
    """Argo CD names `generateName` hooks before sorting: `zz-` with a generated suffix sorts
    after `aa-named`, where an empty name would always have come first."""
    ns = namespace
    documents = [namespace(ns, wave=-1),
                 job("zz-", ns, hook="PreSync", generate_name=True),
                 job("aa-named", ns, hook="PreSync")]
    done = apply(documents=documents)
    assert done.returncode == 0, done.stderr
    created = [e["objectRef"]["name"] for e in audit.events(namespace=ns, verbs={"patch", "create"}, resource="jobs",
                                                             user=wavesync_user)]
    assert len(created) == 2, created
    assert created[0] == "aa-named"
    assert created[1].startswith("zz-") and "-presync-" in created[1]


def test_an_object_marked_skip_is_not_pruned_and_stays_in_the_set(apply, kubectl, namespace, wavesync):
    ns = namespace
    flags = set_flags(ns)
    deployed = config_map("later-skipped", ns)
    documents = [namespace(ns, wave=-1), deployed, config_map("plain", ns)]
    assert apply(*flags, documents=documents).returncode == 0

    # The manifest now says Skip: neither applied (its data stays) nor pruned.
    skipped = config_map("later-skipped", ns, annotations={HOOK: "Skip"})
    skipped["data"] = {"k": "changed"}
    # A live object someone marked Skip by hand is not pruned either, though it left the manifests.
    kubectl("annotate", "configmap", "plain", "-n", ns, f"{HOOK}=Skip")
    done = apply(*flags, "--prune", documents=[namespace(ns, wave=-1), skipped])
    assert done.returncode == 0, done.stderr
    assert kubectl.get("configmap", "later-skipped", "-n", ns)["data"] == {"k": "v"}
    assert kubectl.get("configmap", "plain", "-n", ns) is not None
    assert "not pruned" not in done.stderr

    # Both stay members of the set: the next run still knows them and still leaves them alone.
    again = apply(*flags, "--prune", documents=[namespace(ns, wave=-1), skipped])
    assert again.returncode == 0, again.stderr
    assert kubectl.get("configmap", "later-skipped", "-n", ns) is not None
    assert kubectl.get("configmap", "plain", "-n", ns) is not None
    members = kubectl.get("secret", flags[1], "-n", ns)["metadata"]["annotations"]["wavesync.dev/applyset-members"]
    assert f"ConfigMap/v1/{ns}/later-skipped" in members.split(","), members
    assert f"ConfigMap/v1/{ns}/plain" in members.split(","), members
