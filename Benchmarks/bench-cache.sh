#!/usr/bin/env bash
# make bench-cache: the scan cache: a second scan of an unchanged repository against the first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh --bench
swift build -c release --product fairscan
repo="${BENCH_REPO:-bench-data/repo}"
if [ ! -d "$repo/.git" ]; then
  python3 Benchmarks/make_repo.py "$repo"
fi
python3 Benchmarks/bench_cache.py "$repo" .build/release/fairscan "${BENCH_RUNS:-3}"
