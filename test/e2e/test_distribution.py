"""Installing wavesync as users do: shell completions that really complete (run in bash, zsh and
fish), the man page rendered by groff, `cmake --install`'s layout, the Debian package installed
with dpkg and removed again, and the CI action's script run as a plain script against the local
control plane (judged from the API, not from wavesync's output)."""
import json
import os
import pathlib
import shutil
import subprocess
import uuid
import xml.etree.ElementTree as ET

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


def build_dir(wavesync):
    return pathlib.Path(wavesync).resolve().parents[1]


def run(cmd, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    kw.setdefault("timeout", 300)
    return subprocess.run(cmd, **kw)


def env_with(wavesync):
    env = dict(os.environ)
    env["PATH"] = f"{pathlib.Path(wavesync).parent}:{env['PATH']}"
    return env


@pytest.fixture()
def two_context_kubeconfig(tmp_path):
    path = tmp_path / "kubeconfig"
    path.write_text(
        """apiVersion: v1
kind: Config
clusters:
- name: c-one
  cluster: {server: "https://127.0.0.1:1"}
users:
- name: u-one
  user: {token: never-printed}
contexts:
- name: alpha
  context: {cluster: c-one, user: u-one}
- name: beta
  context: {cluster: c-one, user: u-one}
current-context: alpha
""")
    return path


def bash_complete(wavesync, words):
    """Runs the generated bash completion function for `words` (the last one is being typed)."""
    script = (
        "source <(wavesync completion bash)\n"
        f"COMP_WORDS=({' '.join(repr(w) for w in words)})\n"
        f"COMP_CWORD={len(words) - 1}\n"
        "_wavesync\n"
        "printf '%s\\n' \"${COMPREPLY[@]}\"\n")
    out = run(["bash", "-c", script], env=env_with(wavesync))
    assert out.returncode == 0, out.stderr
    return [line for line in out.stdout.splitlines() if line]


def test_bash_completion_offers_commands_flags_values_and_kubeconfig_contexts(wavesync, two_context_kubeconfig):
    assert {"apply", "plan", "delete", "completion"} <= set(bash_complete(wavesync, ["wavesync", ""]))
    assert "--prune-propagation" in bash_complete(wavesync, ["wavesync", "apply", "--prune-p"])
    assert bash_complete(wavesync, ["wavesync", "apply", "--prune-propagation", ""]) == [
        "foreground", "background", "orphan"]
    assert bash_complete(wavesync, ["wavesync", "plan", "-o", "j"]) == ["json"]
    assert bash_complete(wavesync, ["wavesync", "status", "--kubeconfig", str(two_context_kubeconfig),
                                    "--context", ""]) == ["alpha", "beta"]
    # A broken kubeconfig offers nothing, and prints nothing into the command line.
    assert bash_complete(wavesync, ["wavesync", "apply", "--kubeconfig", "/nonexistent", "--context", ""]) == []


def test_fish_completion_offers_flag_values_and_contexts(wavesync, two_context_kubeconfig):
    if not shutil.which("fish"):
        pytest.fail("fish is not installed (.ci/setup installs it)")

    def complete(line):
        script = f"source (wavesync completion fish | psub); complete -C {json.dumps(line)}"
        out = run(["fish", "--no-config", "-c", script], env=env_with(wavesync))
        assert out.returncode == 0, out.stderr
        return [l.split("\t")[0] for l in out.stdout.splitlines()]

    assert "apply" in complete("wavesync ")
    assert complete("wavesync apply --output ") == ["json", "text"] or \
        sorted(complete("wavesync apply --output ")) == ["json", "text"]
    assert sorted(complete(f"wavesync diff --kubeconfig {two_context_kubeconfig} --context ")) == ["alpha", "beta"]


def test_zsh_completion_loads_and_defines_its_function(wavesync):
    if not shutil.which("zsh"):
        pytest.fail("zsh is not installed (.ci/setup installs it)")
    script = ("autoload -U compinit; compinit -u -D\n"
              "source <(wavesync completion zsh)\n"
              "(( $+functions[_wavesync] )) && (( $+functions[_wavesync_kube] )) && "
              "[[ $_comps[wavesync] == _wavesync ]] && echo defined")
    out = run(["zsh", "-f", "-c", script], env=env_with(wavesync))
    assert out.returncode == 0 and out.stdout.strip() == "defined", out.stderr
    text = run([str(wavesync), "completion", "zsh"]).stdout
    assert "(foreground background orphan)" in text
    assert "_wavesync_kube contexts" in text


def test_man_page_renders_without_warnings_and_documents_every_command(wavesync):
    page = run([str(wavesync), "__man"]).stdout
    # -P -cbou: plain text, no overstrike bold or underline.
    rendered = run(["groff", "-man", "-Tutf8", "-ww", "-rLL=100n", "-P", "-cbou"], input=page)
    assert rendered.returncode == 0
    assert rendered.stderr == "", rendered.stderr
    text = rendered.stdout
    for command in ["plan", "apply", "status", "diff", "delete", "health", "version", "completion"]:
        assert f"wavesync {command}" in text
    assert "EXIT STATUS" in text and "cluster unreachable or unauthorised" in text
    assert "--prune-propagation" in text.replace("\u2010", "-").replace("\u2212", "-")
    assert "__complete" not in text and "__man" not in text


def test_version_json_names_the_libraries_it_runs_with(wavesync):
    out = run([str(wavesync), "version", "-o", "json"])
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert set(doc) == {"version", "gitRevision", "buildType", "compiler", "libraries"}
    head = run(["git", "-C", str(REPO), "rev-parse", "--short=12", "HEAD"]).stdout.strip()
    assert doc["gitRevision"] and head.startswith(doc["gitRevision"][:7])
    libs = doc["libraries"]
    # The versions loaded at run time, as the system's packages report them.
    curl = run(["dpkg-query", "-W", "-f=${Version}", "libcurl4"]).stdout
    assert curl.startswith(libs["libcurl"]), (curl, libs)
    openssl = run(["openssl", "version"]).stdout.split()[1]
    assert openssl in libs["OpenSSL"]
    yaml_cpp = run(["dpkg-query", "-W", "-f=${Version}", "libyaml-cpp-dev"]).stdout
    assert yaml_cpp.startswith(libs["yaml-cpp"])


def test_cmake_install_lays_out_binary_completions_and_man_page(wavesync, tmp_path):
    prefix = tmp_path / "prefix"
    out = run(["cmake", "--install", str(build_dir(wavesync)), "--prefix", str(prefix)])
    assert out.returncode == 0, out.stderr
    expected = ["bin/wavesync", "share/bash-completion/completions/wavesync",
                "share/zsh/site-functions/_wavesync", "share/fish/vendor_completions.d/wavesync.fish",
                "share/man/man1/wavesync.1"]
    for rel in expected:
        assert (prefix / rel).is_file(), rel
    installed = prefix / "bin" / "wavesync"
    assert run([str(installed), "version"]).returncode == 0
    # The installed binary carries no debug information; it points at wavesync.debug instead.
    sections = run(["readelf", "-S", "-W", str(installed)]).stdout
    assert ".debug_info" not in sections
    assert ".gnu_debuglink" in sections
    assert (prefix / "share/bash-completion/completions/wavesync").read_text() == \
        run([str(installed), "completion", "bash"]).stdout


def dpkg_installed(name):
    out = run(["dpkg-query", "-W", "-f=${Status}", name])
    return out.returncode == 0 and "install ok installed" in out.stdout


@pytest.fixture(scope="module")
def debian_package(wavesync):
    """Builds the .deb with CPack from the tested build directory; installs need root."""
    if os.geteuid() != 0:
        pytest.skip("installing a Debian package needs root: run the suite as root (CI does)")
    if dpkg_installed("wavesync"):
        pytest.fail("a wavesync package is installed on this machine already; the test would replace it")
    build = build_dir(wavesync)
    out = run(["cpack", "-G", "DEB"], cwd=build, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    debs = sorted((build / "package").glob("wavesync_*.deb"), key=lambda p: p.stat().st_mtime)
    assert debs, out.stdout
    yield debs[-1]
    if dpkg_installed("wavesync"):
        run(["dpkg", "-r", "wavesync"])


def test_debian_package_installs_runs_and_removes_cleanly(debian_package, tmp_path):
    fields = run(["dpkg-deb", "-f", str(debian_package), "Package", "Version", "Depends"]).stdout
    assert "Package: wavesync" in fields
    assert "libcurl4" in fields and "libyaml-cpp" in fields, fields  # from dpkg-shlibdeps
    describe = run(["git", "-C", str(REPO), "rev-parse", "--short=12", "HEAD"]).stdout.strip()
    assert describe[:7] in fields or "+git" not in fields
    contents = run(["dpkg-deb", "-c", str(debian_package)]).stdout
    for path in ["./usr/bin/wavesync", "./usr/share/bash-completion/completions/wavesync",
                 "./usr/share/zsh/site-functions/_wavesync",
                 "./usr/share/fish/vendor_completions.d/wavesync.fish", "./usr/share/man/man1/wavesync.1"]:
        assert path in contents, path
    out = run(["dpkg", "-i", str(debian_package)])
    assert out.returncode == 0, out.stderr
    try:
        assert run(["/usr/bin/wavesync", "version"]).stdout.startswith("wavesync ")
        plan = run(["/usr/bin/wavesync", "plan", str(REPO / "manifests")])
        assert plan.returncode == 0, plan.stderr
        assert "Namespace" in plan.stdout
        assert run(["man", "-w", "wavesync"]).stdout.strip().startswith("/usr/share/man/man1/wavesync.1")
    finally:
        out = run(["dpkg", "-r", "wavesync"])
    assert out.returncode == 0, out.stderr
    assert not dpkg_installed("wavesync")
    for path in ["/usr/bin/wavesync", "/usr/share/bash-completion/completions/wavesync",
                 "/usr/share/man/man1/wavesync.1"]:
        assert not os.path.exists(path), path


def test_ci_action_script_installs_the_package_and_applies(debian_package, kubeconfig, kubectl, namespace, tmp_path):
    manifests = tmp_path / f"ci-{uuid.uuid4().hex[:8]}"
    manifests.mkdir()
    (manifests / "app.yaml").write_text(f"""apiVersion: v1
kind: Namespace
metadata:
  name: {namespace}
  annotations: {{argocd.argoproj.io/sync-wave: "-1"}}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: {namespace}
data:
  mode: ci
""")
    report_dir = tmp_path / "report"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    # A PATH without the build directory: the script must install the package itself.
    env["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    env.update(INPUT_PATH=str(manifests), INPUT_KUBECONFIG=pathlib.Path(kubeconfig).read_text(),
               INPUT_TIMEOUT="2m", INPUT_PRUNE="true", INPUT_APPLYSET=f"ci-{uuid.uuid4().hex[:8]}", INPUT_PACKAGE=str(debian_package),
               INPUT_REPORT_DIR=str(report_dir), GITHUB_OUTPUT=str(tmp_path / "github_output"))
    try:
        out = run(["bash", str(REPO / "examples/ci/wavesync-action.sh")], env=env, timeout=300)
        assert out.returncode == 0, out.stdout + out.stderr
        assert kubectl.get("configmap", "settings", "-n", namespace)["data"] == {"mode": "ci"}
        suite = ET.parse(report_dir / "junit.xml").getroot()
        assert list(suite.iter("testcase"))
        assert (report_dir / "timeline.html").stat().st_size > 0
        assert json.loads((report_dir / "run.json").read_text())["exitCode"] == 0
        assert (tmp_path / "github_output").read_text() == "exit-code=0\n"
        # The kubeconfig's secrets never reach the log.
        assert "client-key-data" not in out.stdout + out.stderr
        env["INPUT_PRUNE"] = "maybe"
        bad = run(["bash", str(REPO / "examples/ci/wavesync-action.sh")], env=env, timeout=300)
        assert bad.returncode == 2
        assert 'prune must be true or false, not "maybe"' in bad.stderr
    finally:
        run(["dpkg", "-r", "wavesync"])
