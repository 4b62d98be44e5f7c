#!/usr/bin/env python3
"""Generate the benchmark workloads of `make bench` (test/bench/run.py), deterministic for a seed.

Usage: gen_workloads.py [--seed 1] [--scale 1.0] OUTDIR [w1 w2 w3]

For each workload it writes OUTDIR/<w>/ with the same objects in four shapes:
  manifests/<step>/NN.yaml  one directory per step (`pre`, `wave-00`, ..., `post`), in
                            order, with Argo CD sync-wave/hook annotations: wavesync reads
                            the whole tree, the kubectl script applies one directory at a time;
  kpt/                      one package, the order expressed by `config.kubernetes.io/depends-on`
                            (each object of a step depends on one object of the step before,
                            which gives kpt the same layers);
  ceiling/NNNNN.json        one server-side-apply body per object, for the curl ceiling;
  flat/NN.yaml              every object without waves or hooks, for wavesync's own ceiling
                            (one step, applied without waiting);
  index.json                every object: step, wave, apiVersion, kind, resource, namespace,
                            name, hook, body file.
Workloads (issue 10):
  w1: 1,000 ConfigMaps and Secrets in 10 waves, one namespace;
  w2: 200 Deployments (1 replica) in 5 waves plus a PreSync and a PostSync hook Job;
  w3: 10,000 small ConfigMaps and Secrets in 20 waves over 5 namespaces;
  w4: 100,000 small ConfigMaps and Secrets in 20 waves over 10 namespaces (issue 18: applied,
      re-applied and pruned; no ceiling bodies, which would be 100,000 files).
YAML is written by a small emitter (standard library only): block mappings, strings quoted.
"""
import argparse
import json
import os
import random

PER_FILE = 100
WAVE = "argocd.argoproj.io/sync-wave"
HOOK = "argocd.argoproj.io/hook"
DEPENDS_ON = "config.kubernetes.io/depends-on"

# (apiVersion, kind) -> (group, plural)
RESOURCES = {
    ("v1", "Namespace"): ("", "namespaces"),
    ("v1", "ConfigMap"): ("", "configmaps"),
    ("v1", "Secret"): ("", "secrets"),
    ("apps/v1", "Deployment"): ("apps", "deployments"),
    ("batch/v1", "Job"): ("batch", "jobs"),
}


def scalar(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value)  # a double-quoted JSON string is a YAML string


def emit(value, indent=0):
    """Block-style YAML for dicts, lists and scalars."""
    pad = " " * indent
    lines = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{key}:")
                lines.append(emit(item, indent + 2))
            else:
                lines.append(f"{pad}{key}: {scalar(item) if not isinstance(item, (dict, list)) else '{}' if isinstance(item, dict) else '[]'}")
    else:
        for item in value:
            if isinstance(item, dict) and item:
                first = emit(item, indent + 2).splitlines()
                lines.append(f"{pad}- {first[0].lstrip()}")
                lines.extend(first[1:])
            else:
                lines.append(f"{pad}- {scalar(item)}")
    return "\n".join(lines)


def namespace(name):
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}


def config_map(name, ns, wave, rnd):
    return {
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": ns, "labels": {"app": name, "bench": "true"},
                     "annotations": {WAVE: str(wave)}},
        "data": {f"key{i}": f"value-{rnd.randrange(10**6)}" for i in range(5)},
    }


def secret(name, ns, wave, rnd):
    return {
        "apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": name, "namespace": ns, "annotations": {WAVE: str(wave)}},
        "type": "Opaque",
        "stringData": {"password": str(rnd.randrange(10**9))},
    }


def deployment(name, ns, wave, rnd):
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": ns, "labels": labels, "annotations": {WAVE: str(wave)}},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{
                    "name": "app",
                    "image": f"registry.example.com/{name}:1.{rnd.randrange(100)}.0",
                    "ports": [{"containerPort": 8080}],
                    "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}},
                }]},
            },
        },
    }


def hook_job(name, ns, phase):
    return {
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": name, "namespace": ns,
                     "annotations": {HOOK: phase, "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation"}},
        "spec": {"backoffLimit": 0, "template": {"spec": {
            "restartPolicy": "Never",
            "containers": [{"name": "task", "image": "busybox:1.36", "command": ["sh", "-c", f"echo {name}"]}],
        }}},
    }


