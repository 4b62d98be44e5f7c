"""What `wavesync apply` shows and writes, on the local control plane: the live view in a real
terminal (tmux), the NDJSON events against the documented schema, the JUnit file against a JUnit
XSD (xmllint), the JSON report, GitHub Actions annotations, and the timeline rendered to PNG by
headless Chromium. No Secret value may appear in any of it."""
import json
import os
import pathlib
import shlex
import shutil
import struct
import subprocess
import tempfile
import time
import uuid
import zlib
from xml.etree import ElementTree

import jsonschema
import pytest
import yaml

from conftest import schema_events

REPO = pathlib.Path(__file__).resolve().parents[2]
SCHEMA = REPO / "test" / "output" / "events.schema.json"
JUNIT_XSD = REPO / "test" / "output" / "junit.xsd"
SECRET_VALUE = "s3cr3t-value-never-printed"


def documents(ns, fail=False, hook=False):
    """Three waves; the Deployment in wave 1 becomes ready after 5 s (the kwok stage's
    `wavesync.dev/test-delay`) so the live view has something to show; with `fail` its pods wait
    on a missing Secret and it fails at its 5 s progress deadline."""
    pod_annotations = {"wavesync.dev/test-delay": "5s"}
    if fail:
        pod_annotations = {"wavesync.dev/test-waiting-reason": "CreateContainerConfigError",
                           "wavesync.dev/test-waiting-message": 'secret "does-not-exist" not found'}
    deployment = {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": ns, "annotations": {"argocd.argoproj.io/sync-wave": "1"}},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}, "annotations": pod_annotations},
                              "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}}}
    if fail:
        deployment["spec"]["progressDeadlineSeconds"] = 5
    hooks = [{"apiVersion": "batch/v1", "kind": "Job",
              "metadata": {"name": "migrate", "namespace": ns,
                           "annotations": {"argocd.argoproj.io/hook": "PreSync",
                                           "argocd.argoproj.io/hook-delete-policy": "HookSucceeded"}},
              "spec": {"template": {"metadata": {"annotations": {"wavesync.dev/test-delay": "2s"}},
                                    "spec": {"restartPolicy": "Never",
                                             "containers": [{"name": "migrate", "image": "busybox"}]}}}}]
    return (hooks if hook else []) + [
        {"apiVersion": "v1", "kind": "Namespace",
         "metadata": {"name": ns, "annotations": {"argocd.argoproj.io/sync-wave": "-1"}}},
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db", "namespace": ns},
         "stringData": {"password": SECRET_VALUE}},
        deployment,
        {"apiVersion": "v1", "kind": "ConfigMap",
         "metadata": {"name": "after", "namespace": ns, "annotations": {"argocd.argoproj.io/sync-wave": "2"}},
         "data": {"k": "v"}},
    ]


def no_secret(*texts):
    for text in texts:
        assert SECRET_VALUE not in text


def test_json_events_of_a_real_run_follow_the_documented_schema(apply, namespace):
    done = apply("-o", "json", documents=documents(namespace))
    assert done.returncode == 0, done.stderr
    events = schema_events(done.stdout)
    names = [e["event"] for e in events]
    assert names[0] == "sync-started" and names[-1] == "sync-done"
    assert events[-1]["result"] == "succeeded" and events[-1]["exitCode"] == 0
    assert {"step-started", "resource-applied", "health-changed", "step-done"} <= set(names)
    # The summary goes to stderr, so stdout stays pure NDJSON.
    assert "STEP" in done.stderr and "sync succeeded" in done.stderr
    no_secret(done.stdout, done.stderr)


def test_the_golden_json_events_follow_the_schema_too():
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))
    lines = (REPO / "test" / "output" / "golden" / "small-sync.ndjson").read_text().splitlines()
    assert lines
    for line in lines:
        validator.validate(json.loads(line))
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"event": "step-done", "time": "2026-01-01T00:00:00.000Z", "phase": "Sync", "wave": 0})


