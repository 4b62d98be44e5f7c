"""Argo CD Applications synced to the local control plane by `wavesync apply --argocd-app`, judged
with kubectl and the audit log (helpers and the renderer fixture come from test_inputs)."""
import pytest

from test_inputs import INPUTS, REPO, run, tools, write_app  # noqa: F401 (tools is a fixture)


def writes(audit, namespace, resource, name=None):
    """Real writes (not the validation pass's dryRun=All requests) of `resource` in `namespace`."""
    return [e for e in audit.events(namespace=namespace, verbs={"create", "patch", "update"}, resource=resource,
                                    name=name)
            if "dryRun" not in e.get("requestURI", "")]


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
