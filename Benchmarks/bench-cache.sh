#!/usr/bin/env bash
# make bench-cache: the scan cache: a second scan of an unchanged repository against the first.
BENCH_SCRIPT=bench_cache.py exec bash "$(dirname "$0")/bench.sh"
