#!/usr/bin/env bash
# The whole test suite: install what is missing, build, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh --test
# Tests that build git repositories need an identity-free, config-free git.
export GIT_CONFIG_NOSYSTEM=1
# All tests are XCTest; without Swift Testing the run ends on XCTest's own totals line.
swift test --disable-swift-testing "$@"
