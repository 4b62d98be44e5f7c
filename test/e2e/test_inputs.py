"""Inputs that are not plain manifests: kustomizations, Helm charts and Argo CD Applications.

Plan-level tests compare `wavesync plan DIR` with the renderer's own output piped into
`wavesync plan -`; Applications are applied to the local control plane and judged with kubectl
and the audit log. The renderers are real: kustomize is the dev cluster's `kubectl kustomize`,
helm is built from Go modules by test/tools/build (cached under ~/.cache/wavesync/tools).
"""
import json
import os
import pathlib
import shutil
import subprocess

import pytest
import yaml

from conftest import REPO, _cluster_env

INPUTS = REPO / "test" / "inputs"


@pytest.fixture(scope="session")
def tools():
    """PATH entries for the renderers: helm (built once) and the dev cluster's kubectl."""
    built = subprocess.run(["bash", str(REPO / "test" / "tools" / "build")], capture_output=True, text=True,
                           timeout=3600)
    if built.returncode != 0:
        pytest.fail(f"test/tools/build failed (exit {built.returncode}):\n{built.stderr[-3000:]}")
    helm_dir = built.stdout.strip().splitlines()[-1]
    kubectl = pathlib.Path(os.environ.get("WAVESYNC_KUBECTL", _cluster_env()["WAVESYNC_KUBECTL"]))
    if not kubectl.exists():
        pytest.fail(f"{kubectl} is not built: run test/cluster/up")
    return {"helm": pathlib.Path(helm_dir) / "helm", "kubectl": kubectl,
            "path": f"{helm_dir}:{kubectl.parent}:/usr/bin:/bin"}


def run(wavesync, *args, path, input=None, cwd=REPO):
    env = dict(os.environ, PATH=path)
    return subprocess.run([str(wavesync), *args], capture_output=True, text=True, input=input, cwd=cwd,
                          env=env, timeout=300)


def plan_json(done):
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def without_sources(plan):
    """The plan with every object's source left out: what must be equal between a rendered
    directory and the same renderer's output read from stdin."""
    return [{"phase": s["phase"], "wave": s["wave"],
             "resources": [{k: v for k, v in r.items() if k != "source"} for r in s["resources"]]}
            for s in plan["steps"]]


def sources(plan):
    return {r["name"] or r["generateName"]: r["source"] for s in plan["steps"] for r in s["resources"]}


# --- plan: the rendered directory equals the renderer piped into `plan -` -----------------

@pytest.mark.parametrize("flag", ["", "-k"])
def test_plan_of_a_kustomization_equals_kubectl_kustomize_piped_into_plan(wavesync, tools, flag):
    overlay = "test/inputs/kustomize/overlay"
    rendered = subprocess.run([str(tools["kubectl"]), "kustomize", overlay], capture_output=True, text=True,
                              cwd=REPO, check=True).stdout
    piped = plan_json(run(wavesync, "plan", "-", "-n", "shop", "-o", "json", input=rendered, path=tools["path"]))
    args = [flag, overlay] if flag else [overlay]
    direct = plan_json(run(wavesync, "plan", *args, "-n", "shop", "-o", "json", path=tools["path"]))
    assert without_sources(direct) == without_sources(piped)
    # What kustomize made: the prefix, the overlay's image tag, the generator's hashed name.
    names = sources(direct)
    assert {"demo-migrate", "demo-web"} <= set(names)
    assert any(n.startswith("demo-web-settings-") for n in names)
    assert set(names.values()) == {f"{overlay}/kustomization.yaml"}
    web = next(r for s in direct["steps"] for r in s["resources"] if r["kind"] == "Deployment")
    assert web["object"]["spec"]["template"]["spec"]["containers"][0]["image"] == "registry.example/shop/web:1.1"
    assert [(s["phase"], s["wave"]) for s in direct["steps"]] == [("PreSync", 0), ("Sync", 0), ("Sync", 1)]