def test_a_failed_run_writes_junit_report_and_github_annotations(apply, namespace, tmp_path):
    junit = tmp_path / "junit.xml"
    report = tmp_path / "report.json"
    env = dict(os.environ, GITHUB_ACTIONS="true")
    cmd = [str(apply.binary), "apply", str(apply.directory), "--kubeconfig", apply.kubeconfig, "--timeout", "60s",
           "--junit", str(junit), "--report", str(report)]
    path = apply.write(documents(namespace, fail=True))
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=200, env=env)
    assert done.returncode == 1, done.stderr
    assert "::group::Sync wave 1 (1 object)\n" in done.stderr
    assert "::endgroup::\n" in done.stderr
    # The annotation points at the Deployment's document (the third in the file).
    text = path.read_text()
    line = text[: text.index("kind: Deployment")].count("\n") + 1
    annotation = [l for l in done.stderr.splitlines() if l.startswith("::error ")]
    assert annotation, done.stderr
    assert annotation[0].startswith(f"::error file={str(path).replace(':', '%3A')},line=")
    assert f"title=apps/v1 Deployment {namespace}/web failed::" in annotation[0]
    assert "does-not-exist" in annotation[0]
    assert abs(int(annotation[0].split("line=")[1].split(",")[0]) - line) <= 2
    assert "diagnostics:" in done.stderr
    checked = subprocess.run(["xmllint", "--noout", "--schema", str(JUNIT_XSD), str(junit)], capture_output=True,
                             text=True)
    assert checked.returncode == 0, checked.stderr
    xml = junit.read_text()
    assert '<testsuite name="Sync wave 1" tests="1" failures="1"' in xml
    assert '<testsuite name="Sync wave 2" tests="1" failures="0" errors="0" skipped="1"' in xml
    data = json.loads(report.read_text())
    assert data["result"] == "failed" and data["exitCode"] == 1
    web = data["steps"][2]["resources"][0]
    assert web["resource"]["name"] == "web" and web["outcome"] == "failed"
    no_secret(done.stdout, done.stderr, xml, report.read_text())


def capture(session):
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout


def test_the_live_view_in_a_real_terminal(apply, namespace, tmp_path):
    """tmux gives wavesync a real 80x30 terminal; the pane is read while the slow wave runs and
    after the end."""
    apply.write(documents(namespace))
    session = f"wavesync-{namespace}"
    exit_file = tmp_path / "exit"
    command = (f"{shlex.quote(str(apply.binary))} apply {shlex.quote(str(apply.directory))} "
               f"--kubeconfig {shlex.quote(apply.kubeconfig)} --timeout 120s --color never; "
               f"echo $? > {shlex.quote(str(exit_file))}; sleep 600")
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "30",
                    "env", "LANG=C.UTF-8", "TERM=xterm-256color", "bash", "-c", command], check=True)
    try:
        screens = []
        deadline = time.time() + 150
        while time.time() < deadline and not exit_file.exists():
            screens.append(capture(session))
            time.sleep(0.2)
        screens.append(capture(session))
        assert exit_file.exists(), screens[-1]
        assert exit_file.read_text().strip() == "0", screens[-1]
        live = [s for s in screens if "Sync wave 1  applied 1/1  healthy 0/1" in s]
        assert live, "never saw the running step:\n" + screens[len(screens) // 2]
        # Under the running step: the Deployment with its reason; the spinner and clock move.
        assert any(f"    Deployment {namespace}/web  Progressing" in s for s in live)
        frames = {next(l for l in s.splitlines() if "Sync wave 1  applied" in l) for s in live}
        assert len(frames) > 1
        final = screens[-1]
        assert "✓ Sync wave -1  1 object  healthy" in final
        assert "✓ Sync wave 1  1 object  healthy" in final
        assert "sync succeeded in " in final
        assert "STEP" in final and "RESULT" in final
        # Finished steps collapsed: no running line or waiting object stays on screen.
        assert "applied 1/1" not in final and "Progressing" not in final
        assert all(len(l) <= 80 for l in final.splitlines())
        no_secret(*screens)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def png_pixels(path):
    """(width, height, rows of RGB(A) bytes) of an 8-bit non-interlaced PNG, decoded with zlib."""
    data = pathlib.Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    assert depth == 8 and interlace == 0 and color in (2, 6)
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def test_the_timeline_of_a_real_run_renders_in_chromium(apply, namespace, kubectl, tmp_path):
    svg = tmp_path / "timeline.svg"
    kubectl("create", "namespace", namespace)  # the PreSync hook runs before wave -1
    done = apply("--timeline", str(svg), documents=documents(namespace, hook=True))
    assert done.returncode == 0, done.stderr
    text = svg.read_text()
    assert f"Deployment {namespace}/web" in text
    assert 'class="hookmark"' in text and f"hook batch/v1 Job {namespace}/migrate" in text
    no_secret(text)
    chromium = shutil.which("chromium")
    assert chromium, "chromium is not installed (.ci/setup installs it)"
    png = tmp_path / "timeline.png"
    profile = tempfile.mkdtemp()
    shot = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                           "--no-first-run", "--disable-background-networking", "--disable-component-update",
                           "--disable-sync", f"--user-data-dir={profile}", f"--screenshot={png}",
                           "--window-size=1200,800", f"file://{svg}"], capture_output=True, text=True, timeout=120)
    shutil.rmtree(profile, ignore_errors=True)
    assert png.exists(), shot.stderr[-2000:]
    width, height, bpp, rows = png_pixels(png)
    assert (width, height) == (1200, 800)
    coloured = 0
    green = 0
    for row in rows:
        for x in range(0, width * bpp, bpp):
            r, g, b = row[x], row[x + 1], row[x + 2]
            if (r, g, b) != (255, 255, 255):
                coloured += 1
            if (r, g, b) == (0x2d, 0xa4, 0x4e):
                green += 1
    assert coloured > 5000, f"only {coloured} non-white pixels"
    assert green > 100, "no green bar for the ready objects"
    if os.environ.get("WAVESYNC_UPDATE_GOLDEN"):
        shutil.copy(png, REPO / "test" / "golden" / "timeline-example.png")


