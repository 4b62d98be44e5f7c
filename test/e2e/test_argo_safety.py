"""Argo CD parity where data and availability are at stake, judged from the cluster and the
audit log: Replace=true writes in place (same uid, an `update`), `wavesync delete` keeps CRDs
and their custom resources, an object the server rejects in a late wave stops the sync before
any write, an object `kubectl apply` wrote is adopted (a key dropped from the manifest goes),
and Prune=confirm / Delete=confirm objects stay until confirmed."""
import subprocess
import uuid

import pytest

OPTIONS = "argocd.argoproj.io/sync-options"
WAVE = "argocd.argoproj.io/sync-wave"
HELD = 5  # the exit code of a prune or deletion that waits for confirmation (README)


def ns_doc(ns):
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns, "annotations": {WAVE: "-1"}}}


def config_map(ns, name, data, annotations=None):
    meta = {"name": name, "namespace": ns}
    if annotations:
        meta["annotations"] = annotations
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": data}


def run(wavesync, kubeconfig, *args, input=None):
    return subprocess.run([str(wavesync), *args, "--kubeconfig", kubeconfig], capture_output=True, text=True,
                          timeout=300, input=input, stdin=None if input is not None else subprocess.DEVNULL)


def writes(audit, namespace, user=None, **kwargs):
    """Non-dry-run writes in the namespace (dry runs are in the audit log too), not counting the
    namespace itself (tests create it with kubectl); only `user`'s when given."""
    return [e for e in audit.events(namespace=namespace, verbs={"create", "update", "patch", "delete"}, user=user,
                                    **kwargs)
            if "dryRun=All" not in e.get("requestURI", "") and e["objectRef"].get("resource") != "namespaces"]


def test_replace_updates_in_place_and_only_replace_force_recreates(apply, kubectl, namespace, audit):
    def docs(value):
        return [ns_doc(namespace),
                config_map(namespace, "replaced", {"v": value}, {OPTIONS: "Replace=true"}),
                config_map(namespace, "recreated", {"v": value}, {OPTIONS: "Replace=true,Force=true"}),
                {"apiVersion": "v1", "kind": "Service",
                 "metadata": {"name": "svc", "namespace": namespace, "annotations": {OPTIONS: "Replace=true"}},
                 "spec": {"selector": {"app": "x"}, "ports": [{"port": 80}]}}]

    first = apply(documents=docs("1"))
    assert first.returncode == 0, first.stderr
    replaced = kubectl.get("configmap", "replaced", "-n", namespace)
    recreated = kubectl.get("configmap", "recreated", "-n", namespace)
    svc = kubectl.get("service", "svc", "-n", namespace)
    second = apply(documents=docs("2"))
    assert second.returncode == 0, second.stderr

    after = kubectl.get("configmap", "replaced", "-n", namespace)
    assert after["data"] == {"v": "2"}
    assert after["metadata"]["uid"] == replaced["metadata"]["uid"]
    svc_after = kubectl.get("service", "svc", "-n", namespace)
    assert svc_after["metadata"]["uid"] == svc["metadata"]["uid"]
    assert svc_after["spec"]["clusterIP"] == svc["spec"]["clusterIP"]
    assert [e["verb"] for e in writes(audit, namespace, resource="configmaps", name="replaced")] == \
        ["create", "update"]
    assert [e["verb"] for e in writes(audit, namespace, resource="services", name="svc")] == ["create", "update"]
    # Only Replace=true,Force=true deletes and recreates.
    recreated_after = kubectl.get("configmap", "recreated", "-n", namespace)
    assert recreated_after["metadata"]["uid"] != recreated["metadata"]["uid"]
    assert [e["verb"] for e in writes(audit, namespace, resource="configmaps", name="recreated")] == \
        ["create", "delete", "create"]


def test_delete_keeps_crds_and_every_custom_resource_unless_asked(wavesync, kubeconfig, apply, kubectl, namespace):
    group = f"e2e{uuid.uuid4().hex[:6]}.wavesync.dev"
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": {"name": f"gizmos.{group}"},
           "spec": {"group": group, "scope": "Namespaced",
                    "names": {"plural": "gizmos", "singular": "gizmo", "kind": "Gizmo"},
                    "versions": [{"name": "v1", "served": True, "storage": True,
                                  "schema": {"openAPIV3Schema": {"type": "object",
                                                                 "x-kubernetes-preserve-unknown-fields": True}}}]}}
    gizmo = {"apiVersion": f"{group}/v1", "kind": "Gizmo", "metadata": {"name": "mine", "namespace": namespace},
              "spec": {"size": 1}}
    done = apply(documents=[ns_doc(namespace), crd, gizmo])
    assert done.returncode == 0, done.stderr
    # Someone else's custom resource of the same kind, not in the manifests.
    kubectl("apply", "-f", "-", input=f"""
apiVersion: {group}/v1
kind: Gizmo
metadata: {{name: theirs, namespace: default}}
spec: {{size: 2}}
""")
    try:
        deleted = run(wavesync, kubeconfig, "delete", str(apply.directory))
        assert deleted.returncode == 0, deleted.stderr
        assert f"gizmos.{group}" in deleted.stdout + deleted.stderr
        assert "--include-crds" in deleted.stdout + deleted.stderr
        assert kubectl.get("customresourcedefinition", f"gizmos.{group}") is not None
        assert kubectl.get(f"gizmos.{group}", "theirs", "-n", "default") is not None
        assert kubectl.get(f"gizmos.{group}", "mine", "-n", namespace) is None
    finally:
        everything = run(wavesync, kubeconfig, "delete", str(apply.directory), "--include-crds")
        assert everything.returncode == 0, everything.stderr
        assert kubectl.get("customresourcedefinition", f"gizmos.{group}") is None


