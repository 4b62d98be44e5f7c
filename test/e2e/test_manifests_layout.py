"""manifests/ follows the design's wave table (manifests/README.md), read straight from
the YAML, independent of wavesync's own plan. Offline."""
from seed_fixtures import REPO, manifest_objects

WAVE = "argocd.argoproj.io/sync-wave"
HOOK = "argocd.argoproj.io/hook"
POLICY = "argocd.argoproj.io/hook-delete-policy"

# kind -> the wave the design puts it in (ConfigMaps and Jobs checked by name below)
KIND_WAVES = {
    "Namespace": -2, "ServiceAccount": -1, "Role": -1, "RoleBinding": -1,
    "CephObjectStoreUser": 0, "Deployment": None, "Service": 1, "IngressRoute": 2,
    "Certificate": 2, "CronJob": 2, "Vhost": 2, "User": 2, "Permission": 2, "Queue": 2,
}
NAMED_WAVES = {
    ("Job", "credential-generator"): -1, ("ConfigMap", "image-versions"): -1,
    ("ConfigMap", "credential-generator"): -1, ("Job", "postgres-init"): 0,
    ("Job", "s3-credentials-sync"): 0, ("ConfigMap", "s3-credentials-sync"): 0,
    ("Deployment", "backend"): 1, ("Deployment", "frontend"): 1, ("Deployment", "worker"): 1,
    ("Deployment", "redis"): 3, ("Service", "redis"): 3,
}


def objects():
    return manifest_objects(REPO / "manifests")


def wave_of(obj):
    return int(obj["metadata"].get("annotations", {}).get(WAVE, "0"))


def test_every_object_is_in_the_wave_of_the_design_table():
    wrong = []
    for obj in objects():
        key = (obj["kind"], obj["metadata"]["name"])
        want = NAMED_WAVES.get(key, KIND_WAVES.get(obj["kind"]))
        if obj["kind"] == "ConfigMap" and key not in NAMED_WAVES:
            want = 1  # the workloads' code and config, beside them
        if want is None or wave_of(obj) != want:
            wrong.append(f"{key}: wave {wave_of(obj)}, design says {want}")
    assert wrong == []


def test_the_three_jobs_are_sync_hooks_deleted_before_their_next_creation():
    jobs = {o["metadata"]["name"]: o["metadata"]["annotations"] for o in objects()
            if o["kind"] == "Job"}
    assert sorted(jobs) == ["credential-generator", "postgres-init", "s3-credentials-sync"]
    for annotations in jobs.values():
        assert annotations[HOOK] == "Sync"
        assert annotations[POLICY] == "BeforeHookCreation"


def test_no_other_object_is_a_hook():
    assert [o["metadata"]["name"] for o in objects()
            if o["kind"] != "Job" and HOOK in o["metadata"].get("annotations", {})] == []


def test_platform_namespaces_are_never_deleted_or_pruned():
    options = {o["metadata"]["name"]: o["metadata"]["annotations"].get(
        "argocd.argoproj.io/sync-options") for o in objects() if o["kind"] == "Namespace"}
    assert options == {"shop": None, "rabbitmq-system": "Delete=false,Prune=false",
                       "rook-ceph": "Delete=false,Prune=false"}
