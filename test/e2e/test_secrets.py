"""No secret ever leaves wavesync: every command and output format runs over manifests holding
Secrets with unique marker values and with kubeconfigs holding a known token, client key and
exec-plugin token, and everything written (stdout, stderr, report files, anything created in
the working directory or $HOME) is searched for the markers, raw and base64-encoded. Also: TLS
verification is on unless the kubeconfig says otherwise, a certificate that does not match is
exit code 4 naming the server, and an apply with a client-certificate kubeconfig creates no
file (strace) beyond the output paths it was given."""
import base64
import json
import os
import pathlib
import pty
import re
import select
import subprocess
import time
import uuid

import pytest
import yaml

from manifests import deployment, job, namespace as namespace_doc

RUN = uuid.uuid4().hex[:12]
DATA_VALUE = f"ws-secret-data-{RUN}"
STRING_VALUE = f"ws-secret-string-{RUN}"
CHANGED_VALUE = f"ws-secret-changed-{RUN}"
BAD_DATA_VALUE = f"ws-secret-bad-{RUN}"
EXEC_TOKEN = f"ws-exec-token-{RUN}"
GARBAGE_KEY = f"ws-garbage-key-{RUN}"


def b64(text):
    return base64.b64encode(text.encode() if isinstance(text, str) else text).decode()


def forms(value):
    """The value and the encodings a leak could take: base64 (with and without padding,
    URL-safe) and JSON-escaped."""
    raw = value.encode() if isinstance(value, str) else value
    out = {raw.decode(errors="replace"), b64(raw), b64(raw).rstrip("="), base64.urlsafe_b64encode(raw).decode()}
    out.add(json.dumps(raw.decode(errors="replace"))[1:-1])
    return {f for f in out if len(f) >= 12}


class Leaks:
    """Collects every secret form and checks texts and files for them."""

    def __init__(self):
        self.secrets = {}

    def add(self, label, value):
        for f in forms(value):
            self.secrets[f] = label

    def check_text(self, where, text):
        found = [f"{label} ({form[:12]}...) in {where}" for form, label in self.secrets.items() if form in text]
        assert not found, "secret leaked:\n" + "\n".join(found)

    def check_tree(self, root):
        for path in pathlib.Path(root).rglob("*"):
            if path.is_file() and not path.is_symlink():
                self.check_text(str(path), path.read_bytes().decode(errors="replace"))


def key_body_lines(pem):
    """The base64 lines of a PEM key: any one of them in the output is a leak."""
    return [line for line in pem.splitlines() if line and not line.startswith("-----")]


@pytest.fixture()
def workdir(tmp_path):
    """A clean working directory and $HOME for wavesync, scanned afterwards."""
    (tmp_path / "cwd").mkdir()
    (tmp_path / "home").mkdir()
    return tmp_path


class Wavesync:
    def __init__(self, binary, workdir, leaks):
        self.binary = binary
        self.workdir = workdir
        self.leaks = leaks
        self.count = 0

    def __call__(self, *args, env=None, expect=None, timeout=300):
        self.count += 1
        full_env = {"PATH": os.environ["PATH"], "HOME": str(self.workdir / "home"), "NO_COLOR": "1", **(env or {})}
        done = subprocess.run([str(self.binary), *map(str, args)], capture_output=True, text=True, timeout=timeout,
                              cwd=self.workdir / "cwd", env=full_env)
        label = f"`wavesync {' '.join(map(str, args))}`"
        self.leaks.check_text(f"stdout of {label}", done.stdout)
        self.leaks.check_text(f"stderr of {label}", done.stderr)
        if expect is not None:
            assert done.returncode == expect, f"{label}: exit {done.returncode}\n{done.stderr}"
        return done

    def in_terminal(self, *args, timeout=300):
        """Runs under a pseudo-terminal (the live view) and returns everything it drew."""
        pid, fd = pty.fork()
        if pid == 0:
            os.chdir(self.workdir / "cwd")
            os.execve(str(self.binary), [str(self.binary), *map(str, args)],
                      {"PATH": os.environ["PATH"], "HOME": str(self.workdir / "home"), "TERM": "xterm-256color",
                       "COLUMNS": "120"})
        chunks, deadline = [], time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 1)
            if ready:
                try:
                    data = os.read(fd, 65536)
                except OSError:
                    break
                if not data:
                    break
                chunks.append(data)
        _, status = os.waitpid(pid, 0)
        os.close(fd)
        text = b"".join(chunks).decode(errors="replace")
        self.leaks.check_text(f"terminal of `wavesync {' '.join(map(str, args))}`", text)
        return os.waitstatus_to_exitcode(status), text