def test_plan_of_a_chart_equals_helm_template_piped_into_plan(wavesync, tools):
    chart = "test/inputs/chart"
    rendered = subprocess.run([str(tools["helm"]), "template", chart, "--name-template", "shop", "--namespace",
                               "store", "--set", "greeting=hey", "--values", "test/inputs/chart/values.yaml",
                               "--include-crds"], capture_output=True, text=True, cwd=REPO, check=True).stdout
    piped = plan_json(run(wavesync, "plan", "-", "-n", "store", "-o", "json", input=rendered, path=tools["path"]))
    direct = plan_json(run(wavesync, "plan", chart, "-n", "store", "--release-name", "shop", "--set", "greeting=hey",
                           "--values", "test/inputs/chart/values.yaml", "-o", "json", path=tools["path"]))
    assert without_sources(direct) == without_sources(piped)
    # Helm's pre-install hook became a PreSync hook; each object points at its template.
    assert direct["steps"][0]["phase"] == "PreSync"
    located = {(r["kind"], r["source"]) for s in direct["steps"] for r in s["resources"]}
    assert located == {("Job", f"{chart}/templates/migrate-hook.yaml"),
                       ("ConfigMap", f"{chart}/templates/configmap.yaml"),
                       ("Deployment", f"{chart}/templates/deployment.yaml")}
    config = next(r for s in direct["steps"] for r in s["resources"] if r["kind"] == "ConfigMap")
    assert config["object"]["data"] == {"GREETING": "hey", "NAMESPACE": "store"}


def test_plan_of_an_application_renders_its_source_with_its_namespace(wavesync, tools):
    """The committed Application: its path is resolved against the git top level of its file."""
    done = run(wavesync, "plan", "--argocd-app", "test/inputs/argocd/kustomize-app.yaml", "-o", "json",
               path=tools["path"])
    plan = plan_json(done)
    objects = [r for s in plan["steps"] for r in s["resources"]]
    assert {r["namespace"] for r in objects} == {"shop"}
    assert all(r["object"]["metadata"]["labels"]["team"] == "shop" for r in objects)
    # CreateNamespace=true is honoured by apply (as --sync-option CreateNamespace=true): no warning.
    assert not [w for w in plan["warnings"] if "CreateNamespace" in w], plan["warnings"]


# --- error paths: one line, exit code 2 ---------------------------------------------------

def error_line(done):
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_no_kustomize_and_no_kubectl_says_what_to_install(wavesync, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    done = run(wavesync, "plan", "test/inputs/kustomize/overlay", path=str(empty))
    assert error_line(done) == ("wavesync: error: test/inputs/kustomize/overlay: rendering a kustomization needs "
                                "kustomize or kubectl on PATH: install one of them")


def test_no_helm_says_what_to_install(wavesync, tools, tmp_path):
    path = f"{tools['kubectl'].parent}:/usr/bin:/bin"
    if shutil.which("helm", path=path):
        pytest.fail("a helm on the system PATH hides this case")
    done = run(wavesync, "plan", "test/inputs/chart", path=path)
    assert error_line(done) == ("wavesync: error: test/inputs/chart: rendering a Helm chart needs helm on PATH: "
                                "install helm (v3 or v4)")


def test_a_kustomize_error_is_shown_with_its_directory(wavesync, tools, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "kustomization.yaml").write_text("resources:\n  - missing.yaml\n")
    done = run(wavesync, "plan", str(broken), path=tools["path"])
    line = error_line(done)
    assert line.startswith(f"wavesync: error: {broken}: kubectl kustomize failed: ")
    assert "missing.yaml" in line and line.endswith("(exit code 1)")


def test_a_helm_error_is_shown_with_its_chart(wavesync, tools, tmp_path):
    chart = tmp_path / "chart"
    shutil.copytree(INPUTS / "chart", chart)
    (chart / "templates" / "bad.yaml").write_text("{{ .Values.nope.deeper }}\n")
    done = run(wavesync, "plan", str(chart), path=tools["path"])
    line = error_line(done)
    assert line.startswith(f"wavesync: error: {chart}: helm template failed: Error: ")
    assert "bad.yaml" in line


def write_app(directory, source, name="shop", namespace="shop", sync_policy=None):
    app = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
           "metadata": {"name": name, "namespace": "argocd"},
           "spec": {"project": "default", "source": source,
                    "destination": {"server": "https://kubernetes.default.svc", "namespace": namespace}}}
    if sync_policy:
        app["spec"]["syncPolicy"] = sync_policy
    path = directory / f"{name}.yaml"
    path.write_text(yaml.safe_dump(app, sort_keys=False))
    return path