def test_a_late_wave_the_server_rejects_stops_the_sync_before_any_write(apply, kubectl, namespace, audit,
                                                                        wavesync_user):
    kubectl("create", "namespace", namespace)
    docs = [config_map(namespace, "early", {"a": "1"}, {WAVE: "-1"}),
            config_map(namespace, "middle", {"a": "1"}, {WAVE: "2"}),
            {"apiVersion": "apps/v1", "kind": "Deployment",
             "metadata": {"name": "web", "namespace": namespace, "annotations": {WAVE: "5"}},
             "spec": {"replicas": "three", "selector": {"matchLabels": {"app": "web"}},
                      "template": {"metadata": {"labels": {"app": "web"}},
                                   "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}},
            config_map(namespace, "unknown-field", {"a": "1"}, {WAVE: "6"})]
    docs[-1]["bogus"] = True
    # A named ApplySet, so the parent Secret (in the namespace) would be written if anything
    # were written before the dry run.
    done = apply("--applyset", "late-wave", "--applyset-namespace", namespace, documents=docs)
    assert done.returncode == 1, done.stderr
    # Both rejections, each with the file and line of its manifest.
    assert f"app.yaml:" in done.stderr
    assert ".spec.replicas" in done.stderr
    assert "bogus" in done.stderr
    assert "nothing was written" in done.stderr
    # Writes with wavesync's credentials. Creating the namespace makes kube-controller-manager
    # write its `default` ServiceAccount and `kube-root-ca.crt` ConfigMap: not the sync's.
    assert writes(audit, namespace, user=wavesync_user) == []
    assert kubectl.get("secret", "late-wave", "-n", namespace) is None
    assert kubectl.names("configmaps", namespace) == ["kube-root-ca.crt"]

def test_validate_false_applies_an_object_with_an_unknown_field(apply, kubectl, namespace, audit, wavesync_user):
    # Server-side apply cannot carry a field the schema does not declare (500 "failed to create
    # typed patch object" even with fieldValidation=Ignore); Argo CD writes such an object
    # client-side with --validate=false. wavesync creates it, then merge-patches it, and the
    # server drops the unknown field.
    kubectl("create", "namespace", namespace)
    loose = config_map(namespace, "loose", {"a": "1", "b": "1"}, {OPTIONS: "Validate=false"})
    loose["bogus"] = True
    done = apply(documents=[loose])
    assert done.returncode == 0, done.stderr
    first = kubectl.get("configmap", "loose", "-n", namespace)
    assert first["data"] == {"a": "1", "b": "1"}
    assert "bogus" not in first
    # Changed and with a key dropped: the same object, the key gone as client-side apply removes it.
    loose["data"] = {"a": "2"}
    done = apply(documents=[loose])
    assert done.returncode == 0, done.stderr
    second = kubectl.get("configmap", "loose", "-n", namespace)
    assert second["data"] == {"a": "2"}
    assert second["metadata"]["uid"] == first["metadata"]["uid"]
    mine = writes(audit, namespace, user=wavesync_user, resource="configmaps", name="loose")
    assert [e["verb"] for e in mine] == ["create", "patch"]
    assert all("fieldValidation=Ignore" in e["requestURI"] for e in mine)
    # Validate=false dropped (and the unknown field with it): applied server-side again, and
    # what the manifest no longer has goes, the sync-options annotation included.
    plain = config_map(namespace, "loose", {"c": "3"})
    done = apply(documents=[plain])
    assert done.returncode == 0, done.stderr
    third = kubectl.get("configmap", "loose", "-n", namespace)
    assert third["data"] == {"c": "3"}
    assert OPTIONS not in third["metadata"].get("annotations", {})
    assert third["metadata"]["uid"] == first["metadata"]["uid"]


def test_an_object_kubectl_applied_is_adopted_and_a_dropped_key_goes(apply, kubectl, namespace):
    kubectl("create", "namespace", namespace)
    kubectl("apply", "-f", "-", input=f"""
apiVersion: v1
kind: ConfigMap
metadata: {{name: settings, namespace: {namespace}}}
data: {{keep: "old", drop: "x"}}
""")
    docs = [config_map(namespace, "settings", {"keep": "new"})]
    refused = apply("--no-force-conflicts", documents=docs)
    assert refused.returncode == 1, refused.stderr
    assert "kubectl-client-side-apply" in refused.stderr
    assert kubectl.get("configmap", "settings", "-n", namespace)["data"] == {"keep": "old", "drop": "x"}

    done = apply(documents=docs)
    assert done.returncode == 0, done.stderr
    live = kubectl.get("configmap", "settings", "-n", namespace, "--show-managed-fields")
    assert live["data"] == {"keep": "new"}
    managers = [(m["manager"], m["operation"]) for m in live["metadata"]["managedFields"]]
    assert ("kubectl-client-side-apply", "Update") not in managers
    assert "kubectl.kubernetes.io/last-applied-configuration" not in live["metadata"].get("annotations", {})


def test_prune_confirm_holds_the_prune_until_confirmed(apply, kubectl, namespace, audit):
    flags = ["--applyset", "confirm-set", "--applyset-namespace", namespace]
    first = apply(*flags, documents=[ns_doc(namespace), config_map(namespace, "plain", {"a": "1"}),
                                     config_map(namespace, "precious", {"a": "1"}, {OPTIONS: "Prune=confirm"})])
    assert first.returncode == 0, first.stderr
    apply.write([ns_doc(namespace), config_map(namespace, "new", {"a": "1"})])
    held = apply(*flags, "--prune")
    assert held.returncode == HELD, held.stderr
    assert f"v1 ConfigMap {namespace}/precious" in held.stderr
    assert "--confirm-prune" in held.stderr
    assert kubectl.get("configmap", "precious", "-n", namespace) is not None
    assert kubectl.get("configmap", "plain", "-n", namespace) is not None
    # Nothing at all was written: not even the new object of the same sync.
    assert kubectl.get("configmap", "new", "-n", namespace) is None

    confirmed = apply(*flags, "--prune", "--confirm-prune")
    assert confirmed.returncode == 0, confirmed.stderr
    assert kubectl.get("configmap", "precious", "-n", namespace) is None
    assert kubectl.get("configmap", "plain", "-n", namespace) is None


def test_delete_confirm_holds_the_deletion_until_confirmed(wavesync, kubeconfig, apply, kubectl, namespace, audit):
    done = apply(documents=[ns_doc(namespace), config_map(namespace, "plain", {"a": "1"}),
                            config_map(namespace, "precious", {"a": "1"}, {OPTIONS: "Delete=confirm"})])
    assert done.returncode == 0, done.stderr
    held = run(wavesync, kubeconfig, "delete", str(apply.directory))
    assert held.returncode == HELD, held.stderr
    assert f"v1 ConfigMap {namespace}/precious" in held.stderr
    assert "--confirm-delete" in held.stderr
    # Argo CD deletes nothing of the app while a deletion waits for confirmation.
    assert [e for e in writes(audit, namespace) if e["verb"] == "delete"] == []
    assert kubectl.get("configmap", "precious", "-n", namespace) is not None
    confirmed = run(wavesync, kubeconfig, "delete", str(apply.directory), "--confirm-delete")
    assert confirmed.returncode == 0, confirmed.stderr
    assert kubectl.get("configmap", "precious", "-n", namespace) is None


def test_no_applyset_parent_for_stdin_or_a_temporary_directory_unless_named(wavesync, kubeconfig, apply, kubectl,
                                                                              namespace, audit):
    import yaml
    docs = [ns_doc(namespace), config_map(namespace, "a", {"a": "1"})]
    piped = run(wavesync, kubeconfig, "apply", "-", "--timeout", "60s", input=yaml.safe_dump_all(docs))
    assert piped.returncode == 0, piped.stderr
    done = apply(documents=docs)  # a pytest temporary directory
    assert done.returncode == 0, done.stderr
    # No parent Secret anywhere: nothing with the ApplySet id label was written.
    secrets = [e for e in audit.events(verbs={"create", "update", "patch"}, resource="secrets")
               if "dryRun=All" not in e.get("requestURI", "")]
    assert [e for e in secrets if e["objectRef"].get("namespace") == namespace or
            e["objectRef"].get("name") == apply.directory.name] == []
    assert kubectl.get("secret", apply.directory.name, "-n", "default") is None
    assert "applyset.kubernetes.io/part-of" not in kubectl.get("configmap", "a", "-n", namespace)["metadata"].get(
        "labels", {})
    refused = apply("--prune")
    assert refused.returncode == 2, refused.stderr
    assert refused.stderr.count("\n") == 1
    assert "--prune needs an ApplySet name" in refused.stderr and "--applyset NAME" in refused.stderr
    named = apply("--applyset", "named", "--applyset-namespace", namespace)
    assert named.returncode == 0, named.stderr
    assert kubectl.get("secret", "named", "-n", namespace) is not None
