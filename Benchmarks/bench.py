#!/usr/bin/env python3
"""Times `fairscan repo --history-only` and `git cat-file --batch-all-objects` on one repository.

Prints wall times (median of N runs after one warm-up each), blob MiB/s, peak RSS and the ratio.
Usage: bench.py REPO FAIRSCAN [RUNS]
"""
import json, os, statistics, subprocess, sys, tempfile, time

def timed(cmd, **kw):
    """Runs cmd under /usr/bin/time; returns (wall seconds, peak RSS KiB, stdout bytes)."""
    with tempfile.NamedTemporaryFile() as t:
        start = time.monotonic()
        p = subprocess.run(["/usr/bin/time", "-o", t.name, "-f", "%M"] + cmd, stdout=subprocess.PIPE, **kw)
        wall = time.monotonic() - start
        rss = int(open(t.name).read().strip().splitlines()[-1])
    return wall, rss, p

def main():
    repo, fairscan = sys.argv[1], os.path.abspath(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    git = lambda *a: subprocess.run(["git", "-C", repo] + list(a), capture_output=True, text=True, check=True).stdout
    commits = int(git("rev-list", "--all", "--count").strip())
    blob_bytes, blobs = 0, 0
    for line in git("cat-file", "--batch-all-objects", "--batch-check=%(objecttype) %(objectsize)").splitlines():
        kind, size = line.split()
        if kind == "blob":
            blobs += 1
            blob_bytes += int(size)
    mib = blob_bytes / 2**20
    print(f"repository: {repo}: {commits} commits, {blobs} blobs, {mib:.0f} MiB of blob content")

    cache = tempfile.mkdtemp(prefix="fairscan-bench-cache-")
    env = dict(os.environ, FAIRSCAN_CACHE_DIR=cache)
    catfile = ["git", "-C", repo, "cat-file", "--batch-all-objects", "--batch", "--unordered"]
    scan = [fairscan, "repo", repo, "--history-only", "--no-cache", "--format", "json", "--quiet"]
    results = {"cat": [], "scan": [], "rss": []}
    report = None
    timed(catfile, stderr=subprocess.DEVNULL)       # warm the page cache
    timed(scan, env=env, stderr=subprocess.DEVNULL)  # warm, and compile the rule database cache
    for _ in range(runs):
        wall, _, _ = timed(catfile, stderr=subprocess.DEVNULL)
        results["cat"].append(wall)
        wall, rss, p = timed(scan, env=env, stderr=subprocess.DEVNULL)
        results["scan"].append(wall)
        results["rss"].append(rss)
        report = json.loads(p.stdout)
    cat = statistics.median(results["cat"])
    sc = statistics.median(results["scan"])
    rss = max(results["rss"]) / 1024
    s = report["summary"]
    print(f"git cat-file --batch-all-objects --batch --unordered >/dev/null: {cat:.2f} s (median of {runs})")
    print(f"fairscan repo --history-only: {sc:.2f} s (median of {runs}), {mib / sc:.0f} MiB/s of blob bytes, "
          f"peak RSS {rss:.0f} MiB, {s['blobs_scanned']} blobs + {s['commits_scanned']} commits scanned, "
          f"{len(report['findings'])} findings, complete: {not s['incomplete']}")
    print(f"ratio fairscan / cat-file: {sc / cat:.2f}x (target <= 1.5x); peak RSS target <= 300 MiB")

if __name__ == "__main__":
    main()
