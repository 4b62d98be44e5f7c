"""Mistakes a user can make about the cluster each give one line saying what to do, and exit
code 4: no kubeconfig, a wrong context, an unreachable server, refused credentials, missing RBAC
permissions. Run through `wavesync status`, which every other command shares the client with."""
import os
import pathlib
import re
import subprocess

import yaml

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "quickstart"


def status(wavesync, *args, env=None):
    return subprocess.run([str(wavesync), "status", str(EXAMPLE), *args], capture_output=True, text=True,
                          timeout=60, env=env)


def one_error_line(done, *fragments):
    assert done.returncode == 4, done.stdout + done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("wavesync: error: ")
    for fragment in fragments:
        assert fragment in lines[0]


def edited_kubeconfig(kubeconfig, tmp_path, change):
    config = yaml.safe_load(pathlib.Path(kubeconfig).read_text())
    change(config)
    path = tmp_path / "kubeconfig"
    path.write_text(yaml.safe_dump(config))
    return str(path)


def test_no_kubeconfig_at_all(wavesync, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KUBERNETES_") and k != "KUBECONFIG"}
    env["HOME"] = str(tmp_path)
    one_error_line(status(wavesync, env=env), "no kubeconfig found: set KUBECONFIG or pass --kubeconfig")


def test_wrong_context_names_the_ones_that_exist(wavesync, kubeconfig):
    one_error_line(status(wavesync, "--kubeconfig", kubeconfig, "--context", "prod-typo"),
                   'context "prod-typo" not found', "use one of: ")


def test_unreachable_server(wavesync, kubeconfig, tmp_path):
    def point_nowhere(config):
        for c in config["clusters"]:
            c["cluster"]["server"] = "https://127.0.0.1:1"
    path = edited_kubeconfig(kubeconfig, tmp_path, point_nowhere)
    one_error_line(status(wavesync, "--kubeconfig", path), "cannot reach the API server",
                   "check that the cluster is running")


def test_refused_credentials(wavesync, cluster_env, tmp_path):
    token_kubeconfig = cluster_env["WAVESYNC_KUBECONFIG_TOKEN"]

    def bad_token(config):
        for u in config["users"]:
            u["user"]["token"] = "expired-or-wrong"
    path = edited_kubeconfig(token_kubeconfig, tmp_path, bad_token)
    done = status(wavesync, "--kubeconfig", path)
    one_error_line(done, "401 Unauthorized", "may have expired")
    assert "expired-or-wrong" not in done.stderr


def test_forbidden_by_rbac(wavesync, kubeconfig, kubectl, tmp_path, namespace):
    kubectl("create", "namespace", namespace)
    kubectl("create", "serviceaccount", "nobody", "-n", namespace)
    token = kubectl("create", "token", "nobody", "-n", namespace).stdout.strip()

    def as_nobody(config):
        config["users"] = [{"name": "nobody", "user": {"token": token}}]
        for c in config["contexts"]:
            c["context"]["user"] = "nobody"
    path = edited_kubeconfig(kubeconfig, tmp_path, as_nobody)
    done = status(wavesync, "--kubeconfig", path)
    one_error_line(done, "403 Forbidden", "lacks this RBAC permission")
    assert token not in done.stderr
    assert re.search(r"cannot (get|list) resource", done.stderr)
