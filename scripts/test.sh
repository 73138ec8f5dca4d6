#!/usr/bin/env bash
# The whole test suite: install what is missing, build, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh --test
# Tests that build git repositories need an identity-free, config-free git.
export GIT_CONFIG_NOSYSTEM=1
# XCTest (most suites) and Swift Testing (the FAIR client's unit tests) both run.
swift test "$@"