def gizmo_crd(group):
    """A namespaced CRD with a status subresource, as a convention-following controller's."""
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": f"gizmos.{group}"},
            "spec": {"group": group, "scope": "Namespaced",
                     "names": {"kind": "Gizmo", "plural": "gizmos", "singular": "gizmo", "listKind": "GizmoList"},
                     "versions": [{"name": "v1", "served": True, "storage": True, "subresources": {"status": {}},
                                   "schema": {"openAPIV3Schema": {"type": "object",
                                                                  "x-kubernetes-preserve-unknown-fields": True}}}]}}


def test_a_custom_resource_judged_by_conditions_is_waited_on_in_the_live_view_junit_and_timeline(
        apply, audit, kubectl, namespace, tmp_path):
    """The engine waits on a Gizmo annotated `wavesync.dev/health: conditions` until its Ready
    condition is True, which this test writes (status subresource) seconds after the apply. The
    live view must list it as waiting and not count it healthy meanwhile; JUnit and the timeline
    must record it ready when the condition was written, not at its apply."""
    group = f"e{uuid.uuid4().hex[:8]}.e2e.wavesync.dev"
    kubectl("apply", "-f", "-", input=yaml.safe_dump(gizmo_crd(group)))
    junit = tmp_path / "junit.xml"
    svg = tmp_path / "timeline.svg"
    session = f"wavesync-{namespace}"
    try:
        kubectl.wait_crd_served(f"gizmos.{group}")
        apply.write([
            {"apiVersion": "v1", "kind": "Namespace",
             "metadata": {"name": namespace, "annotations": {"argocd.argoproj.io/sync-wave": "-1"}}},
            {"apiVersion": f"{group}/v1", "kind": "Gizmo",
             "metadata": {"name": "g1", "namespace": namespace,
                          "annotations": {"argocd.argoproj.io/sync-wave": "0", "wavesync.dev/health": "conditions"}},
             "spec": {"size": 1}},
            {"apiVersion": "v1", "kind": "ConfigMap",
             "metadata": {"name": "beside", "namespace": namespace, "annotations": {"argocd.argoproj.io/sync-wave": "0"}},
             "data": {"k": "v"}},
            {"apiVersion": "v1", "kind": "ConfigMap",
             "metadata": {"name": "after", "namespace": namespace, "annotations": {"argocd.argoproj.io/sync-wave": "1"}},
             "data": {"k": "v"}},
        ])
        exit_file = tmp_path / "exit"
        command = (f"{shlex.quote(str(apply.binary))} apply {shlex.quote(str(apply.directory))} "
                   f"--kubeconfig {shlex.quote(apply.kubeconfig)} --timeout 120s --color never "
                   f"--junit {shlex.quote(str(junit))} --timeline {shlex.quote(str(svg))}; "
                   f"echo $? > {shlex.quote(str(exit_file))}; sleep 600")
        subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "30",
                        "env", "LANG=C.UTF-8", "TERM=xterm-256color", "bash", "-c", command], check=True)
        deadline = time.time() + 60
        while kubectl.get(f"gizmos.{group}", "g1", "-n", namespace) is None:
            assert time.time() < deadline, "the gizmo was never created:\n" + capture(session)
            assert not exit_file.exists(), capture(session)
            time.sleep(0.2)
        # Five seconds of the running step while the gizmo has no conditions yet.
        screens = []
        until = time.time() + 5
        while time.time() < until:
            screens.append(capture(session))
            time.sleep(0.2)
        assert not exit_file.exists(), screens[-1]
        assert kubectl.get("configmap", "after", "-n", namespace) is None
        live = [s for s in screens if "Sync wave 0  applied 2/2  healthy 1/2" in s]
        assert live, "never saw wave 0 waiting on the gizmo:\n" + screens[-1]
        assert any(f"    Gizmo {namespace}/g1  Progressing: waiting for status conditions" in s for s in live), live[-1]
        assert not any("Sync wave 0  applied 2/2  healthy 2/2" in s for s in screens), screens[-1]
        kubectl("patch", f"gizmos.{group}", "g1", "-n", namespace, "--subresource=status", "--type", "merge", "-p",
                json.dumps({"status": {"conditions": [{"type": "Ready", "status": "True", "reason": "Reconciled",
                                                       "message": "gizmo is up"}]}}))
        deadline = time.time() + 90
        while not exit_file.exists():
            assert time.time() < deadline, capture(session)
            time.sleep(0.2)
        final = capture(session)
        assert exit_file.read_text().strip() == "0", final
        assert "✓ Sync wave 0  2 objects  healthy" in final
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
        kubectl("delete", "crd", f"gizmos.{group}", "--ignore-not-found", "--wait=false", check=False)

    # From the API server's clock: wavesync's apply of the gizmo and the Ready condition written.
    applied = [e for e in audit.events(namespace=namespace, resource="gizmos", name="g1", verbs={"patch"},
                                       dry_run=False)
               if not e.get("userAgent", "").startswith("kubectl")]
    ready = audit.events(namespace=namespace, resource="gizmos", name="g1", verbs={"patch"}, subresource="status")
    assert applied and ready
    waited = (ready[-1]["done"] - applied[0]["time"]).total_seconds()
    assert waited > 4

    checked = subprocess.run(["xmllint", "--noout", "--schema", str(JUNIT_XSD), str(junit)], capture_output=True,
                             text=True)
    assert checked.returncode == 0, checked.stderr
    cases = {c.get("name"): c for c in ElementTree.parse(junit).getroot().iter("testcase")}
    gizmo = cases[f"{group}/v1 Gizmo {namespace}/g1"]
    assert gizmo.find("failure") is None
    assert waited - 1.5 <= float(gizmo.get("time")) <= waited + 1.5, (gizmo.get("time"), waited)
    assert gizmo.findtext("system-out") == "Healthy: Reconciled: gizmo is up"
    assert float(cases[f"v1 ConfigMap {namespace}/beside"].get("time")) < 1

    titles = [t.text for t in ElementTree.parse(svg).getroot().iter("{http://www.w3.org/2000/svg}title")]
    title = next(t for t in titles if t.startswith(f"{group}/v1 Gizmo {namespace}/g1\n"))
    outcome = title.splitlines()[1]
    assert outcome.startswith("ready after "), title
    assert waited - 1.5 <= seconds_of(outcome.removeprefix("ready after ")) <= waited + 1.5, (title, waited)


def seconds_of(duration):
    """Seconds in wavesync's duration text: `850ms`, `4.2s`, `1m05s`."""
    if duration.endswith("ms"):
        return int(duration[:-2]) / 1000
    minutes, _, rest = duration.rpartition("m")
    return (int(minutes) * 60 if minutes else 0) + float(rest.rstrip("s") or 0)
