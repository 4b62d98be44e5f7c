"""`wavesync apply` on the seed's layout against the local control plane: waves in order, each
wave's first write after the previous wave's objects became ready (audit log), hooks re-run
with BeforeHookCreation, and the final state checked with kubectl."""
from manifests import config_map, deployment, job, meta, namespace, service

WORKLOADS = {"jobs", "deployments", "widgets"}


def seed_layout(ns):
    """The seed's waves (manifests/README.md) in namespace `ns`."""
    slow = {"wavesync.dev/test-delay": "2s"}
    return [
        namespace(ns, wave=-2),
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta("credential-generator", ns, -1)},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": meta("credential-generator", ns, -1),
         "rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "create"]}]},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
         "metadata": meta("credential-generator", ns, -1),
         "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "credential-generator"},
         "subjects": [{"kind": "ServiceAccount", "name": "credential-generator", "namespace": ns}]},
        config_map("image-versions", ns, -1),
        job("credential-generator", ns, -1, hook="Sync", policy="BeforeHookCreation", pod_annotations=slow),
        job("postgres-init", ns, 0, hook="Sync", pod_annotations=slow),
        job("db-seed", ns, 0, pod_annotations={"wavesync.dev/test-delay": "1s"}),
        deployment("backend", ns, 1, pod_annotations={"wavesync.dev/test-delay": "1s"}),
        service("backend", ns, 1),
        deployment("frontend", ns, 1, pod_annotations={"wavesync.dev/test-delay": "1s"}),
        service("frontend", ns, 1),
        {"apiVersion": "traefik.io/v1alpha1", "kind": "IngressRoute", "metadata": meta("shop", ns, 2),
         "spec": {"entryPoints": ["web"], "routes": [{"match": "Host(`shop.local`)", "kind": "Rule",
                                                       "services": [{"name": "frontend", "port": 80}]}]}},
        {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta("scheduler", ns, 2),
         "spec": {"schedule": "0 0 1 1 *", "jobTemplate": {"spec": {"template": {
             "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}}}}}},
        {"apiVersion": "test.wavesync.dev/v1", "kind": "Widget",
         "metadata": meta("cache-warmer", ns, 2, annotations={"wavesync.dev/health": "conditions",
                                                              "wavesync.dev/test-delay": "2s"}),
         "spec": {"size": 1}},
        deployment("redis", ns, 3),
        service("redis", ns, 3),
    ]


def wave_of(documents):
    """(resource plural, name) -> wave, for the objects wavesync writes."""
    plural = {"Namespace": "namespaces", "ServiceAccount": "serviceaccounts", "Role": "roles",
              "RoleBinding": "rolebindings", "ConfigMap": "configmaps", "Job": "jobs", "Deployment": "deployments",
              "Service": "services", "IngressRoute": "ingressroutes", "CronJob": "cronjobs", "Widget": "widgets"}
    return {(plural[d["kind"]], d["metadata"]["name"]): int(d["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"])
            for d in documents}


def test_seed_layout_applies_each_wave_after_the_previous_one_is_ready(apply, audit, kubectl, namespace,
                                                                       wavesync_user):
    documents = seed_layout(namespace)
    done = apply(documents=documents)
    assert done.returncode == 0, done.stderr

    # Final state, from the API.
    for name in ("backend", "frontend", "redis"):
        d = kubectl.get("deployment", name, "-n", namespace)
        assert d["status"].get("availableReplicas") == 1, name
    for name in ("credential-generator", "postgres-init", "db-seed"):
        j = kubectl.get("job", name, "-n", namespace)
        assert any(c["type"] == "Complete" and c["status"] == "True" for c in j["status"]["conditions"]), name
    widget = kubectl.get("widgets.test.wavesync.dev", "cache-warmer", "-n", namespace)
    assert any(c["type"] == "Ready" and c["status"] == "True" for c in widget["status"]["conditions"])

    # Order, from the audit log: wavesync's writes per wave, and when each workload last had
    # its status written by a controller (the Job's completion, the Deployment's availability).
    waves = wave_of(documents)
    writes = audit.events(namespace=namespace, verbs={"create", "patch", "update"}, user=wavesync_user)
    first_write = {}
    for e in writes:
        key = (e["objectRef"]["resource"], e["objectRef"]["name"])
        if key in waves:
            first_write.setdefault(waves[key], e["time"])
    assert sorted(first_write) == [-2, -1, 0, 1, 2, 3]
    ordered = sorted(first_write)
    for earlier, later in zip(ordered, ordered[1:]):
        assert first_write[earlier] <= first_write[later]
    for (resource, name), wave in waves.items():
        if resource not in WORKLOADS or wave == max(first_write):
            continue
        status_writes = [e for e in audit.events(namespace=namespace, resource=resource, name=name,
                                                 verbs={"update", "patch"}, subresource="status")
                         if e["user"]["username"] != wavesync_user]
        assert status_writes, f"{resource}/{name} never had its status written"
        became_ready = status_writes[-1]["done"]
        next_wave = min(w for w in first_write if w > wave)
        assert became_ready < first_write[next_wave], (
            f"wave {next_wave} started at {first_write[next_wave]} before {resource}/{name} (wave {wave}) "
            f"became ready at {became_ready}")


def test_rerunning_the_same_apply_reruns_hooks_with_before_hook_creation(apply, audit, kubectl, namespace,
                                                                         wavesync_user):
    documents = seed_layout(namespace)
    first = apply(documents=documents)
    assert first.returncode == 0, first.stderr
    audit.offset = audit.path.stat().st_size
    second = apply()
    assert second.returncode == 0, second.stderr

    for hook in ("credential-generator", "postgres-init"):
        # The whole-plan server-side dry run before the first write patches every object with
        # dryRun=All; only real writes count here.
        events = audit.events(namespace=namespace, resource="jobs", name=hook, user=wavesync_user,
                              verbs={"delete", "create", "patch"}, dry_run=False)
        verbs = [e["verb"] for e in events]
        assert verbs[0] == "delete", (hook, verbs)
        assert "patch" in verbs[1:] or "create" in verbs[1:], (hook, verbs)
        # Created again only after the old Job was really gone (foreground deletion finished).
        created = next(e for e in events[1:] if e["verb"] in ("create", "patch"))
        job = kubectl.get("job", hook, "-n", namespace)
        assert job["metadata"]["creationTimestamp"] >= events[0]["time"].strftime("%Y-%m-%dT%H:%M:%SZ")
        assert created["time"] > events[0]["time"]
    # The plain Job was not recreated (unchanged), and no extra hook Jobs are left behind.
    assert [e["verb"] for e in audit.events(namespace=namespace, resource="jobs", name="db-seed",
                                             user=wavesync_user, verbs={"delete"})] == []
    assert kubectl.names("jobs", namespace) == ["credential-generator", "db-seed", "postgres-init"]


def test_dry_run_changes_nothing_and_reports_rejections(apply, audit, kubectl, namespace, wavesync_user):
    ok = apply("--dry-run", documents=seed_layout(namespace))
    assert ok.returncode == 0, ok.stderr
    assert kubectl.get("namespace", namespace) is None
    writes = audit.events(namespace=namespace, verbs={"create", "patch", "update", "delete"}, user=wavesync_user,
                          dry_run=False)
    assert writes == []

    kubectl("create", "namespace", namespace)
    bad = deployment("web", namespace)
    bad["spec"]["replicas"] = -1
    rejected = apply("--dry-run", documents=[config_map("settings", namespace), bad])
    assert rejected.returncode == 1, rejected.stderr
    assert "spec.replicas" in rejected.stderr
    assert kubectl.get("deployment", "web", "-n", namespace) is None
    assert kubectl.get("configmap", "settings", "-n", namespace) is None


def test_no_wait_applies_the_last_wave_without_waiting_for_it(apply, kubectl, namespace):
    stuck = {"wavesync.dev/test-waiting-reason": "ImagePullBackOff",
             "wavesync.dev/test-waiting-message": "Back-off pulling image"}
    documents = [namespace_doc for namespace_doc in [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}},
        config_map("settings", namespace, 0),
        deployment("web", namespace, 1, pod_annotations=stuck)]]
    done = apply("--no-wait", documents=documents, timeout="60s")
    assert done.returncode == 0, done.stderr
    web = kubectl.get("deployment", "web", "-n", namespace)
    assert web is not None
    assert not web["status"].get("availableReplicas")
