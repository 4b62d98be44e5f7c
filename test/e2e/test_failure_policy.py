"""Failure policy on the local control plane: why a wave is blocked while it is blocked,
--pod-failure-grace, wavesync.dev/timeout, wavesync.dev/wait-for, SyncFail hooks on a timeout,
--retry and Helm install vs upgrade hooks. The kwok Stages put pods in the kubelet's waiting
reasons (`wavesync.dev/test-waiting-reason`). Verdicts come from the API and the audit log;
wavesync's own words are checked only where the test is about what it shows."""
import json
import pathlib
import shlex
import subprocess
import threading
import time

import jsonschema

REPO = pathlib.Path(__file__).resolve().parents[2]
SCHEMA = REPO / "test" / "output" / "events.schema.json"
SECRET = "app-pg-credentials"


def namespace_doc(ns):
    return {"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": ns, "annotations": {"argocd.argoproj.io/sync-wave": "-1"}}}


def deployment(ns, name, pod_annotations, annotations=None):
    """A Deployment with the default progress deadline (600 s)."""
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": ns, "annotations": annotations or {}},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}, "annotations": pod_annotations},
                                  "spec": {"containers": [{"name": "app", "image": "ghcr.io/acme/app:1.4"}]}}}}


def missing_secret(ns):
    return deployment(ns, "app", {"wavesync.dev/test-waiting-reason": "CreateContainerConfigError",
                                  "wavesync.dev/test-waiting-message": f'secret "{SECRET}" not found'})


def job(ns, name, annotations, pod_annotations=None):
    return {"apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": name, "namespace": ns, "annotations": annotations},
            "spec": {"backoffLimit": 0,
                     "template": {"metadata": {"annotations": pod_annotations or {}},
                                  "spec": {"restartPolicy": "Never",
                                           "containers": [{"name": "run", "image": "busybox"}]}}}}


def sync_fail_hook(ns):
    return job(ns, "notify-failure", {"argocd.argoproj.io/hook": "SyncFail"})


def created(audit, ns, resource, name=None):
    """Audit events of creating `name` (server-side apply of a new object is a patch answered 201).
    The whole-plan validation pass patches with dryRun=All before the first write; it creates nothing."""
    return [e for e in audit.events(namespace=ns, resource=resource, name=name, verbs={"create", "patch"},
                                    dry_run=False)
            if e["responseStatus"]["code"] == 201]


def events_of(stdout):
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))
    events = [json.loads(line) for line in stdout.splitlines()]
    for event in events:
        validator.validate(event)
    return events


def test_pod_failure_grace_fails_within_seconds_and_names_the_secret(apply, namespace, kubectl, audit, tmp_path):
    report = tmp_path / "report.json"
    junit = tmp_path / "junit.xml"
    started = time.time()
    done = apply("--pod-failure-grace", "10s", "-o", "json", "--report", str(report), "--junit", str(junit),
                 documents=[namespace_doc(namespace), missing_secret(namespace), sync_fail_hook(namespace)])
    elapsed = time.time() - started
    assert done.returncode == 1, done.stderr
    # The Deployment's own deadline (600 s) is far away: the grace decided.
    assert 10 <= elapsed < 30, elapsed
    deploy = kubectl.get("deployment", "app", "-n", namespace)
    progressing = [c for c in deploy["status"].get("conditions", []) if c["type"] == "Progressing"]
    assert all(c.get("reason") != "ProgressDeadlineExceeded" for c in progressing)
    pods = kubectl.get("pods", "-n", namespace, "-l", "app=app")["items"]
    assert pods and pods[0]["status"]["containerStatuses"][0]["state"]["waiting"]["reason"] == \
        "CreateContainerConfigError"
    # SyncFail hooks ran: the cluster saw the hook Job created after the Deployment.
    app = created(audit, namespace, "deployments", "app")
    hook = created(audit, namespace, "jobs", "notify-failure")
    assert app and hook and hook[0]["time"] >= app[0]["time"]
    # What wavesync says: the reason while waiting (once), then the Secret in the verdict.
    events = events_of(done.stdout)
    blocked = [e for e in events if e["event"] == "blocked"]
    assert len(blocked) == 1, blocked
    assert blocked[0]["reason"] == "CreateContainerConfigError"
    assert f'CreateContainerConfigError: secret "{SECRET}" not found' in blocked[0]["message"]
    assert blocked[0]["missing"] == [f"missing Secret {namespace}/{SECRET}"]
    done_event = events[-1]
    assert done_event["event"] == "sync-done" and done_event["exitCode"] == 1
    assert any("--pod-failure-grace" in r and SECRET in r for r in done_event["reasons"]), done_event["reasons"]
    assert SECRET in done.stderr  # the summary
    data = json.loads(report.read_text())
    assert any(SECRET in r for r in data["reasons"])
    assert SECRET in junit.read_text()


