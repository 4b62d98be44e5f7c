"""`wavesync health -f`: live objects saved from a cluster in, one verdict per object out.
Needs only the built binary, no cluster."""
import json
import os
import subprocess

LIVE = """\
apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web, namespace: app, uid: d1, generation: 2}
  spec:
    replicas: 1
    selector: {matchLabels: {app: web}}
  status: {observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 0}
- apiVersion: apps/v1
  kind: ReplicaSet
  metadata:
    name: web-7d9f
    namespace: app
    uid: r1
    generation: 1
    ownerReferences: [{kind: Deployment, name: web, uid: d1}]
  spec: {replicas: 1}
  status: {observedGeneration: 1, replicas: 1, availableReplicas: 0}
- apiVersion: v1
  kind: Pod
  metadata:
    name: web-7d9f-abc
    namespace: app
    labels: {app: web}
    ownerReferences: [{kind: ReplicaSet, name: web-7d9f, uid: r1}]
  spec: {restartPolicy: Always}
  status:
    phase: Pending
    containerStatuses:
    - name: app
      ready: false
      state:
        waiting:
          reason: CreateContainerConfigError
          message: secret "app-pg-credentials" not found
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: app}
"""

MISSING = 'secret "app-pg-credentials" not found'


def run(wavesync, *args, input=None):
    return subprocess.run([str(wavesync), "health", *args], input=input, capture_output=True,
                          text=True, timeout=60)


def test_health_names_the_missing_secret_behind_an_unavailable_deployment(wavesync, tmp_path):
    live = tmp_path / "live.yaml"
    live.write_text(LIVE)
    done = run(wavesync, "-f", str(live))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    diagnostic = f"  pod web-7d9f-abc: container app waiting: CreateContainerConfigError: {MISSING}"
    assert done.stdout.splitlines() == [
        "Deployment app/web: Progressing: Waiting for rollout to finish: "
        "0 of 1 updated replicas are available...",
        diagnostic,
        "ReplicaSet app/web-7d9f: Progressing: Waiting for rollout to finish: "
        "0 out of 1 new replicas are available...",
        diagnostic,
        f"Pod app/web-7d9f-abc: Degraded: {MISSING}",
        diagnostic,
        "ConfigMap app/settings: None: no health rule",
    ]


def test_health_json_is_one_object_per_line_and_reads_stdin(wavesync):
    done = run(wavesync, "-f", "-", "-o", "json", input=LIVE)
    assert done.returncode == 0, done.stderr
    objects = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(o["kind"], o["status"]) for o in objects] == [
        ("Deployment", "Progressing"), ("ReplicaSet", "Progressing"), ("Pod", "Degraded"),
        ("ConfigMap", "None")]
    assert objects[2] == {
        "apiVersion": "v1", "kind": "Pod", "namespace": "app", "name": "web-7d9f-abc",
        "status": "Degraded", "message": MISSING,
        "diagnostics": [f"pod web-7d9f-abc: container app waiting: CreateContainerConfigError: {MISSING}"]}
    assert objects[3]["message"] == ""


def test_health_on_malformed_yaml_names_the_position_and_exits_2(wavesync, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [a\n")
    done = run(wavesync, "-f", str(bad))
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"wavesync: error: {bad}:5:1: invalid YAML: ")


def test_health_on_a_document_that_is_not_an_object_exits_2(wavesync):
    done = run(wavesync, "-f", "-", input="apiVersion: v1\nkind: List\nitems:\n- 7\n")
    assert done.returncode == 2
    assert done.stderr == ("wavesync: error: <stdin>:1:1: items[0] is a number, "
                           "expected a Kubernetes object (a mapping)\n")


def test_health_warns_about_an_unknown_health_annotation(wavesync):
    done = run(wavesync, "-f", "-", input=(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: a\n"
        "  annotations:\n    wavesync.dev/health: nope\n"))
    assert done.returncode == 0
    assert done.stderr == ('wavesync: warning: <stdin>:1:1: invalid wavesync.dev/health "nope": '
                           'expected conditions or none\n')
    assert done.stdout == "ConfigMap a/c: None: no health rule\n"


def test_health_conditions_flag_judges_custom_resources_by_their_conditions(wavesync):
    cr = ("apiVersion: db.example.com/v1\nkind: Cluster\nmetadata: {name: pg, namespace: a, generation: 2}\n"
          "status:\n  observedGeneration: 2\n  conditions:\n"
          "  - {type: Ready, status: 'False', reason: Scaling, message: 1 of 3 members up}\n")
    assert run(wavesync, "-f", "-", input=cr).stdout == "Cluster a/pg: None: no health rule\n"
    done = run(wavesync, "-f", "-", "--health-conditions", input=cr)
    assert done.stdout == "Cluster a/pg: Progressing: Scaling: 1 of 3 members up\n"


def test_health_on_a_missing_file_exits_2(wavesync, tmp_path):
    done = run(wavesync, "-f", str(tmp_path / "nope.yaml"))
    assert done.returncode == 2
    assert done.stderr == f"wavesync: error: {tmp_path / 'nope.yaml'}: cannot read: No such file or directory\n"


def test_health_refuses_a_huge_stdin_at_the_limit_without_reading_it_all(wavesync):
    """Stdin that never ends: wavesync must stop reading at 10 MiB, say so once and exit 2, not
    buffer everything (the writer sees the pipe closed long before it is done)."""
    proc = subprocess.Popen([str(wavesync), "health", "-f", "-"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    chunk = b"# " + b"x" * (1024 * 1024 - 3) + b"\n"
    written = 0
    try:
        for _ in range(200):  # 200 MiB offered
            proc.stdin.write(chunk)
            written += len(chunk)
    except BrokenPipeError:
        pass
    try:
        proc.stdin.close()
    except BrokenPipeError:
        pass
    stdout = proc.stdout.read()
    stderr = proc.stderr.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.returncode == 2
    assert stdout == b""
    assert stderr == ("wavesync: error: <stdin>: input is too large: expected at most 10485760 bytes "
                      "(10 MiB) per manifest file\n")
    assert written < 20 * 1024 * 1024, "wavesync read far past the limit"
    assert usage.ru_maxrss < 100 * 1024, f"peak memory {usage.ru_maxrss} KiB"


def test_health_refuses_a_file_over_the_limit_by_its_size(wavesync, tmp_path):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as f:
        f.truncate(11 * 1024 * 1024)
    done = run(wavesync, "-f", str(big))
    assert done.returncode == 2
    assert done.stderr == (f"wavesync: error: {big}: 11534336 bytes is too large: expected at most 10485760 "
                           "bytes (10 MiB) per manifest file\n")


def test_health_reads_a_pipe_named_as_a_file(wavesync, tmp_path):
    fifo = tmp_path / "live.fifo"
    os.mkfifo(fifo)
    proc = subprocess.Popen([str(wavesync), "health", "-f", str(fifo)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    with open(fifo, "w") as f:
        f.write(LIVE)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    assert stdout.splitlines()[-1] == "ConfigMap app/settings: None: no health rule"
