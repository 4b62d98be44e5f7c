"""`wavesync plan` of manifests/ and of every example, compared with test/golden/plan/.

Offline (no cluster). After an intended change of the plan's text, regenerate with
    WAVESYNC_UPDATE_GOLDEN=1 python3 -m pytest test/e2e/test_plan_golden.py
and review the diff of test/golden/ before committing it.
"""
import difflib
import os

import pytest

from seed_fixtures import REPO, run_wavesync

GOLDEN = REPO / "test" / "golden" / "plan"
UPDATE = os.environ.get("WAVESYNC_UPDATE_GOLDEN") == "1"

# (golden name, manifest directory relative to the repository)
CASES = [
    ("manifests", "manifests"),
    ("quickstart", "examples/quickstart"),
    ("helm-hooks", "examples/helm-hooks"),
    ("missing-secret", "examples/missing-secret"),
    ("failing-hook", "examples/failing-hook"),
    ("crd-and-cr", "examples/crd-and-cr"),
    ("prune-v1", "examples/prune/v1"),
    ("prune-v2", "examples/prune/v2"),
]


def record(done):
    """What is compared: exit code, stdout, stderr (warnings), in one readable file."""
    return f"exit: {done.returncode}\n--- stdout\n{done.stdout}--- stderr\n{done.stderr}"


@pytest.mark.parametrize("name,directory", CASES, ids=[c[0] for c in CASES])
def test_plan_text_matches_the_golden_file(wavesync, name, directory):  # noqa: F811
    done = run_wavesync(wavesync, "plan", directory, "--output", "text")
    actual = record(done)
    golden = GOLDEN / f"{name}.txt"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual)
    assert golden.exists(), f"{golden} missing: run with WAVESYNC_UPDATE_GOLDEN=1 and review it"
    expected = golden.read_text()
    diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                        str(golden), f"wavesync plan {directory}"))
    assert actual == expected, f"plan differs from the golden file:\n{diff}"
    assert done.returncode == 0, done.stderr


def test_every_example_has_a_golden_plan():
    examples = {p.parent.relative_to(REPO).as_posix()
                for p in (REPO / "examples").rglob("*.yaml")}
    covered = {directory for _, directory in CASES}
    assert examples <= covered, f"examples without a golden plan: {sorted(examples - covered)}"