def secret_documents(ns, data_value=DATA_VALUE, string_value=STRING_VALUE):
    return [
        namespace_doc(ns, wave=-1),
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "app-credentials", "namespace": ns},
         "type": "Opaque", "data": {"password": b64(data_value)}, "stringData": {"token": string_value}},
        {"apiVersion": "v1", "kind": "Secret",
         "metadata": {"name": "hook-secret", "namespace": ns,
                      "annotations": {"argocd.argoproj.io/hook": "PreSync",
                                      "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation"}},
         "stringData": {"key": string_value}},
        job("migrate", ns, hook="PreSync"),
        deployment("web", ns, 1, env_secret="app-credentials"),
    ]


def write(directory, documents):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "app.yaml").write_text(yaml.safe_dump_all(documents, sort_keys=False))
    return directory


def token_of(kubeconfig):
    return yaml.safe_load(pathlib.Path(kubeconfig).read_text())["users"][0]["user"]["token"]


def test_no_command_or_output_format_shows_a_secret_token_or_key(wavesync, cluster_env, kubeconfig, kubectl,
                                                                 namespace, workdir):
    token_kubeconfig = cluster_env["WAVESYNC_KUBECONFIG_TOKEN"]
    cert_config = yaml.safe_load(pathlib.Path(kubeconfig).read_text())
    key_pem = base64.b64decode(cert_config["users"][0]["user"]["client-key-data"]).decode()
    leaks = Leaks()
    leaks.add("Secret data", DATA_VALUE)
    leaks.add("Secret stringData", STRING_VALUE)
    leaks.add("changed Secret data", CHANGED_VALUE)
    leaks.add("kubeconfig token", token_of(token_kubeconfig))
    leaks.add("client key", cert_config["users"][0]["user"]["client-key-data"])
    for line in key_body_lines(key_pem):
        leaks.add("client key PEM line", line)
    ws = Wavesync(wavesync, workdir, leaks)

    # An exec plugin that prints the valid token, for a third kind of credential.
    plugin = workdir / "plugin.sh"
    plugin.write_text("#!/bin/sh\nprintf '%s' '" + json.dumps(
        {"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential",
         "status": {"token": token_of(token_kubeconfig)}}) + "'\n")
    plugin.chmod(0o700)
    exec_config = yaml.safe_load(pathlib.Path(token_kubeconfig).read_text())
    exec_config["users"][0]["user"] = {"exec": {"apiVersion": "client.authentication.k8s.io/v1",
                                                "command": str(plugin), "interactiveMode": "Never"}}
    exec_kubeconfig = workdir / "kubeconfig-exec"
    exec_kubeconfig.write_text(yaml.safe_dump(exec_config))

    manifests = write(workdir / "first" / namespace, secret_documents(namespace))
    out = workdir / "cwd"

    ws("plan", manifests, expect=0)
    ws("plan", manifests, "-o", "json", expect=0)
    live = workdir / "live.json"
    live.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": namespace},
         "data": {"password": b64(DATA_VALUE)}},
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": namespace},
         "status": {"phase": "Pending", "containerStatuses": [{"name": "c", "state": {"waiting": {
             "reason": "CreateContainerConfigError", "message": "couldn't find key password in Secret x/s"}}}]}}]}))
    ws("health", "-f", live)
    ws("health", "-f", live, "-o", "json")

    ws("apply", manifests, "--kubeconfig", token_kubeconfig, "--timeout", "120s", expect=0)
    ws("apply", manifests, "--kubeconfig", kubeconfig, "-o", "json", "--report", out / "report.json",
       "--junit", out / "junit.xml", "--timeline", out / "timeline.svg", "--timeout", "120s", expect=0)
    ws("apply", manifests, "--kubeconfig", exec_kubeconfig, "--timeline", out / "timeline.html", "--timeout", "120s",
       env={"GITHUB_ACTIONS": "true"}, expect=0)
    ws("apply", manifests, "--kubeconfig", token_kubeconfig, "--dry-run", "--timeout", "120s", expect=0)
    code, _ = ws.in_terminal("apply", manifests, "--kubeconfig", token_kubeconfig, "--timeout", "120s")
    assert code == 0
    ws("status", manifests, "--kubeconfig", token_kubeconfig, expect=0)
    ws("status", manifests, "--kubeconfig", token_kubeconfig, "-o", "json", expect=0)

    # The Secret's value as wavesync applied it really is in the cluster (the markers are live).
    live_secret = kubectl.get("secret", "app-credentials", "-n", namespace)
    assert base64.b64decode(live_secret["data"]["password"]).decode() == DATA_VALUE

    # A changed Secret: diff shows that it changes, never the old or new value.
    changed = write(workdir / "changed" / namespace, secret_documents(namespace, data_value=CHANGED_VALUE))
    diff = ws("diff", changed, "--kubeconfig", token_kubeconfig)
    assert diff.returncode in (0, 1), diff.stderr
    assert "app-credentials" in diff.stdout + diff.stderr

    # A failing sync (a hook that fails) with every report: the error paths stay clean too.
    failing = secret_documents(namespace, data_value=CHANGED_VALUE)
    failing[3] = job("migrate", namespace, hook="PreSync", pod_annotations={"wavesync.dev/test-fail": "true"})
    ws("apply", write(workdir / "failing" / namespace, failing), "--kubeconfig", token_kubeconfig, "--report", out / "failed-report.json",
       "--junit", out / "failed-junit.xml", "--timeline", out / "failed-timeline.svg", "--timeout", "120s",
       expect=1)
    ws("apply", workdir / "failing" / namespace, "--kubeconfig", token_kubeconfig, "-o", "json", "--timeout", "120s", expect=1)

    ws("delete", manifests, "--kubeconfig", token_kubeconfig, "--dry-run", expect=0)
    ws("delete", manifests, "--kubeconfig", token_kubeconfig, "--timeout", "120s", expect=0)

    for name in ("report.json", "junit.xml", "timeline.svg", "timeline.html", "failed-report.json"):
        assert (out / name).stat().st_size > 0, name
    leaks.check_tree(workdir / "cwd")
    leaks.check_tree(workdir / "home")


