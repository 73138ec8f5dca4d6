#!/usr/bin/env python3
"""The pre-commit hook's budget: median wall time of `fairscan staged` (process start
included) on a repository of 10,000 files with a 1-file, 20-line staged change, beside
`git diff --cached --quiet` (git's own check of the same change) and `fairscan --version`
(process start alone), measured one after the other in this run.

Usage: bench_hook.py REPO FAIRSCAN [RUNS]. REPO is created when missing (deterministic
content); the staged change is reset and made again on every run.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

FILES = 10_000
BUDGET_MS = 100.0


def git(repo, *args, check=True):
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.com",
               GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.com",
               GIT_AUTHOR_DATE="@1700000000 +0000", GIT_COMMITTER_DATE="@1700000000 +0000")
    return subprocess.run(["git", "-C", repo, "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
                          check=check, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def source_file(n):
    """About 40 lines of ordinary code, different in every file, no secrets."""
    lines = [f"// module {n // 100}, file {n}", "import Foundation", ""]
    for f in range(6):
        lines += [f"func compute{n}_{f}(_ value: Int) -> Int {{",
                  f"  let scaled = value * {n % 97 + f} + {f * 13}",
                  f"  let label = \"item-{n}-{f}\"",
                  "  return label.count + scaled",
                  "}", ""]
    return "\n".join(lines) + "\n"


def make_repo(repo):
    if os.path.isdir(os.path.join(repo, ".git")):
        return
    os.makedirs(repo, exist_ok=True)
    git(repo, "init", "-q")
    for n in range(FILES):
        folder = os.path.join(repo, "Sources", f"module{n // 100:03d}")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"File{n:05d}.swift"), "w") as out:
            out.write(source_file(n))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "10,000 files")


def stage_change(repo):
    """Resets to HEAD, then appends 20 lines to one file and stages it."""
    git(repo, "reset", "-q", "--hard", "HEAD")
    path = os.path.join(repo, "Sources", "module042", "File04217.swift")
    with open(path, "a") as out:
        out.write("func added(_ input: [String]) -> [String] {\n")
        for i in range(17):
            out.write(f"  let step{i} = input.map {{ $0 + \"-{i}\" }}.count * {i + 1}\n")
        out.write("  return input\n}\n")
    git(repo, "add", path)
    diff = git(repo, "diff", "--cached", "--numstat").stdout.split()
    assert diff[0] == "20" and diff[1] == "0", diff


def measure_hyperfine(commands, repo, runs):
    with tempfile.TemporaryDirectory() as tmp:
        export = os.path.join(tmp, "out.json")
        args = ["hyperfine", "-N", "-i", "--style", "none", "--warmup", "5", "--runs", str(runs),
                "--export-json", export]
        for _, argv in commands:
            args.append(" ".join(argv))
        subprocess.run(args, check=True, cwd=repo, stdout=subprocess.DEVNULL)
        results = json.load(open(export))["results"]
        return [(r["median"] * 1000, min(r["times"]) * 1000, max(r["times"]) * 1000) for r in results]


def measure_loop(commands, repo, runs):
    out = []
    for _, argv in commands:
        for _ in range(5):
            subprocess.run(argv, cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(argv, cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append((time.perf_counter() - start) * 1000)
        out.append((statistics.median(times), min(times), max(times)))
    return out


def main():
    repo, fairscan = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    make_repo(repo)
    stage_change(repo)
    files = int(git(repo, "ls-files", "--cached").stdout.count("\n"))
    check = subprocess.run([fairscan, "staged"], cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if check.returncode != 0 or "scanned 1 blob" not in check.stderr:
        sys.exit(f"fairscan staged did not scan the one staged blob cleanly: exit {check.returncode}: {check.stderr}")
    commands = [
        ("fairscan staged", [fairscan, "staged", "--quiet"]),
        ("git diff --cached --quiet", ["git", "diff", "--cached", "--quiet"]),
        ("fairscan --version", [fairscan, "--version"]),
    ]
    tool = "hyperfine" if shutil.which("hyperfine") else "a timing loop"
    measured = (measure_hyperfine if shutil.which("hyperfine") else measure_loop)(commands, repo, runs)
    print(f"{files:,} files, 1 file with 20 added lines staged; {runs} runs each ({tool}), medians:")
    for (label, _), (median, low, high) in zip(commands, measured):
        print(f"  {label:28} {median:7.1f} ms   (min {low:.1f}, max {high:.1f})")
    staged, diff = measured[0][0], measured[1][0]
    print(f"  ratio fairscan staged / git diff --cached: {staged / diff:.1f}x")
    print(f"  budget {BUDGET_MS:.0f} ms: {'within' if staged <= BUDGET_MS else 'OVER'} ({staged:.1f} ms)")
    git(repo, "reset", "-q", "--hard", "HEAD")


if __name__ == "__main__":
    main()
