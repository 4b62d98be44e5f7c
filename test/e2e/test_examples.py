"""Each example applied to the local control plane, with the outcome its README promises.

The verdict comes from the cluster (its kubectl and its audit log), not from wavesync's
output; the output is only checked for what the README says it shows (a Secret's name,
a hook's name).
"""
import pytest

from seed_fixtures import REPO, dev_cluster, run_wavesync  # noqa: F401

EXAMPLES = REPO / "examples"


def apply_example(binary, cluster, *args, timeout="180s"):
    return run_wavesync(binary, "apply", *args, "--kubeconfig", cluster.kubeconfig,
                        "--timeout", timeout, timeout=400)


def condition(obj, kind):
    for c in obj.get("status", {}).get("conditions", []):
        if c["type"] == kind:
            return c["status"]
    return None


def by_wavesync(event):
    """Writes made by wavesync, not by the controllers or by the tests' own kubectl."""
    return (not event["user"]["username"].startswith("system:")
            and not event.get("userAgent", "").startswith("kubectl/"))


def writes(events, namespace, verb, resource=None):
    """(resource, name) of each successful `verb` by wavesync in `namespace`, in log order.
    `verb` "create" also matches a server-side apply (patch) that answered 201 Created."""
    out = []
    for e in events:
        ref, code = e["objectRef"], e["responseStatus"]["code"]
        if not by_wavesync(e) or ref.get("namespace") != namespace or ref.get("subresource"):
            continue
        if resource is not None and ref["resource"] != resource:
            continue
        if e["verb"] == verb and code < 300 or verb == "create" and e["verb"] == "patch" \
                and code == 201:
            out.append((ref["resource"], ref.get("name")))
    return out


def created_by_user(events, namespace):
    """Creates of the example's own objects (not the pods and replicasets controllers make)."""
    own = {"configmaps", "deployments", "services", "jobs", "backupschedules"}
    return [w for w in writes(events, namespace, "create") if w[0] in own]


@pytest.fixture()
def clean(dev_cluster):  # noqa: F811
    """Deletes the namespaces named by the test before it (waiting) and after it."""
    names = []

    def use(*namespaces):
        names.extend(namespaces)
        dev_cluster.delete_namespaces(*namespaces)

    yield use
    dev_cluster.delete_namespaces(*names, wait=False)


def test_quickstart_applies_three_waves_between_its_presync_and_postsync_hooks(
        wavesync, dev_cluster, clean):  # noqa: F811
    clean("quickstart")
    offset = dev_cluster.audit_offset()
    done = apply_example(wavesync, dev_cluster, "examples/quickstart")
    assert done.returncode == 0, done.stderr

    for name in ("api", "web"):
        assert condition(dev_cluster.get_json("deployment", name, "-n", "quickstart"),
                         "Available") == "True"
    for name in ("migrate", "smoke-test"):
        assert condition(dev_cluster.get_json("job", name, "-n", "quickstart"),
                         "Complete") == "True"
    order = created_by_user(dev_cluster.audit_events(offset), "quickstart")
    assert [w for w in order if w[0] in ("jobs", "configmaps", "deployments")] == [
        ("jobs", "migrate"), ("configmaps", "web-content"), ("deployments", "api"),
        ("deployments", "web"), ("jobs", "smoke-test")]


def test_quickstart_applied_again_reruns_both_hooks_with_before_hook_creation(
        wavesync, dev_cluster, clean):  # noqa: F811
    clean("quickstart")
    assert apply_example(wavesync, dev_cluster, "examples/quickstart").returncode == 0
    offset = dev_cluster.audit_offset()
    again = apply_example(wavesync, dev_cluster, "examples/quickstart")
    assert again.returncode == 0, again.stderr

    events = dev_cluster.audit_events(offset)
    jobs = [(verb, name) for verb in ("delete", "create")
            for _, name in writes(events, "quickstart", verb, "jobs")]
    assert sorted(jobs) == sorted([("delete", "migrate"), ("create", "migrate"),
                                   ("delete", "smoke-test"), ("create", "smoke-test")])
    job_writes = [(e["verb"] if e["verb"] != "patch" else "create", e["objectRef"]["name"])
                  for e in events if by_wavesync(e)
                  and e["objectRef"].get("resource") == "jobs" and not e["objectRef"].get(
                      "subresource") and e["objectRef"].get("namespace") == "quickstart"
                  and (e["verb"] == "delete" or e["responseStatus"]["code"] == 201)]
    assert job_writes.index(("delete", "migrate")) < job_writes.index(("create", "migrate"))
    names = [j["metadata"]["name"] for j in
             dev_cluster.get_json("jobs", "-n", "quickstart")["items"]]
    assert sorted(names) == ["migrate", "smoke-test"]


