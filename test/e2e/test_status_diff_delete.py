"""`wavesync status`, `diff` and `delete` against the local control plane: exit codes, what they
say, redaction of Secret values, reverse-order deletion (checked in the audit log) and the
Delete=false / resource-policy keep annotations (checked through the API)."""
import json
import subprocess

import pytest

from conftest import schema_events


SECRET_VALUE = "hunter2-do-not-print"
SECRET_VALUE_2 = "correct-horse-battery"


def documents(ns, secret_value=SECRET_VALUE, replicas=1, keep=False):
    docs = [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns,
         "annotations": {"argocd.argoproj.io/sync-wave": "-1"}}},
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db", "namespace": ns},
         "stringData": {"password": secret_value}},
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings", "namespace": ns},
         "data": {"mode": "fast"}},
        {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"name": "web", "namespace": ns, "annotations": {"argocd.argoproj.io/sync-wave": "1"}},
         "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                  "template": {"metadata": {"labels": {"app": "web"}},
                               "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}}},
    ]
    if keep:
        docs.append({"apiVersion": "v1", "kind": "ConfigMap",
                     "metadata": {"name": "kept", "namespace": ns,
                                  "annotations": {"helm.sh/resource-policy": "keep",
                                                  "argocd.argoproj.io/sync-wave": "2"}},
                     "data": {"a": "b"}})
        docs.append({"apiVersion": "v1", "kind": "ConfigMap",
                     "metadata": {"name": "stays", "namespace": ns,
                                  "annotations": {"argocd.argoproj.io/sync-options": "Delete=false",
                                                  "argocd.argoproj.io/sync-wave": "2"}},
                     "data": {"a": "b"}})
    return docs


def run(wavesync, kubeconfig, command, directory, *args):
    return subprocess.run([str(wavesync), command, str(directory), "--kubeconfig", kubeconfig, *args],
                          capture_output=True, text=True, timeout=300)


def no_secret(done, *values):
    for value in values:
        assert value not in done.stdout and value not in done.stderr


def test_status_is_1_before_apply_and_0_once_everything_is_healthy(wavesync, kubeconfig, apply, namespace):
    apply.write(documents(namespace))
    before = run(wavesync, kubeconfig, "status", apply.directory)
    assert before.returncode == 1, before.stderr
    assert f"FAIL apps/v1 Deployment {namespace}/web" in before.stdout
    assert "missing" in before.stdout
    done = apply()
    assert done.returncode == 0, done.stderr
    after = run(wavesync, kubeconfig, "status", apply.directory)
    assert after.returncode == 0, after.stdout + after.stderr
    assert f"ok   apps/v1 Deployment {namespace}/web" in after.stdout
    assert "Healthy" in after.stdout
    as_json = run(wavesync, kubeconfig, "status", apply.directory, "-o", "json")
    assert as_json.returncode == 0
    import json
    report = json.loads(as_json.stdout)
    assert report["ok"] is True
    assert [s["wave"] for s in report["steps"]] == [-1, 0, 1]
    no_secret(before, SECRET_VALUE)
    no_secret(after, SECRET_VALUE)
    no_secret(as_json, SECRET_VALUE)


def test_status_exit_1_when_an_object_was_deleted(wavesync, kubeconfig, apply, namespace, kubectl):
    assert apply(documents=documents(namespace)).returncode == 0
    kubectl("delete", "configmap", "settings", "-n", namespace)
    done = run(wavesync, kubeconfig, "status", apply.directory)
    assert done.returncode == 1
    assert f"FAIL v1 ConfigMap {namespace}/settings" in done.stdout