def test_an_invalid_secret_rejected_by_the_api_server_is_reported_without_its_value(wavesync, kubeconfig, namespace,
                                                                                    workdir):
    leaks = Leaks()
    leaks.add("Secret data", BAD_DATA_VALUE)
    ws = Wavesync(wavesync, workdir, leaks)
    # Not base64: the API server refuses the object; the message must not quote the value.
    documents = [namespace_doc(namespace, wave=-1),
                 {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "bad", "namespace": namespace},
                  "data": {"password": BAD_DATA_VALUE + "!!"}}]
    done = ws("apply", write(workdir / "m" / namespace, documents), "--kubeconfig", kubeconfig, "--timeout", "60s")
    # The API server answers 500 for undecodable Secret data (the engine reports it as exit 4).
    assert done.returncode in (1, 4), done.stderr
    assert "Secret" in done.stderr and "bad" in done.stderr and "illegal base64" in done.stderr


def test_credentials_in_error_messages_are_never_echoed(wavesync, cluster_env, kubeconfig, namespace, workdir):
    leaks = Leaks()
    leaks.add("exec plugin token", EXEC_TOKEN)
    garbage = "-----BEGIN PRIVATE KEY-----\n" + GARBAGE_KEY + "\n-----END PRIVATE KEY-----\n"
    leaks.add("garbage client key", garbage)
    leaks.add("garbage client key", GARBAGE_KEY)
    ws = Wavesync(wavesync, workdir, leaks)
    manifests = write(workdir / "m" / namespace, [namespace_doc(namespace)])

    # An exec plugin whose token the API server rejects (401): exit 4, the token not shown.
    plugin = workdir / "bad-plugin.sh"
    plugin.write_text("#!/bin/sh\nprintf '%s' '" + json.dumps(
        {"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential", "status": {"token": EXEC_TOKEN}})
        + "'\n")
    plugin.chmod(0o700)
    config = yaml.safe_load(pathlib.Path(cluster_env["WAVESYNC_KUBECONFIG_TOKEN"]).read_text())
    config["users"][0]["user"] = {"exec": {"apiVersion": "client.authentication.k8s.io/v1", "command": str(plugin),
                                           "interactiveMode": "Never"}}
    bad_exec = workdir / "kubeconfig-bad-exec"
    bad_exec.write_text(yaml.safe_dump(config))
    done = ws("apply", manifests, "--kubeconfig", bad_exec, "--timeout", "60s", expect=4)
    assert "401" in done.stderr or "nauthori" in done.stderr, done.stderr

    # client-key-data that is not a key: exit 4, neither the base64 nor the decoded text shown.
    config = yaml.safe_load(pathlib.Path(kubeconfig).read_text())
    config["users"][0]["user"]["client-key-data"] = b64(garbage)
    bad_key = workdir / "kubeconfig-bad-key"
    bad_key.write_text(yaml.safe_dump(config))
    for command in (["apply", manifests, "--timeout", "60s"], ["status", manifests], ["diff", manifests]):
        done = ws(*command, "--kubeconfig", bad_key)
        assert done.returncode == 4, done.stderr
    leaks.check_tree(workdir / "cwd")
    leaks.check_tree(workdir / "home")


