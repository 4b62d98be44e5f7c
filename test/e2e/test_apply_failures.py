"""How `wavesync apply` ends when things go wrong on the local control plane: a missing Secret,
a Deployment that never becomes ready (timeout), and an interruption."""
import signal
import subprocess
import time

from manifests import config_map, deployment, namespace as namespace_doc


def test_a_deployment_referencing_a_missing_secret_fails_naming_the_secret(apply, kubectl, namespace):
    waiting = {"wavesync.dev/test-waiting-reason": "CreateContainerConfigError",
               "wavesync.dev/test-waiting-message": 'secret "db-creds" not found'}
    documents = [namespace_doc(namespace, wave=-1),
                 deployment("api", namespace, 0, pod_annotations=waiting, progress_deadline=5, env_secret="db-creds"),
                 config_map("later", namespace, 1)]
    done = apply(documents=documents, timeout="90s")
    assert done.returncode == 1, done.stderr
    assert f"missing Secret {namespace}/db-creds" in done.stderr
    api = kubectl.get("deployment", "api", "-n", namespace)
    assert any(c["type"] == "Progressing" and c.get("reason") == "ProgressDeadlineExceeded"
               for c in api["status"]["conditions"])
    assert kubectl.get("configmap", "later", "-n", namespace) is None


def test_a_deployment_that_never_becomes_ready_ends_with_exit_3_at_the_timeout(apply, kubectl, namespace):
    waiting = {"wavesync.dev/test-waiting-reason": "ImagePullBackOff",
               "wavesync.dev/test-waiting-message": 'Back-off pulling image "registry.invalid/api:1"'}
    documents = [namespace_doc(namespace, wave=-1), deployment("api", namespace, 0, pod_annotations=waiting),
                 config_map("later", namespace, 1)]
    started = time.monotonic()
    done = apply(documents=documents, timeout="6s")
    elapsed = time.monotonic() - started
    assert done.returncode == 3, done.stderr
    assert 6 <= elapsed < 20
    assert "ImagePullBackOff" in done.stderr
    assert kubectl.get("configmap", "later", "-n", namespace) is None
    assert kubectl.get("deployment", "api", "-n", namespace) is not None


def test_sigint_stops_the_sync_with_exit_130_and_starts_no_new_wave(wavesync, kubeconfig, apply, kubectl, namespace):
    waiting = {"wavesync.dev/test-waiting-reason": "ImagePullBackOff"}
    apply.write([namespace_doc(namespace, wave=-1), deployment("api", namespace, 0, pod_annotations=waiting),
                 config_map("later", namespace, 1)])
    process = subprocess.Popen([str(wavesync), "apply", str(apply.directory), "--kubeconfig", kubeconfig],
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while kubectl.get("deployment", "api", "-n", namespace) is None and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(0.5)
    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert time.monotonic() - started < 5
    assert kubectl.get("configmap", "later", "-n", namespace) is None