def test_diff_exit_codes_and_secret_values_never_shown(wavesync, kubeconfig, apply, namespace, kubectl):
    apply.write(documents(namespace))
    new = run(wavesync, kubeconfig, "diff", apply.directory)
    assert new.returncode == 1, new.stderr
    assert f"+++ desired/apps/v1/Deployment/{namespace}/web" in new.stdout
    assert apply().returncode == 0
    same = run(wavesync, kubeconfig, "diff", apply.directory)
    assert same.returncode == 0, same.stdout + same.stderr
    assert same.stdout == ""
    # Change the Secret and the replica count: both show, the values of the Secret never.
    apply.write(documents(namespace, secret_value=SECRET_VALUE_2, replicas=2))
    changed = run(wavesync, kubeconfig, "diff", apply.directory)
    assert changed.returncode == 1, changed.stderr
    assert "-  replicas: 1\n+  replicas: 2\n" in changed.stdout
    assert '-  password: "*** (before)"\n+  password: "*** (after)"\n' in changed.stdout
    for noise in ("managedFields", "resourceVersion", "creationTimestamp", "uid:", "status:"):
        assert noise not in changed.stdout
    no_secret(changed, SECRET_VALUE, SECRET_VALUE_2)
    import base64
    no_secret(changed, base64.b64encode(SECRET_VALUE.encode()).decode(),
              base64.b64encode(SECRET_VALUE_2.encode()).decode())
    # The diff changed nothing.
    assert kubectl.get("deployment", "web", "-n", namespace)["spec"]["replicas"] == 1


def test_diff_of_a_manifest_the_server_rejects_exits_2(wavesync, kubeconfig, apply, namespace):
    docs = documents(namespace)
    docs[3]["spec"]["replicas"] = -1
    assert apply(documents=docs[:3]).returncode == 0
    apply.write(docs)
    done = run(wavesync, kubeconfig, "diff", apply.directory)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "wavesync: error: " in done.stderr and "replicas" in done.stderr


def test_delete_dry_run_lists_and_deletes_nothing(wavesync, kubeconfig, apply, namespace, kubectl):
    assert apply(documents=documents(namespace, keep=True)).returncode == 0
    done = run(wavesync, kubeconfig, "delete", apply.directory, "--dry-run")
    assert done.returncode == 0, done.stderr
    assert f"would delete apps/v1 Deployment {namespace}/web" in done.stdout
    assert f"keep v1 ConfigMap {namespace}/kept (helm.sh/resource-policy: keep)" in done.stdout
    assert kubectl.get("deployment", "web", "-n", namespace) is not None


def test_delete_goes_in_reverse_wave_order_and_keeps_protected_objects(wavesync, kubeconfig, apply, namespace,
                                                                       kubectl, audit):
    docs = documents(namespace, keep=True)
    # Without the namespace in the set, so the kept objects survive to be checked.
    kubectl("create", "namespace", namespace)
    assert apply(documents=docs[1:]).returncode == 0
    done = run(wavesync, kubeconfig, "delete", apply.directory, "--timeout", "120s")
    assert done.returncode == 0, done.stdout + done.stderr
    no_secret(done, SECRET_VALUE)
    assert kubectl.get("deployment", "web", "-n", namespace) is None
    assert kubectl.get("secret", "db", "-n", namespace) is None
    assert kubectl.get("configmap", "kept", "-n", namespace) is not None
    assert kubectl.get("configmap", "stays", "-n", namespace) is not None
    deletes = [(e["objectRef"]["resource"], e["objectRef"]["name"])
               for e in audit.events(namespace=namespace, verbs=["delete"])]
    assert deletes.index(("deployments", "web")) < deletes.index(("configmaps", "settings"))
    assert ("configmaps", "kept") not in deletes and ("configmaps", "stays") not in deletes
    again = run(wavesync, kubeconfig, "delete", apply.directory)
    assert again.returncode == 0
    # Progress is reported like apply's: event lines on stderr.
    assert f"v1 ConfigMap {namespace}/settings: not found" in again.stderr


def test_delete_reports_the_finalizer_of_an_object_that_does_not_go(wavesync, kubeconfig, apply, namespace, kubectl):
    docs = documents(namespace)
    docs[2]["metadata"]["finalizers"] = ["example.com/hold"]
    assert apply(documents=docs).returncode == 0
    try:
        done = run(wavesync, kubeconfig, "delete", apply.directory, "--timeout", "5s")
        assert done.returncode == 3, done.stdout + done.stderr
        assert f"v1 ConfigMap {namespace}/settings is still present after 5.0s (--timeout)" in done.stderr
        assert "waiting on finalizers: example.com/hold" in done.stderr
        # The step after the stuck one (wave -1: the namespace) was not started.
        assert kubectl.get("namespace", namespace)["status"]["phase"] == "Active"
    finally:
        kubectl("patch", "configmap", "settings", "-n", namespace, "--type=merge",
                "-p", '{"metadata":{"finalizers":null}}', check=False)


