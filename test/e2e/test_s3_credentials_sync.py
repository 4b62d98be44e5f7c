"""The seed's S3 credentials sync (manifests/05-s3-credentials.yaml) against the local
control plane, as its own ServiceAccount with the Roles of manifests/01-rbac.yaml moved
into test namespaces. The Secret Rook-Ceph would write is created by the test."""
import base64
import os
import pathlib
import subprocess
import time

import pytest
import yaml

from seed_fixtures import (config_map_script, dev_cluster, rbac_moved,  # noqa: F401
                           secret_key_refs, service_account_kubeconfig, unique_name)

USER_SECRET = "rook-ceph-object-user-objectstore-shop"
KEYS = {"AccessKey": "AKIA3EXAMPLEKEY7Q2", "SecretKey": "wJalrXUtnFEMI-K7MDENG-bPxRfiCY-s3cr3t",
        "Endpoint": "http://rook-ceph-rgw-objectstore.rook-ceph.svc:80"}


@pytest.fixture()
def s3_sync(dev_cluster, tmp_path):  # noqa: F811
    namespace, ceph_namespace = unique_name("s3sync"), unique_name("s3sync-ceph")
    dev_cluster.kubectl("create", "namespace", namespace)
    dev_cluster.kubectl("create", "namespace", ceph_namespace)
    try:
        rbac = rbac_moved({"s3-credentials-sync", "shop-s3-credentials-sync"},
                          {"shop": namespace, "rook-ceph": ceph_namespace})
        dev_cluster.kubectl("apply", "-f", "-", input=yaml.safe_dump_all(rbac))
        kubeconfig = service_account_kubeconfig(dev_cluster, namespace, "s3-credentials-sync",
                                                tmp_path / "kubeconfig")
        script = tmp_path / "sync-s3-credentials.sh"
        script.write_text(config_map_script("05-s3-credentials.yaml", "sync-s3-credentials.sh"))
        env = {"PATH": f"{pathlib.Path(dev_cluster.kubectl_bin).parent}:{os.environ['PATH']}",
               "HOME": str(tmp_path), "KUBECONFIG": str(kubeconfig), "APP_NAME": "shop",
               "NAMESPACE": namespace, "CEPH_NAMESPACE": ceph_namespace}

        def start(wait_seconds):
            return subprocess.Popen(["sh", str(script)], env={**env, "WAIT_SECONDS": wait_seconds},
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

        yield start, namespace, ceph_namespace
    finally:
        dev_cluster.delete_namespaces(namespace, ceph_namespace, wait=False)


def provision_user(cluster, ceph_namespace):
    """What Rook-Ceph does once the CephObjectStoreUser is provisioned."""
    cluster.kubectl("create", "secret", "generic", USER_SECRET, "-n", ceph_namespace,
                    *[f"--from-literal={k}={v}" for k, v in KEYS.items()])


def finish(process):
    out, err = process.communicate(timeout=120)
    return process.returncode, out + err


def copied(cluster, namespace):
    obj = cluster.get_json("secret", "shop-s3-credentials", "-n", namespace)
    data = {k: base64.b64decode(v).decode() for k, v in obj["data"].items()}
    return data, obj["metadata"]["resourceVersion"]


def test_keys_are_copied_once_provisioned_and_a_rerun_changes_nothing(
        s3_sync, dev_cluster):  # noqa: F811
    start, namespace, ceph_namespace = s3_sync
    provision_user(dev_cluster, ceph_namespace)
    code, output = finish(start("30"))
    assert code == 0, output
    data, version = copied(dev_cluster, namespace)
    assert data == {"AWS_ACCESS_KEY_ID": KEYS["AccessKey"],
                    "AWS_SECRET_ACCESS_KEY": KEYS["SecretKey"],
                    "AWS_ENDPOINT": KEYS["Endpoint"], "AWS_BUCKET": "shop"}
    for value in KEYS.values():
        assert value not in output
    wanted = {key for name, key in secret_key_refs() if name == "shop-s3-credentials"}
    assert wanted and wanted <= set(data)

    code, output = finish(start("30"))
    assert code == 0, output
    assert copied(dev_cluster, namespace)[1] == version


def test_the_sync_waits_for_the_object_store_user_to_be_provisioned(
        s3_sync, dev_cluster):  # noqa: F811
    start, namespace, ceph_namespace = s3_sync
    process = start("60")
    time.sleep(2)
    assert process.poll() is None, "the sync finished before the user was provisioned"
    provision_user(dev_cluster, ceph_namespace)
    code, output = finish(process)
    assert code == 0, output
    assert f"waiting for CephObjectStoreUser {ceph_namespace}/shop" in output
    assert copied(dev_cluster, namespace)[0]["AWS_ACCESS_KEY_ID"] == KEYS["AccessKey"]


def test_an_unprovisioned_user_fails_the_sync_after_its_wait_naming_the_secret(
        s3_sync, dev_cluster):  # noqa: F811
    start, namespace, ceph_namespace = s3_sync
    code, output = finish(start("0"))
    assert code == 1
    assert (f"CephObjectStoreUser {ceph_namespace}/shop not provisioned after 0s (phase: none); "
            f"secret {ceph_namespace}/{USER_SECRET} does not exist") in output
    assert not dev_cluster.exists("secret", "shop-s3-credentials", "-n", namespace)