def workload(key, scale, rnd):
    """[(step name, wave, [objects])] in run order, and the namespaces."""
    def n(count):
        return max(1, int(count * scale))

    if key == "w1":
        ns = ["bench-w1"]
        waves, count = 10, n(1000)
        steps = [(f"wave-{w:02d}", w, []) for w in range(waves)]
        for i in range(count):
            make = config_map if i % 2 == 0 else secret
            w = i * waves // count
            steps[w][2].append(make(f"{'cm' if i % 2 == 0 else 'sec'}-{i:05d}", ns[0], w, rnd))
        return ns, steps
    if key == "w2":
        ns = ["bench-w2"]
        waves, count = 5, n(200)
        steps = [("pre", -1, [hook_job("pre-migrate", ns[0], "PreSync")])]
        steps += [(f"wave-{w:02d}", w, []) for w in range(waves)]
        for i in range(count):
            w = i * waves // count
            steps[1 + w][2].append(deployment(f"web-{i:04d}", ns[0], w, rnd))
        steps.append(("post", 0, [hook_job("post-smoke", ns[0], "PostSync")]))
        return ns, steps
    if key == "w3":
        ns = [f"bench-w3-{i}" for i in range(5)]
        waves, count = 20, n(10000)
        steps = [(f"wave-{w:02d}", w, []) for w in range(waves)]
        for i in range(count):
            make = config_map if i % 4 else secret
            w = i * waves // count
            steps[w][2].append(make(f"obj-{i:05d}", ns[i % len(ns)], w, rnd))
        return ns, steps
    if key == "w4":
        ns = [f"bench-w4-{i}" for i in range(10)]
        waves, count = 20, n(100000)
        steps = [(f"wave-{w:02d}", w, []) for w in range(waves)]
        for i in range(count):
            make = config_map if i % 4 else secret
            w = i * waves // count
            steps[w][2].append(make(f"obj-{i:06d}", ns[i % len(ns)], w, rnd))
        return ns, steps
    raise SystemExit(f"unknown workload {key!r}: expected w1, w2, w3 or w4")


def ref(obj):
    """kpt's depends-on reference: group/namespaces/ns/Kind/name."""
    group = RESOURCES[(obj["apiVersion"], obj["kind"])][0]
    m = obj["metadata"]
    return f"{group}/namespaces/{m['namespace']}/{obj['kind']}/{m['name']}"


def write_docs(path, objects):
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n---\n".join(emit(o) for o in objects) + "\n")


def generate(outdir, key, seed, scale):
    rnd = random.Random(f"{seed}-{key}")
    namespaces, steps = workload(key, scale, rnd)
    root = os.path.join(outdir, key)
    for sub in ("manifests", "kpt", "ceiling", "flat"):
        os.makedirs(os.path.join(root, sub), exist_ok=True)
    index = {"workload": key, "seed": seed, "namespaces": namespaces,
             "steps": [name for name, _, _ in steps], "objects": []}
    # Namespaces go first in the first step's directory (kubectl applies files in name order).
    first = os.path.join(root, "manifests", steps[0][0])
    os.makedirs(first, exist_ok=True)
    write_docs(os.path.join(first, "00-namespaces.yaml"), [namespace(ns) for ns in namespaces])
    write_docs(os.path.join(root, "kpt", "00-namespaces.yaml"), [namespace(ns) for ns in namespaces])
    serial = 0
    previous = None  # an object of the step before, for kpt's depends-on
    for step, (name, wave, objects) in enumerate(steps):
        directory = os.path.join(root, "manifests", name)
        os.makedirs(directory, exist_ok=True)
        for start in range(0, len(objects), PER_FILE):
            write_docs(os.path.join(directory, f"{1 + start // PER_FILE:02d}.yaml"), objects[start:start + PER_FILE])
        kpt_objects = []
        for obj in objects:
            copy = json.loads(json.dumps(obj))
            if previous is not None:
                copy["metadata"].setdefault("annotations", {})[DEPENDS_ON] = ref(previous)
            kpt_objects.append(copy)
        write_docs(os.path.join(root, "kpt", f"{step + 1:02d}-{name}.yaml"), kpt_objects)
        for obj in objects:
            serial += 1
            body = os.path.join("ceiling", f"{serial:05d}.json")
            if key != "w4":
                with open(os.path.join(root, body), "w", encoding="utf-8") as f:
                    json.dump(obj, f, separators=(",", ":"))
            group, plural = RESOURCES[(obj["apiVersion"], obj["kind"])]
            index["objects"].append({
                "step": step, "stepName": name, "wave": wave, "apiVersion": obj["apiVersion"],
                "kind": obj["kind"], "group": group, "resource": plural,
                "namespace": obj["metadata"]["namespace"], "name": obj["metadata"]["name"],
                "hook": HOOK in obj["metadata"].get("annotations", {}), "body": body,
            })
        previous = objects[0]
    flat = [namespace(ns) for ns in namespaces]
    for _, _, objects in steps:
        for obj in objects:
            copy = json.loads(json.dumps(obj))
            copy["metadata"].pop("annotations", None)
            flat.append(copy)
    for start in range(0, len(flat), PER_FILE):
        write_docs(os.path.join(root, "flat", f"{start // PER_FILE:03d}.yaml"), flat[start:start + PER_FILE])
    with open(os.path.join(root, "index.json"), "w", encoding="utf-8") as f:
        json.dump(index, f, indent=1)
    return root


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply object counts (for quick trials)")
    parser.add_argument("outdir")
    parser.add_argument("workloads", nargs="*", default=["w1", "w2", "w3"])
    args = parser.parse_args()
    for key in args.workloads:
        print(generate(args.outdir, key, args.seed, args.scale))


if __name__ == "__main__":
    main()
