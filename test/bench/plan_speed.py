#!/usr/bin/env python3
"""`make bench`: `wavesync plan` of 10,000 objects, this build beside an older one (issue 18).

Usage: plan_speed.py --wavesync BIN [--baseline BIN | --baseline-rev REV] [--runs 10] [--out DIR]

Generates the 10,000-object workload (gen_objects.py --count 10000 --waves 20 --seed 1: 3.8 MB of
YAML in 100 files), then times `wavesync plan DIR -o json` with each build, runs alternating, and
prints wall time, CPU time (user+sys of the child) and peak RSS, their medians, and the ratio of the
medians. With --baseline-rev the older build is checked out into build/plan-baseline/src (a git
worktree of this repository) and built there (Release, target wavesync) once.
Writes DIR/plan_speed.json.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def build_baseline(rev):
    base = os.path.join(ROOT, "build", "plan-baseline")
    src = os.path.join(base, "src")
    binary = os.path.join(base, "build", "cli", "wavesync")
    if not os.path.isdir(src):
        os.makedirs(base, exist_ok=True)
        subprocess.run(["git", "-C", ROOT, "worktree", "add", "--detach", src, rev], check=True)
    subprocess.run(["git", "-C", src, "checkout", "--detach", "--quiet", rev], check=True)
    subprocess.run(["cmake", "-S", src, "-B", os.path.join(base, "build"), "-G", "Ninja",
                    "-DCMAKE_BUILD_TYPE=Release"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", os.path.join(base, "build"), "--target", "wavesync"], check=True)
    return binary


def one_run(binary, workload):
    start = time.perf_counter()
    proc = subprocess.Popen([binary, "plan", workload, "-o", "json"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, _, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if usage is None:
        sys.exit("plan_speed: no resource usage for " + binary)
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024, "stderr": err}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wavesync", required=True)
    parser.add_argument("--baseline")
    parser.add_argument("--baseline-rev")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--out", default=os.path.join(ROOT, "build", "bench"))
    args = parser.parse_args()

    builds = {"this": os.path.abspath(args.wavesync)}
    if args.baseline_rev:
        builds["baseline " + args.baseline_rev] = build_baseline(args.baseline_rev)
    elif args.baseline:
        builds["baseline"] = os.path.abspath(args.baseline)

    with tempfile.TemporaryDirectory(prefix="wavesync-plan-speed-") as tmp:
        workload = os.path.join(tmp, "objects")
        subprocess.run([sys.executable, os.path.join(HERE, "gen_objects.py"), "--count", "10000", "--waves", "20",
                        "--seed", "1", workload], check=True, stdout=subprocess.DEVNULL)
        runs = {name: [] for name in builds}
        for name, binary in builds.items():  # one warm-up each: page cache, binary loaded
            one_run(binary, workload)
        for _ in range(args.runs):
            for name, binary in builds.items():
                r = one_run(binary, workload)
                runs[name].append(r)
                print(f"[plan] {name}: wall {r['wall']:.3f} s, cpu {r['cpu']:.3f} s, rss {r['rss_mb']:.0f} MB",
                      flush=True)

    summary = {}
    for name, rs in runs.items():
        summary[name] = {k: statistics.median(r[k] for r in rs) for k in ("wall", "cpu", "rss_mb")}
        print(f"[plan] {name}: median wall {summary[name]['wall']:.3f} s, cpu {summary[name]['cpu']:.3f} s, "
              f"rss {summary[name]['rss_mb']:.0f} MB over {len(rs)} runs")
    names = list(builds)
    if len(names) == 2:
        this, base = summary[names[0]], summary[names[1]]
        print(f"[plan] {names[1]} / this: wall {base['wall'] / this['wall']:.2f}x, cpu {base['cpu'] / this['cpu']:.2f}x")
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "plan_speed.json"), "w") as f:
        json.dump({"loadavg": os.getloadavg(), "runs": {n: [{k: v for k, v in r.items() if k != "stderr"} for r in rs]
                                                         for n, rs in runs.items()},
                   "median": summary}, f, indent=1)


if __name__ == "__main__":
    main()
