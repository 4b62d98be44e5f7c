"""Ctrl-C and SIGTERM end every command, also while a request hangs: here against a server that
accepts connections and never answers (no cluster needed), through the built binary."""
import signal
import socket
import subprocess
import time
import uuid

import yaml

from conftest import REPO
from manifests import config_map


def write_app(tmp_path, documents):
    d = tmp_path / f"app-{uuid.uuid4().hex[:8]}"
    d.mkdir()
    (d / "app.yaml").write_text(yaml.safe_dump_all(documents, sort_keys=False))
    return d


def test_ctrl_c_while_a_request_hangs_ends_any_command_at_once(wavesync, tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # accepts connections, never answers: TLS handshakes hang
    port = listener.getsockname()[1]
    config = tmp_path / "blackhole"
    config.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "c",
        "clusters": [{"name": "c", "cluster": {"server": f"https://127.0.0.1:{port}", "insecure-skip-tls-verify": True}}],
        "users": [{"name": "u", "user": {"token": "t"}}],
        "contexts": [{"name": "c", "context": {"cluster": "c", "user": "u"}}]}))
    app = write_app(tmp_path, [config_map("cm", "default")])
    try:
        for command in ("status", "diff", "apply"):
            process = subprocess.Popen([str(wavesync), command, str(app), "--kubeconfig", str(config)],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
            time.sleep(1.5)
            assert process.poll() is None, f"{command} ended before the signal"
            sent = time.monotonic()
            process.send_signal(signal.SIGINT)
            _, err = process.communicate(timeout=30)
            assert process.returncode == 130, (command, err)
            assert time.monotonic() - sent < 3, command
            assert "interrupted by SIGINT" in err, err
    finally:
        listener.close()
