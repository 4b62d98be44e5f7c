"""Manifests that try to reach outside the intended target, applied with the built binary to
the local control plane: with --namespace-strict an object in another namespace stops the run
before any write; a symlink out of the manifest directory is not followed (so its object is
never created) unless --follow-symlinks. The audit log and the API are the judges."""
import os

import yaml

from manifests import config_map, namespace as namespace_doc


def writes(audit, namespace):
    return audit.events(namespace=namespace, verbs={"create", "update", "patch", "delete"}, ok=False)


def test_namespace_strict_rejects_another_namespace_before_any_write(apply, audit, kubectl, namespace):
    other = namespace + "-x"
    documents = [namespace_doc(namespace, wave=-1), config_map("mine", namespace, 0), config_map("theirs", other, 0)]
    done = apply("--namespace", namespace, "--namespace-strict", documents=documents)
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"wavesync: error: {apply.directory}/app.yaml:")
    assert f'ConfigMap theirs is in namespace "{other}": expected namespace "{namespace}" (--namespace-strict)' in lines[0]
    assert writes(audit, namespace) == [] and writes(audit, other) == []
    assert kubectl.get("namespace", namespace) is None

    # Without the flag the same manifests apply, as kubectl would (the control case).
    done = apply("--namespace", namespace, documents=[namespace_doc(namespace, wave=-1), config_map("mine", namespace, 0)])
    assert done.returncode == 0, done.stderr
    assert kubectl.get("configmap", "mine", "-n", namespace) is not None


def test_a_symlink_out_of_the_directory_is_not_followed_unless_asked(apply, audit, kubectl, namespace, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "escape.yaml").write_text(yaml.safe_dump(config_map("escaped", namespace, 1)))
    os.symlink(outside / "escape.yaml", apply.directory / "link.yaml")
    apply.write([namespace_doc(namespace, wave=-1), config_map("inside", namespace, 0)])

    done = apply()
    assert done.returncode == 0, done.stderr
    assert "link.yaml: symlink to" in done.stderr and "--follow-symlinks" in done.stderr
    assert kubectl.get("configmap", "inside", "-n", namespace) is not None
    assert kubectl.get("configmap", "escaped", "-n", namespace) is None
    assert not [e for e in writes(audit, namespace) if e["objectRef"].get("name") == "escaped"]

    done = apply("--follow-symlinks")
    assert done.returncode == 0, done.stderr
    assert kubectl.get("configmap", "escaped", "-n", namespace) is not None