def test_delete_timeout_takes_go_durations_and_rejects_others_with_exit_code_2(wavesync, kubeconfig, apply, namespace,
                                                                               kubectl):
    assert apply(documents=documents(namespace)).returncode == 0
    # The same grammar as apply's --timeout (a bare number still means seconds).
    for value in ("1m30s", "300"):
        done = run(wavesync, kubeconfig, "delete", apply.directory, "--timeout", value, "--dry-run")
        assert done.returncode == 0, done.stderr
    bad = run(wavesync, kubeconfig, "delete", apply.directory, "--timeout", "5x")
    assert bad.returncode == 2
    assert bad.stderr == ('wavesync: error: --timeout: invalid duration "5x": unknown unit "x" '
                          '(expected e.g. 10m, 90s, 1m30s or 500ms)\n')
    assert kubectl.get("deployment", "web", "-n", namespace) is not None


def test_delete_json_output_is_ndjson_events_of_the_schema_and_the_objects_are_gone(
        wavesync, kubeconfig, apply, namespace, kubectl, audit, wavesync_user):
    docs = documents(namespace, keep=True)
    kubectl("create", "namespace", namespace)
    assert apply(documents=docs[1:]).returncode == 0
    audit = type(audit)(audit.path)
    done = run(wavesync, kubeconfig, "delete", apply.directory, "--timeout", "120s", "-o", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    no_secret(done, SECRET_VALUE)
    events = schema_events(done.stdout)
    names = [e["event"] for e in events]
    assert names[0] == "sync-started" and names[-1] == "sync-done"
    assert events[0]["deletion"] is True
    assert events[-1]["result"] == "succeeded" and events[-1]["exitCode"] == 0 and events[-1]["objects"] == 3
    deleting = [(e["resource"]["kind"], e["resource"]["name"], e["message"]) for e in events if e["event"] == "deleting"]
    assert ("Deployment", "web", "deleting (foreground)") in deleting
    assert ("Deployment", "web", "gone") in deleting
    assert ("ConfigMap", "kept", "kept: helm.sh/resource-policy: keep") in deleting
    # The summary goes to stderr, so stdout stays pure NDJSON.
    assert "delete succeeded" in done.stderr
    # Judged by the API and the audit log: the objects are gone, in reverse wave order, the kept ones stay.
    assert kubectl.get("deployment", "web", "-n", namespace) is None
    assert kubectl.get("configmap", "settings", "-n", namespace) is None
    assert kubectl.get("secret", "db", "-n", namespace) is None
    assert kubectl.get("configmap", "kept", "-n", namespace) is not None
    deletes = [(e["objectRef"]["resource"], e["objectRef"]["name"])
               for e in audit.events(namespace=namespace, verbs=["delete"], user=wavesync_user)]
    assert sorted(deletes) == sorted([("deployments", "web"), ("configmaps", "settings"), ("secrets", "db")])
    assert deletes.index(("deployments", "web")) < deletes.index(("configmaps", "settings"))


def test_delete_dry_run_with_json_output_is_events_and_deletes_nothing(wavesync, kubeconfig, apply, namespace,
                                                                       kubectl, audit, wavesync_user):
    assert apply(documents=documents(namespace)).returncode == 0
    audit = type(audit)(audit.path)
    done = run(wavesync, kubeconfig, "delete", apply.directory, "--dry-run", "-o", "json")
    assert done.returncode == 0, done.stderr
    events = schema_events(done.stdout)
    assert events and all(event.get("dryRun") is True for event in events)
    assert ("Deployment", "web") in [(e["resource"]["kind"], e["resource"]["name"]) for e in events
                                     if e["event"] == "deleting" and e["message"] == "would be deleted"]
    assert audit.events(namespace=namespace, verbs=["delete"], user=wavesync_user) == []
    assert kubectl.get("deployment", "web", "-n", namespace) is not None
