"""Argo CD Applications synced to the local control plane by `wavesync apply --argocd-app`, judged
with kubectl and the audit log (helpers and the renderer fixture come from test_inputs)."""
import pytest

from test_inputs import INPUTS, REPO, run, tools, write_app  # noqa: F401 (tools is a fixture)


def writes(audit, namespace, resource, name=None):
    """Real writes (not the validation pass's dryRun=All requests) of `resource` in `namespace`."""
    return audit.events(namespace=namespace, verbs={"create", "patch", "update"}, resource=resource, name=name,
                        dry_run=False)


# --- Applications on the local control plane ------------------------------------------------

def apply_app(wavesync, kubeconfig, tools, app, *args):
    return run(wavesync, "apply", "--argocd-app", str(app), "--repo", str(REPO), "--kubeconfig", kubeconfig,
               "--timeout", "120s", *args, path=tools["path"])


def test_an_application_with_a_kustomize_source_is_synced(wavesync, kubeconfig, kubectl, tools, namespace,
                                                          tmp_path, audit):
    kubectl("create", "namespace", namespace)
    app = write_app(tmp_path, {"repoURL": "https://git.example/wavesync.git", "path": "test/inputs/kustomize/overlay",
                               "kustomize": {"namePrefix": "k-", "commonLabels": {"team": "shop"},
                                             "images": ["registry.example/shop/web:2.0"]}},
                    name=f"kapp-{namespace[-5:]}", namespace=namespace)
    done = apply_app(wavesync, kubeconfig, tools, app)
    assert done.returncode == 0, done.stderr
    # The Application's namePrefix replaced the overlay's, its image tag won, its label is on everything.
    deploy = kubectl.get("deployment", "k-web", "-n", namespace)
    assert deploy is not None, kubectl.names("deployments", namespace)
    assert deploy["spec"]["template"]["spec"]["containers"][0]["image"] == "registry.example/shop/web:2.0"
    assert deploy["metadata"]["labels"]["team"] == "shop"
    assert deploy["status"].get("availableReplicas") == 1
    configmaps = [n for n in kubectl.names("configmaps", namespace) if n.startswith("k-web-settings-")]
    assert len(configmaps) == 1
    # The PreSync hook ran before the Deployment was created.
    job = writes(audit, namespace, "jobs", "k-migrate")
    web = writes(audit, namespace, "deployments", "k-web")
    assert job and web and job[0]["time"] < web[0]["time"]
    # The inventory carries the Application's name.
    parent = kubectl.get("secret", app.stem, "-n", namespace)
    assert parent is not None and "applyset.kubernetes.io/id" in parent["metadata"]["labels"]
    # The checkout is untouched by the kustomize edits.
    assert "k-" not in (INPUTS / "kustomize" / "overlay" / "kustomization.yaml").read_text()


def test_an_application_with_a_helm_source_is_synced(wavesync, kubeconfig, kubectl, tools, namespace, tmp_path,
                                                     audit):
    kubectl("create", "namespace", namespace)
    name = f"happ-{namespace[-5:]}"
    app = write_app(tmp_path, {"repoURL": "https://git.example/wavesync.git", "path": "test/inputs/chart",
                               "helm": {"releaseName": "rel",
                                        "valuesObject": {"replicas": 2},
                                        "parameters": [{"name": "greeting", "value": "hi from $ARGOCD_APP_NAME"}]}},
                    name=name, namespace=namespace)
    done = apply_app(wavesync, kubeconfig, tools, app)
    assert done.returncode == 0, done.stderr
    config = kubectl.get("configmap", "rel-shop-web", "-n", namespace)
    assert config["data"] == {"GREETING": f"hi from {name}", "NAMESPACE": namespace}
    deploy = kubectl.get("deployment", "rel-shop-web", "-n", namespace)
    assert deploy["spec"]["replicas"] == 2 and deploy["status"].get("availableReplicas") == 2
    hook = writes(audit, namespace, "jobs", "rel-shop-web-migrate")
    first_deploy = writes(audit, namespace, "deployments")
    assert hook and first_deploy and hook[0]["time"] < first_deploy[0]["time"]


def test_automated_prune_deletes_what_left_the_application(wavesync, kubeconfig, kubectl, tools, namespace,
                                                           tmp_path):
    kubectl("create", "namespace", namespace)
    repo = tmp_path / "repo"
    (repo / "apps").mkdir(parents=True)
    cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {}\ndata: {{}}\n"
    (repo / "apps" / "a.yaml").write_text(cm.format("keep"))
    (repo / "apps" / "b.yaml").write_text(cm.format("gone"))
    app = write_app(tmp_path, {"repoURL": "https://git.example/x.git", "path": "apps"},
                    name=f"papp-{namespace[-5:]}", namespace=namespace, sync_policy={"automated": {"prune": True}})
    first = run(wavesync, "apply", "--argocd-app", str(app), "--repo", str(repo), "--kubeconfig", kubeconfig,
                path=tools["path"])
    assert first.returncode == 0, first.stderr
    assert kubectl.names("configmaps", namespace) >= ["gone", "keep"]
    (repo / "apps" / "b.yaml").unlink()
    second = run(wavesync, "apply", "--argocd-app", str(app), "--repo", str(repo), "--kubeconfig", kubeconfig,
                 path=tools["path"])
    assert second.returncode == 0, second.stderr
    assert kubectl.get("configmap", "gone", "-n", namespace) is None
    assert kubectl.get("configmap", "keep", "-n", namespace) is not None


