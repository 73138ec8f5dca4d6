#!/usr/bin/env bash
# Quick start: install what is missing, build in release mode, scan this repository.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
bash scripts/build-release.sh --product fairscan
exec .build/release/fairscan repo "${@:-.}"
