"""Custom-resource health in Argo CD's Lua, judged by the built binary against Argo CD's own health
test tables (../shared/conformance/argocd-lua-health: 241 scripts, 1,123 cases), and the user's
own scripts through --health-scripts, --argocd-cm and `wavesync health test`. Needs only the
built binary, no cluster. The conformance tests skip, saying so, when ../shared is absent."""
import json
import pathlib
import subprocess

import pytest
import yaml

REPO = pathlib.Path(__file__).resolve().parents[2]
CONFORMANCE = REPO.parent / "shared" / "conformance" / "argocd-lua-health"
needs_conformance = pytest.mark.skipif(
    not CONFORMANCE.is_dir(),
    reason=f"Argo CD's health scripts are not here ({CONFORMANCE} is absent): conformance not checked")

# The kinds wavesync judges with its own rules, without any flag (README "Custom-resource health").
BUILT_IN_DIRS = [
    "argoproj.io/Rollout", "argoproj.io/AnalysisRun",
    "external-secrets.io/ExternalSecret", "external-secrets.io/SecretStore",
    "external-secrets.io/ClusterSecretStore", "bitnami.com/SealedSecret",
    "kustomize.toolkit.fluxcd.io/Kustomization", "helm.toolkit.fluxcd.io/HelmRelease",
    "source.toolkit.fluxcd.io/GitRepository", "source.toolkit.fluxcd.io/HelmRepository",
    "postgresql.cnpg.io/Cluster", "kafka.strimzi.io/Kafka", "kafka.strimzi.io/KafkaTopic",
    "keda.sh/ScaledObject", "karpenter.sh/NodePool",
    "gateway.networking.k8s.io/Gateway", "gateway.networking.k8s.io/HTTPRoute",
    "serving.knative.dev/Service", "monitoring.coreos.com/Prometheus",
    "ceph.rook.io/CephCluster", "ceph.rook.io/CephObjectStore",
    "pkg.crossplane.io/Provider", "_.crossplane.io/_", "operators.coreos.com/Subscription",
    "k8s.keycloak.org/Keycloak", "minio.min.io/Tenant", "rabbitmq.com/RabbitmqCluster",
    "cert-manager.io/Certificate", "cert-manager.io/Issuer", "cert-manager.io/ClusterIssuer",
    "policy/PodDisruptionBudget",
]


def field(mapping, name):
    """A key as Go's encoding/json finds it: exact, else case-insensitive (Argo's tables spell
    inputPath `inputpath` in places)."""
    if name in mapping:
        return mapping[name]
    for key, value in mapping.items():
        if key.lower() == name.lower():
            return value
    return None


def cases(dirs=None):
    """(object file, expected status, expected message) for every case, in a stable order."""
    out = []
    for table in sorted(CONFORMANCE.glob("**/health_test.yaml")):
        rel = str(table.parent.relative_to(CONFORMANCE))
        if dirs is not None and rel not in dirs:
            continue
        for test in yaml.safe_load(table.read_text())["tests"]:
            expected = field(test, "healthStatus") or {}
            out.append((table.parent / field(test, "inputPath"),
                        expected.get("status") or "", expected.get("message") or "", rel))
    return out


def documents(path):
    return [d for d in yaml.safe_load_all(path.read_text()) if d is not None]


def pending_deletion(path):
    """Argo CD's GetResourceHealth answers before any script for an object being deleted
    (gitops-engine pkg/health/health.go); its tables run the script directly."""
    meta = documents(path)[0].get("metadata") or {}
    finalizers = meta.get("finalizers") or []
    return meta.get("deletionTimestamp") is not None and \
        "argocd.argoproj.io/hook-finalizer" not in finalizers


