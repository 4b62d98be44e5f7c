"""Small builders for the manifests the apply tests write (plain dicts, dumped as YAML)."""

WAVE = "argocd.argoproj.io/sync-wave"
HOOK = "argocd.argoproj.io/hook"
POLICY = "argocd.argoproj.io/hook-delete-policy"


def meta(name, namespace=None, wave=None, hook=None, policy=None, annotations=None, labels=None):
    m = {"name": name}
    if namespace:
        m["namespace"] = namespace
    a = dict(annotations or {})
    if wave is not None:
        a[WAVE] = str(wave)
    if hook:
        a[HOOK] = hook
    if policy:
        a[POLICY] = policy
    if a:
        m["annotations"] = a
    if labels:
        m["labels"] = labels
    return m


def namespace(name, wave=None):
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": meta(name, wave=wave)}


def config_map(name, ns, wave=None, **kw):
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta(name, ns, wave, **kw), "data": {"k": "v"}}


def pod_template(labels=None, pod_annotations=None, restart="Never", env_secret=None):
    container = {"name": "main", "image": "busybox:1.36", "command": ["sh", "-c", "echo done"]}
    if env_secret:
        container["envFrom"] = [{"secretRef": {"name": env_secret}}]
    t = {"spec": {"restartPolicy": restart, "containers": [container]}}
    md = {}
    if labels:
        md["labels"] = labels
    if pod_annotations:
        md["annotations"] = pod_annotations
    if md:
        t["metadata"] = md
    return t


def job(name, ns, wave=None, hook=None, policy=None, pod_annotations=None, annotations=None,
        generate_name=False, backoff_limit=0):
    m = meta(name, ns, wave, hook, policy, annotations)
    if generate_name:
        del m["name"]
        m["generateName"] = name
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": m,
            "spec": {"backoffLimit": backoff_limit, "template": pod_template(pod_annotations=pod_annotations)}}


def deployment(name, ns, wave=None, pod_annotations=None, progress_deadline=None, env_secret=None, **kw):
    spec = {"replicas": 1, "selector": {"matchLabels": {"app": name}},
            "template": pod_template({"app": name}, pod_annotations, restart="Always", env_secret=env_secret)}
    spec["template"]["spec"]["containers"][0]["command"] = ["sleep", "infinity"]
    if progress_deadline is not None:
        spec["progressDeadlineSeconds"] = progress_deadline
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta(name, ns, wave, **kw), "spec": spec}


def service(name, ns, wave=None):
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta(name, ns, wave),
            "spec": {"selector": {"app": name}, "ports": [{"port": 80, "targetPort": 80}]}}