@pytest.mark.parametrize("case,source,expected", [
    ("remote-without-checkout", {"repoURL": "https://git.example/shop.git", "path": "apps"},
     "spec.source.repoURL https://git.example/shop.git: no local checkout: the Application's file is not inside a "
     "git checkout: pass --repo DIR"),
    ("plugin", {"repoURL": "https://git.example/shop.git", "path": ".", "plugin": {"name": "cmp"}},
     "spec.source.plugin: config management plugins are not supported: render the manifests yourself and pass "
     "them to wavesync"),
    ("jsonnet", {"repoURL": "https://git.example/shop.git", "path": ".",
                 "directory": {"jsonnet": {"extVars": [{"name": "a", "value": "b"}]}}},
     "spec.source.directory.jsonnet: Jsonnet is not supported: render it to YAML and pass that to wavesync"),
    ("helm-repository-chart", {"repoURL": "https://charts.example", "chart": "redis", "targetRevision": "1.0.0"},
     "spec.source.chart redis: a chart from the Helm repository https://charts.example cannot be rendered from a "
     "local checkout: vendor the chart into the repository and use path"),
])
def test_an_application_source_wavesync_cannot_render_is_one_line(wavesync, tools, tmp_path, case, source, expected):
    app = write_app(tmp_path, source)
    done = run(wavesync, "plan", "--argocd-app", str(app), path=tools["path"])
    assert error_line(done) == f"wavesync: error: {app}:1: {expected}"


def test_a_jsonnet_file_in_a_directory_source_is_refused(wavesync, tools, tmp_path):
    repo = tmp_path / "repo"
    (repo / "apps").mkdir(parents=True)
    (repo / "apps" / "main.jsonnet").write_text("{}")
    app = write_app(tmp_path, {"repoURL": "https://git.example/shop.git", "path": "apps"})
    done = run(wavesync, "plan", "--argocd-app", str(app), "--repo", str(repo), path=tools["path"])
    assert error_line(done) == (f"wavesync: error: {repo}/apps/main.jsonnet: Jsonnet is not supported: render it "
                                "to YAML first (Argo CD evaluates it)")


@pytest.mark.parametrize("text,expected", [
    ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
     "{app}:1: expected an Argo CD Application (apiVersion argoproj.io/v1alpha1, kind Application), found v1 ConfigMap"),
    ("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: x\nspec:\n  destination: {}\n",
     "{app}:1: spec.source: missing: an Application needs spec.source or spec.sources"),
    ("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: x\n",
     "--argocd-app: {app}:4:1: invalid YAML: did not find expected ',' or '}}' while parsing a flow mapping started at 3:11"),
])
def test_a_bad_application_is_one_line_with_its_file(wavesync, tools, tmp_path, text, expected):
    app = tmp_path / "app.yaml"
    app.write_text(text)
    done = run(wavesync, "plan", "--argocd-app", str(app), path=tools["path"])
    assert error_line(done).startswith("wavesync: error: " + expected.format(app=app))


def test_application_flags_that_do_not_go_together(wavesync, tools, tmp_path):
    done = run(wavesync, "plan", "--argocd-app", "test/inputs/argocd/helm-app.yaml", "test/inputs/chart",
               path=tools["path"])
    assert error_line(done) == ("wavesync: error: --argocd-app: the Application names its sources: give no PATHS or "
                                "-k with it")
    done = run(wavesync, "plan", path=tools["path"])
    assert error_line(done) == "wavesync: error: nothing to read: give manifest PATHS, -k DIR or --argocd-app FILE"


def test_k_takes_one_directory_and_leaves_the_next_argument_a_path(wavesync, tools):
    done = run(wavesync, "plan", "-k", "test/inputs/kustomize/overlay", "examples/quickstart", "-o", "json",
               path=tools["path"])
    files = {r["source"].split(":")[0] for s in plan_json(done)["steps"] for r in s["resources"]}
    assert "test/inputs/kustomize/overlay/kustomization.yaml" in files
    assert any(f.startswith("examples/quickstart/") for f in files)


def test_delete_dry_run_of_an_application_lists_its_rendered_objects_in_reverse_order(wavesync, tools, tmp_path):
    """delete --dry-run plans without contacting the server: the kubeconfig names an address
    nothing listens on."""
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "none",
        "clusters": [{"name": "none", "cluster": {"server": "https://127.0.0.1:1"}}],
        "users": [{"name": "none", "user": {"token": "x"}}],
        "contexts": [{"name": "none", "context": {"cluster": "none", "user": "none"}}]}))
    done = run(wavesync, "delete", "--dry-run", "--argocd-app", "test/inputs/argocd/helm-app.yaml",
               "--kubeconfig", str(kubeconfig), path=tools["path"])
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "Sync wave 1",
        "  would delete apps/v1 Deployment shop/shop-shop-web (test/inputs/chart/templates/deployment.yaml)",
        "Sync wave 0",
        "  would delete v1 ConfigMap shop/shop-shop-web (test/inputs/chart/templates/configmap.yaml)",
        # A sync hook left on the cluster goes too, as Argo CD's cascade deletes it with the app.
        "PreSync wave -1",
        "  would delete batch/v1 Job shop/shop-shop-web-migrate (test/inputs/chart/templates/migrate-hook.yaml)",
        "3 objects would be deleted (dry run)",
    ]
