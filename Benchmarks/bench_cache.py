#!/usr/bin/env python3
"""The scan cache, measured: `fairscan repo` on a copy of the benchmark repository with an empty
cache, again unchanged, and again after one new commit; each against the first run.

Prints wall times (median of N runs), what each run read, and the ratios.
Usage: bench_cache.py REPO FAIRSCAN [RUNS]
"""
import json, os, shutil, statistics, subprocess, sys, tempfile, time

def run(cmd, env):
    start = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    wall = time.monotonic() - start
    if p.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} exited {p.returncode}")
    return wall, json.loads(p.stdout)

def describe(report):
    s = report["summary"]
    return (f"{s['blobs_scanned']} blobs + {s['commits_scanned']} commits read, "
            f"{s.get('cached_objects', 0)} objects from the cache, {len(report['findings'])} findings")

def main():
    source, fairscan = sys.argv[1], os.path.abspath(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    work = tempfile.mkdtemp(prefix="fairscan-bench-cache-")
    try:
        repo = os.path.join(work, "repo")
        subprocess.run(["git", "clone", "-q", source, repo], check=True)
        cache = os.path.join(work, "cache.sqlite")
        env = dict(os.environ, FAIRSCAN_CACHE_DIR=os.path.join(work, "rules-cache"))
        scan = [fairscan, "repo", repo, "--cache", cache, "--format", "json", "--quiet"]
        git = lambda *a: subprocess.run(["git", "-C", repo, "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"] + list(a),
                                        check=True, capture_output=True)

        run(scan, env)  # warm the page cache and the compiled-rules cache
        uncached = [fairscan, "repo", repo, "--no-cache", "--format", "json", "--quiet"]
        none, cold, warm = [], [], []
        cold_report = warm_report = None
        for _ in range(runs):
            wall, _ = run(uncached, env)
            none.append(wall)
            os.remove(cache)
            wall, cold_report = run(scan, env)
            cold.append(wall)
            wall, warm_report = run(scan, env)
            warm.append(wall)
        with open(os.path.join(repo, "new-file.txt"), "w") as f:
            f.write("".join(f"line {i}: nothing secret here\n" for i in range(20)))
        git("add", "new-file.txt")
        git("commit", "-q", "-m", "one new commit")
        # After the new commit: the first scan reads only the new objects; repeat on fresh copies of the cache.
        snapshot = cache + ".before"
        shutil.copyfile(cache, snapshot)
        new = []
        new_report = None
        for _ in range(runs):
            shutil.copyfile(snapshot, cache)
            wall, new_report = run(scan, env)
            new.append(wall)
        c, w, n, z = statistics.median(cold), statistics.median(warm), statistics.median(new), statistics.median(none)
        same = json.dumps(cold_report["findings"], sort_keys=True) == json.dumps(warm_report["findings"], sort_keys=True)
        print(f"repository: a clone of {source}")
        print(f"without cache (--no-cache):    {z:.2f} s (median of {runs})")
        print(f"first scan, empty cache:       {c:.2f} s (median of {runs}); {describe(cold_report)}")
        print(f"second scan, unchanged:        {w:.2f} s (median of {runs}); {describe(warm_report)}; same findings: {same}")
        print(f"after one new commit:          {n:.2f} s (median of {runs}); {describe(new_report)}")
        print(f"ratio second / first: {w / c:.1%} (target <= 10%); after a new commit / first: {n / c:.1%}; "
              f"first with cache / without: {c / z:.2f}x (the cost of filling it)")
    finally:
        shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    main()
