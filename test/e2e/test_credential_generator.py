"""The seed's credential generator (manifests/03-credential-generator.yaml) against the
local control plane and a throwaway PostgreSQL: it creates the four Secrets once, and a
second run creates nothing and changes nothing.

The script runs on this host with the cluster's kubectl, as the generator's own
ServiceAccount (a token for it, with the Roles of manifests/01-rbac.yaml moved into
test namespaces), so the RBAC is proven sufficient too.
"""
import base64
import os
import pathlib
import subprocess

import pytest
import yaml

from seed_fixtures import (config_map_script, dev_cluster, rbac_moved,  # noqa: F401
                           secret_key_refs, service_account_kubeconfig, throwaway_postgres,
                           unique_name)

APP = "shop"
SECRETS = ["shop-pg-credentials", "shop-rabbitmq-credentials", "shop-app-secrets",
           "shop-redis-credentials"]
IMPORT_SECRET = "shop-rabbitmq-user-credentials"


def generator_script():
    return config_map_script("03-credential-generator.yaml", "generate-credentials.sh")


@pytest.fixture()
def generator(dev_cluster, throwaway_postgres, tmp_path):  # noqa: F811
    namespace, rabbit_namespace = unique_name("credgen"), unique_name("credgen-rmq")
    dev_cluster.kubectl("create", "namespace", namespace)
    dev_cluster.kubectl("create", "namespace", rabbit_namespace)
    try:
        rbac = rbac_moved({"credential-generator", "shop-credential-generator"},
                          {"shop": namespace, "rabbitmq-system": rabbit_namespace})
        dev_cluster.kubectl("apply", "-f", "-", input=yaml.safe_dump_all(rbac))
        kubeconfig = service_account_kubeconfig(dev_cluster, namespace, "credential-generator",
                                                tmp_path / "kubeconfig")
        script = tmp_path / "generate-credentials.sh"
        script.write_text(generator_script())
        env = {
            "PATH": f"{pathlib.Path(dev_cluster.kubectl_bin).parent}:{os.environ['PATH']}",
            "HOME": str(tmp_path), "KUBECONFIG": str(kubeconfig),
            "APP_NAME": APP, "NAMESPACE": namespace, "RABBITMQ_NAMESPACE": rabbit_namespace,
            "DB_HOST": "postgresql.database.svc.cluster.local", "DB_PORT": "5432",
            **throwaway_postgres.env(),
        }

        def run():
            return subprocess.run(["sh", str(script)], env=env, capture_output=True, text=True,
                                  timeout=120)

        yield run, namespace, rabbit_namespace
    finally:
        dev_cluster.delete_namespaces(namespace, rabbit_namespace, wait=False)


def secret_data(cluster, namespace, name):
    obj = cluster.get_json("secret", name, "-n", namespace)
    return {k: base64.b64decode(v).decode() for k, v in obj["data"].items()}


def resource_versions(cluster, namespace, rabbit_namespace):
    versions = {}
    for name in SECRETS:
        versions[name] = cluster.get_json("secret", name, "-n", namespace)["metadata"][
            "resourceVersion"]
    versions[IMPORT_SECRET] = cluster.get_json("secret", IMPORT_SECRET, "-n", rabbit_namespace)[
        "metadata"]["resourceVersion"]
    return versions


def database_state(pg):
    """Role password hash (salted: any reset changes it), database oid and owner."""
    return pg.query("SELECT r.rolpassword, d.oid, pg_get_userbyid(d.datdba) FROM pg_authid r, "
                    "pg_database d WHERE r.rolname = 'shop' AND d.datname = 'shop'")


def secret_writes(events, *namespaces):
    return [e for e in events
            if e["objectRef"].get("resource") == "secrets"
            and e["objectRef"].get("namespace") in namespaces
            and e["verb"] in ("create", "update", "patch", "delete")]


def assert_no_secret_value_in(output, values):
    for value in values:
        assert value not in output, "a secret value appeared in the generator's output"


