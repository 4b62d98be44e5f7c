"""Custom-resource health on the real control plane: a wave held by a custom resource until a
health script (--health-scripts) says Healthy, and an argocd-cm ConfigMap read from the cluster
(--argocd-cm NAMESPACE/NAME) overriding a built-in rule. Judged by the API and the audit log."""
import json
import subprocess
import time
import uuid

import yaml


def namespace_doc(name):
    return {"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": name, "annotations": {"argocd.argoproj.io/sync-wave": "-1"}}}


def crd(group, kind, plural):
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": f"{plural}.{group}"},
            "spec": {"group": group, "scope": "Namespaced",
                     "names": {"kind": kind, "plural": plural, "singular": kind.lower(), "listKind": kind + "List"},
                     "versions": [{"name": "v1", "served": True, "storage": True,
                                   "schema": {"openAPIV3Schema": {"type": "object",
                                                                  "x-kubernetes-preserve-unknown-fields": True}}}]}}


def config_map(name, namespace, wave):
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": namespace,
                         "annotations": {"argocd.argoproj.io/sync-wave": str(wave)}},
            "data": {"k": "v"}}


def status_of(apply, name, *flags):
    """The health `wavesync status -o json` gives the object called `name` in the manifests."""
    done = subprocess.run([str(apply.binary), "status", str(apply.directory), "--kubeconfig", apply.kubeconfig,
                           "-o", "json", *flags], capture_output=True, text=True, timeout=60)
    assert done.returncode in (0, 1), done.stderr
    objects = [o for step in json.loads(done.stdout)["steps"] for o in step["objects"]
               if o["resource"]["name"] == name]
    assert len(objects) == 1, done.stdout
    return objects[0]["health"]


def wait_established(kubectl, name):
    kubectl.wait_crd_served(name)


def test_a_wave_waits_for_a_custom_resource_until_its_health_script_says_healthy(
        apply, audit, kubectl, namespace, tmp_path):
    group = f"e{uuid.uuid4().hex[:8]}.e2e.wavesync.dev"
    definition = crd(group, "Gizmo", "gizmos")
    kubectl("apply", "-f", "-", input=yaml.safe_dump(definition))
    scripts = tmp_path / "scripts" / group / "Gizmo"
    scripts.mkdir(parents=True)
    (scripts / "health.lua").write_text(
        'if obj.status ~= nil and obj.status.phase == "Ready" then\n'
        '  return {status = "Healthy", message = "gizmo is ready"}\n'
        'end\n'
        'return {status = "Progressing", message = "waiting for the gizmo"}\n')
    try:
        wait_established(kubectl, f"gizmos.{group}")
        gizmo = {"apiVersion": f"{group}/v1", "kind": "Gizmo",
                 "metadata": {"name": "g1", "namespace": namespace,
                              "annotations": {"argocd.argoproj.io/sync-wave": "0"}},
                 "spec": {"size": 1}}
        apply.write([namespace_doc(namespace), gizmo, config_map("after", namespace, 1)])
        run = subprocess.Popen([str(apply.binary), "apply", str(apply.directory), "--kubeconfig", apply.kubeconfig,
                                "--timeout", "120s", "--health-scripts", str(tmp_path / "scripts")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.time() + 60
            while kubectl.get(f"gizmos.{group}", "g1", "-n", namespace) is None:
                assert time.time() < deadline, "the gizmo was never created"
                assert run.poll() is None, run.communicate()
                time.sleep(0.2)
            time.sleep(3)
            # Held: the script says Progressing, so wave 1 has not started.
            assert run.poll() is None, run.communicate()
            assert kubectl.get("configmap", "after", "-n", namespace) is None
            # status judges the gizmo with the same scripts; without them it has no health.
            assert status_of(apply, "g1", "--health-scripts", str(tmp_path / "scripts")) == {
                "status": "Progressing", "message": "waiting for the gizmo"}
            assert status_of(apply, "g1") is None
            kubectl("patch", f"gizmos.{group}", "g1", "-n", namespace, "--type", "merge",
                    "-p", '{"status": {"phase": "Ready"}}')
            out, err = run.communicate(timeout=120)
        finally:
            if run.poll() is None:
                run.kill()
        assert run.returncode == 0, err
        assert kubectl.get("configmap", "after", "-n", namespace)["data"] == {"k": "v"}
        assert status_of(apply, "g1", "--health-scripts", str(tmp_path / "scripts")) == {
            "status": "Healthy", "message": "gizmo is ready"}
        patched = [e for e in audit.events(namespace=namespace, resource="gizmos", name="g1", verbs={"patch"})
                   if e.get("userAgent", "").startswith("kubectl")]
        created = audit.events(namespace=namespace, resource="configmaps", name="after", verbs={"create", "patch"})
        assert patched and created
        assert created[0]["time"] > patched[-1]["done"]
    finally:
        kubectl("delete", "crd", f"gizmos.{group}", "--ignore-not-found", "--wait=false", check=False)


def test_an_argocd_cm_configmap_on_the_cluster_overrides_a_built_in_rule(apply, kubectl, namespace):
    # Keycloak's built-in rule waits for status conditions, which nothing writes here.
    definition = crd("k8s.keycloak.org", "Keycloak", "keycloaks")
    existed = kubectl.get("crd", "keycloaks.k8s.keycloak.org") is not None
    if not existed:
        kubectl("apply", "-f", "-", input=yaml.safe_dump(definition))
    settings_ns = f"{namespace}-argocd"
    try:
        wait_established(kubectl, "keycloaks.k8s.keycloak.org")
        keycloak = {"apiVersion": "k8s.keycloak.org/v1", "kind": "Keycloak",
                    "metadata": {"name": "kc", "namespace": namespace,
                                 "annotations": {"argocd.argoproj.io/sync-wave": "0"}},
                    "spec": {"instances": 1}}
        documents = [namespace_doc(namespace), keycloak, config_map("after", namespace, 1)]
        held = apply("--wave-timeout", "5s", documents=documents, timeout="60s")
        assert held.returncode == 3, held.stderr
        assert "Waiting for Keycloak status conditions to exist" in held.stderr
        assert kubectl.get("configmap", "after", "-n", namespace) is None

        kubectl("create", "namespace", settings_ns)
        kubectl("apply", "-f", "-", input=yaml.safe_dump({
            "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "argocd-cm", "namespace": settings_ns},
            "data": {"resource.customizations.health.k8s.keycloak.org_Keycloak":
                     'return {status = "Healthy", message = "judged by argocd-cm"}'}}))
        done = apply("--argocd-cm", f"{settings_ns}/argocd-cm", documents=documents, timeout="60s")
        assert done.returncode == 0, done.stderr
        assert kubectl.get("configmap", "after", "-n", namespace)["data"] == {"k": "v"}

        missing = apply("--argocd-cm", f"{settings_ns}/no-such-cm", documents=documents, timeout="60s")
        assert missing.returncode == 4
        assert f"--argocd-cm: configmap {settings_ns}/no-such-cm not found" in missing.stderr
    finally:
        kubectl("delete", "namespace", settings_ns, "--ignore-not-found", "--wait=false", check=False)
        if not existed:
            kubectl("delete", "crd", "keycloaks.k8s.keycloak.org", "--ignore-not-found", "--wait=false", check=False)
