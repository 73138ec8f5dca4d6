#!/usr/bin/env bash
# make bench-hook: the pre-commit scan on a 10,000-file repository with a 1-file, 20-line
# staged change, against `git diff --cached --quiet` on the same change, in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
bash scripts/build-release.sh --product fairscan
repo="${BENCH_HOOK_REPO:-bench-data/hook-repo}"
python3 Benchmarks/bench_hook.py "$repo" .build/release/fairscan "${BENCH_HOOK_RUNS:-40}"