def test_first_run_creates_the_four_secrets_and_the_database(generator, dev_cluster,
                                                             throwaway_postgres):  # noqa: F811
    run, namespace, rabbit_namespace = generator
    first = run()
    assert first.returncode == 0, first.stderr
    assert "done: 5 secret(s) created" in first.stderr

    pg = secret_data(dev_cluster, namespace, "shop-pg-credentials")
    assert pg["DB_DATABASE"] == "shop" and pg["DB_USERNAME"] == "shop"
    assert pg["DB_HOST"] == "postgresql.database.svc.cluster.local" and pg["DB_PORT"] == "5432"
    # The generated password really logs in to the generated database.
    assert throwaway_postgres.query("SELECT current_user || '@' || current_database()",
                                    user="shop", password=pg["DB_PASSWORD"],
                                    database="shop") == "shop@shop"

    rabbit = secret_data(dev_cluster, namespace, "shop-rabbitmq-credentials")
    imported = secret_data(dev_cluster, rabbit_namespace, IMPORT_SECRET)
    assert imported == {"username": "shop", "password": rabbit["RABBITMQ_PASSWORD"]}

    app_key = secret_data(dev_cluster, namespace, "shop-app-secrets")["APP_KEY"]
    assert app_key.startswith("base64:")
    assert len(base64.b64decode(app_key[len("base64:"):])) == 32

    redis = secret_data(dev_cluster, namespace, "shop-redis-credentials")["REDIS_PASSWORD"]
    assert len(redis) >= 32
    assert len({pg["DB_PASSWORD"], rabbit["RABBITMQ_PASSWORD"], redis}) == 3
    assert_no_secret_value_in(first.stdout + first.stderr,
                              [pg["DB_PASSWORD"], rabbit["RABBITMQ_PASSWORD"], redis, app_key])

    # Every key the workloads and Jobs of manifests/ read from these Secrets exists.
    created = {name: secret_data(dev_cluster, namespace, name) for name in SECRETS}
    wanted = {(name, key) for name, key in secret_key_refs() if name in created}
    assert {name for name, _ in wanted} == set(SECRETS)
    assert sorted(ref for ref in wanted if ref[1] not in created[ref[0]]) == []


def test_second_run_creates_nothing_and_changes_nothing(generator, dev_cluster,
                                                        throwaway_postgres):  # noqa: F811
    run, namespace, rabbit_namespace = generator
    first = run()
    assert first.returncode == 0, first.stderr
    versions = resource_versions(dev_cluster, namespace, rabbit_namespace)
    db_before = database_state(throwaway_postgres)
    offset = dev_cluster.audit_offset()

    second = run()
    assert second.returncode == 0, second.stderr
    assert "done: 0 secret(s) created" in second.stderr
    assert resource_versions(dev_cluster, namespace, rabbit_namespace) == versions
    assert secret_writes(dev_cluster.audit_events(offset), namespace, rabbit_namespace) == []
    assert database_state(throwaway_postgres) == db_before


def test_only_the_missing_secrets_are_created_again(generator, dev_cluster,
                                                    throwaway_postgres):  # noqa: F811
    run, namespace, rabbit_namespace = generator
    assert run().returncode == 0
    password = secret_data(dev_cluster, namespace, "shop-rabbitmq-credentials")[
        "RABBITMQ_PASSWORD"]
    dev_cluster.kubectl("delete", "secret", "shop-redis-credentials", "-n", namespace)
    dev_cluster.kubectl("delete", "secret", IMPORT_SECRET, "-n", rabbit_namespace)
    kept = resource_versions_partial(dev_cluster, namespace)
    offset = dev_cluster.audit_offset()

    again = run()
    assert again.returncode == 0, again.stderr
    assert "done: 2 secret(s) created" in again.stderr
    created = sorted((e["objectRef"]["namespace"], e["objectRef"]["name"])
                     for e in secret_writes(dev_cluster.audit_events(offset), namespace,
                                            rabbit_namespace))
    assert created == sorted([(namespace, "shop-redis-credentials"),
                              (rabbit_namespace, IMPORT_SECRET)])
    # The import Secret is recreated with the password the app already uses.
    assert secret_data(dev_cluster, rabbit_namespace, IMPORT_SECRET)["password"] == password
    assert resource_versions_partial(dev_cluster, namespace) == kept


def resource_versions_partial(cluster, namespace):
    names = ["shop-pg-credentials", "shop-rabbitmq-credentials", "shop-app-secrets"]
    return {n: cluster.get_json("secret", n, "-n", namespace)["metadata"]["resourceVersion"]
            for n in names}


def test_a_lost_database_role_is_recreated_from_the_existing_secret(
        generator, dev_cluster, throwaway_postgres):  # noqa: F811
    run, namespace, _ = generator
    assert run().returncode == 0
    password = secret_data(dev_cluster, namespace, "shop-pg-credentials")["DB_PASSWORD"]
    throwaway_postgres.query("DROP DATABASE shop; DROP ROLE shop;")

    again = run()
    assert again.returncode == 0, again.stderr
    assert "done: 0 secret(s) created" in again.stderr
    assert throwaway_postgres.query("SELECT current_database()", user="shop",
                                    password=password, database="shop") == "shop"
