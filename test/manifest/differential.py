#!/usr/bin/env python3
"""Differential test: wavesync's manifest reader against kubectl's (test/yamlref).

Every input is read by both; they must agree document by document: the same JSON values
(types and values; numbers compared by exact decimal value, as both write the same float64
in different spellings) or an error from both. Inputs:
  - every case of the YAML test suite in ../shared/conformance/yaml-test-suite, as a file of
    its own and embedded (indented) under a ConfigMap's field (skipped, saying so, when the
    shared folder is absent);
  - the Kubernetes-flavoured cases in test/manifest/differential/;
  - the manifest fuzz corpus in test/fuzz/corpus/manifest/.
Usage: differential.py --reader BUILD/test/wavesync_read_manifest [--yamlref PATH] [--keep DIR]
Exit status 1 when any input differs (each difference is printed), 0 otherwise.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SUITE = ROOT.parent / "shared" / "conformance" / "yaml-test-suite"


def suite_cases(suite: Path):
    """(name, bytes) for every in.yaml of the suite, in a stable order."""
    for path in sorted(suite.rglob("in.yaml")):
        yield str(path.parent.relative_to(suite)).replace("/", "-"), path.read_bytes()


def embedded(name: str, text: bytes) -> bytes:
    head = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: suite-%s\ndata:\n  value:\n" % name.lower()).encode()
    lines = text.split(b"\n")
    return head + b"\n".join((b"    " + l if l.strip(b" ") else l) for l in lines)


def run(tool, files):
    out = {}
    for i in range(0, len(files), 400):
        batch = [str(f) for f in files[i:i + 400]]
        p = subprocess.run([tool] + batch, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
        if p.returncode != 0:
            sys.exit("%s failed (%d): %s" % (tool, p.returncode, p.stderr.decode(errors="replace")[-2000:]))
        for line in p.stdout.decode().split("\n"):
            if not line:
                continue
            r = json.loads(line, parse_float=Decimal, parse_int=Decimal)
            if "error" not in r:
                r.setdefault("docs", [])
            out[r["file"]] = r
    return out


def same(a, b):
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def verdict(w, k):
    if "error" in w and "error" in k:
        return None
    if "error" in k:
        return "kubectl refuses it (%s) but wavesync reads %s" % (k["error"], json.dumps(w["docs"], default=str)[:300])
    if "error" in w:
        return "wavesync refuses it (%s) but kubectl reads %s" % (w["error"], json.dumps(k["docs"], default=str)[:300])
    if not same(w["docs"], k["docs"]):
        return "values differ:\n    wavesync %s\n    kubectl  %s" % (json.dumps(w["docs"], default=str)[:400],
                                                                    json.dumps(k["docs"], default=str)[:400])
    return None


def yamlref_binary():
    p = subprocess.run(["bash", str(ROOT / "test" / "yamlref" / "build")], stdout=subprocess.PIPE, check=True)
    return p.stdout.decode().strip().splitlines()[-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reader", required=True, help="wavesync_read_manifest")
    ap.add_argument("--yamlref", help="kubectl's reader (default: build it with test/yamlref/build)")
    ap.add_argument("--keep", help="write the inputs here instead of a temporary directory")
    args = ap.parse_args()
    yamlref = args.yamlref or yamlref_binary()

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep or tmp)
        files = []
        groups = {}

        def add(group, path):
            files.append(path)
            groups[str(path)] = group

        if SUITE.is_dir():
            (work / "suite").mkdir(parents=True, exist_ok=True)
            (work / "embedded").mkdir(parents=True, exist_ok=True)
            for name, text in suite_cases(SUITE):
                raw = work / "suite" / (name + ".yaml")
                raw.write_bytes(text)
                add("yaml-test-suite", raw)
                emb = work / "embedded" / (name + ".yaml")
                emb.write_bytes(embedded(name, text))
                add("yaml-test-suite embedded", emb)
        else:
            print("differential: yaml-test-suite skipped: %s not found (a clone without ../shared)" % SUITE)
        for path in sorted((HERE / "differential").iterdir()):
            add("own cases", path)
        for path in sorted((ROOT / "test" / "fuzz" / "corpus" / "manifest").iterdir()):
            add("fuzz corpus", path)

        ours = run(args.reader, files)
        theirs = run(yamlref, files)
        differences = 0
        counts = {}
        for f in files:
            key = str(f)
            counts[groups[key]] = counts.get(groups[key], 0) + 1
            problem = verdict(ours[key], theirs[key])
            if problem:
                differences += 1
                print("DIFFERENT %s: %s" % (f.relative_to(work) if str(f).startswith(str(work)) else f, problem))
        summary = ", ".join("%s %d" % (g, n) for g, n in counts.items())
        print("differential: %d inputs (%s), %d differences from kubectl's reader" % (len(files), summary, differences))
        return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
