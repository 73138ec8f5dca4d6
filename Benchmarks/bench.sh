#!/usr/bin/env bash
# make bench: full-history scan against the cost of merely reading every object.
# BENCH_SCRIPT=bench_cache.py (make bench-cache): the scan cache's second scan against its first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh --bench
bash scripts/build-release.sh --product fairscan
repo="${BENCH_REPO:-bench-data/repo}"
if [ ! -d "$repo/.git" ]; then
  python3 Benchmarks/make_repo.py "$repo"
fi
python3 "Benchmarks/${BENCH_SCRIPT:-bench.py}" "$repo" .build/release/fairscan "${BENCH_RUNS:-3}"