def plain_repo(tmp_path, names):
    repo = tmp_path / "repo"
    (repo / "apps").mkdir(parents=True)
    for name in names:
        (repo / "apps" / f"{name}.yaml").write_text(
            f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata: {{a: '1'}}\n")
    return repo


def test_an_applications_retry_is_followed(wavesync, kubeconfig, kubectl, tools, namespace, tmp_path, audit):
    """syncPolicy.retry: the first attempt fails (the destination namespace does not exist yet,
    someone creates it), the retry after the Application's backoff succeeds."""
    import threading
    import time
    repo = plain_repo(tmp_path, ["settings"])
    app = write_app(tmp_path, {"repoURL": "https://git.example/x.git", "path": "apps"},
                    name=f"rapp-{namespace[-5:]}", namespace=namespace,
                    sync_policy={"retry": {"limit": 1, "backoff": {"duration": "4s"}}})
    result = {}
    runner = threading.Thread(target=lambda: result.update(done=run(
        wavesync, "apply", "--argocd-app", str(app), "--repo", str(repo), "--kubeconfig", kubeconfig,
        path=tools["path"])))
    runner.start()
    deadline = time.time() + 60
    while time.time() < deadline and not audit.events(namespace=namespace, resource="configmaps", ok=False):
        time.sleep(0.2)
    failed = audit.events(namespace=namespace, resource="configmaps", ok=False)
    assert failed and failed[0]["responseStatus"]["code"] == 404, failed
    kubectl("create", "namespace", namespace)
    runner.join(120)
    done = result["done"]
    assert done.returncode == 0, done.stderr
    real = writes(audit, namespace, "configmaps", "settings")
    assert len(real) == 1 and real[0]["responseStatus"]["code"] == 201, real
    assert (real[0]["time"] - failed[0]["time"]).total_seconds() >= 4
    assert kubectl.get("configmap", "settings", "-n", namespace) is not None


def test_an_applications_replace_option_writes_every_object_with_replace(wavesync, kubeconfig, kubectl, tools,
                                                                         namespace, tmp_path, audit):
    """syncPolicy.syncOptions Replace=true holds for every object, as Argo CD's sc.replace: an
    existing object is written with a PUT (update), not server-side apply."""
    kubectl("create", "namespace", namespace)
    repo = plain_repo(tmp_path, ["one", "two"])
    app = write_app(tmp_path, {"repoURL": "https://git.example/x.git", "path": "apps"},
                    name=f"xapp-{namespace[-5:]}", namespace=namespace,
                    sync_policy={"syncOptions": ["Replace=true"]})
    argv = ("apply", "--argocd-app", str(app), "--repo", str(repo), "--kubeconfig", kubeconfig)
    first = run(wavesync, *argv, path=tools["path"])
    assert first.returncode == 0, first.stderr
    assert "Replace=true" not in first.stderr  # honoured, so no "not honoured" warning
    uid = kubectl.get("configmap", "one", "-n", namespace)["metadata"]["uid"]
    mark = len(audit.events(namespace=namespace, resource="configmaps", ok=False, dry_run=False))
    second = run(wavesync, *argv, path=tools["path"])
    assert second.returncode == 0, second.stderr
    later = [e for e in audit.events(namespace=namespace, resource="configmaps", ok=False, dry_run=False)[mark:]
             if e["verb"] in {"create", "patch", "update", "delete"}]
    assert sorted((e["verb"], e["objectRef"]["name"]) for e in later
                  if e["objectRef"]["name"] in {"one", "two"}) == [("update", "one"), ("update", "two")], later
    assert kubectl.get("configmap", "one", "-n", namespace)["metadata"]["uid"] == uid


def test_an_applications_create_namespace_and_out_of_sync_only_are_followed(wavesync, kubeconfig, kubectl, tools,
                                                                            namespace, tmp_path, audit):
    """CreateNamespace=true with managedNamespaceMetadata makes the destination namespace (with its
    labels and annotations) before anything in it; ApplyOutOfSyncOnly=true leaves an unchanged
    object unwritten on the next sync."""
    repo = plain_repo(tmp_path, ["same", "edited"])
    app = write_app(tmp_path, {"repoURL": "https://git.example/x.git", "path": "apps"},
                    name=f"napp-{namespace[-5:]}", namespace=namespace,
                    sync_policy={"syncOptions": ["CreateNamespace=true", "ApplyOutOfSyncOnly=true"],
                                 "managedNamespaceMetadata": {"labels": {"team": "shop"},
                                                              "annotations": {"owner": "platform"}}})
    argv = ("apply", "--argocd-app", str(app), "--repo", str(repo), "--kubeconfig", kubeconfig)
    first = run(wavesync, *argv, path=tools["path"])
    assert first.returncode == 0, first.stderr
    assert "not yet honoured" not in first.stderr, first.stderr
    ns = kubectl.get("namespace", namespace)
    assert ns["metadata"]["labels"]["team"] == "shop"
    assert ns["metadata"]["annotations"]["owner"] == "platform"
    created_ns = audit.events(verbs={"create", "patch"}, resource="namespaces", name=namespace, dry_run=False)
    first_cm = writes(audit, namespace, "configmaps")
    assert created_ns and first_cm and created_ns[0]["time"] <= first_cm[0]["time"]

    (repo / "apps" / "edited.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: edited\ndata: {a: '2'}\n")
    mark = len(writes(audit, namespace, "configmaps"))
    # The server stamps writes to the second; an object last written in the second the next sync
    # starts cannot be told unchanged, and is written again (README, ApplyOutOfSyncOnly).
    import time
    time.sleep(1.1)
    second = run(wavesync, *argv, path=tools["path"])
    assert second.returncode == 0, second.stderr
    later = [e["objectRef"]["name"] for e in writes(audit, namespace, "configmaps")[mark:]]
    assert later == ["edited"], later
    assert kubectl.get("configmap", "edited", "-n", namespace)["data"] == {"a": "2"}