def test_helm_hooks_run_in_weight_order_with_their_delete_policies(
        wavesync, dev_cluster, clean):  # noqa: F811
    clean("helm-hooks")
    offset = dev_cluster.audit_offset()
    done = apply_example(wavesync, dev_cluster, "examples/helm-hooks")
    assert done.returncode == 0, done.stderr

    ns = ("-n", "helm-hooks")
    assert condition(dev_cluster.get_json("deployment", "release-shop-api", *ns),
                     "Available") == "True"
    # HookSucceeded removed db-migrate and notify after the sync succeeded.
    assert not dev_cluster.exists("job", "release-shop-api-db-migrate", *ns)
    assert not dev_cluster.exists("job", "release-shop-api-notify", *ns)
    assert condition(dev_cluster.get_json("job", "release-shop-api-cache-warmup", *ns),
                     "Complete") == "True"
    # A `helm test` hook is not a sync phase: never created.
    events = dev_cluster.audit_events(offset)
    assert ("pods", "release-shop-api-test-connection") not in writes(events, "helm-hooks",
                                                                     "create")
    order = [w for w in created_by_user(events, "helm-hooks") if w[0] in ("jobs", "deployments")]
    assert order == [("jobs", "release-shop-api-db-migrate"),
                     ("jobs", "release-shop-api-cache-warmup"),
                     ("deployments", "release-shop-api"), ("jobs", "release-shop-api-notify")]


def test_missing_secret_fails_naming_the_secret_and_stops_before_the_next_wave(
        wavesync, dev_cluster, clean):  # noqa: F811
    clean("missing-secret")
    done = apply_example(wavesync, dev_cluster, "examples/missing-secret")
    assert done.returncode == 1, done.stderr
    assert 'secret "app-pg-credentials" not found' in done.stdout + done.stderr

    pods = dev_cluster.get_json("pods", "-n", "missing-secret", "-l", "app=app")["items"]
    reasons = {s["state"].get("waiting", {}).get("reason")
               for p in pods for s in p["status"].get("containerStatuses", [])}
    assert reasons == {"CreateContainerConfigError"}
    assert not dev_cluster.exists("service", "app", "-n", "missing-secret")


def test_failing_hook_fails_the_sync_runs_syncfail_and_applies_nothing_later(
        wavesync, dev_cluster, clean):  # noqa: F811
    clean("failing-hook")
    done = apply_example(wavesync, dev_cluster, "examples/failing-hook")
    assert done.returncode == 1, done.stderr
    assert "failing-hook/migrate" in done.stdout + done.stderr
    # The README promises the migrate pod's log tail; this cluster's kwok serves
    # test/cluster/container.log as every container's log, so the tail ends with its last line.
    assert "    log tail:\n" in done.stderr
    assert "      | test log line 30 of 30\n" in done.stderr

    ns = ("-n", "failing-hook")
    assert condition(dev_cluster.get_json("job", "migrate", *ns), "Failed") == "True"
    assert condition(dev_cluster.get_json("job", "notify-failure", *ns), "Complete") == "True"
    assert not dev_cluster.exists("deployment", "web", *ns)


def test_crd_in_one_wave_then_its_custom_resource_in_the_next(
        wavesync, dev_cluster, clean):  # noqa: F811
    clean("crd-and-cr")
    crd = "customresourcedefinition/backupschedules.example.wavesync.dev"
    dev_cluster.kubectl("delete", crd, "--ignore-not-found", "--wait=true")
    try:
        done = apply_example(wavesync, dev_cluster, "examples/crd-and-cr")
        assert done.returncode == 0, done.stderr
        assert condition(dev_cluster.get_json(crd), "Established") == "True"
        schedule = dev_cluster.get_json("backupschedule", "nightly", "-n", "crd-and-cr")
        assert schedule["spec"] == {"schedule": "0 3 * * *", "retentionDays": 14}
    finally:
        dev_cluster.kubectl("delete", crd, "--ignore-not-found", "--wait=false")


def test_prune_deletes_removed_objects_in_reverse_wave_order(
        wavesync, dev_cluster, clean):  # noqa: F811
    clean("prune-example")
    ns = ("-n", "prune-example")
    applyset = ["--applyset", "prune-example", "--applyset-namespace", "prune-example"]
    first = apply_example(wavesync, dev_cluster, "examples/prune/v1", *applyset)
    assert first.returncode == 0, first.stderr
    assert dev_cluster.exists("deployment", "worker", *ns)
    assert dev_cluster.exists("configmap", "legacy-flags", *ns)

    offset = dev_cluster.audit_offset()
    second = apply_example(wavesync, dev_cluster, "examples/prune/v2", *applyset, "--prune")
    assert second.returncode == 0, second.stderr

    assert not dev_cluster.exists("deployment", "worker", *ns)
    assert not dev_cluster.exists("configmap", "legacy-flags", *ns)
    assert dev_cluster.get_json("configmap", "settings", *ns)["data"] == {"MODE": "v2"}
    assert condition(dev_cluster.get_json("deployment", "web", *ns), "Available") == "True"
    deletes = [w for w in writes(dev_cluster.audit_events(offset), "prune-example", "delete")
               if w[0] in ("configmaps", "deployments", "services")]
    assert deletes == [("configmaps", "legacy-flags"), ("deployments", "worker")]
