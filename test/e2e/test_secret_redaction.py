"""Secret values never reach any output (#16's three ways they did): a server-side apply type
error that quotes the value (an unquoted `stringData: {pin: 987654321}`), the manifest
loader's error for a value with an explicit tag (`!!int hunter2`), and `plan -o json` keeping
kubectl's last-applied annotation of a Secret manifest. Judged by every output of the run
(stdout, stderr, --report, --junit), raw and base64, and by the audit log."""
import base64
import json
import subprocess
import uuid

from conftest import REPO


def secret_manifest(directory, text):
    d = directory / f"app-{uuid.uuid4().hex[:8]}"
    d.mkdir()
    (d / "app.yaml").write_text(text)
    return d


def forms(value):
    return [value, base64.b64encode(value.encode()).decode()]


def outputs_of(done, *files):
    return done.stdout + done.stderr + "".join(f.read_text() for f in files if f.exists())


def test_a_server_side_apply_type_error_about_a_secret_does_not_quote_its_value(wavesync, kubeconfig, namespace,
                                                                                 kubectl, audit, tmp_path):
    kubectl("create", "namespace", namespace)
    value = str(900000000 + uuid.uuid4().int % 99999999)
    app = secret_manifest(tmp_path, f"""apiVersion: v1
kind: Secret
metadata: {{name: pin, namespace: {namespace}}}
stringData:
  pin: {value}
""")
    for output in ("text", "json"):
        report, junit = tmp_path / f"report-{output}.json", tmp_path / f"junit-{output}.xml"
        done = subprocess.run([str(wavesync), "apply", str(app), "--kubeconfig", kubeconfig, "--timeout", "60s",
                               "-o", output, "--report", str(report), "--junit", str(junit)],
                              capture_output=True, text=True, timeout=120, cwd=REPO)
        assert done.returncode == 1, done.stderr
        # The server's error is reported (with the value masked), not swallowed.
        assert ".stringData.pin: expected string" in done.stdout + done.stderr, done.stderr
        text = outputs_of(done, report, junit)
        assert report.exists() and junit.exists()
        for form in forms(value):
            assert form not in text, output
    assert kubectl.get("secret", "pin", "-n", namespace) is None
    assert not [e for e in audit.events(namespace=namespace, resource="secrets", verbs={"create", "patch", "update"})
                if "dryRun=All" not in e.get("requestURI", "")]


def test_a_tagged_secret_value_the_loader_refuses_is_not_echoed(wavesync, tmp_path):
    value = f"hunter{uuid.uuid4().hex[:8]}"
    app = secret_manifest(tmp_path, f"""apiVersion: v1
kind: Secret
metadata: {{name: tagged, namespace: default}}
stringData:
  password: !!int {value}
""")
    for command in (["plan", str(app)], ["plan", str(app), "-o", "json"]):
        done = subprocess.run([str(wavesync), *command], capture_output=True, text=True, timeout=60, cwd=REPO)
        assert done.returncode == 2, done.stderr
        assert "app.yaml:5:" in done.stderr and "invalid !!int value" in done.stderr, done.stderr
        for form in forms(value):
            assert form not in done.stdout + done.stderr


def test_plan_json_does_not_keep_the_last_applied_annotation_of_a_secret(wavesync, tmp_path):
    value = f"s3cr3t-{uuid.uuid4().hex[:10]}"
    app = secret_manifest(tmp_path, f"""apiVersion: v1
kind: Secret
metadata:
  name: annotated
  namespace: default
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{{"apiVersion":"v1","kind":"Secret","stringData":{{"password":"{value}"}}}}'
stringData:
  password: {value}
""")
    done = subprocess.run([str(wavesync), "plan", str(app), "-o", "json"], capture_output=True, text=True,
                          timeout=60, cwd=REPO)
    assert done.returncode == 0, done.stderr
    # The object is shown, its annotation kept but masked.
    obj = json.loads(done.stdout)["steps"][0]["resources"][0]["object"]
    assert obj["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] == "***"
    for form in forms(value):
        assert form not in done.stdout + done.stderr
