#!/usr/bin/env python3
"""Generate a synthetic manifest tree for benchmarking `wavesync plan`.

Usage: gen_objects.py --count 10000 --waves 20 --seed 1 OUTDIR

Writes OUTDIR/<namespace>/objects-NNN.yaml files of about 100 documents each: a mix of
ConfigMaps, Secrets, Services, Deployments, custom resources and PreSync/PostSync hook
Jobs, spread over `--waves` sync waves and a few namespaces. Deterministic for a seed.
Standard library only.
"""
import argparse
import os
import random

PER_FILE = 100


def config_map(name, ns, wave, rnd):
    data = "\n".join(f"    key{i}: value-{rnd.randrange(10**6)}" for i in range(5))
    return f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}
  namespace: {ns}
  labels: {{app: {name}, tier: config}}
  annotations:
    argocd.argoproj.io/sync-wave: "{wave}"
data:
{data}
"""


def secret(name, ns, wave, rnd):
    return f"""apiVersion: v1
kind: Secret
metadata:
  name: {name}
  namespace: {ns}
  annotations:
    argocd.argoproj.io/sync-wave: "{wave}"
type: Opaque
stringData:
  password: "{rnd.randrange(10**9)}"
"""


def service(name, ns, wave, rnd):
    return f"""apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {ns}
  annotations:
    argocd.argoproj.io/sync-wave: "{wave}"
spec:
  selector: {{app: {name}}}
  ports:
  - name: http
    port: 80
    targetPort: {rnd.choice([8080, 8000, 3000])}
"""


def deployment(name, ns, wave, rnd):
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {ns}
  labels: &labels {{app: {name}}}
  annotations:
    argocd.argoproj.io/sync-wave: "{wave}"
    argocd.argoproj.io/sync-options: ServerSideApply=true
spec:
  replicas: {rnd.randrange(1, 4)}
  selector:
    matchLabels: *labels
  template:
    metadata:
      labels: *labels
    spec:
      containers:
      - name: app
        image: registry.example.com/{name}:1.{rnd.randrange(100)}.0
        ports: [{{containerPort: 8080}}]
        env:
        - {{name: LOG_LEVEL, value: info}}
        - {{name: FEATURE_X, value: "yes"}}
        resources:
          requests: {{cpu: 100m, memory: 128Mi}}
          limits: {{cpu: "1", memory: 256Mi}}
        readinessProbe:
          httpGet: {{path: /healthz, port: 8080}}
          periodSeconds: 5
"""


def custom_resource(name, ns, wave, rnd):
    return f"""apiVersion: example.com/v1
kind: Widget
metadata:
  name: {name}
  namespace: {ns}
  annotations:
    argocd.argoproj.io/sync-wave: "{wave}"
spec:
  size: {rnd.randrange(1, 100)}
  enabled: on
"""


def hook_job(name, ns, wave, rnd):
    phase = rnd.choice(["PreSync", "PostSync"])
    return f"""apiVersion: batch/v1
kind: Job
metadata:
  name: {name}
  namespace: {ns}
  annotations:
    argocd.argoproj.io/hook: {phase}
    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation,HookSucceeded
    argocd.argoproj.io/sync-wave: "{wave}"
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: task
        image: busybox:1.36
        command: ["sh", "-c", "echo {name}"]
"""


KINDS = [(config_map, 30), (secret, 10), (service, 20), (deployment, 20), (custom_resource, 15), (hook_job, 5)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--waves", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("outdir")
    args = parser.parse_args()

    rnd = random.Random(args.seed)
    makers = [m for m, weight in KINDS for _ in range(weight)]
    namespaces = [f"team-{i}" for i in range(5)]
    docs = {ns: [] for ns in namespaces}
    for i in range(args.count):
        ns = namespaces[i % len(namespaces)]
        maker = rnd.choice(makers)
        wave = rnd.randrange(args.waves)
        docs[ns].append(maker(f"obj-{i:06d}", ns, wave, rnd))
    for ns, items in docs.items():
        directory = os.path.join(args.outdir, ns)
        os.makedirs(directory, exist_ok=True)
        for start in range(0, len(items), PER_FILE):
            path = os.path.join(directory, f"objects-{start // PER_FILE:03d}.yaml")
            with open(path, "w", encoding="utf-8") as f:
                f.write("---\n".join(items[start:start + PER_FILE]))


if __name__ == "__main__":
    main()