def judge(wavesync, files, *flags):
    """One `wavesync health -o json` run over all files: the verdict of each file's first object
    (Argo CD's tables read only a file's first document), in order."""
    done = subprocess.run([str(wavesync), "health", "-o", "json", *flags,
                           *[arg for f in files for arg in ("-f", str(f))]],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    counts = [len(documents(f)) for f in files]
    assert len(lines) == sum(counts), done.stderr
    firsts, at = [], 0
    for count in counts:
        firsts.append(lines[at])
        at += count
    return firsts


def mismatches(found, expected):
    out = []
    for (path, status, message, _), got in zip(expected, found):
        if pending_deletion(path):
            status, message = "Progressing", "Pending deletion"
        if (got["status"], got["message"]) != (status, message):
            out.append(f"{path.relative_to(CONFORMANCE)}: expected {status} {message!r}, "
                       f"got {got['status']} {got['message']!r}")
    return out


@needs_conformance
def test_health_scripts_from_argo_cd_give_argo_cd_status_and_message_for_all_1123_cases(wavesync):
    expected = cases()
    assert len(expected) == 1123
    found = judge(wavesync, [c[0] for c in expected], "--health-scripts", str(CONFORMANCE))
    wrong = mismatches(found, expected)
    assert not wrong, f"{len(wrong)} of {len(expected)} differ:\n" + "\n".join(wrong[:40])


@needs_conformance
def test_wavesyncs_own_rules_give_argo_cd_status_and_message_without_any_flag(wavesync):
    expected = cases(set(BUILT_IN_DIRS))
    assert {c[3] for c in expected} == set(BUILT_IN_DIRS)
    found = judge(wavesync, [c[0] for c in expected])
    wrong = mismatches(found, expected)
    assert not wrong, f"{len(wrong)} of {len(expected)} differ:\n" + "\n".join(wrong[:60])


@needs_conformance
def test_health_test_runs_argo_cds_tables_and_every_case_passes(wavesync):
    done = subprocess.run([str(wavesync), "health", "test", str(CONFORMANCE)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr
    assert done.stdout.splitlines()[-1] == "1123 passed, 0 failed (241 tables)"


CERT = """\
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: web, namespace: app}
status:
  conditions:
  - {type: Ready, status: "True", message: Certificate is up to date and has not expired}
"""


def write_cm(path, data):
    path.write_text(yaml.safe_dump({"apiVersion": "v1", "kind": "ConfigMap",
                                    "metadata": {"name": "argocd-cm", "namespace": "argocd"},
                                    "data": data}))


def test_an_argocd_cm_override_in_a_file_wins_over_the_built_in_rule(wavesync, tmp_path):
    (tmp_path / "cert.yaml").write_text(CERT)
    write_cm(tmp_path / "argocd-cm.yaml", {"resource.customizations.health.cert-manager.io_Certificate":
                                           'return {status = "Degraded", message = "held by the override"}'})
    [plain] = judge(wavesync, [tmp_path / "cert.yaml"])
    assert (plain["status"], plain["message"]) == ("Healthy", "Certificate is up to date and has not expired")
    [overridden] = judge(wavesync, [tmp_path / "cert.yaml"], "--argocd-cm", str(tmp_path / "argocd-cm.yaml"))
    assert (overridden["status"], overridden["message"]) == ("Degraded", "held by the override")


def test_the_older_resource_customizations_block_and_wildcard_keys_are_read(wavesync, tmp_path):
    (tmp_path / "cert.yaml").write_text(CERT)
    block = {"cert-manager.io/Certificate": {"health.lua": 'return {status="Suspended", message=obj.metadata.name}'}}
    write_cm(tmp_path / "block.yaml", {"resource.customizations": yaml.safe_dump(block)})
    [got] = judge(wavesync, [tmp_path / "cert.yaml"], "--argocd-cm", str(tmp_path / "block.yaml"))
    assert (got["status"], got["message"]) == ("Suspended", "web")
    write_cm(tmp_path / "wild.yaml", {"resource.customizations.health.*.io_Cert*":
                                      'return {status="Progressing", message="wildcard"}'})
    [got] = judge(wavesync, [tmp_path / "cert.yaml"], "--argocd-cm", str(tmp_path / "wild.yaml"))
    assert (got["status"], got["message"]) == ("Progressing", "wildcard")


def test_a_script_error_is_unknown_with_the_error_and_a_bad_argocd_cm_key_exits_2(wavesync, tmp_path):
    (tmp_path / "cert.yaml").write_text(CERT)
    write_cm(tmp_path / "err.yaml", {"resource.customizations.health.cert-manager.io_Certificate":
                                     "return obj.status.missing.field"})
    [got] = judge(wavesync, [tmp_path / "cert.yaml"], "--argocd-cm", str(tmp_path / "err.yaml"))
    assert got["status"] == "Unknown"
    assert got["message"].endswith(":1: attempt to index field 'missing' (a nil value)"), got["message"]
    write_cm(tmp_path / "bad.yaml", {"resource.customizations.health.a_b_c": "return {}"})
    done = subprocess.run([str(wavesync), "health", "-f", str(tmp_path / "cert.yaml"),
                           "--argocd-cm", str(tmp_path / "bad.yaml")], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.startswith("wavesync: error: --argocd-cm: ")
    assert "got group kind: 'a_b_c'" in done.stderr


def test_health_test_reports_a_failing_case_and_exits_1(wavesync, tmp_path):
    kind = tmp_path / "example.com" / "Widget"
    (kind / "testdata").mkdir(parents=True)
    (kind / "health.lua").write_text(
        'if obj.status and obj.status.ready then return {status="Healthy", message="ready"} end\n'
        'return {status="Progressing", message="waiting"}\n')
    (kind / "testdata" / "ready.yaml").write_text(
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nstatus: {ready: true}\n")
    (kind / "health_test.yaml").write_text(yaml.safe_dump({"tests": [
        {"healthStatus": {"status": "Healthy", "message": "ready"}, "inputPath": "testdata/ready.yaml"},
        {"healthStatus": {"status": "Degraded", "message": "broken"}, "inputPath": "testdata/ready.yaml"},
    ]}))
    done = subprocess.run([str(wavesync), "health", "test", str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines() == [
        'FAIL example.com/Widget testdata/ready.yaml: expected Degraded "broken", got Healthy "ready"',
        "1 passed, 1 failed (1 tables)",
    ]