def test_without_the_grace_the_reason_is_shown_while_waiting_in_the_ci_log(apply, namespace):
    """Argo CD's verdict (wait for the progress deadline) stays; the log says why at once."""
    docs = [namespace_doc(namespace), deployment(namespace, "web", {
        "wavesync.dev/test-waiting-reason": "ImagePullBackOff",
        "wavesync.dev/test-waiting-message": 'Back-off pulling image "ghcr.io/acme/app:1.4"'})]
    done = apply(documents=docs, timeout="8s")
    assert done.returncode == 3, done.stderr
    lines = [l for l in done.stderr.splitlines() if "ImagePullBackOff" in l and "blocked" in l]
    assert len(lines) == 1, done.stderr
    assert 'Back-off pulling image "ghcr.io/acme/app:1.4"' in lines[0]
    # Printed before the timeout verdict, not only in the final diagnostics.
    assert done.stderr.index(lines[0]) < done.stderr.index("timed out")


def capture(session):
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout


def test_the_live_view_shows_the_blocking_reason_while_waiting(apply, namespace, tmp_path):
    apply.write([namespace_doc(namespace), missing_secret(namespace)])
    session = f"wavesync-{namespace}"
    exit_file = tmp_path / "exit"
    command = (f"{shlex.quote(str(apply.binary))} apply {shlex.quote(str(apply.directory))} "
               f"--kubeconfig {shlex.quote(apply.kubeconfig)} --timeout 60s --pod-failure-grace 8s --color never; "
               f"echo $? > {shlex.quote(str(exit_file))}; sleep 600")
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "30",
                    "env", "LANG=C.UTF-8", "TERM=xterm-256color", "bash", "-c", command], check=True)
    try:
        screens = []
        deadline = time.time() + 90
        while time.time() < deadline and not exit_file.exists():
            screens.append(capture(session))
            time.sleep(0.2)
        screens.append(capture(session))
        assert exit_file.exists(), screens[-1]
        assert exit_file.read_text().strip() == "1", screens[-1]
        waiting = [s for s in screens if "Sync wave 0  applied 1/1" in s]
        assert waiting, screens[len(screens) // 2]
        # Under the waiting Deployment, its pod's reason, while the step still runs.
        shown = [s for s in waiting if "CreateContainerConfigError: secret" in s]
        assert shown, waiting[-1]
        line = next(l for l in shown[-1].splitlines() if "CreateContainerConfigError" in l)
        assert line.startswith("      pod app-") and f'secret "{SECRET}" not found' in line
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def test_a_per_object_timeout_fails_the_step_whatever_timeout_says(apply, namespace, audit):
    slow = deployment(namespace, "slow", {"wavesync.dev/test-delay": "60s"}, {"wavesync.dev/timeout": "4s"})
    after = {"apiVersion": "v1", "kind": "ConfigMap",
             "metadata": {"name": "after", "namespace": namespace, "annotations": {"argocd.argoproj.io/sync-wave": "1"}}}
    started = time.time()
    done = apply(documents=[namespace_doc(namespace), slow, after], timeout="120s")
    elapsed = time.time() - started
    assert done.returncode == 3, done.stderr
    assert 4 <= elapsed < 20, elapsed
    assert f"timed out after 4.0s (wavesync.dev/timeout) waiting for apps/v1 Deployment {namespace}/slow" in done.stderr
    assert created(audit, namespace, "deployments", "slow")
    assert not created(audit, namespace, "configmaps", "after"), "the next wave must not start"


def test_sync_fail_hooks_run_when_the_sync_times_out(apply, namespace, audit, kubectl):
    stuck = deployment(namespace, "stuck", {"wavesync.dev/test-waiting-reason": "ImagePullBackOff"})
    done = apply(documents=[namespace_doc(namespace), stuck, sync_fail_hook(namespace)], timeout="5s")
    assert done.returncode == 3, done.stderr
    hook = created(audit, namespace, "jobs", "notify-failure")
    assert hook, "the SyncFail hook was never created"
    # It ran to completion before wavesync exited.
    job_status = kubectl.get("job", "notify-failure", "-n", namespace)["status"]
    assert job_status.get("succeeded") == 1, job_status


def test_wait_for_holds_the_apply_until_an_external_object_exists(apply, namespace, kubectl, audit):
    kubectl("create", "namespace", namespace)
    consumer = job(namespace, "s3-credentials", {"wavesync.dev/wait-for": f"v1/Secret/{namespace}/rgw-user"})
    other = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings", "namespace": namespace}}
    apply.write([consumer, other])
    result = {}

    def run():
        result["done"] = apply()

    runner = threading.Thread(target=run)
    runner.start()
    time.sleep(4)
    assert runner.is_alive(), result["done"].stderr
    assert kubectl.get("job", "s3-credentials", "-n", namespace) is None
    kubectl("create", "secret", "generic", "rgw-user", "-n", namespace, "--from-literal=key=x")
    runner.join(120)
    done = result["done"]
    assert done.returncode == 0, done.stderr
    secret = created(audit, namespace, "secrets", "rgw-user")
    job_created = created(audit, namespace, "jobs", "s3-credentials")
    settings = created(audit, namespace, "configmaps", "settings")
    assert secret and job_created and settings
    assert job_created[0]["time"] >= secret[0]["done"]
    # Only the annotated object waited: the rest of its step went ahead.
    assert settings[0]["time"] < secret[0]["time"]
    assert f"waiting for v1 Secret {namespace}/rgw-user" in done.stderr


def test_a_failed_sync_is_retried_and_succeeds_on_the_second_attempt(apply, namespace, kubectl, audit):
    """The first attempt fails: its namespace does not exist (made by someone else later)."""
    config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings", "namespace": namespace}}
    apply.write([config])
    result = {}

    def run():
        result["done"] = apply("--retry", "2", "--retry-backoff", "6s", "-o", "json")

    runner = threading.Thread(target=run)
    runner.start()
    deadline = time.time() + 60
    while time.time() < deadline and not audit.events(namespace=namespace, resource="configmaps", ok=False):
        time.sleep(0.2)
    assert audit.events(namespace=namespace, resource="configmaps", ok=False), "no first attempt"
    kubectl("create", "namespace", namespace)
    runner.join(120)
    done = result["done"]
    assert done.returncode == 0, done.stderr
    writes = audit.events(namespace=namespace, resource="configmaps", name="settings", verbs={"patch"}, ok=False)
    # The first attempt stops at its validation pass (dryRun=All, 404: no namespace); the second
    # validates again and then writes once for real.
    assert writes[0]["responseStatus"]["code"] == 404, writes[0]
    real = [e for e in writes if "dryRun" not in e.get("requestURI", "")]
    assert [e["responseStatus"]["code"] for e in real] == [201], [e["requestURI"] for e in writes]
    assert (real[0]["time"] - writes[0]["time"]).total_seconds() >= 6
    events = events_of(done.stdout)
    assert [e["attempt"] for e in events if e["event"] == "sync-started"] == [1, 2]
    # Only the last attempt ends with sync-done; the failed one is a `retrying` event with its reasons.
    assert [e["result"] for e in events if e["event"] == "sync-done"] == ["succeeded"]
    retry = [e for e in events if e["event"] == "retrying"]
    assert len(retry) == 1 and retry[0]["attempt"] == 2 and retry[0]["delayMs"] == 6000
    assert any("not found" in r for r in retry[0]["reasons"]), retry[0]["reasons"]


def helm_chart(ns):
    return [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app", "namespace": ns}},
        job(ns, "db-init", {"helm.sh/hook": "pre-install", "helm.sh/hook-delete-policy": "before-hook-creation"}),
        job(ns, "db-migrate", {"helm.sh/hook": "pre-upgrade", "helm.sh/hook-delete-policy": "before-hook-creation"}),
        job(ns, "announce", {"helm.sh/hook": "post-install,post-upgrade"}),
    ]


def test_helm_install_hooks_run_on_the_first_deploy_and_upgrade_hooks_later(apply, namespace, kubectl, audit):
    kubectl("create", "namespace", namespace)
    apply.write(helm_chart(namespace))

    def hooks_created(since):
        return sorted({e["objectRef"]["name"] for e in audit.events(namespace=namespace, resource="jobs",
                                                                     verbs={"create", "patch"}, dry_run=False)
                       if e["responseStatus"]["code"] == 201 and e["time"] >= since})

    # A temporary directory has no default ApplySet, and `auto` tells install from upgrade by
    # the ApplySet parent, so the test names one.
    applyset = ("--applyset", f"helm-{namespace}")
    first = apply("--namespace", namespace, *applyset)
    assert first.returncode == 0, first.stderr
    assert hooks_created(audit.events(namespace=namespace)[0]["time"]) == ["announce", "db-init"]

    mark = audit.events(namespace=namespace)[-1]["done"]
    second = apply("--namespace", namespace, *applyset)
    assert second.returncode == 0, second.stderr
    assert hooks_created(mark) == ["announce", "db-migrate"]

    mark = audit.events(namespace=namespace)[-1]["done"]
    third = apply("--namespace", namespace, *applyset, "--helm-hooks", "argo")
    assert third.returncode == 0, third.stderr
    assert hooks_created(mark) == ["announce", "db-init", "db-migrate"]


def test_helm_hooks_without_an_applyset_run_as_argo_cd_runs_them(apply, namespace, kubectl, audit):
    """Stdin or a temporary directory has no ApplySet: `auto` cannot tell install from upgrade, so
    every Helm hook runs (Argo CD's mapping) and the user is told how to get `auto`."""
    kubectl("create", "namespace", namespace)
    apply.write(helm_chart(namespace))
    done = apply("--namespace", namespace)
    assert done.returncode == 0, done.stderr
    hooks = sorted({e["objectRef"]["name"] for e in created(audit, namespace, "jobs")})
    assert hooks == ["announce", "db-init", "db-migrate"]
    assert "pass --applyset NAME for --helm-hooks auto" in done.stderr