def other_ca(directory):
    """A self-signed CA that did not sign the apiserver's certificate, as PEM."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", str(directory / "other-ca.key"), "-out", str(directory / "other-ca.crt"),
                    "-subj", "/CN=other-ca", "-days", "1"], check=True, capture_output=True)
    return (directory / "other-ca.crt").read_bytes()


@pytest.mark.parametrize("case", ["wrong-server-name", "other-ca", "no-ca"])
def test_a_certificate_that_does_not_match_is_exit_code_4_naming_the_server(wavesync, cluster_env, namespace,
                                                                             workdir, case):
    config = yaml.safe_load(pathlib.Path(cluster_env["WAVESYNC_KUBECONFIG_TOKEN"]).read_text())
    cluster = config["clusters"][0]["cluster"]
    server = cluster["server"]
    if case == "wrong-server-name":
        cluster["tls-server-name"] = "wrong.example.com"
    elif case == "other-ca":
        cluster["certificate-authority-data"] = b64(other_ca(workdir))
    else:  # no CA in the kubeconfig: the system trust store does not know the cluster's CA
        del cluster["certificate-authority-data"]
    path = workdir / f"kubeconfig-{case}"
    path.write_text(yaml.safe_dump(config))
    leaks = Leaks()
    leaks.add("kubeconfig token", token_of(cluster_env["WAVESYNC_KUBECONFIG_TOKEN"]))
    ws = Wavesync(wavesync, workdir, leaks)
    done = ws("apply", write(workdir / "m" / namespace, [namespace_doc(namespace)]), "--kubeconfig", path, "--timeout", "60s",
              expect=4)
    port = server.rsplit(":", 1)[1]
    # The server as TLS addressed it: with tls-server-name, that name and the kubeconfig's port.
    named = f"wrong.example.com:{port}" if case == "wrong-server-name" else server.removeprefix("https://")
    assert named in done.stderr, done.stderr
    assert "certificate" in done.stderr.lower() or "tls" in done.stderr.lower() or "ssl" in done.stderr.lower()


def test_insecure_skip_tls_verify_in_the_kubeconfig_is_the_only_way_to_skip_verification(
        wavesync, cluster_env, kubectl, namespace, workdir):
    config = yaml.safe_load(pathlib.Path(cluster_env["WAVESYNC_KUBECONFIG_TOKEN"]).read_text())
    cluster = config["clusters"][0]["cluster"]
    del cluster["certificate-authority-data"]
    cluster["insecure-skip-tls-verify"] = True
    path = workdir / "kubeconfig-insecure"
    path.write_text(yaml.safe_dump(config))
    ws = Wavesync(wavesync, workdir, Leaks())
    ws("apply", write(workdir / "m" / namespace, [namespace_doc(namespace)]), "--kubeconfig", path, "--timeout", "60s", expect=0)
    assert kubectl.get("namespace", namespace) is not None


def test_an_apply_with_a_client_certificate_writes_no_file_but_its_outputs(wavesync, kubeconfig, namespace, workdir):
    out = workdir / "cwd"
    manifests = write(workdir / "m" / namespace, secret_documents(namespace))
    trace = workdir / "trace.txt"
    outputs = [out / "report.json", out / "junit.xml", out / "timeline.svg"]
    done = subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=open,openat,creat,rename,renameat,renameat2,mkdir,link,symlink",
         "-o", str(trace), str(wavesync), "apply", str(manifests), "--kubeconfig", kubeconfig, "--timeout", "120s",
         "--report", str(outputs[0]), "--junit", str(outputs[1]), "--timeline", str(outputs[2])],
        capture_output=True, text=True, timeout=300, cwd=out,
        # LeakSanitizer cannot run under ptrace; the sanitized run (make test-sanitize) checks
        # leaks everywhere else. No effect on a normal build.
        env={"PATH": os.environ["PATH"], "HOME": str(workdir / "home"), "ASAN_OPTIONS": "detect_leaks=0"})
    assert done.returncode == 0, done.stderr
    written = set()
    for line in trace.read_text().splitlines():
        m = re.search(r'(open|openat|creat)\((?:AT_FDCWD, |\d+, )?"([^"]+)"(.*)\)\s+=\s+(-?\d+)', line)
        if m and int(m.group(4)) >= 0 and (m.group(1) == "creat" or re.search(r"O_(WRONLY|RDWR|CREAT)", m.group(3))):
            written.add(m.group(2))
        m = re.search(r'(rename|renameat2?|mkdir|link|symlink)\(.*"([^"]+)"[^"]*\)\s+=\s+0', line)
        if m:
            written.add(m.group(2))
    allowed = {str(p) for p in outputs} | {"/dev/null", "/dev/tty"}
    assert allowed - {"/dev/null", "/dev/tty"} <= written, f"the trace misses the outputs: {sorted(written)}"
    unexpected = sorted(p for p in written if p not in allowed and not p.startswith(("/proc/", "/dev/pts/")))
    assert not unexpected, f"files written besides the outputs: {unexpected}"
    assert not any((workdir / "home").iterdir()), "wrote into $HOME"
