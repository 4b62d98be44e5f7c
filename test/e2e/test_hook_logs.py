"""The log tail of a failed hook Job in `wavesync apply`'s output, on the local control plane:
its kwok serves test/cluster/container.log (30 numbered lines) as every container's log
through the apiserver's real pods/log endpoint, so the tail shown must be exactly the last 20
of those lines (wavesync asks for tailLines=20)."""
import json

from conftest import CLUSTER
from manifests import config_map, job, namespace as namespace_doc

FAIL = {"wavesync.dev/test-fail": "true"}
TAIL = 20


def served_log():
    """The lines kwok serves, from the CRI-format file: `TIMESTAMP STREAM TAG TEXT`."""
    lines = [line.split(" ", 3)[3] for line in (CLUSTER / "container.log").read_text().splitlines()]
    assert len(lines) == 30 and lines[9] == "test log line 10 of 30"
    return lines


def failing_hook(namespace):
    return [namespace_doc(namespace, wave=-1),
            job("migrate", namespace, hook="PreSync", pod_annotations=FAIL),
            job("notify-failure", namespace, hook="SyncFail"),
            config_map("settings", namespace, 0)]


def log_tail_block(stderr):
    """The `| ...` lines after `log tail:` in the diagnostics wavesync prints."""
    lines = stderr.splitlines()
    assert "    log tail:" in lines, stderr
    start = lines.index("    log tail:") + 1
    block = []
    for line in lines[start:]:
        if not line.startswith("      | "):
            break
        block.append(line[len("      | "):])
    return block


def test_a_failed_hook_job_fails_the_sync_runs_sync_fail_and_shows_the_last_20_lines_of_its_pod_log(
        apply, kubectl, namespace):
    expected = served_log()[-TAIL:]
    done = apply(documents=failing_hook(namespace))
    assert done.returncode == 1, done.stderr
    assert f"batch/v1 Job {namespace}/migrate" in done.stderr
    # Exactly lines 11..30, in order: line 10 is the 21st from the end and must not show.
    assert log_tail_block(done.stderr) == expected
    assert "test log line 10 of 30" not in done.stderr
    notify = kubectl.get("job", "notify-failure", "-n", namespace)
    assert any(c["type"] == "Complete" and c["status"] == "True" for c in notify["status"]["conditions"])
    assert kubectl.get("configmap", "settings", "-n", namespace) is None
    # The cluster itself serves that tail for the Job's pod (the judge, not wavesync).
    served = kubectl("logs", "-n", namespace, "job/migrate", f"--tail={TAIL}").stdout.splitlines()
    assert served == expected


def test_the_json_diagnostics_event_carries_the_failed_hook_jobs_log_tail(apply, namespace):
    expected = served_log()[-TAIL:]
    done = apply("-o", "json", documents=failing_hook(namespace))
    assert done.returncode == 1, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert events[-1]["event"] == "sync-done" and events[-1]["exitCode"] == 1
    diagnostics = [d for e in events if e["event"] == "diagnostics" for d in e["diagnostics"]]
    migrate = [d for d in diagnostics
               if d["resource"] == {"apiVersion": "batch/v1", "kind": "Job", "name": "migrate", "namespace": namespace}]
    assert len(migrate) == 1, diagnostics
    assert migrate[0]["logTail"] == expected
    assert "test log line 10 of 30" not in done.stdout
